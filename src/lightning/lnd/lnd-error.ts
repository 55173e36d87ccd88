/**
 * Reading LND's gRPC errors, and the classifications every LND call shares (connection, lock,
 * missing subserver, permissions). Per-method mappings live next to each call and fall back to
 * {@link toLightningError}. grpc-js rejects calls and errors streams with a `ServiceError`
 * (`{code, details}`, LND's text in `details`).
 */
import type { GatewayError } from "../../domain/errors.js";
import { isGatewayError } from "../../domain/errors.js";
import { lnError, type LightningErrorCode } from "../errors.js";

/** gRPC status codes we branch on. */
export const GRPC = {
  CANCELLED: 1,
  UNKNOWN: 2,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** A flattened view of what a call failed with. */
export interface LnErrorInfo {
  /** gRPC status code of LND's answer (grpc-js `ServiceError.code`). */
  readonly grpcCode: number | undefined;
  /** LND's own error text (gRPC `details`), e.g. `unable to locate invoice`. */
  readonly details: string | undefined;
  /** The message of an error that is no gRPC answer (a local failure). */
  readonly message: string | undefined;
}

/** Flattens a grpc-js `ServiceError` (`{code, details}`), or any other thrown value. */
export function describeLnError(err: unknown): LnErrorInfo {
  if (typeof err === "object" && err !== null) {
    const v = err as { code?: unknown; details?: unknown };
    const grpcCode = typeof v.code === "number" ? v.code : undefined;
    const details = typeof v.details === "string" ? v.details : undefined;
    if (grpcCode !== undefined || details !== undefined) return { grpcCode, details, message: undefined };
  }
  return {
    grpcCode: undefined,
    details: undefined,
    message: err instanceof Error ? err.message : String(err),
  };
}

const CONNECTION_DETAILS = [
  "failed to connect to all addresses",
  "No connection established",
  "Connect Failed",
  "waiting to start",
  "server is still in the process of starting",
  // LND 0.20 while its RPC server starts (right after a restart).
  "in the process of starting up",
];

/**
 * The classification every call shares, or undefined when the error is method-specific.
 * Connection trouble → `ln.unavailable`; locked wallet → `ln.wallet_locked`; a gRPC service the
 * node was built without → `ln.missing_subserver`; macaroon trouble → `ln.permission_denied`.
 */
export function commonLnErrorCode(info: LnErrorInfo): LightningErrorCode | undefined {
  const details = info.details ?? "";
  if (details === "unknown service lnrpc.Lightning") return "ln.wallet_locked";
  // LND 0.20's interceptor (rpcperms.ErrWalletLocked) while the wallet is locked.
  if (details.startsWith("wallet locked, unlock it")) return "ln.wallet_locked";
  if (/^unknown service [a-z]+rpc\.\w+/.test(details)) return "ln.missing_subserver";
  if (info.grpcCode === GRPC.UNIMPLEMENTED) return "ln.missing_subserver";
  if (info.grpcCode === GRPC.UNAVAILABLE || info.grpcCode === GRPC.CANCELLED) return "ln.unavailable";
  if (CONNECTION_DETAILS.some((d) => details.includes(d))) return "ln.unavailable";
  if (info.grpcCode === GRPC.DEADLINE_EXCEEDED) return "ln.timeout";
  if (
    info.grpcCode === GRPC.PERMISSION_DENIED ||
    info.grpcCode === GRPC.UNAUTHENTICATED ||
    /permission denied|verification failed|cannot get macaroon|macaroon/i.test(details)
  ) {
    return "ln.permission_denied";
  }
  return undefined;
}

/**
 * Turns anything an LND call failed with into a GatewayError: the method's own match first, then the
 * shared classification, then `ln.unexpected` carrying LND's text in `details`.
 * @param err what the call rejected with, or the stream emitted
 * @param operation the port method, for the message (`createHoldInvoice`)
 * @param specific the method's mapping, consulted first
 */
export function toLightningError(
  err: unknown,
  operation: string,
  specific?: (info: LnErrorInfo) => LightningErrorCode | undefined,
): GatewayError {
  if (isGatewayError(err)) return err;
  const info = describeLnError(err);
  const code = specific?.(info) ?? commonLnErrorCode(info) ?? "ln.unexpected";
  const what = info.details ?? info.message ?? "unknown error";
  return lnError(
    code,
    `${operation}: ${what}`,
    {
      operation,
      ...(info.grpcCode === undefined ? {} : { grpcCode: info.grpcCode }),
      ...(info.details === undefined ? {} : { lndDetails: info.details }),
    },
    err,
  );
}
