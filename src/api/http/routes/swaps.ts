/**
 * Routes common to both swap types: the status of one swap and the restore of every swap of a
 * wallet key. Shapes as `@arkade-os/boltz-swap` 0.2.20 validates them (`isGetSwapStatusResponse`,
 * `isCreateSwapsRestoreResponse`).
 */
import { compressedPubkey, parsePathId } from "../fields.js";
import { wireRestoredSwap } from "../restore.js";
import { RESTORE_SCHEMA, STATUS_SCHEMA } from "../response-schemas.js";
import { defineRoute, type Route } from "../router.js";
import { object } from "../schema.js";
import { wireStatus } from "../wire.js";

const restoreBody = object({ publicKey: compressedPubkey() }, {}, "request.invalid_body");

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
    summary: "Every swap whose VHTLC uses the wallet's public key, with the VHTLC leaves to rebuild it",
    tag: "Swap",
    body: restoreBody,
    status: 200,
    response: RESTORE_SCHEMA,
    errors: [400],
    handler: async ({ service, body }) => (await service.restore(body.publicKey)).map(wireRestoredSwap),
  }),
];
