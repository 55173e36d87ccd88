/**
 * Routes common to both swap types: the status of one swap and the restore of every swap of a
 * wallet's keys. Shapes as `@arkade-os/boltz-swap` validates them (`isGetSwapStatusResponse`,
 * `isCreateSwapsRestoreResponse`): 0.2.20 restores one `publicKey`, 0.3.x sends `publicKeys`
 * (every HD index the wallet used, at most 100 per request). An unknown id answers 404
 * `swap.not_found` whose text contains "could not find swap" (0.3.x's SwapNotFoundError).
 */
import type { Swap } from "../../../domain/swap-records.js";
import type { SwapService } from "../../../swaps/ports/swap-service.js";
import { compressedPubkey, parsePathId } from "../fields.js";
import { wireRestoredSwap } from "../restore.js";
import { RESTORE_SCHEMA, STATUS_SCHEMA } from "../response-schemas.js";
import { defineRoute, type Route } from "../router.js";
import { array, object } from "../schema.js";
import { wireStatus } from "../wire.js";

/** Keys per restore request: what 0.3.x sends at most (`RESTORE_KEYS_PER_REQUEST`). */
export const MAX_RESTORE_KEYS = 100;

const restoreBody = object(
  {},
  {
    publicKey: compressedPubkey(),
    publicKeys: array(compressedPubkey(), { minItems: 1, maxItems: MAX_RESTORE_KEYS }),
  },
  "request.invalid_body",
  { exclusive: [["publicKey", "publicKeys"]], oneRequired: [["publicKey", "publicKeys"]] },
);

/**
 * Every swap of any of `keys`, each once (a swap can use two of a wallet's keys), in the order
 * the keys were given. Keys are looked up one after the other: at most 100 indexed reads, and
 * never 100 database connections at once.
 */
async function restoreAll(service: SwapService, keys: readonly string[]): Promise<Swap[]> {
  const seen = new Set<string>();
  const swaps: Swap[] = [];
  for (const key of new Set(keys)) {
    for (const swap of await service.restore(key)) {
      if (seen.has(swap.id)) continue;
      seen.add(swap.id);
      swaps.push(swap);
    }
  }
  return swaps;
}

/** The generic swap routes. */
export const SWAP_ROUTES: readonly Route[] = [
  defineRoute({
    method: "GET",
    path: "/v2/swap/{id}",
    operationId: "getSwapStatus",
    summary: "The public (Boltz) status of a swap",
    tag: "Swap",
    status: 200,
    response: STATUS_SCHEMA,
    errors: [400, 404],
    handler: async ({ service, params }) => wireStatus(await service.status(parsePathId(params["id"] ?? ""))),
  }),
  defineRoute({
    method: "POST",
    path: "/v2/swap/restore",
    operationId: "restoreSwaps",
    summary:
      "Every swap whose VHTLC uses one of the wallet's public keys (`publicKey`, or up to 100 " +
      "`publicKeys`), with the VHTLC leaves and timeouts to rebuild it",
    tag: "Swap",
    body: restoreBody,
    status: 200,
    response: RESTORE_SCHEMA,
    errors: [400],
    handler: async ({ service, body }) => {
      const keys = body.publicKeys ?? (body.publicKey === undefined ? [] : [body.publicKey]);
      return (await restoreAll(service, keys)).map(wireRestoredSwap);
    },
  }),
];
