/**
 * Reading ln-service's error shapes, and the classifications every LND call shares (connection,
 * lock, missing subserver, permissions). Per-method mappings live next to each call and fall
 * back to {@link toLightningError}.
 *
 * ln-service rejects with `[status, 'Name']` or `[status, 'Name', {err}]` where `err` is the gRPC
 * error (`{code, details}`); subscriptions may emit the bare gRPC error; argument checks throw
 * `Error('Name')`.
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

/** A flattened view of whatever ln-service threw. */
export interface LnErrorInfo {
  /** ln-service's status number (`503` in `[503, 'X']`). */
  readonly status: number | undefined;
  /** ln-service's error name (`'X'` in `[503, 'X']`, or an Error's message). */
  readonly name: string | undefined;
  /** gRPC status code of the underlying LND error. */
  readonly grpcCode: number | undefined;
  /** LND's own error text (gRPC `details`), e.g. `unable to locate invoice`. */
  readonly details: string | undefined;
}

function grpcParts(value: unknown): { grpcCode: number | undefined; details: string | undefined } {
  if (typeof value !== "object" || value === null) return { grpcCode: undefined, details: undefined };
  const v = value as { code?: unknown; details?: unknown };
  return {
    grpcCode: typeof v.code === "number" ? v.code : undefined,
    details: typeof v.details === "string" ? v.details : undefined,
  };
}

/** Flattens an ln-service error of any shape. */
export function describeLnError(err: unknown): LnErrorInfo {
  if (Array.isArray(err)) {
    const [status, name, extra] = err as [unknown, unknown, unknown];
    const inner = typeof extra === "object" && extra !== null ? (extra as { err?: unknown }).err : undefined;
    return {
      status: typeof status === "number" ? status : undefined,
      name: typeof name === "string" ? name : undefined,
      ...grpcParts(inner),
    };
  }
  const grpc = grpcParts(err);
  if (grpc.grpcCode !== undefined || grpc.details !== undefined) {
    return { status: undefined, name: undefined, ...grpc };
  }
  if (err instanceof Error)
    return { status: undefined, name: err.message, grpcCode: undefined, details: undefined };
  return { status: undefined, name: String(err), grpcCode: undefined, details: undefined };
}

const CONNECTION_NAMES = new Set(["FailedToConnectToDaemon"]);
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
  if (info.name === "LndLocked" || details === "unknown service lnrpc.Lightning") return "ln.wallet_locked";
  // LND 0.20's interceptor (rpcperms.ErrWalletLocked) while the wallet is locked.
  if (details.startsWith("wallet locked, unlock it")) return "ln.wallet_locked";
  if (/^unknown service [a-z]+rpc\.\w+/.test(details)) return "ln.missing_subserver";
  if (info.grpcCode === GRPC.UNIMPLEMENTED) return "ln.missing_subserver";
  if (info.name !== undefined && CONNECTION_NAMES.has(info.name)) return "ln.unavailable";
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
 * Turns anything ln-service threw into a GatewayError: the method's own match first, then the
 * shared classification, then `ln.unexpected` carrying LND's text in `details`.
 * @param err what ln-service threw or emitted
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
  const what = info.details ?? info.name ?? "unknown error";
  return lnError(
    code,
    `${operation}: ${what}`,
    {
      operation,
      ...(info.status === undefined ? {} : { lnStatus: info.status }),
      ...(info.name === undefined ? {} : { lnError: info.name }),
      ...(info.grpcCode === undefined ? {} : { grpcCode: info.grpcCode }),
      ...(info.details === undefined ? {} : { lndDetails: info.details }),
    },
    err,
  );
}
