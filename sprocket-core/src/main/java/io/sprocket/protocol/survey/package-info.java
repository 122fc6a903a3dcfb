/**
 * Survey: SURVEYOR asks every respondent at once and collects answers until a deadline; RESPONDENT answers like
 * REP (SP-WIRE.md section 7.2).
 */
package io.sprocket.protocol.survey;
