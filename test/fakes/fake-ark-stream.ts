/**
 * An ArkStream for fakes: push() events, fail() to end it with an error (as a broken gRPC
 * stream does), close() by the consumer ends the iteration quietly.
 */
import type { ArkStream } from "../../src/ark/client/index.js";

export class FakeStream<T> implements ArkStream<T> {
  private readonly queue: T[] = [];
  private waiter: (() => void) | undefined;
  private error: Error | undefined;
  private closed = false;

  constructor(private readonly onClose: () => void = () => undefined) {}

  push(event: T): void {
    if (this.closed || this.error !== undefined) return;
    this.queue.push(event);
    this.wake();
  }

  fail(err: Error): void {
    this.error ??= err;
    this.wake();
  }

  close(): void {
    this.closed = true;
    this.onClose();
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      for (;;) {
        if (this.closed) return;
        const next = this.queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        if (this.error !== undefined) throw this.error;
        await new Promise<void>((resolve) => (this.waiter = resolve));
      }
    } finally {
      this.closed = true;
      this.onClose();
    }
  }
}
