/**
 * Submarine swaps (Ark → Lightning): pairs, creation, the preimage once paid, and the
 * cooperative Ark refund. Shapes as `BoltzSwapProvider` in `@arkade-os/boltz-swap` 0.2.20 and
 * 0.3.x sends and validates them (`createSubmarineSwap`, `getSwapPreimage`,
 * `refundSubmarineSwap`). 0.3.x also rebuilds the VHTLC address from `claimPublicKey` and
 * `timeoutBlockHeights` before funding, and refuses an `expectedAmount` above the invoice's whole
 * sats + `minerFees` + ⌈percentage⌉ of the pair it fetched (domain/fees.ts charges exactly that).
 */
import { base64Psbt, bolt11Invoice, compressedPubkey, parsePathId } from "../fields.js";
import {
  CREATED_SUBMARINE_SCHEMA,
  PREIMAGE_SCHEMA,
  REFUND_ARK_SCHEMA,
  SUBMARINE_PAIRS_SCHEMA,
} from "../response-schemas.js";
import { defineRoute, type Route } from "../router.js";
import { literal, object, string } from "../schema.js";
import { wireCreatedSubmarine, wireSubmarinePairs } from "../wire.js";
import { assertFreshPairHash } from "./pair-hash.js";

/** A PSBT of a VHTLC refund is a few KiB; the body limit caps the pair anyway. */
const MAX_PSBT_BASE64 = 48 * 1024;

const createBody = object(
  {
    from: literal(["ARK"], "request.unsupported_pair"),
    to: literal(["BTC"], "request.unsupported_pair"),
    invoice: bolt11Invoice(),
    refundPublicKey: compressedPubkey(),
  },
  {
    pairHash: string({ maxLength: 128 }),
    /** Sent by the client when configured; accepted and ignored (no referral program). */
    referralId: string({ maxLength: 128 }),
  },
  "request.invalid_body",
);

const refundBody = object(
  { transaction: base64Psbt(MAX_PSBT_BASE64), checkpoint: base64Psbt(MAX_PSBT_BASE64) },
  {},
  "request.invalid_body",
);

/** The submarine routes. */
export const SUBMARINE_ROUTES: readonly Route[] = [
  defineRoute({
    method: "GET",
    path: "/v2/swap/submarine",
    operationId: "getSubmarinePairs",
    summary: "Pairs for submarine swaps: ARK → BTC (Lightning) with hash, rate, limits and fees",
    tag: "Submarine",
    status: 200,
    response: SUBMARINE_PAIRS_SCHEMA,
    handler: async ({ service }) => wireSubmarinePairs(await service.submarineQuote()),
  }),
  defineRoute({
    method: "POST",
    path: "/v2/swap/submarine",
    operationId: "createSubmarineSwap",
    summary: "Create a submarine swap paying a BOLT11 invoice from a VHTLC the wallet funds on Ark",
    tag: "Submarine",
    body: createBody,
    status: 201,
    response: CREATED_SUBMARINE_SCHEMA,
    errors: [400],
    handler: async ({ service, body }) => {
      if (body.pairHash !== undefined) assertFreshPairHash(await service.submarineQuote(), body.pairHash);
      const created = await service.createSubmarine({
        invoice: body.invoice,
        refundPublicKey: body.refundPublicKey,
        ...(body.pairHash === undefined ? {} : { pairHash: body.pairHash }),
      });
      return wireCreatedSubmarine(created);
    },
  }),
  defineRoute({
    method: "GET",
    path: "/v2/swap/submarine/{id}/preimage",
    operationId: "getSubmarinePreimage",
    summary: "The preimage of a submarine swap whose invoice was paid",
    tag: "Submarine",
    status: 200,
    response: PREIMAGE_SCHEMA,
    errors: [400, 404],
    handler: async ({ service, params }) => {
      const { preimage } = await service.submarinePreimage(parsePathId(params["id"] ?? ""));
      return { preimage };
    },
  }),
  defineRoute({
    method: "POST",
    path: "/v2/swap/submarine/{id}/refund/ark",
    operationId: "refundSubmarineArk",
    summary: "Co-sign the wallet's cooperative 3-of-3 refund of a failed submarine swap (base64 PSBTs)",
    tag: "Submarine",
    body: refundBody,
    status: 200,
    response: REFUND_ARK_SCHEMA,
    errors: [400, 404],
    handler: async ({ service, params, body }) => {
      const signed = await service.refundArk(parsePathId(params["id"] ?? ""), body);
      return { transaction: signed.transaction, checkpoint: signed.checkpoint };
    },
  }),
];
