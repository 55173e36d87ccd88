/**
 * Reverse steps for a VHTLC that was unrolled (its funding Ark tx is onchain), see
 * docs/onchain-watcher.md:
 * - claimed onchain with the preimage (unilateralClaim, or an unrolled offchain claim): store the
 *   preimage (durable before settling, invariant 6) → preimage_revealed
 * - left unclaimed: once the lone-sender CSV has matured, sign our refund
 *   (unilateralRefundWithoutReceiver, fee from the output, to the LND wallet) and store it with
 *   the transition (durable before it is broadcast) → refunding_onchain; there, broadcast it
 *   (again after a restart) until it confirms, then cancel the hold invoice → refunded.
 * The hold invoice is cancelled at its HTLC deadline whatever the VHTLC does: the payer is never
 * kept past it.
 */
import type { ReverseSwap } from "../../domain/swap-records.js";
import { chainTip, type StepContext, type StepResult } from "../context.js";
import { preimageMatches } from "../hashes.js";
import { swapVhtlc } from "../vhtlc.js";
import { csvMaturesInNextBlock, signAtLndFeeRate } from "../onchain-spend.js";
import { atHtlcDeadline } from "./htlc-deadline.js";
import { cancelHoldInvoice } from "./invoice-steps.js";
import { tryParseOutpoint } from "../../domain/outpoint.js";
import type { ReverseEvent } from "./transitions.js";

type Result = StepResult<"reverse", ReverseEvent> | undefined;

/** The event that records our signed onchain refund (its data carries the raw tx). */
export const ONCHAIN_REFUND_EVENT = "onchain_refund_signed";

/** The VHTLC was spent onchain with the preimage → preimage_revealed (the spend is claimTxid). */
export async function claimedOnchain(ctx: StepContext, swap: ReverseSwap): Promise<Result> {
  const seen = swap.fundingOutpoint === null ? undefined : ctx.onchain?.seen(swap.fundingOutpoint);
  if (seen === undefined || !preimageMatches(seen.preimage, swap.paymentHash)) return undefined;
  await ctx.store.savePreimage(swap.paymentHash, seen.preimage);
  const claimTxid = seen.spendingTxid;
  ctx.log.info({ claimTxid, height: seen.height }, "preimage read from an onchain VHTLC spend");
  return { event: "preimage_revealed", patch: { claimTxid }, data: { claimTxid, onchain: true } };
}

/**
 * refunding, VHTLC onchain since `unrolledAt`: waits for the lone-sender CSV, then signs the
 * refund → onchain_refund_signed. Block-typed delays only (a seconds delay would need the
 * median time past of the confirming block: not built).
 */
export async function signOnchainRefund(
  ctx: StepContext,
  swap: ReverseSwap,
  unrolledAt: number,
): Promise<Result> {
  if (await atHtlcDeadline(ctx, swap)) await cancelHoldInvoice(ctx, swap.paymentHash);
  const { chain } = ctx;
  const sign = ctx.ark.signOnchainVhtlcSpend?.bind(ctx.ark);
  const outpoint = swap.fundingOutpoint === null ? undefined : tryParseOutpoint(swap.fundingOutpoint);
  if (chain === undefined || sign === undefined || outpoint === undefined) {
    ctx.log.error({}, "VHTLC unrolled but no onchain refund path is wired");
    return undefined;
  }
  if (ctx.settings.timeouts.mode !== "blocks") {
    ctx.log.error({}, "VHTLC unrolled: the onchain refund is built for block-typed delays only");
    return undefined;
  }
  const tip = await chainTip(ctx);
  if (!csvMaturesInNextBlock(tip.height, unrolledAt, swap.unilateralRefundWithoutReceiverDelay))
    return undefined;
  const { index } = await ctx.ark.swapKey(swap.id);
  const { signed, feeSats, feeRate, destinationScript } = await signAtLndFeeRate(chain, sign, {
    vhtlc: swapVhtlc(swap),
    keyIndex: index,
    leaf: "unilateralRefundWithoutReceiver",
    outpoint,
    amountSats: swap.onchainAmountSats,
  });
  ctx.log.info({ refundTxid: signed.txid, feeSats, feeRate }, "onchain refund of the unrolled VHTLC signed");
  return {
    event: ONCHAIN_REFUND_EVENT,
    patch: { refundTxid: signed.txid },
    data: {
      refundTxid: signed.txid,
      rawTx: signed.hex,
      feeSats: feeSats.toString(),
      outputSats: signed.outputSats.toString(),
      destinationScript,
    },
  };
}

/** The raw refund tx stored with the transition into refunding_onchain. */
async function storedRefundTx(ctx: StepContext, swap: ReverseSwap): Promise<string | undefined> {
  const events = await ctx.store.events(swap.id);
  const signed = events.filter((e) => e.event === ONCHAIN_REFUND_EVENT).at(-1);
  const rawTx = (signed?.data as { rawTx?: unknown } | undefined)?.rawTx;
  return typeof rawTx === "string" ? rawTx : undefined;
}

/**
 * refunding_onchain: our refund confirmed → cancel the hold invoice → vhtlc_refunded; the
 * wallet's claim confirmed instead → preimage_revealed; else (re)broadcast the stored refund.
 */
export async function awaitOnchainRefund(ctx: StepContext, swap: ReverseSwap): Promise<Result> {
  const claimed = await claimedOnchain(ctx, swap);
  if (claimed !== undefined) return claimed;
  const seen = swap.fundingOutpoint === null ? undefined : ctx.onchain?.seen(swap.fundingOutpoint);
  if (seen !== undefined && seen.spendingTxid === swap.refundTxid) {
    await cancelHoldInvoice(ctx, swap.paymentHash);
    ctx.log.info({ refundTxid: swap.refundTxid, height: seen.height }, "onchain refund confirmed");
    return {
      event: "vhtlc_refunded",
      patch: { refundTxid: swap.refundTxid },
      data: { refundTxid: swap.refundTxid, height: seen.height, onchain: true },
    };
  }
  if (seen !== undefined)
    ctx.log.error(
      { spendingTxid: seen.spendingTxid },
      "unrolled VHTLC spent onchain by neither our refund nor a claim",
    );
  if (await atHtlcDeadline(ctx, swap)) await cancelHoldInvoice(ctx, swap.paymentHash);
  const rawTx = await storedRefundTx(ctx, swap);
  if (rawTx === undefined || ctx.chain === undefined) {
    ctx.log.error({}, "refunding_onchain without a stored refund tx or a chain port");
    return undefined;
  }
  await ctx.chain.publish(rawTx);
  return undefined;
}
