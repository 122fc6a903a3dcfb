package io.sprocket.protocol.survey;

import io.sprocket.Protocol;
import io.sprocket.SocketOption;
import io.sprocket.spi.ProtocolFactory;
import io.sprocket.spi.ProtocolFamily;
import java.util.List;
import java.util.Set;

/** SURVEYOR0 and RESPONDENT0; raw, their X-classes (a raw survey has no deadline, so no survey time). */
public final class SurveyFamily implements ProtocolFamily {
    @Override
    public List<ProtocolFactory> protocols() {
        return List.of(
                ProtocolFactory.of(Protocol.SURVEYOR0, "", raw -> raw ? new XSurveyor0() : new Surveyor0(),
                        Set.of(SocketOption.SURVEY_TIME), Set.of()),
                ProtocolFactory.of(Protocol.RESPONDENT0, raw -> raw ? new XRespondent0() : new Respondent0(),
                        Set.of(SocketOption.TTL_MAX)));
    }
}
