/**
 * The `pairHash` echo: a create request may carry the hash of the quote the client based its
 * numbers on; a stale one is refused before anything is created, so the client re-fetches the
 * pairs. The service receives the hash too and may re-check it under its own lock.
 */
import { errorFactory } from "../../../domain/errors.js";
import { SWAP_SERVICE_ERRORS, type PairQuote } from "../../../swaps/ports/swap-service.js";

const fail = errorFactory(SWAP_SERVICE_ERRORS);

/**
 * @param quote the current quote of the pair
 * @param pairHash the hash the client echoed, if any
 * @throws GatewayError `swap.pair_hash_mismatch` (400) when `pairHash` is not `quote.hash`
 */
export function assertFreshPairHash(quote: PairQuote, pairHash: string | undefined): void {
  if (pairHash !== undefined && pairHash !== quote.hash) {
    throw fail("swap.pair_hash_mismatch", "pairHash is stale: fetch the pairs again", {
      expected: quote.hash,
    });
  }
}
