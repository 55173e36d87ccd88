import { errorFactory, type ErrorCatalog } from "../../domain/errors.js";

/**
 * Codes of the arkd gRPC adapter. gRPC status codes map one-to-one onto the `ark.<status>`
 * codes (arkd's message is kept); arkd's structured error names that change what a caller
 * should do get their own code; the rest are raised by the adapter itself.
 *
 * httpStatus is what the gateway's API answers when such an error reaches it: arkd being
 * unreachable or slow is 503/504, arkd rejecting a request is passed on as 4xx (the request
 * usually carries wallet data), everything else is a bad gateway.
 */
export const ARK_CLIENT_ERRORS = {
  "ark.cancelled": { httpStatus: 503, retryable: true },
  "ark.unknown": { httpStatus: 502, retryable: false },
  "ark.invalid_argument": { httpStatus: 400, retryable: false },
  "ark.deadline_exceeded": { httpStatus: 504, retryable: true },
  "ark.not_found": { httpStatus: 404, retryable: false },
  "ark.already_exists": { httpStatus: 409, retryable: false },
  "ark.permission_denied": { httpStatus: 502, retryable: false },
  "ark.resource_exhausted": { httpStatus: 503, retryable: true },
  "ark.failed_precondition": { httpStatus: 409, retryable: false },
  "ark.aborted": { httpStatus: 409, retryable: true },
  "ark.out_of_range": { httpStatus: 400, retryable: false },
  "ark.unimplemented": { httpStatus: 502, retryable: false },
  "ark.internal": { httpStatus: 502, retryable: false },
  "ark.unavailable": { httpStatus: 503, retryable: true },
  "ark.data_loss": { httpStatus: 502, retryable: false },
  "ark.unauthenticated": { httpStatus: 502, retryable: false },
  /** arkd's config changed since our GetInfo (x-digest header): refresh GetInfo, then retry. */
  "ark.digest_mismatch": { httpStatus: 503, retryable: true },
  /** arkd rejects our x-build-version: upgrading the gateway is the only fix. */
  "ark.build_version_rejected": { httpStatus: 502, retryable: false },
  /** A server stream ended (status OK) although the caller was still reading. */
  "ark.stream_ended": { httpStatus: 503, retryable: true },
  /** A server stream delivered nothing (not even a heartbeat) for longer than allowed. */
  "ark.stream_stalled": { httpStatus: 504, retryable: true },
  /** arkd answered something we cannot map (bad int64, missing outpoint, unknown event...). */
  "ark.invalid_response": { httpStatus: 502, retryable: false },
  /** The caller passed arguments the adapter refuses before any call. */
  "ark.invalid_request": { httpStatus: 400, retryable: false },
  /** The client was misconfigured (address, proto files) or used after close(). */
  "ark.client_misconfigured": { httpStatus: 500, retryable: false },
} as const satisfies ErrorCatalog;

export type ArkClientErrorCode = keyof typeof ARK_CLIENT_ERRORS;

/** Builds a GatewayError with one of the ARK_CLIENT_ERRORS codes. */
export const arkError = errorFactory(ARK_CLIENT_ERRORS);
