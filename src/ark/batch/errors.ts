import { errorFactory, type ErrorCatalog } from "../../domain/errors.js";

/**
 * Error catalog of batch participation (`src/ark/batch`). Every code is `batch.<reason>`.
 * A bad note or request is the caller's (4xx); what arkd sends that does not check out is a 502;
 * a batch that failed or timed out is retryable (the inputs stay spendable).
 */
export const BATCH_ERRORS = {
  // caller input
  "batch.invalid_note": { httpStatus: 400, retryable: false },
  "batch.invalid_request": { httpStatus: 400, retryable: false },
  "batch.amount_too_small": { httpStatus: 422, retryable: false },
  // what arkd sent
  "batch.invalid_tree": { httpStatus: 502, retryable: false },
  "batch.output_missing": { httpStatus: 502, retryable: false },
  "batch.invalid_nonce": { httpStatus: 502, retryable: false },
  "batch.connector_missing": { httpStatus: 502, retryable: false },
  "batch.protocol_violation": { httpStatus: 502, retryable: false },
  // outcome
  "batch.failed": { httpStatus: 503, retryable: true },
  "batch.timeout": { httpStatus: 503, retryable: true },
  /** Our forfeits were sent, then the session broke: the inputs may be spent; recovery settles it. */
  "batch.outcome_unknown": { httpStatus: 503, retryable: true },
} as const satisfies ErrorCatalog;

export type BatchErrorCode = keyof typeof BATCH_ERRORS;

/** `throw batchError("batch.invalid_note", "...", { ... })` */
export const batchError = errorFactory(BATCH_ERRORS);
