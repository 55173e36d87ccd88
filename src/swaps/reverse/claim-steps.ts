/**
 * Reverse steps after funding: learn the preimage from the wallet's claim and settle (invariant
 * 2: only a preimage whose sha256 is the payment hash is stored or used), or take the VHTLC back
 * after refundLocktime and cancel the hold invoice before its HTLC deadline.
 */
import type { ReverseSwap } from "../../domain/swap-records.js";
import { isLocktimeReached } from "../../domain/locktime-modes.js";
import type { ScriptVtxo } from "../ports/ark.js";
import { chainTip, type StepContext, type StepResult } from "../context.js";
import { preimageMatches } from "../hashes.js";
import { swapVhtlc } from "../vhtlc.js";
import { atHtlcDeadline } from "./htlc-deadline.js";
import { cancelHoldInvoice } from "./invoice-steps.js";
import { claimedOnchain, signOnchainRefund } from "./onchain-steps.js";
import type { ReverseEvent } from "./transitions.js";

type Result = StepResult<"reverse", ReverseEvent> | undefined;

async function fundingVtxo(ctx: StepContext, swap: ReverseSwap): Promise<ScriptVtxo | undefined> {
  const vtxos = await ctx.ark.vtxosAt(swap.lockupScript);
  return vtxos.find((v) => v.outpoint === swap.fundingOutpoint);
}

/** The spend's preimage when it hashes to the payment hash; "invalid" when one was revealed that does not. */
async function checkedPreimage(ctx: StepContext, swap: ReverseSwap, vtxo: ScriptVtxo) {
  const revealed = await ctx.ark.revealedPreimage({ vtxo, paymentHash: swap.paymentHash });
  if (revealed === undefined) return undefined;
  if (!preimageMatches(revealed, swap.paymentHash)) {
    ctx.log.error({ spentBy: vtxo.spentByArkTxid }, "revealed preimage does not hash to the payment hash");
    return "invalid" as const;
  }
  return revealed;
}

async function learned(
  ctx: StepContext,
  swap: ReverseSwap,
  vtxo: ScriptVtxo,
  preimage: string,
): Promise<Result> {
  await ctx.store.savePreimage(swap.paymentHash, preimage); // durable before settling (invariant 6)
  const claimTxid = vtxo.spentByArkTxid ?? null;
  return { event: "preimage_revealed", patch: { claimTxid }, data: { claimTxid } };
}

/** At the HTLC deadline with no usable preimage: cancel (must) → htlc_deadline; else wait. */
async function deadlineCancel(ctx: StepContext, swap: ReverseSwap, reason: string): Promise<Result> {
  if (!(await atHtlcDeadline(ctx, swap))) return undefined;
  await cancelHoldInvoice(ctx, swap.paymentHash);
  return { event: "htlc_deadline", patch: { failureReason: reason }, data: { reason } };
}

/**
 * funded: claimed with the preimage → preimage_revealed; refundLocktime reached → refund_due;
 * unspent at the HTLC deadline → cancel the hold invoice → refund_due (refunding retries the
 * refund until refundLocktime).
 */
export async function awaitClaim(ctx: StepContext, swap: ReverseSwap): Promise<Result> {
  const onchain = await claimedOnchain(ctx, swap);
  if (onchain !== undefined) return onchain;
  const vtxo = await fundingVtxo(ctx, swap);
  if (vtxo === undefined) {
    ctx.log.warn({ outpoint: swap.fundingOutpoint }, "funding VTXO not visible; waiting");
    return undefined;
  }
  if (vtxo.isSpent) {
    const preimage = await checkedPreimage(ctx, swap, vtxo);
    if (preimage !== undefined && preimage !== "invalid") return learned(ctx, swap, vtxo, preimage);
    return deadlineCancel(ctx, swap, "VHTLC spent without a valid preimage");
  }
  const tip = await chainTip(ctx);
  if (isLocktimeReached(tip, swap.refundLocktime, ctx.settings.timeouts.mode)) {
    return { event: "refund_due", data: { height: tip.height } };
  }
  if (await atHtlcDeadline(ctx, swap, tip)) {
    // the plan puts this cancel height after refundLocktime with overwhelming probability
    // (domain/timeout-chain.ts); if the chain outran it anyway the HTLC must still go back before it
    // expires, and the VHTLC stays ours to take back once refundLocktime is reached
    ctx.log.error(
      { htlcExpiryHeight: swap.htlcExpiryHeight?.toString(), refundLocktime: swap.refundLocktime.toString() },
      "HTLC deadline reached before the VHTLC refund time: cancelling the hold invoice",
    );
    await cancelHoldInvoice(ctx, swap.paymentHash);
    return { event: "refund_due", data: { height: tip.height, htlcDeadline: true } };
  }
  return undefined;
}

