/**
 * Chain swaps (ARK ↔ BTC onchain) are a non-goal: `/v2/swap/chain` answers a clear 404 instead of
 * pairs. `@arkade-os/boltz-swap` 0.3.x asks for the chain pairs only when routing an onchain
 * payment (`getChainLimits` / `getChainFees` in its onchain-swap rail); any failure there drops
 * that rail and leaves Ark and Lightning payments as they are. An empty `{}` would not do: the
 * client validates the pairs (`isGetChainPairsResponse`) and throws the same way, but with a
 * schema error that hides why. Without this route the path would read as the status of a swap
 * with id "chain".
 */
import { apiError } from "../errors.js";
import { defineRoute, type Route } from "../router.js";

const REASON = "Chain swaps are not offered: only submarine and reverse swaps";

function refuse(): never {
  throw apiError(
    "request.chain_swaps_unsupported",
    "chain swaps are not supported: this gateway serves only submarine (ARK → Lightning) and " +
      "reverse (Lightning → ARK) swaps",
  );
}

/**
 * `GET /v2/swap/chain`, refused. (A POST there answers 405: the client never creates a chain
 * swap without the pairs first.)
 */
export const CHAIN_SWAP_ROUTES: readonly Route[] = [
  defineRoute({
    method: "GET",
    path: "/v2/swap/chain",
    operationId: "getChainPairs",
    summary: "Chain swap pairs: not offered (always 404 `request.chain_swaps_unsupported`)",
    tag: "Chain swaps",
    status: 404,
    response: { $ref: "#/components/schemas/Error" },
    reasons: { 404: REASON },
    handler: async () => refuse(),
  }),
];
