/**
 * Row ↔ domain mapping for swaps. Reading validates what the schema cannot (type/status
 * vocabulary), so a corrupt row fails loudly instead of flowing into the engine.
 */
import type {
  NewReverseSwap,
  NewSubmarineSwap,
  PatchOf,
  ReverseSwap,
  SharedPatch,
  SubmarineSwap,
  Swap,
  SwapBase,
} from "../domain/swap-records.js";
import {
  INITIAL_STATUS,
  isStatusOf,
  isSubmarineRefundedFrom,
  isSwapType,
  type SubmarineRefundedFrom,
  type SwapType,
} from "../domain/swap-types.js";
import { dbError } from "./errors.js";
import type { DB, ReverseRow, SubmarineRow, SwapRow } from "./schema.js";
import type { Insertable, Updateable } from "kysely";

function baseFromRow<T extends SwapType>(row: SwapRow, type: T): SwapBase<T> {
  if (!isStatusOf(type, row.status)) {
    throw dbError("db.corrupt_row", `swap ${row.id} has unknown ${type} status "${row.status}"`, {
      id: row.id,
    });
  }
  return {
    id: row.id,
    type,
    status: row.status,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    paymentHash: row.payment_hash,
    invoiceAmountSats: row.invoice_amount_sats,
    feeSats: row.fee_sats,
    senderPubkey: row.sender_pubkey,
    receiverPubkey: row.receiver_pubkey,
    serverPubkey: row.server_pubkey,
    lockupAddress: row.lockup_address,
    lockupScript: row.lockup_script,
    refundLocktime: row.refund_locktime,
    unilateralClaimDelay: row.unilateral_claim_delay,
    unilateralRefundDelay: row.unilateral_refund_delay,
    unilateralRefundWithoutReceiverDelay: row.unilateral_refund_without_receiver_delay,
    expiresAt: row.expires_at,
    failureReason: row.failure_reason,
  };
}

/**
 * Maps a `swaps` row and its per-type row to the domain record.
 * @throws GatewayError `db.corrupt_row` on an unknown type/status or a missing/mismatched detail row
 */
export function toSwap(row: SwapRow, detail: SubmarineRow | ReverseRow | undefined): Swap {
  if (!isSwapType(row.type)) throw dbError("db.corrupt_row", `swap ${row.id} has unknown type "${row.type}"`);
  if (detail === undefined || detail.swap_id !== row.id) {
    throw dbError("db.corrupt_row", `swap ${row.id} has no ${row.type} details`, { id: row.id });
  }
  if (row.type === "submarine" && "expected_amount_sats" in detail) return toSubmarine(row, detail);
  if (row.type === "reverse" && "onchain_amount_sats" in detail) return toReverse(row, detail);
  throw dbError("db.corrupt_row", `swap ${row.id}'s details do not match its type`, { id: row.id });
}

function toSubmarine(row: SwapRow, d: SubmarineRow): SubmarineSwap {
  return {
    ...baseFromRow(row, "submarine"),
    invoice: d.invoice,
    invoiceAmountMsat: d.invoice_amount_msat,
    expectedAmountSats: d.expected_amount_sats,
    receivedAmountSats: d.received_amount_sats,
    fundingOutpoints: Object.freeze([...d.funding_outpoints]),
    routingFeeBudgetSats: d.routing_fee_budget_sats,
    maxTimeoutHeight: d.max_timeout_height,
    paymentFeeMsat: d.payment_fee_msat,
    claimTxid: d.claim_txid,
    refundTxid: d.refund_txid,
    refundSignedAt: d.refund_signed_at,
    refundedFrom: refundedFromColumn(row.id, d.refunded_from),
  };
}

/** refunded_from, validated; absent (a schema before migration 20251203000300) reads as null. */
function refundedFromColumn(id: string, value: string | null | undefined): SubmarineRefundedFrom | null {
  if (value === null || value === undefined) return null;
  if (isSubmarineRefundedFrom(value)) return value;
  throw dbError("db.corrupt_row", `swap ${id} has unknown refunded_from "${value}"`, { id });
}

function toReverse(row: SwapRow, d: ReverseRow): ReverseSwap {
  return {
    ...baseFromRow(row, "reverse"),
    invoice: d.invoice,
    onchainAmountSats: d.onchain_amount_sats,
    holdInvoiceCltvDelta: d.hold_invoice_cltv_delta,
    invoiceExpiresAt: d.invoice_expires_at,
    description: d.description,
    htlcExpiryHeight: d.htlc_expiry_height,
    fundingTxid: d.funding_txid,
    fundingOutpoint: d.funding_outpoint,
    claimTxid: d.claim_txid,
    refundTxid: d.refund_txid,
  };
}

