/**
 * Survey: SURVEYOR asks every respondent at once and collects answers until a deadline; RESPONDENT answers like
 * REP (docs/wire.md, "Protocol headers"). Not exported by module io.sprocket.
 */
package io.sprocket.protocol.survey;
