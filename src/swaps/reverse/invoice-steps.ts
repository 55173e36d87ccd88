/**
 * Reverse steps around the hold invoice: wait for the payer, check the held HTLC against the
 * timeout plan (invariant 3), expire unpaid invoices, cancel after a failed funding.
 */
import { isGatewayError } from "../../domain/errors.js";
import type { ReverseSwap } from "../../domain/swap-records.js";
import { assertHeldHtlcOutlivesRefund } from "../../domain/timeout-chain.js";
import type { Invoice } from "../ports/lightning.js";
import { chainTip, type StepContext, type StepResult } from "../context.js";
import type { ReverseEvent } from "./transitions.js";

type Result = StepResult<"reverse", ReverseEvent> | undefined;

/**
 * Cancels the hold invoice; an invoice already cancelled counts as done.
 * @throws GatewayError from LND (including `ln.invoice_already_settled`)
 */
export async function cancelHoldInvoice(ctx: StepContext, paymentHash: string): Promise<void> {
  try {
    await ctx.ln.cancelHoldInvoice(paymentHash);
  } catch (err) {
    if (isGatewayError(err, "ln.invoice_already_canceled")) return;
    throw err;
  }
  ctx.log.info({}, "hold invoice cancelled");
}

/** Smallest expiry height among the held HTLCs, or undefined when none is held for the full amount. */
export function heldHtlcExpiry(invoice: Invoice): bigint | undefined {
  const held = invoice.htlcs.filter((h) => h.state === "held");
  const received = held.reduce((sum, h) => sum + h.amountMsat, 0n);
  if (invoice.state !== "held" || held.length === 0 || received < invoice.amountMsat) return undefined;
  return BigInt(Math.min(...held.map((h) => h.cltvExpiry)));
}

async function judgeHeld(ctx: StepContext, swap: ReverseSwap, invoice: Invoice): Promise<Result> {
  const htlcExpiryHeight = heldHtlcExpiry(invoice);
  if (htlcExpiryHeight === undefined) return undefined;
  const tip = await chainTip(ctx);
  try {
    assertHeldHtlcOutlivesRefund(
      htlcExpiryHeight,
      tip,
      swap.refundLocktime,
      ctx.settings.timeouts,
      ctx.settings.engine.holdInvoiceCancelMarginBlocks,
    );
  } catch {
    ctx.log.warn(
      { htlcExpiryHeight: htlcExpiryHeight.toString() },
      "held HTLC expires too early: not funding",
    );
    return {
      event: "htlc_rejected",
      patch: { htlcExpiryHeight, failureReason: "held HTLC expires too close to the VHTLC refund" },
      data: { htlcExpiryHeight, refundLocktime: swap.refundLocktime },
    };
  }
  return {
    event: "htlc_held",
    patch: { htlcExpiryHeight },
    data: { htlcExpiryHeight, receivedMsat: invoice.receivedMsat },
  };
}

/** invoice_created: held → judge the HTLC; open past its expiry → cancel → invoice_expired. */
export async function awaitPayer(ctx: StepContext, swap: ReverseSwap): Promise<Result> {
  const invoice = await ctx.ln.getInvoice(swap.paymentHash);
  if (invoice.state === "held") return judgeHeld(ctx, swap, invoice);
  if (invoice.state === "canceled") {
    return { event: "invoice_expired", patch: { failureReason: "hold invoice cancelled unpaid" } };
  }
  if (invoice.state === "settled") {
    ctx.log.error({}, "hold invoice settled before the swap was funded");
    return undefined;
  }
  if (ctx.clock.now().getTime() < swap.invoiceExpiresAt.getTime()) return undefined;
  await cancelHoldInvoice(ctx, swap.paymentHash);
  return { event: "invoice_expired", patch: { failureReason: "invoice expired unpaid" } };
}

/** funding_failed: nothing was funded → cancel the hold invoice so the payer gets its money back. */
export async function cancelAfterFailure(ctx: StepContext, swap: ReverseSwap): Promise<Result> {
  await cancelHoldInvoice(ctx, swap.paymentHash);
  return { event: "hold_cancelled" };
}
