import { errorFactory, type ErrorCatalog } from "../domain/errors.js";

const input = { httpStatus: 400, retryable: false } as const;
const conflict = { httpStatus: 409, retryable: false } as const;
const notFound = { httpStatus: 404, retryable: false } as const;
const transient = { httpStatus: 503, retryable: true } as const;
const setup = { httpStatus: 500, retryable: false } as const;
const upstream = { httpStatus: 502, retryable: false } as const;
const paymentFailure = { httpStatus: 422, retryable: false } as const;

/**
 * Every error the Lightning port can raise. Codes are stable API: the swap engine and the HTTP
 * layer branch on them, so never rename one; add a new code instead. The LND adapter translates
 * every gRPC error LND answers with (and every local failure) into one of these next to the call
 * that raised it.
 */
export const LIGHTNING_ERRORS = {
  // our own argument checks (never reached LND)
  "ln.invalid_argument": input,
  // connection, credentials, node setup
  "ln.unavailable": transient,
  "ln.timeout": transient,
  "ln.wallet_locked": transient,
  "ln.permission_denied": setup,
  "ln.invalid_credentials": setup,
  "ln.unsupported_version": setup,
  "ln.missing_subserver": setup,
  "ln.wrong_network": setup,
  "ln.not_synced": transient,
  // invoices we receive (hold invoices)
  "ln.invoice_already_exists": conflict,
  "ln.invoice_not_found": notFound,
  "ln.invoice_not_held": conflict,
  "ln.invoice_already_settled": conflict,
  "ln.invoice_already_canceled": conflict,
  // invoices we pay
  "ln.invalid_invoice": input,
  "ln.invoice_wrong_network": input,
  "ln.invoice_expired": input,
  "ln.unsupported_feature": input,
  "ln.cltv_limit_too_low": input,
  "ln.already_paid": conflict,
  "ln.payment_in_flight": { httpStatus: 409, retryable: true },
  "ln.payment_not_found": notFound,
  // definite payment failures (LND marked the payment FAILED: no HTLC is left in flight)
  "ln.no_route": paymentFailure,
  "ln.insufficient_balance": paymentFailure,
  "ln.incorrect_payment_details": paymentFailure,
  "ln.payment_timeout": paymentFailure,
  "ln.payment_canceled": paymentFailure,
  "ln.payment_failed": paymentFailure,
  // probing
  "ln.probe_timeout": transient,
  // streams
  "ln.subscription_closed": transient,
  // LND said something we do not recognize, or answered with a malformed value
  "ln.unexpected": upstream,
  "ln.unexpected_response": upstream,
} as const satisfies ErrorCatalog;

export type LightningErrorCode = keyof typeof LIGHTNING_ERRORS;

/** Builds a GatewayError from this catalog: `throw lnError("ln.invoice_not_found", "...")`. */
export const lnError = errorFactory(LIGHTNING_ERRORS);
