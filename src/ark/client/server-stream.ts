import type { ClientReadableStream } from "@grpc/grpc-js";
import type { GatewayError } from "../../domain/errors.js";
import { arkError } from "./errors.js";
import { translateGrpcError } from "./grpc-errors.js";
import type { ArkStream } from "./types.js";

export interface ServerStreamSpec<W, E> {
  /** Method name, for errors. */
  readonly rpc: string;
  /** Starts the call; invoked once, synchronously. */
  readonly start: () => ClientReadableStream<W>;
  /** Maps one message; undefined skips it (unknown kinds); a throw fails the stream. */
  readonly map: (msg: W) => E | undefined;
  /** Fail with `ark.stream_stalled` when nothing (not even a heartbeat) arrives for this long. */
  readonly idleTimeoutMs?: number;
  /** Aborting closes the stream like close(). */
  readonly signal?: AbortSignal;
}

type Waiter<E> = {
  resolve: (r: IteratorResult<E>) => void;
  reject: (e: unknown) => void;
};

/**
 * Wraps a grpc-js server stream into an ArkStream: an async iterable whose iteration throws a
 * typed GatewayError when the server ends the stream (`ark.stream_ended`), fails (translated
 * status) or goes quiet (`ark.stream_stalled`), and simply ends after close().
 *
 * grpc-js may emit 'status' before buffered messages are delivered, so the terminal outcome is
 * settled on 'end' (after the last message), with 'status' only as a deferred fallback.
 * @param spec how to start, map and supervise the call
 * @returns the stream; messages are buffered until read (arkd's streams are low-volume)
 */
export function openServerStream<W, E>(spec: ServerStreamSpec<W, E>): ArkStream<E> {
  const queue: E[] = [];
  let waiter: Waiter<E> | undefined;
  let failure: GatewayError | undefined;
  let pendingError: GatewayError | undefined;
  let settled = false;
  let closed = false;
  let idleTimer: NodeJS.Timeout | undefined;

  const call = spec.start();

  const stopTimer = (): void => {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = undefined;
  };
  const armTimer = (): void => {
    stopTimer();
    const ms = spec.idleTimeoutMs;
    if (ms === undefined || settled) return;
    idleTimer = setTimeout(() => {
      fail(
        arkError("ark.stream_stalled", `${spec.rpc}: no message for ${ms} ms`, {
          rpc: spec.rpc,
          idleTimeoutMs: ms,
        }),
      );
      call.cancel();
    }, ms);
    idleTimer.unref();
  };

  const fail = (err: GatewayError): void => {
    if (settled || closed) return;
    settled = true;
    stopTimer();
    failure = err;
    if (waiter !== undefined) {
      const w = waiter;
      waiter = undefined;
      failure = undefined;
      w.reject(err);
    }
  };
  const finish = (): void =>
    fail(
      pendingError ??
        arkError("ark.stream_ended", `${spec.rpc}: the server ended the stream`, {
          rpc: spec.rpc,
        }),
    );

  call.on("data", (msg: W) => {
    if (settled || closed) return;
    armTimer();
    let event: E | undefined;
    try {
      event = spec.map(msg);
    } catch (err) {
      fail(translateGrpcError(err, spec.rpc));
      call.cancel();
      return;
    }
    if (event === undefined) return;
    if (waiter !== undefined) {
      const w = waiter;
      waiter = undefined;
      w.resolve({ value: event, done: false });
    } else {
      queue.push(event);
    }
  });
  call.on("error", (err: unknown) => {
    if (!closed) pendingError ??= translateGrpcError(err, spec.rpc);
  });
  call.on("end", finish);
  call.on("status", () => setImmediate(finish));

  const close = (): void => {
    if (closed) return;
    closed = true;
    stopTimer();
    queue.length = 0;
    call.cancel();
    if (waiter !== undefined) {
      const w = waiter;
      waiter = undefined;
      w.resolve({ value: undefined, done: true });
    }
  };

  if (spec.signal !== undefined) {
    if (spec.signal.aborted) close();
    else spec.signal.addEventListener("abort", close, { once: true });
  }
  armTimer();

  const iterator: AsyncIterator<E> = {
    next: () => {
      const event = queue.shift();
      if (event !== undefined) return Promise.resolve({ value: event, done: false });
      if (closed) return Promise.resolve({ value: undefined, done: true });
      if (failure !== undefined) {
        const err = failure;
        failure = undefined;
        closed = true; // one throw, then the iteration is over
        return Promise.reject(err);
      }
      if (settled) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiter = { resolve, reject };
      });
    },
    return: () => {
      close();
      return Promise.resolve({ value: undefined, done: true });
    },
  };

  return { [Symbol.asyncIterator]: () => iterator, close };
}
