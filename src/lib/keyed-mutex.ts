/**
 * In-process mutual exclusion per key: `run(key, work)` waits for every earlier `run` of the
 * same key to settle. Used for one lock per swap (ARCHITECTURE invariant 5) and per wallet spend.
 * Across processes the repositories' compare-and-set is the guard, not this.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs `work` once every earlier piece of work on `key` has finished (whatever its outcome).
   * @returns what `work` returns; @throws what `work` throws
   */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      // the last one out removes the entry, so the map does not grow with every key ever seen
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Whether some work on `key` is running or queued. */
  isBusy(key: string): boolean {
    return this.tails.has(key);
  }

  /** Keys with work running or queued. */
  get busyCount(): number {
    return this.tails.size;
  }
}
