/**
 * What every LND adapter function takes: our own gRPC client (rpc/lnd-rpc.ts) and a way to
 * rebuild it. The adapter speaks LND's protos directly (no ln-service), for the gateway's memory
 * and CPU per call (docs/benchmarks.md).
 */
import type { LndRpc } from "./rpc/lnd-rpc.js";

export interface LndContext {
  /** The current client; `reconnect()` may replace it. */
  readonly rpc: LndRpc;
  /** Rebuilds the gRPC client (rate-limited); called when a call finds LND unavailable. */
  reconnect?(): void;
}
