/**
 * Every error the timeout rules (locktime-modes, block-time, timeout-chain) can raise, in one
 * catalog. Codes are stable API: never rename one; add a new code instead.
 */
import { errorFactory } from "./errors.js";

export const TIMEOUT_ERRORS = {
  "timeout.invalid_setting": { httpStatus: 500, retryable: false },
  "timeout.mode_mismatch": { httpStatus: 500, retryable: false },
  "timeout.invalid_delay": { httpStatus: 500, retryable: false },
  "timeout.invalid_locktime": { httpStatus: 500, retryable: false },
  "timeout.unilateral_order": { httpStatus: 500, retryable: false },
  "timeout.cltv_budget_exhausted": { httpStatus: 400, retryable: false },
  "timeout.invoice_cltv_too_large": { httpStatus: 400, retryable: false },
  "timeout.hold_invoice_cltv_too_large": { httpStatus: 500, retryable: false },
  "timeout.hold_invoice_expires_too_soon": { httpStatus: 400, retryable: false },
  "timeout.refund_after_batch_expiry": { httpStatus: 400, retryable: false },
} as const;

/** Builds a GatewayError from this catalog: `throw timeoutError("timeout.invalid_delay", "...")`. */
export const timeoutError = errorFactory(TIMEOUT_ERRORS);
