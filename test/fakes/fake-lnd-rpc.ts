/**
 * A fake of our LND gRPC client (src/lightning/lnd/rpc/lnd-rpc.ts): the test answers each
 * `service.Method` with LND's wire shapes (snake_case, 64-bit integers as strings, enums as
 * names, bytes as Buffers); a call nobody answers fails the test. Streams are emitters the test
 * drives (`data`, `error`, `end`) and whose `cancel()` it can observe.
 */
import { EventEmitter } from "node:events";
import type { LndServiceName } from "../../src/lightning/lnd/rpc/load-lnd-protos.js";
import type { LndRpc, LndStream } from "../../src/lightning/lnd/rpc/lnd-rpc.js";

type Key = `${LndServiceName}.${string}`;

/** A fake server stream; `cancelled` turns true once the client cancels it. */
export class FakeLndStream<T = unknown> extends EventEmitter implements LndStream<T> {
  cancelled = false;
  cancel(): void {
    this.cancelled = true;
  }
  /** Emits a message on the next tick. */
  push(message: T): this {
    setImmediate(() => this.emit("data", message));
    return this;
  }
  /** Emits an error on the next tick (a gRPC error: `{code, details}`). */
  fail(err: unknown): this {
    setImmediate(() => this.emit("error", err));
    return this;
  }
}

export interface FakeLndRpcHandlers {
  readonly unary?: Partial<Record<Key, (request: Record<string, unknown>) => unknown>>;
  readonly stream?: Partial<Record<Key, (request: Record<string, unknown>) => FakeLndStream>>;
}

/** Every request the fake received, in order. */
export interface FakeLndRpc extends LndRpc {
  readonly calls: { key: Key; request: Record<string, unknown> }[];
}

/**
 * @param handlers answers by `service.Method`; a unary handler may return a value or a promise,
 *   or throw (the error becomes the rejection, as grpc-js gives it)
 */
export function fakeLndRpc(handlers: FakeLndRpcHandlers = {}): FakeLndRpc {
  const calls: { key: Key; request: Record<string, unknown> }[] = [];
  return {
    calls,
    async unary<Res>(service: LndServiceName, method: string, request: object): Promise<Res> {
      const key: Key = `${service}.${method}`;
      calls.push({ key, request: request as Record<string, unknown> });
      const handler = handlers.unary?.[key];
      if (handler === undefined) throw new Error(`fake LND rpc: unexpected call to ${key}`);
      return (await handler(request as Record<string, unknown>)) as Res;
    },
    stream<T>(service: LndServiceName, method: string, request: object): LndStream<T> {
      const key: Key = `${service}.${method}`;
      calls.push({ key, request: request as Record<string, unknown> });
      const handler = handlers.stream?.[key];
      if (handler === undefined) throw new Error(`fake LND rpc: unexpected stream ${key}`);
      return handler(request as Record<string, unknown>) as unknown as LndStream<T>;
    },
    close() {},
  };
}
