package io.sprocket.protocol.survey;

import io.sprocket.Protocol;
import io.sprocket.protocol.BacktraceReplier;

/**
 * RESPONDENT v0 (0x63), cooked: answers a survey on the pipe it came from, with its backtrace (the survey id is
 * the last word); the same rules as REP ({@link BacktraceReplier}).
 */
public final class Respondent0 extends BacktraceReplier {
    @Override
    public Protocol protocol() {
        return Protocol.RESPONDENT0;
    }
}
