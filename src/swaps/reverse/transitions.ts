/**
 * The reverse (LN→Ark) state machine as data. The gateway holds the payer's HTLC on a hold
 * invoice with the wallet's payment hash, funds a VHTLC whose receiver is the wallet, learns the
 * preimage from the wallet's claim and settles. Steps (src/swaps/reverse/steps.ts) report the
 * events below; this table alone decides where they lead.
 */
import { REVERSE_STATUSES, TERMINAL_STATUSES } from "../../domain/swap-types.js";
import type { TransitionTable } from "../table.js";

export const REVERSE_EVENTS = [
  /** LND holds HTLCs for the full amount and their expiry outlives the VHTLC refund + margin. */
  "htlc_held",
  /** The held HTLC expires too early for the plan (invariant 3): never fund, cancel. */
  "htlc_rejected",
  /** Nobody paid before the invoice expired (or it was cancelled while open). */
  "invoice_expired",
  /** Decided to fund (durable before arkd is asked: the funding runs in `funding`). */
  "funding_started",
  /** The VHTLC VTXO exists. */
  "funding_confirmed",
  /** Not held any more, too late, or arkd refused: nothing at the script, cancel. */
  "funding_abandoned",
  /** The hold invoice is cancelled; the payer has its money back. */
  "hold_cancelled",
  /** The wallet claimed; the revealed preimage hashes to the payment hash and is stored. */
  "preimage_revealed",
  /** The hold invoice is settled. */
  "invoice_settled",
  /** The hold invoice was cancelled before the preimage could settle it. */
  "settle_too_late",
  /** refundLocktime reached with the VHTLC unclaimed. */
  "refund_due",
  /** The gateway took the VHTLC back and the hold invoice is cancelled. */
  "vhtlc_refunded",
  /** HTLC deadline: the invoice had to be cancelled while the VHTLC was spent without a valid preimage. */
  "htlc_deadline",
  /**
   * The VHTLC is onchain (unrolled), unclaimed, its lone-sender CSV has matured: our onchain
   * refund to the LND wallet is signed and stored (durable before it is broadcast).
   */
  "onchain_refund_signed",
] as const;
export type ReverseEvent = (typeof REVERSE_EVENTS)[number];

export const REVERSE_TABLE: TransitionTable<"reverse", ReverseEvent> = {
  type: "reverse",
  states: REVERSE_STATUSES,
  initial: "invoice_created",
  events: REVERSE_EVENTS,
  terminal: TERMINAL_STATUSES.reverse,
  transitions: [
    { from: "invoice_created", event: "htlc_held", to: "invoice_held" },
    { from: "invoice_created", event: "htlc_rejected", to: "funding_failed" },
    { from: "invoice_created", event: "invoice_expired", to: "invoice_expired" },
    { from: "invoice_held", event: "funding_started", to: "funding" },
    { from: "invoice_held", event: "funding_abandoned", to: "funding_failed" },
    { from: "funding", event: "funding_confirmed", to: "funded" },
    { from: "funding", event: "funding_abandoned", to: "funding_failed" },
    { from: "funding_failed", event: "hold_cancelled", to: "invoice_cancelled" },
    { from: "funded", event: "preimage_revealed", to: "preimage_learned" },
    { from: "funded", event: "refund_due", to: "refunding" },
    { from: "funded", event: "htlc_deadline", to: "invoice_cancelled" },
    { from: "refunding", event: "preimage_revealed", to: "preimage_learned" },
    { from: "refunding", event: "vhtlc_refunded", to: "refunded" },
    { from: "refunding", event: "htlc_deadline", to: "invoice_cancelled" },
    { from: "refunding", event: "onchain_refund_signed", to: "refunding_onchain" },
    { from: "refunding_onchain", event: "preimage_revealed", to: "preimage_learned" },
    { from: "refunding_onchain", event: "vhtlc_refunded", to: "refunded" },
    { from: "preimage_learned", event: "invoice_settled", to: "settled" },
    { from: "preimage_learned", event: "settle_too_late", to: "invoice_cancelled" },
  ],
  recovery: {
    invoice_created: {
      recheck: ["lnd_invoice", "chain_height", "clock"],
      description: "held → check HTLC expiry → invoice_held; open past expiry or canceled → invoice_expired",
    },
    invoice_held: {
      recheck: ["lnd_invoice", "chain_height"],
      description: "still held and in time → start funding; else → funding_failed",
    },
    funding: {
      recheck: ["ark_vtxos", "lnd_invoice", "chain_height"],
      description: "VTXO at script → funded; else fund again (idempotency key = swap id) if still held",
    },
    funding_failed: {
      recheck: ["lnd_invoice"],
      description: "cancel the hold invoice (idempotent) → invoice_cancelled",
    },
    funded: {
      recheck: ["chain_spend", "ark_vtxos", "chain_height", "lnd_invoice"],
      description:
        "spent with the preimage (offchain, or onchain after an unroll) → preimage_learned; refundLocktime reached → refunding",
    },
    preimage_learned: {
      recheck: ["db", "lnd_invoice"],
      description: "held → settle with the stored preimage → settled; canceled → invoice_cancelled",
    },
    refunding: {
      recheck: ["ark_vtxos", "chain_spend", "chain_height", "lnd_invoice"],
      description:
        "refund the VHTLC, cancel the hold invoice (at the latest at its deadline) → refunded; unrolled: sign the onchain refund once its CSV matured → refunding_onchain",
    },
    refunding_onchain: {
      recheck: ["db", "chain_spend", "chain_height", "lnd_invoice"],
      description:
        "re-broadcast the stored onchain refund; it confirmed → cancel the hold invoice → refunded; claimed onchain with the preimage → preimage_learned",
    },
  },
};
