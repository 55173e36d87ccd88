/**
 * The one push-fed async iterable of the gateway: an adapter pushes typed events from its
 * source (grpc-js server streams in the LND adapter and the arkd client),
 * the consumer reads them with `for await`. Errors are delivered in order, after every event
 * pushed before them, and thrown once; closing stops the underlying subscription.
 */
import type { GatewayError } from "../domain/errors.js";

/** A subscription, consumed with `for await`. Iteration ends after a terminal event. */
export interface EventStream<E> extends AsyncIterable<E> {
  /** Stops listening (and cancels the underlying call where the source allows it). Idempotent. */
  close(): void;
}

type Waiter<E> = {
  resolve: (r: IteratorResult<E>) => void;
  reject: (err: GatewayError) => void;
};

/** The producer side of an {@link EventStream}. */
export class PushStream<E> implements EventStream<E> {
  private readonly queue: E[] = [];
  private readonly waiters: Waiter<E>[] = [];
  private failure: GatewayError | undefined;
  private done = false;
  private readonly onClose: () => void;

  /** @param onClose called once, when the consumer closes or the stream ends or fails */
  constructor(onClose: () => void) {
    this.onClose = onClose;
  }

  /** Delivers one event; ignored after the stream finished. */
  push(event: E): void {
    if (this.done) return;
    const waiter = this.waiters.shift();
    if (waiter === undefined) this.queue.push(event);
    else waiter.resolve({ value: event, done: false });
  }

  /** Ends the stream normally after queued events. */
  end(): void {
    this.finish(undefined);
  }

  /** Ends the stream with an error, thrown to the consumer after queued events. */
  fail(err: GatewayError): void {
    this.finish(err);
  }

  close(): void {
    this.queue.length = 0;
    this.finish(undefined);
  }

  /** True once the stream ended, failed or was closed. */
  get isDone(): boolean {
    return this.done;
  }

  private finish(err: GatewayError | undefined): void {
    if (this.done) return;
    this.done = true;
    this.failure = err;
    this.onClose();
    for (const waiter of this.waiters.splice(0)) {
      if (err === undefined) waiter.resolve({ value: undefined, done: true });
      else waiter.reject(err);
    }
  }

  private next(): Promise<IteratorResult<E>> {
    const event = this.queue.shift();
    if (event !== undefined) return Promise.resolve({ value: event, done: false });
    if (this.done) {
      const err = this.failure;
      this.failure = undefined;
      return err === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(err);
    }
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  [Symbol.asyncIterator](): AsyncIterator<E> {
    return {
      next: () => this.next(),
      return: () => {
        this.close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
