/** A small typed event emitter: listeners are isolated (one throwing never stops the others). */

export type Listener<P> = (payload: P) => void;

export class TypedEvents<M extends { [K in keyof M]: unknown }> {
  private readonly listeners = new Map<keyof M, Set<Listener<never>>>();

  /**
   * Adds a listener.
   * @returns a function removing it
   */
  on<K extends keyof M>(event: K, listener: Listener<M[K]>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      set.delete(listener as Listener<never>);
    };
  }

  /**
   * Calls every listener of `event`.
   * @param onListenerError receives what a listener throws
   */
  emit<K extends keyof M>(event: K, payload: M[K], onListenerError?: (err: unknown) => void): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<M[K]>)(payload);
      } catch (err) {
        onListenerError?.(err);
      }
    }
  }

  /** Number of listeners of `event`. */
  count<K extends keyof M>(event: K): number {
    return this.listeners.get(event)?.size ?? 0;
  }
}
