/**
 * One call in flight at a time, shared: callers arriving while it runs get its result (or its
 * error) instead of starting their own. A result is never kept past its call, so each caller's
 * answer is at most one call old, like an answer that took that long to arrive.
 */
export function sharedCall<T>(call: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= call().finally(() => {
      running = undefined;
    });
    return running;
  };
}
