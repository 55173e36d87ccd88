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

export interface LnRouteHop {
  base_fee_mtokens?: string;
  channel?: string;
  cltv_delta?: number;
  fee_rate?: number;
  public_key: string;
}

export interface LnDecodedRequest {
  cltv_delta?: number;
  created_at: string;
  description?: string;
  destination: string;
  expires_at: string;
  features: { bit: number }[];
  id: string;
  is_expired: boolean;
  mtokens: string;
  payment?: string;
  routes: LnRouteHop[][];
}

export interface LnPaymentFailure {
  is_canceled?: boolean;
  is_insufficient_balance?: boolean;
  is_invalid_payment?: boolean;
  is_pathfinding_timeout?: boolean;
  is_route_not_found?: boolean;
}

export interface LnConfirmedPayment {
  fee_mtokens: string;
  id: string;
  mtokens: string;
  secret: string;
}

export interface LnPendingPayment {
  id: string;
  mtokens: string;
  paths: { fee_mtokens: string; timeout?: number }[];
  timeout?: number;
}

export interface LnRoutingFailure {
  public_key?: string;
  reason: string;
}

export interface LnPaymentLookup {
  failed?: LnPaymentFailure;
  is_confirmed?: boolean;
  is_failed?: boolean;
  is_pending?: boolean;
  payment?: { fee_mtokens: string; mtokens: string; secret: string };
}

export interface LnProbeRoute {
  fee_mtokens: string;
  hops: unknown[];
  timeout: number;
}

type WithLnd<T> = T & { lnd: AuthenticatedLnd };

/** The ln-service functions the adapter uses, with the arguments we pass. */
export interface LnService {
  authenticatedLndGrpc(args: { cert?: string; macaroon: string; socket: string }): { lnd: AuthenticatedLnd };
  decodePaymentRequest(args: WithLnd<{ request: string }>): Promise<LnDecodedRequest>;
  subscribeToPayViaRequest(
    args: WithLnd<{
      request: string;
      max_fee_mtokens: string;
      max_timeout_height: number;
      pathfinding_timeout: number;
      max_paths: number;
    }>,
  ): LnEmitter;
  getPayment(args: WithLnd<{ id: string }>): Promise<LnPaymentLookup>;
  probeForRoute(
    args: WithLnd<{
      destination: string;
      mtokens: string;
      cltv_delta?: number;
      max_fee_mtokens?: string;
      max_timeout_height?: number;
      routes?: LnRouteHop[][];
      probe_timeout_ms?: number;
    }>,
  ): Promise<{ route?: LnProbeRoute }>;
}

let loaded: LnService | undefined;

/** The real ln-service module (CommonJS, untyped), loaded once. */
export function loadLnService(): LnService {
  loaded ??= createRequire(import.meta.url)("ln-service") as LnService;
  return loaded;
}
