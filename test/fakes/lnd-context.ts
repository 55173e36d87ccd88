/**
 * Helpers for the LND adapter's unit tests: a context over the fake gRPC client
 * (fake-lnd-rpc.ts), grpc-js's error shape, and stream collectors.
 */
import { GatewayError } from "../../src/domain/errors.js";
import type { LndContext } from "../../src/lightning/lnd/context.js";
import { fakeLndRpc, type FakeLndRpcHandlers } from "./fake-lnd-rpc.js";

/** A context over a fake gRPC client answering with `rpc`'s handlers. */
export function ctxOf(rpc: FakeLndRpcHandlers = {}): LndContext {
  return { rpc: fakeLndRpc(rpc) };
}

/** A grpc-js ServiceError as LND's responses carry it. */
export function grpcError(code: number, details: string): Error & { code: number; details: string } {
  return Object.assign(new Error(`${code} ${details}`), { code, details });
}

/** Runs `fn` and returns the GatewayError it throws (fails the test if none or another type). */
export async function caught(fn: () => unknown): Promise<GatewayError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw new Error(`expected a GatewayError, got ${String(err)}`);
  }
  throw new Error("expected an error, got none");
}

/** Collects a stream until it ends or throws. */
export async function collect<E>(stream: AsyncIterable<E>): Promise<{ events: E[]; error?: GatewayError }> {
  const events: E[] = [];
  try {
    for await (const e of stream) events.push(e);
  } catch (err) {
    if (err instanceof GatewayError) return { events, error: err };
    throw err;
  }
  return { events };
}

export const HASH = "a".repeat(64);
export const PREIMAGE = "b".repeat(64);
export const PUBKEY = "02" + "c".repeat(64);
