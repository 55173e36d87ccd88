/**
 * Fakes for the ln-service seam: a `LnService` whose functions the test supplies, ln-service's
 * error shapes, and an emitter standing in for its subscriptions.
 */
import { EventEmitter } from "node:events";
import { GatewayError } from "../../src/domain/errors.js";
import type { AuthenticatedLnd, LnService, LndContext } from "../../src/lightning/lnd/ln-service.js";
import { fakeLndRpc, type FakeLndRpcHandlers } from "./fake-lnd-rpc.js";

export const LND: AuthenticatedLnd = { fake: "lnd" };

/** A LnService where every function not given throws, so a test notices an unexpected call. */
export function fakeLn(impl: Partial<LnService>): LnService {
  return new Proxy(impl as LnService, {
    get(target, prop: string) {
      const fn = (target as unknown as Record<string, unknown>)[prop];
      if (fn !== undefined) return fn;
      return () => {
        throw new Error(`fake ln-service: unexpected call to ${prop}`);
      };
    },
  });
}

/** A context over fake ln-service functions and, for the calls moved to our own client, a fake rpc. */
export function ctxOf(impl: Partial<LnService>, rpc: FakeLndRpcHandlers = {}): LndContext {
  return { ln: fakeLn(impl), lnd: LND, rpc: fakeLndRpc(rpc) };
}

/** A grpc-js ServiceError as LND's responses carry it. */
export function grpcError(code: number, details: string): Error & { code: number; details: string } {
  return Object.assign(new Error(`${code} ${details}`), { code, details });
}

/** What ln-service rejects with: `[status, name]` or `[status, name, {err}]`. */
export function lnReject(status: number, name: string, err?: unknown): unknown[] {
  return err === undefined ? [status, name] : [status, name, { err }];
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

/** Stands in for ln-service's subscription EventEmitters. */
export class FakeEmitter extends EventEmitter {}

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
