/**
 * Errors of the Sprocket client: one class, {@link SprocketError}, whose `code` is one of the names of the Java
 * side's `io.sprocket.ErrorCode` (which follow NNG's error codes).
 * @module
 */

/** The error codes, as in the Java `ErrorCode` enum, each with NNG's short text. */
export const ErrorCodes = Object.freeze({
  CLOSED: 'object closed',
  TIMED_OUT: 'timed out',
  TRY_AGAIN: 'try again',
  CONNECTION_REFUSED: 'connection refused',
  CONNECTION_RESET: 'connection reset',
  ADDRESS_IN_USE: 'address in use',
  ADDRESS_INVALID: 'address invalid',
  UNREACHABLE: 'destination unreachable',
  PROTOCOL_ERROR: 'protocol error',
  MESSAGE_TOO_LARGE: 'message too large',
  BAD_STATE: 'incorrect state',
  CANCELED: 'operation canceled',
  NOT_SUPPORTED: 'not supported',
  PERMISSION_DENIED: 'permission denied',
  BUSY: 'resource busy',
  CRYPTO: 'cryptographic error',
  IO_ERROR: 'i/o error',
});

/**
 * What went wrong in a Sprocket operation. `code` names the kind (`'TIMED_OUT'`, `'CLOSED'`, ...); `message`
 * says what happened and what to do.
 */
export class SprocketError extends Error {
  /**
   * @param {keyof typeof ErrorCodes} code one of {@link ErrorCodes}
   * @param {string} message what happened, and what to do about it
   * @param {{cause?: unknown}} [options]
   */
  constructor(code, message, options) {
    super(message, options);
    if (!(code in ErrorCodes)) {
      throw new TypeError(`unknown SprocketError code ${code}`);
    }
    this.name = 'SprocketError';
    /** @type {keyof typeof ErrorCodes} */
    this.code = code;
  }
}
