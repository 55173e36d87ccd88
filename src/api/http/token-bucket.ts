/** A token bucket: `burst` tokens at most, refilled at `perSecond`; one token per message. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param perSecond refill rate (tokens per second), > 0
   * @param burst capacity (tokens), ≥ 1; the bucket starts full
   * @param now clock in milliseconds (injectable for tests)
   */
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0) || !(burst >= 1))
      throw new RangeError("token bucket needs perSecond > 0 and burst >= 1");
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token. @returns false (and takes nothing) when the bucket is empty */
  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
