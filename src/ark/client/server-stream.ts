import type { ClientReadableStream } from "@grpc/grpc-js";
import type { GatewayError } from "../../domain/errors.js";
import { PushStream } from "../../lib/event-stream.js";
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

/**
 * Wraps a grpc-js server stream into an ArkStream: a {@link PushStream} whose iteration throws
 * a typed GatewayError when the server ends the stream (`ark.stream_ended`), fails (translated
 * status) or goes quiet (`ark.stream_stalled`), and simply ends after close().
 *
 * grpc-js may emit 'status' before buffered messages are delivered, so the terminal outcome is
 * settled on 'end' (after the last message), with 'status' only as a deferred fallback.
 * @param spec how to start, map and supervise the call
 * @returns the stream; messages are buffered until read (arkd's streams are low-volume)
 */
export function openServerStream<W, E>(spec: ServerStreamSpec<W, E>): ArkStream<E> {
  let pendingError: GatewayError | undefined;
  let serverFinished = false;
  let idleTimer: NodeJS.Timeout | undefined;

  const call = spec.start();

  const stopTimer = (): void => {
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = undefined;
  };
  // Runs once, on whichever comes first: the server's end, a failure, or the consumer's close.
  // The call is cancelled unless the server already finished it.
  const stream = new PushStream<E>(() => {
    stopTimer();
    if (!serverFinished) call.cancel();
  });

  const armTimer = (): void => {
    stopTimer();
    const ms = spec.idleTimeoutMs;
    if (ms === undefined || stream.isDone) return;
    idleTimer = setTimeout(() => {
      stream.fail(
        arkError("ark.stream_stalled", `${spec.rpc}: no message for ${ms} ms`, {
          rpc: spec.rpc,
          idleTimeoutMs: ms,
        }),
      );
    }, ms);
    idleTimer.unref();
  };

  const finish = (): void => {
    if (stream.isDone) return;
    serverFinished = true;
    stream.fail(
      pendingError ??
        arkError("ark.stream_ended", `${spec.rpc}: the server ended the stream`, {
          rpc: spec.rpc,
        }),
    );
  };

  call.on("data", (msg: W) => {
    if (stream.isDone) return;
    armTimer();
    let event: E | undefined;
    try {
      event = spec.map(msg);
    } catch (err) {
      stream.fail(translateGrpcError(err, spec.rpc));
      return;
    }
    if (event !== undefined) stream.push(event);
  });
  call.on("error", (err: unknown) => {
    if (!stream.isDone) pendingError ??= translateGrpcError(err, spec.rpc);
  });
  call.on("end", finish);
  call.on("status", () => setImmediate(finish));

  const close = (): void => stream.close();
  if (spec.signal !== undefined) {
    if (spec.signal.aborted) close();
    else spec.signal.addEventListener("abort", close, { once: true });
  }
  armTimer();

  return stream;
}