/** The shared `swaps` row of a new swap (status = the type's initial status). */
export function newSwapRow(swap: NewSubmarineSwap | NewReverseSwap): Insertable<DB["swaps"]> {
  return {
    id: swap.id,
    type: swap.type,
    status: INITIAL_STATUS[swap.type],
    payment_hash: swap.paymentHash,
    invoice_amount_sats: swap.invoiceAmountSats,
    fee_sats: swap.feeSats,
    sender_pubkey: swap.senderPubkey,
    receiver_pubkey: swap.receiverPubkey,
    server_pubkey: swap.serverPubkey,
    lockup_address: swap.lockupAddress,
    lockup_script: swap.lockupScript,
    refund_locktime: swap.refundLocktime,
    unilateral_claim_delay: swap.unilateralClaimDelay,
    unilateral_refund_delay: swap.unilateralRefundDelay,
    unilateral_refund_without_receiver_delay: swap.unilateralRefundWithoutReceiverDelay,
    expires_at: swap.expiresAt ?? null,
    failure_reason: swap.failureReason ?? null,
  };
}

export function newSubmarineRow(swap: NewSubmarineSwap): Insertable<DB["submarine_swaps"]> {
  return {
    swap_id: swap.id,
    invoice: swap.invoice,
    invoice_amount_msat: swap.invoiceAmountMsat,
    expected_amount_sats: swap.expectedAmountSats,
    routing_fee_budget_sats: swap.routingFeeBudgetSats,
    max_timeout_height: swap.maxTimeoutHeight,
  };
}

export function newReverseRow(swap: NewReverseSwap): Insertable<DB["reverse_swaps"]> {
  return {
    swap_id: swap.id,
    invoice: swap.invoice,
    onchain_amount_sats: swap.onchainAmountSats,
    hold_invoice_cltv_delta: swap.holdInvoiceCltvDelta,
    invoice_expires_at: swap.invoiceExpiresAt,
    description: swap.description ?? null,
  };
}

/** Columns of `swaps` a patch sets (only the keys present in the patch). */
export function sharedPatchColumns(patch: SharedPatch | undefined): Updateable<DB["swaps"]> {
  const cols: Updateable<DB["swaps"]> = {};
  if (patch?.expiresAt !== undefined) cols.expires_at = patch.expiresAt;
  if (patch?.failureReason !== undefined) cols.failure_reason = patch.failureReason;
  return cols;
}

/** Columns of `submarine_swaps` a patch sets. */
export function submarinePatchColumns(
  patch: PatchOf["submarine"] | undefined,
): Updateable<DB["submarine_swaps"]> {
  const cols: Updateable<DB["submarine_swaps"]> = {};
  if (patch === undefined) return cols;
  if (patch.receivedAmountSats !== undefined) cols.received_amount_sats = patch.receivedAmountSats;
  if (patch.fundingOutpoints !== undefined) cols.funding_outpoints = [...patch.fundingOutpoints];
  if (patch.maxTimeoutHeight !== undefined) cols.max_timeout_height = patch.maxTimeoutHeight;
  if (patch.paymentFeeMsat !== undefined) cols.payment_fee_msat = patch.paymentFeeMsat;
  if (patch.claimTxid !== undefined) cols.claim_txid = patch.claimTxid;
  if (patch.refundTxid !== undefined) cols.refund_txid = patch.refundTxid;
  if (patch.refundSignedAt !== undefined) cols.refund_signed_at = patch.refundSignedAt;
  if (patch.refundedFrom !== undefined) cols.refunded_from = patch.refundedFrom;
  return cols;
}

/** Columns of `reverse_swaps` a patch sets. */
export function reversePatchColumns(patch: PatchOf["reverse"] | undefined): Updateable<DB["reverse_swaps"]> {
  const cols: Updateable<DB["reverse_swaps"]> = {};
  if (patch === undefined) return cols;
  if (patch.htlcExpiryHeight !== undefined) cols.htlc_expiry_height = patch.htlcExpiryHeight;
  if (patch.fundingTxid !== undefined) cols.funding_txid = patch.fundingTxid;
  if (patch.fundingOutpoint !== undefined) cols.funding_outpoint = patch.fundingOutpoint;
  if (patch.claimTxid !== undefined) cols.claim_txid = patch.claimTxid;
  if (patch.refundTxid !== undefined) cols.refund_txid = patch.refundTxid;
  return cols;
}
