/** The fake world's shared chain tip and clock (a Clock for the engine). */
import type { Clock } from "../../src/swaps/ports/clock.js";

export class FakeChain implements Clock {
  height = 1_000;
  private nowMs = Date.UTC(2025, 0, 1, 12, 0, 0);
  private readonly blockListeners: (() => void)[] = [];

  now(): Date {
    return new Date(this.nowMs);
  }

  /** Moves the clock forward. */
  advance(ms: number): void {
    this.nowMs += ms;
  }

  /** Mines `n` blocks (ten minutes each); block listeners run after each block. */
  mine(n = 1): void {
    for (let i = 0; i < n; i += 1) {
      this.height += 1;
      this.nowMs += 600_000;
      for (const listener of this.blockListeners) listener();
    }
  }

  onBlock(listener: () => void): void {
    this.blockListeners.push(listener);
  }
}
