/**
 * Error codes of the swap engine and service. Stable API: the HTTP layer answers `{ error, code }`
 * with `httpStatus`; never rename a code, add a new one. `swap.not_found` also answers a swap of
 * the wrong type for the method (e.g. the preimage of a reverse swap).
 */
import { errorFactory, type ErrorCatalog } from "../domain/errors.js";

const input = { httpStatus: 400, retryable: false } as const;
const conflict = { httpStatus: 409, retryable: false } as const;

export const SWAP_ERRORS = {
  "swap.not_found": { httpStatus: 404, retryable: false },
  "swap.invalid_invoice": input,
  "swap.invoice_wrong_network": input,
  "swap.invoice_expired": input,
  "swap.invoice_amountless": input,
  "swap.invoice_cltv_too_large": input,
  "swap.invoice_already_paid": conflict,
  "swap.unroutable": input,
  "swap.amount_out_of_limits": input,
  // same spec as SWAP_SERVICE_ERRORS in service.ts: the client should fetch the pairs again
  "swap.pair_hash_mismatch": { httpStatus: 400, retryable: true },
  "swap.invalid_public_key": input,
  "swap.invalid_preimage_hash": input,
  "swap.invalid_description": input,
  "swap.invalid_request": input,
  "swap.already_exists": conflict,
  "swap.refund_not_allowed": conflict,
  "swap.preimage_not_available": conflict,
  "swap.lockup_not_available": { httpStatus: 404, retryable: false },
  "swap.vhtlc_invalid": { httpStatus: 500, retryable: false },
  "swap.busy": { httpStatus: 503, retryable: true },
  "swap.unavailable": { httpStatus: 503, retryable: true },
  "swap.engine_stopped": { httpStatus: 503, retryable: true },
} as const satisfies ErrorCatalog;

export type SwapErrorCode = keyof typeof SWAP_ERRORS;

/** `throw swapError("swap.not_found", "...")`. */
export const swapError = errorFactory(SWAP_ERRORS);