/** preimage_learned: settle the held invoice with the stored, re-verified preimage. */
export async function settleInvoice(ctx: StepContext, swap: ReverseSwap): Promise<Result> {
  // the stored preimage and LND's invoice, read side by side (independent; both are needed)
  const [preimage, invoice] = await Promise.all([
    ctx.store.findPreimage(swap.paymentHash),
    ctx.ln.getInvoice(swap.paymentHash),
  ]);
  if (!preimageMatches(preimage, swap.paymentHash)) {
    ctx.log.error({}, "no valid stored preimage: not settling");
    return undefined;
  }
  if (invoice.state === "canceled") {
    return { event: "settle_too_late", patch: { failureReason: "hold invoice cancelled before settling" } };
  }
  if (invoice.state === "held") await ctx.ln.settleHoldInvoice(preimage);
  else if (invoice.state !== "settled") return undefined;
  await ctx.store.markPreimageSettled(swap.paymentHash);
  ctx.log.info({}, "hold invoice settled");
  return { event: "invoice_settled", data: { receivedMsat: invoice.receivedMsat } };
}

/** The txid of our refund when it is what spent `vtxo` (the wallet's refund is idempotent). */
async function ourRefundOf(ctx: StepContext, swap: ReverseSwap, vtxo: ScriptVtxo) {
  try {
    const { index } = await ctx.ark.swapKey(swap.id);
    const { arkTxid } = await ctx.ark.refundVhtlc({ vhtlc: swapVhtlc(swap), keyIndex: index, vtxos: [vtxo] });
    return vtxo.spentByArkTxid === undefined || arkTxid === vtxo.spentByArkTxid ? arkTxid : undefined;
  } catch (err) {
    ctx.log.warn({ err, spentBy: vtxo.spentByArkTxid }, "VHTLC spent, not by a refund of ours");
    return undefined;
  }
}

/**
 * refunding: take the VHTLC back (refundWithoutReceiver), then cancel the hold invoice; at the
 * HTLC deadline the invoice is cancelled even if the refund is still failing.
 */
export async function refundVhtlc(ctx: StepContext, swap: ReverseSwap): Promise<Result> {
  const onchain = await claimedOnchain(ctx, swap);
  if (onchain !== undefined) return onchain;
  // unrolled: arkd no longer takes an offchain refund of it; the refund is onchain
  const unrolledAt =
    swap.fundingOutpoint === null ? undefined : ctx.onchain?.unrolledAt(swap.fundingOutpoint);
  if (unrolledAt !== undefined) return signOnchainRefund(ctx, swap, unrolledAt);
  const vtxo = await fundingVtxo(ctx, swap);
  if (vtxo === undefined) return undefined;
  let refundTxid: string | null;
  if (vtxo.isSpent) {
    const preimage = await checkedPreimage(ctx, swap, vtxo);
    if (preimage === "invalid") return deadlineCancel(ctx, swap, "VHTLC spent without a valid preimage");
    if (preimage !== undefined) return learned(ctx, swap, vtxo, preimage);
    // no readable preimage: only our own refund lets the payer go now; anything else (a claim
    // arkd does not show yet, a claim in a batch) may still reveal it, until the HTLC deadline
    const ours = await ourRefundOf(ctx, swap, vtxo);
    if (ours === undefined)
      return deadlineCancel(ctx, swap, "VHTLC spent, not by our refund, without a readable preimage");
    refundTxid = ours;
  } else {
    try {
      const { index } = await ctx.ark.swapKey(swap.id);
      refundTxid = (await ctx.ark.refundVhtlc({ vhtlc: swapVhtlc(swap), keyIndex: index, vtxos: [vtxo] }))
        .arkTxid;
    } catch (err) {
      if (await atHtlcDeadline(ctx, swap)) await cancelHoldInvoice(ctx, swap.paymentHash);
      throw err;
    }
    ctx.log.info({ refundTxid }, "VHTLC refunded");
  }
  await cancelHoldInvoice(ctx, swap.paymentHash);
  return { event: "vhtlc_refunded", patch: { refundTxid }, data: { refundTxid } };
}
