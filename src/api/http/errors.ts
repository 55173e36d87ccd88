/**
 * Error codes of the HTTP/WebSocket face, and the one function that turns any thrown value into
 * the `{ error, code }` answer. Transport problems are `http.*`, request validation `request.*`,
 * WebSocket protocol problems `ws.*`. GatewayErrors from the swap service keep their own code and
 * httpStatus; anything else is a 500 `internal` that never leaks its message or stack.
 */
import { errorFactory, isGatewayError } from "../../domain/errors.js";
import { SWAP_NOT_FOUND_TEXT } from "../../swaps/ports/swap-service.js";

export const API_ERRORS = {
  /** No route has this path. */
  "http.not_found": { httpStatus: 404, retryable: false },
  /** The path exists but not with this method (an `Allow` header lists the methods). */
  "http.method_not_allowed": { httpStatus: 405, retryable: false },
  /** A body was sent with a content type other than application/json. */
  "http.unsupported_media_type": { httpStatus: 415, retryable: false },
  /** The body exceeds the configured limit. */
  "http.body_too_large": { httpStatus: 413, retryable: false },
  /** The body is not valid JSON (or not UTF-8). */
  "http.invalid_json": { httpStatus: 400, retryable: false },
  /** A response amount does not fit a JSON number exactly (a bug or a corrupt record). */
  "http.unsafe_number": { httpStatus: 500, retryable: false },

  /** The JSON body is not an object. */
  "request.invalid_body": { httpStatus: 400, retryable: false },
  "request.missing_field": { httpStatus: 400, retryable: false },
  /** A field the endpoint does not know (refused rather than silently ignored). */
  "request.unknown_field": { httpStatus: 400, retryable: false },
  /** Two fields that exclude each other were both sent (e.g. `description` and `descriptionHash`). */
  "request.conflicting_fields": { httpStatus: 400, retryable: false },
  /** An array holds more items than the field allows (e.g. more than 100 `publicKeys`). */
  "request.too_many_items": { httpStatus: 400, retryable: false },
  /** A field has the wrong JSON type. */
  "request.invalid_type": { httpStatus: 400, retryable: false },
  /** A string is longer than the field allows. */
  "request.too_long": { httpStatus: 400, retryable: false },
  "request.invalid_hex": { httpStatus: 400, retryable: false },
  /** Not a 33-byte compressed secp256k1 point on the curve. */
  "request.invalid_pubkey": { httpStatus: 400, retryable: false },
  /** Not a 32-byte hex SHA-256 hash. */
  "request.invalid_preimage_hash": { httpStatus: 400, retryable: false },
  /** Not a BOLT11 invoice (prefix `ln…`, bech32 checksum). */
  "request.invalid_invoice": { httpStatus: 400, retryable: false },
  /** Not a positive whole number of sats within the safe range. */
  "request.invalid_amount": { httpStatus: 400, retryable: false },
  /** Not a base64 PSBT. */
  "request.invalid_psbt": { httpStatus: 400, retryable: false },
  /** `from`/`to` name a pair the gateway does not serve (only ARK→BTC and BTC→ARK). */
  "request.unsupported_pair": { httpStatus: 400, retryable: false },
  /** A swap id in a path or WebSocket message is malformed. */
  "request.invalid_id": { httpStatus: 400, retryable: false },
  /** Chain swaps (ARK ↔ BTC onchain) are not served: only submarine and reverse swaps. */
  "request.chain_swaps_unsupported": { httpStatus: 404, retryable: false },

  /** A WebSocket message is not JSON or not an object. */
  "ws.invalid_message": { httpStatus: 400, retryable: false },
  "ws.unknown_operation": { httpStatus: 400, retryable: false },
  "ws.unknown_channel": { httpStatus: 400, retryable: false },
  /** Subscribing would exceed the per-connection limit of swap ids. */
  "ws.too_many_subscriptions": { httpStatus: 400, retryable: false },
  /** The connection sends messages faster than its token bucket allows. */
  "ws.rate_limited": { httpStatus: 429, retryable: true },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** Builds a GatewayError from the API catalog: `throw apiError("http.not_found", "...")`. */
export const apiError = errorFactory(API_ERRORS);

/** The code and message of an unexpected (non-Gateway) error on the wire. */
export const INTERNAL_CODE = "internal";
const INTERNAL_MESSAGE = "internal error";

/** The JSON body of every error answer. `details` only accompanies 4xx answers. */
export interface ErrorBody {
  readonly error: string;
  readonly code: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Maps anything thrown while serving a request to its HTTP status and JSON body.
 * GatewayErrors answer with their own status and code (details only below 500, so server-side
 * context never leaves the process); everything else is 500 `internal`. A `swap.not_found` text
 * always contains "could not find swap".
 * @returns the status and the body to send; `internal` tells the caller to log the error
 */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody; internal: boolean } {
  if (isGatewayError(err)) {
    const status = validStatus(err.httpStatus);
    const error = err.code === "swap.not_found" ? notFoundText(err.message) : err.message;
    const body: ErrorBody =
      status < 500 && err.details !== undefined
        ? { error, code: err.code, details: err.details }
        : { error, code: err.code };
    return { status, body, internal: status >= 500 };
  }
  return { status: 500, body: { error: INTERNAL_MESSAGE, code: INTERNAL_CODE }, internal: true };
}

/**
 * An unknown-swap message as clients recognise it: `@arkade-os/boltz-swap` raises its
 * SwapNotFoundError (and stops polling) only when the text contains "could not find swap", so
 * that text is guaranteed here whatever the service wrote.
 */
function notFoundText(message: string): string {
  return message.toLowerCase().includes(SWAP_NOT_FOUND_TEXT) ? message : `${SWAP_NOT_FOUND_TEXT}: ${message}`;
}

function validStatus(status: number): number {
  return Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}
