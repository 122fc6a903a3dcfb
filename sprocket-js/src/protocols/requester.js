/**
 * The asking side of request/reply and survey (REQ and SURVEYOR): each question carries a fresh id (high bit
 * set) as a 4-byte header, and an answer is routed by its first word to the context that asked.
 * @module
 */
import { Protocol, RequestIds } from './base.js';

/**
 * A protocol whose contexts ask questions and collect answers by id. Answers with an id nobody waits for are
 * stale and dropped; an answer under 4 bytes closes its pipe (as NNG).
 */
export class IdRequester extends Protocol {
  static withContexts = true;

  constructor(core, info) {
    super(core, info);
    this.ids = new RequestIds();
    /** The contexts waiting for answers, by question id. @type {Map<number, {answer(body: Uint8Array): void}>} */
    this.waiting = new Map();
  }

  received(pipe, bytes) {
    if (bytes.byteLength < 4) {
      pipe.violation(`an answer of ${bytes.byteLength} bytes, without an id`);
      return;
    }
    const id = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
    this.waiting.get(id)?.answer(bytes.subarray(4));
  }
}
