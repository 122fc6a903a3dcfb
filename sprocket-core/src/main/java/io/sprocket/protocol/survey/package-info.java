/**
 * Survey: SURVEYOR asks every respondent at once and collects answers until a deadline; RESPONDENT answers like
 * REP (docs/wire.md, "Protocol headers").
 */
package io.sprocket.protocol.survey;
