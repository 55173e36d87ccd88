/**
 * The submarine (Ark→LN) state machine as data. The wallet locks VTXOs in a VHTLC whose receiver
 * is the gateway; the gateway pays the wallet's invoice and claims the VHTLC with the preimage.
 * Steps (src/swaps/submarine/steps.ts) report the events below; this table alone decides
 * where they lead. Self-loops (`refund_cosigned`) record a fact (CAS + event row) without
 * changing the status.
 */
import { SUBMARINE_STATUSES, TERMINAL_STATUSES } from "../../domain/swap-types.js";
import type { TransitionTable } from "../table.js";

export const SUBMARINE_EVENTS = [
  /** Unspent VTXOs appeared at the VHTLC script (subscription hint or rescan). */
  "vtxo_seen",
  /** Amount, script, batch expiry and arkd's rules accepted. */
  "funding_accepted",
  /** Underpaid, overpaid beyond tolerance, > 2×, bad batch expiry, or the invoice expired meanwhile. */
  "funding_refused",
  /** The invoice expired with nothing at the VHTLC script. */
  "swap_expired",
  /** Decided to pay (durable before LND is asked: the pay step runs in `paying`). */
  "payment_started",
  /**
   * Before a payment started, an accepted funding VTXO is no longer live offchain (unrolled
   * onchain, swept, spent, batch expiring too soon): the gateway could not claim it, so never pays.
   */
  "funding_lost",
  /** Paying is no longer possible (invoice expired, CLTV budget exhausted) and LND has no payment. */
  "payment_impossible",
  /** LND reports the payment succeeded; the preimage is stored first. */
  "payment_succeeded",
  /** LND reports the payment definitively failed (nothing in flight). */
  "payment_failed",
  /** Decided to claim (durable before arkd is asked: the claim runs in `claiming`). */
  "claim_started",
  /** The funding VTXOs are spent by the gateway's claim (the spending ark txid is our claim's). */
  "claim_confirmed",
  /** After paying, the funding VTXOs were spent by something other than our claim: a loss. */
  "claim_lost",
  /**
   * A funding VTXO is onchain (unrolled) and its unilateralClaim CSV has matured: our onchain
   * claim is signed; the raw tx is in the event row (durable before its first broadcast).
   */
  "onchain_claim_signed",
  /** The gateway co-signed the wallet's cooperative refund: from now on it never pays. */
  "refund_cosigned",
  /** Every funding VTXO is spent back to the wallet. */
  "vhtlc_refunded",
  /**
   * After the swap ended (claimed or refunded), the gateway co-signed the cooperative refund of a
   * VTXO the wallet sent to the VHTLC on top of its funding (a retried lockup): never one the
   * claim spent, and the swap pays nothing more either way.
   */
  "surplus_refund_cosigned",
] as const;
export type SubmarineEvent = (typeof SUBMARINE_EVENTS)[number];

export const SUBMARINE_TABLE: TransitionTable<"submarine", SubmarineEvent> = {
  type: "submarine",
  states: SUBMARINE_STATUSES,
  initial: "awaiting_funding",
  events: SUBMARINE_EVENTS,
  terminal: TERMINAL_STATUSES.submarine,
  transitions: [
    { from: "awaiting_funding", event: "vtxo_seen", to: "funding_detected" },
    { from: "awaiting_funding", event: "swap_expired", to: "expired" },
    { from: "funding_detected", event: "funding_accepted", to: "funded" },
    { from: "funding_detected", event: "funding_refused", to: "funding_rejected" },
    { from: "funded", event: "payment_started", to: "paying" },
    { from: "funded", event: "payment_impossible", to: "payment_failed" },
    { from: "funded", event: "funding_lost", to: "funding_rejected" },
    { from: "paying", event: "payment_succeeded", to: "paid" },
    { from: "paying", event: "payment_failed", to: "payment_failed" },
    { from: "paying", event: "funding_lost", to: "funding_rejected" },
    { from: "paid", event: "claim_started", to: "claiming" },
    { from: "claiming", event: "claim_confirmed", to: "claimed" },
    { from: "claiming", event: "claim_lost", to: "claim_lost" },
    { from: "claiming", event: "onchain_claim_signed", to: "claiming_onchain" },
    { from: "claiming_onchain", event: "onchain_claim_signed", to: "claiming_onchain" },
    { from: "claiming_onchain", event: "claim_confirmed", to: "claimed" },
    { from: "claiming_onchain", event: "claim_lost", to: "claim_lost" },
    { from: "payment_failed", event: "refund_cosigned", to: "payment_failed" },
    { from: "funding_rejected", event: "refund_cosigned", to: "funding_rejected" },
    { from: "expired", event: "refund_cosigned", to: "expired" },
    { from: "payment_failed", event: "vhtlc_refunded", to: "refunded" },
    { from: "funding_rejected", event: "vhtlc_refunded", to: "refunded" },
    { from: "claimed", event: "surplus_refund_cosigned", to: "claimed" },
    { from: "refunded", event: "surplus_refund_cosigned", to: "refunded" },
  ],
  recovery: {
    awaiting_funding: {
      recheck: ["ark_vtxos", "clock"],
      description: "VTXOs at the script → funding_detected; none and invoice expired → expired",
    },
    funding_detected: {
      recheck: ["ark_vtxos", "clock", "db"],
      description: "re-judge the unspent VTXOs at the script (amount, script, batch expiry, GetInfo)",
    },
    funded: {
      recheck: ["db", "lnd_payment", "ark_vtxos", "clock", "chain_height"],
      description:
        "refund signed → never pay; LND payment none → start paying unless expired or a funding VTXO is no longer live offchain (→ funding_rejected)",
    },
    paying: {
      recheck: ["lnd_payment", "ark_vtxos"],
      description:
        "succeeded → store preimage → paid; failed → payment_failed; none → pay again unless a funding VTXO is no longer live offchain (→ funding_rejected)",
    },
    paid: {
      recheck: ["db", "ark_vtxos"],
      description: "preimage durable → start the claim",
    },
    claiming: {
      recheck: ["ark_vtxos", "db", "chain_height"],
      description:
        "funding VTXOs spent by our claim → claimed; by anything else → claim_lost; unspent → claim again with the stored preimage; unrolled → claim onchain once the CSV matured (→ claiming_onchain)",
    },
    claiming_onchain: {
      recheck: ["ark_vtxos", "db", "chain_height"],
      description:
        "every funding VTXO claimed (offchain, or onchain with the preimage revealed) → claimed; spent onchain without it → claim_lost; else broadcast the stored claim again",
    },
    payment_failed: {
      recheck: ["ark_vtxos"],
      description: "funding VTXOs all spent (cooperative or lone refund) → refunded",
    },
    funding_rejected: {
      recheck: ["ark_vtxos"],
      description: "funding VTXOs all spent (cooperative or lone refund) → refunded",
    },
  },
};
