import { status as GrpcStatus, type ServiceError } from "@grpc/grpc-js";
import { GatewayError } from "../../domain/errors.js";
import { arkError, type ArkClientErrorCode } from "./errors.js";
import { parseArkdErrorDetails, type ArkdErrorDetails } from "./status-details.js";

const CODE_BY_STATUS: Readonly<Record<number, ArkClientErrorCode>> = {
  [GrpcStatus.CANCELLED]: "ark.cancelled",
  [GrpcStatus.UNKNOWN]: "ark.unknown",
  [GrpcStatus.INVALID_ARGUMENT]: "ark.invalid_argument",
  [GrpcStatus.DEADLINE_EXCEEDED]: "ark.deadline_exceeded",
  [GrpcStatus.NOT_FOUND]: "ark.not_found",
  [GrpcStatus.ALREADY_EXISTS]: "ark.already_exists",
  [GrpcStatus.PERMISSION_DENIED]: "ark.permission_denied",
  [GrpcStatus.RESOURCE_EXHAUSTED]: "ark.resource_exhausted",
  [GrpcStatus.FAILED_PRECONDITION]: "ark.failed_precondition",
  [GrpcStatus.ABORTED]: "ark.aborted",
  [GrpcStatus.OUT_OF_RANGE]: "ark.out_of_range",
  [GrpcStatus.UNIMPLEMENTED]: "ark.unimplemented",
  [GrpcStatus.INTERNAL]: "ark.internal",
  [GrpcStatus.UNAVAILABLE]: "ark.unavailable",
  [GrpcStatus.DATA_LOSS]: "ark.data_loss",
  [GrpcStatus.UNAUTHENTICATED]: "ark.unauthenticated",
};

/** arkd error names (ErrorDetails.name) that call for a different reaction than their status. */
const CODE_BY_ARKD_NAME: Readonly<Record<string, ArkClientErrorCode>> = {
  DIGEST_MISMATCH: "ark.digest_mismatch",
  BUILD_VERSION_TOO_OLD: "ark.build_version_rejected",
};

function isServiceError(err: unknown): err is ServiceError {
  return (
    err instanceof Error &&
    typeof (err as Partial<ServiceError>).code === "number" &&
    typeof (err as Partial<ServiceError>).details === "string"
  );
}

function arkdDetailsOf(err: ServiceError): ArkdErrorDetails | undefined {
  const raw = err.metadata?.get("grpc-status-details-bin")[0];
  return raw instanceof Uint8Array ? parseArkdErrorDetails(raw) : undefined;
}

/**
 * Translates anything a grpc-js call rejected with into a GatewayError with a stable `ark.*`
 * code, keeping arkd's own message and, when arkd attached one, its structured error.
 * @param err the error from the call (a grpc-js ServiceError, or anything else)
 * @param rpc the method name, e.g. "SubmitTx" (goes into the message and details)
 * @returns a GatewayError; an input that already is one is returned unchanged
 */
export function translateGrpcError(err: unknown, rpc: string): GatewayError {
  if (err instanceof GatewayError) return err;
  if (!isServiceError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return arkError("ark.unknown", `${rpc}: ${message}`, { rpc }, err);
  }
  const arkd = arkdDetailsOf(err);
  const code =
    (arkd === undefined ? undefined : CODE_BY_ARKD_NAME[arkd.name]) ??
    CODE_BY_STATUS[err.code] ??
    "ark.unknown";
  const details: Record<string, unknown> = {
    rpc,
    grpcCode: err.code,
    grpcStatus: GrpcStatus[err.code] ?? "UNKNOWN",
  };
  if (arkd !== undefined) {
    details.arkdError = { code: arkd.code, name: arkd.name, metadata: arkd.metadata };
  }
  return arkError(code, `${rpc}: ${err.details}`, details, err);
}
