/**
 * Jittered exponential reconnect backoff, as the Java dialer's: each delay is random in [interval/2, interval],
 * and the interval doubles after each failure from the minimum up to the maximum (a maximum under the minimum
 * keeps it at the minimum). The lower half bound keeps retries from bunching near zero.
 */
export class Backoff {
  /**
   * @param {number} min first interval, milliseconds (over 0)
   * @param {number} max largest interval, milliseconds
   * @param {() => number} [random] a source of [0, 1) numbers (Math.random)
   */
  constructor(min, max, random = Math.random) {
    this.min = min;
    this.max = Math.max(min, max);
    this.current = min;
    this.random = random;
  }

  /** The next delay in milliseconds; grows the interval. */
  next() {
    const c = this.current;
    const d = c / 2 + this.random() * (c / 2);
    this.current = Math.min(this.max, c * 2);
    return d;
  }

  /** Back to the minimum, after a connection that worked. */
  reset() {
    this.current = this.min;
  }
}
