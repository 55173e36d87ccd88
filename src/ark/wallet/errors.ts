import { errorFactory, type ErrorCatalog } from "../../domain/errors.js";

/**
 * Error catalog of the gateway's Ark wallet (`src/ark/wallet`). Every code is `wallet.<reason>`.
 * Configuration problems are 500s (the operator must act); a caller's bad request is a 400/422;
 * a spend whose outcome is not known yet is a retryable 503 (recovery settles it).
 */
export const WALLET_ERRORS = {
  // seed and keys
  "wallet.seed_missing": { httpStatus: 500, retryable: false },
  "wallet.seed_invalid": { httpStatus: 500, retryable: false },
  "wallet.seed_permissions": { httpStatus: 500, retryable: false },
  "wallet.seed_io": { httpStatus: 500, retryable: false },
  "wallet.invalid_key_index": { httpStatus: 400, retryable: false },
  "wallet.key_mismatch": { httpStatus: 422, retryable: false },
  // requests
  "wallet.invalid_request": { httpStatus: 400, retryable: false },
  "wallet.invalid_vhtlc": { httpStatus: 422, retryable: false },
  "wallet.vtxo_mismatch": { httpStatus: 422, retryable: false },
  "wallet.locktime_not_reached": { httpStatus: 409, retryable: true },
  "wallet.idempotency_conflict": { httpStatus: 409, retryable: false },
  // funds
  "wallet.insufficient_funds": { httpStatus: 503, retryable: true },
  "wallet.amount_out_of_range": { httpStatus: 422, retryable: false },
  "wallet.too_many_inputs": { httpStatus: 503, retryable: false },
  "wallet.reservation_conflict": { httpStatus: 503, retryable: true },
  // spends
  "wallet.spend_rejected": { httpStatus: 502, retryable: false },
  /** arkd refused inputs someone unrolled; they are now excluded, so trying again may work. */
  "wallet.inputs_unrolled": { httpStatus: 503, retryable: true },
  "wallet.spend_in_doubt": { httpStatus: 503, retryable: true },
  "wallet.spend_failed": { httpStatus: 502, retryable: false },
  "wallet.server_signature_invalid": { httpStatus: 502, retryable: false },
  // cooperative refunds
  "wallet.refund_invalid": { httpStatus: 422, retryable: false },
  // lifecycle
  "wallet.not_started": { httpStatus: 503, retryable: true },
  "wallet.stopped": { httpStatus: 503, retryable: false },
} as const satisfies ErrorCatalog;

export type WalletErrorCode = keyof typeof WALLET_ERRORS;

/** `throw walletError("wallet.insufficient_funds", "...", { ... })` */
export const walletError = errorFactory(WALLET_ERRORS);
