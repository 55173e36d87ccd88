/**
 * The seam between our adapter and ln-service 58.x: the subset of its functions we call, typed
 * with the fields we read (ln-service ships no TypeScript types). Each adapter function takes an
 * `LnService` so unit tests pass fakes instead of patching the module.
 */
import { createRequire } from "node:module";
import type { LndRpc } from "./rpc/lnd-rpc.js";

/** The `lnd` object `authenticatedLndGrpc` returns: opaque to us, handed back to ln-service. */
export type AuthenticatedLnd = object;

/** What every adapter function needs: the ln-service functions and an authenticated LND. */
export interface LndContext {
  readonly ln: LnService;
  readonly lnd: AuthenticatedLnd;
  /**
   * Our own gRPC client (rpc/lnd-rpc.ts). Adapter functions move to it from ln-service one by
   * one; `ln`/`lnd` go once none is left.
   */
  readonly rpc: LndRpc;
  /** Rebuilds the gRPC client (rate-limited); called when a call finds LND unavailable. */
  reconnect?(): void;
}

/** ln-service's subscription objects are Node EventEmitters. */
export interface LnEmitter {
  on(event: string, listener: (payload: unknown) => void): unknown;
  removeAllListeners(event?: string): unknown;
}

/** The ln-service functions the adapter uses, with the arguments we pass. */
export interface LnService {
  authenticatedLndGrpc(args: { cert?: string; macaroon: string; socket: string }): { lnd: AuthenticatedLnd };
}

let loaded: LnService | undefined;

/** The real ln-service module (CommonJS, untyped), loaded once. */
export function loadLnService(): LnService {
  loaded ??= createRequire(import.meta.url)("ln-service") as LnService;
  return loaded;
}
