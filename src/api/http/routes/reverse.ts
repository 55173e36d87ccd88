/**
 * Reverse swaps (Lightning → Ark): pairs, creation and the Ark transaction that funded the
 * VHTLC. Shapes as `BoltzSwapProvider` in `@arkade-os/boltz-swap` 0.2.20 and 0.3.x sends and
 * validates them (`createReverseSwap`, `getReverseSwapTxId` which requires `id` and a numeric
 * `timeoutBlockHeight`). 0.3.x sends either `description` (its default "Send to Arkade address")
 * or, for LNURL, `descriptionHash`, and refuses an answer without a numeric `onchainAmount`; it
 * later refuses to claim a VHTLC holding less than that amount.
 */
import { MAX_SATS } from "../../../domain/amounts.js";
import { compressedPubkey, hexBytes, parsePathId, preimageHash } from "../fields.js";
import {
  CREATED_REVERSE_SCHEMA,
  REVERSE_PAIRS_SCHEMA,
  REVERSE_TRANSACTION_SCHEMA,
} from "../response-schemas.js";
import { defineRoute, type Route } from "../router.js";
import { literal, object, positiveSats, string } from "../schema.js";
import { toWireNumber, wireCreatedReverse, wireReversePairs } from "../wire.js";
import { assertFreshPairHash } from "./pair-hash.js";

/** BOLT11 descriptions are at most 639 bytes. */
const MAX_DESCRIPTION = 639;

const createBody = object(
  {
    from: literal(["BTC"], "request.unsupported_pair"),
    to: literal(["ARK"], "request.unsupported_pair"),
    invoiceAmount: positiveSats(MAX_SATS),
    claimPublicKey: compressedPubkey(),
    preimageHash: preimageHash(),
  },
  {
    description: string({ maxLength: MAX_DESCRIPTION }),
    /** SHA-256 of the description (LNURL), committed into the invoice instead of it. */
    descriptionHash: hexBytes(32, "request.invalid_hex"),
    pairHash: string({ maxLength: 128 }),
    referralId: string({ maxLength: 128 }),
  },
  "request.invalid_body",
  { exclusive: [["description", "descriptionHash"]] },
);

/** The reverse routes. */
export const REVERSE_ROUTES: readonly Route[] = [
  defineRoute({
    method: "GET",
    path: "/v2/swap/reverse",
    operationId: "getReversePairs",
    summary: "Pairs for reverse swaps: BTC (Lightning) → ARK with hash, rate, limits and fees",
    tag: "Reverse",
    status: 200,
    response: REVERSE_PAIRS_SCHEMA,
    handler: async ({ service }) => wireReversePairs(await service.reverseQuote()),
  }),
  defineRoute({
    method: "POST",
    path: "/v2/swap/reverse",
    operationId: "createReverseSwap",
    summary: "Create a reverse swap: a hold invoice whose payment funds a VHTLC the wallet claims on Ark",
    tag: "Reverse",
    body: createBody,
    status: 201,
    response: CREATED_REVERSE_SCHEMA,
    errors: [400],
    handler: async ({ service, body }) => {
      if (body.pairHash !== undefined) assertFreshPairHash(await service.reverseQuote(), body.pairHash);
      const created = await service.createReverse({
        invoiceAmountSats: body.invoiceAmount,
        claimPublicKey: body.claimPublicKey,
        preimageHash: body.preimageHash,
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.descriptionHash === undefined ? {} : { descriptionHash: body.descriptionHash }),
        ...(body.pairHash === undefined ? {} : { pairHash: body.pairHash }),
      });
      return wireCreatedReverse(created);
    },
  }),
  defineRoute({
    method: "GET",
    path: "/v2/swap/reverse/{id}/transaction",
    operationId: "getReverseTransaction",
    summary: "The Ark transaction that funded a reverse swap's VHTLC, with the VHTLC refund locktime",
    tag: "Reverse",
    status: 200,
    response: REVERSE_TRANSACTION_SCHEMA,
    errors: [400, 404],
    handler: async ({ service, params }) => {
      const id = parsePathId(params["id"] ?? "");
      const lockup = await service.reverseLockup(id);
      const swap = await service.get(id);
      return {
        id: lockup.id,
        ...(lockup.hex === undefined ? {} : { hex: lockup.hex }),
        timeoutBlockHeight: toWireNumber(swap.refundLocktime, "timeoutBlockHeight"),
      };
    },
  }),
];
