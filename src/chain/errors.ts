import { errorFactory, type ErrorCatalog } from "../domain/errors.js";

/** Error catalog of the chain readers (`src/chain`). Every code is `chain.<reason>`. */
export const CHAIN_ERRORS = {
  "chain.malformed_block": { httpStatus: 502, retryable: false },
} as const satisfies ErrorCatalog;

export const chainError = errorFactory(CHAIN_ERRORS);
