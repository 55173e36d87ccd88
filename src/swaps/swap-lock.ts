/**
 * One async mutex per swap id (ARCHITECTURE invariant 5): work on a swap runs strictly one piece
 * after the other inside this process, whoever triggered it (stream hint, timer, API call).
 * Across processes the compare-and-set in the repository is the guard.
 */
export class SwapLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Runs `work` once every earlier piece of work on `id` has finished (whatever its outcome).
   * @returns what `work` returns; @throws what `work` throws
   */
  async run<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(id) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(id, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      // the last one out removes the entry, so the map does not grow with every swap ever seen
      if (this.tails.get(id) === tail) this.tails.delete(id);
    }
  }

  /** Whether some work on `id` is running or queued. */
  isBusy(id: string): boolean {
    return this.tails.has(id);
  }

  /** Ids with work running or queued. */
  get busyCount(): number {
    return this.tails.size;
  }
}
