/**
 * Submarine steps around the Lightning payment. Invariant 1: never pay once a refund was
 * co-signed (checked here and guarded by the version compare-and-set); LND is asked, not only
 * the database. Invariant 6: the preimage is stored before the status that uses it is written.
 */
import type { SubmarineSwap } from "../../domain/swap-records.js";
import { submarineCltvLimit } from "../../domain/timeout-chain.js";
import type { ChainTip } from "../../domain/timeout-settings.js";
import { chainTip, type StepContext, type StepResult } from "../context.js";
import { preimageMatches } from "../hashes.js";
import { fundingLossReason } from "./funding-steps.js";
import type { SubmarineEvent } from "./transitions.js";

type Result = StepResult<"submarine", SubmarineEvent> | undefined;

/** Why paying is impossible at `tip`, or undefined when it may start. */
function payBlocker(ctx: StepContext, swap: SubmarineSwap, tip: ChainTip): string | undefined {
  if ((swap.refundSignedAt ?? null) !== null) return "refund_signed";
  const minLeftMs = 1_000;
  if (swap.expiresAt !== null && ctx.clock.now().getTime() + minLeftMs >= swap.expiresAt.getTime())
    return "invoice_expired";
  try {
    submarineCltvLimit(tip, swap.refundLocktime, ctx.settings.timeouts);
  } catch {
    return "cltv_budget_exhausted";
  }
  if (tip.height >= swap.maxTimeoutHeight) return "cltv_budget_exhausted";
  return undefined;
}

/**
 * The reads a payment decision needs, started side by side (they are independent): the tip and
 * the funding VTXOs as the indexer lists them now. Awaited in the order the decision uses them,
 * so an unreachable peer fails the step as before; a read the decision does not reach is dropped
 * (its rejection handled).
 */
function prefetchPayChecks(ctx: StepContext, swap: SubmarineSwap) {
  const tip = chainTip(ctx);
  const loss = fundingLossReason(ctx, swap);
  tip.catch(() => undefined);
  loss.catch(() => undefined);
  return { tip, loss };
}

/**
 * funding_lost when an accepted funding VTXO is no longer live offchain (unrolled, swept, spent):
 * read fresh inside the swap lock right before a payment is started, never only at acceptance.
 */
async function fundingLost(
  ctx: StepContext,
  swap: SubmarineSwap,
  read: Promise<string | undefined>,
): Promise<Result> {
  const reason = await read;
  if (reason === undefined) return undefined;
  ctx.log.warn({ reason, outpoints: swap.fundingOutpoints }, "funding no longer live offchain: not paying");
  return { event: "funding_lost", patch: { failureReason: reason }, data: { reason } };
}

/**
 * funded: decide to pay. A payment LND already knows (in flight / succeeded) is followed, never
 * started twice; otherwise pay only if the refund was not signed, every funding VTXO is still
 * live offchain, the invoice is alive and the CLTV budget is left.
 */
export async function decidePayment(ctx: StepContext, swap: SubmarineSwap): Promise<Result> {
  if ((swap.refundSignedAt ?? null) !== null) {
    ctx.log.error({}, "refund already co-signed for a funded swap: never paying");
    return {
      event: "payment_impossible",
      patch: { failureReason: "refund signed" },
      data: { reason: "refund_signed" },
    };
  }
  const checks = prefetchPayChecks(ctx, swap);
  const known = await ctx.ln.getPayment(swap.paymentHash);
  if (known.status === "in_flight" || known.status === "succeeded") {
    const height = Number((await checks.tip).height);
    return { event: "payment_started", data: { lnd: known.status, height } };
  }
  // one tip for the checks and the recorded height: a lower bound for the onchain watch of the
  // funding (onchain-claim-steps.ts), which a tip read a moment earlier still is
  const tip = await checks.tip;
  const blocker = payBlocker(ctx, swap, tip);
  if (blocker !== undefined) {
    return {
      event: "payment_impossible",
      patch: { failureReason: `cannot pay: ${blocker}` },
      data: { reason: blocker },
    };
  }
  const lost = await fundingLost(ctx, swap, checks.loss);
  if (lost !== undefined) return lost;
  return {
    event: "payment_started",
    data: { maxTimeoutHeight: swap.maxTimeoutHeight, height: Number(tip.height) },
  };
}

/** paying: reconcile with LND's view of the payment; start it when LND has none. */
export async function followPayment(ctx: StepContext, swap: SubmarineSwap): Promise<Result> {
  const payment = await ctx.ln.getPayment(swap.paymentHash);
  switch (payment.status) {
    case "succeeded": {
      if (!preimageMatches(payment.preimage, swap.paymentHash)) {
        ctx.log.error({}, "LND reported a preimage that does not hash to the payment hash");
        return undefined;
      }
      await ctx.store.savePreimage(swap.paymentHash, payment.preimage);
      return {
        event: "payment_succeeded",
        patch: { paymentFeeMsat: payment.feeMsat },
        data: { amountMsat: payment.amountMsat, feeMsat: payment.feeMsat },
      };
    }
    case "failed":
      return {
        event: "payment_failed",
        patch: { failureReason: `payment failed: ${payment.code}` },
        data: { reason: payment.reason, code: payment.code },
      };
    case "in_flight":
      return undefined;
    case "none":
      return startIfAllowed(ctx, swap);
  }
}

async function startIfAllowed(ctx: StepContext, swap: SubmarineSwap): Promise<Result> {
  const refusedWith = ctx.payments.neverStarted(swap.id);
  if (refusedWith !== undefined) {
    return {
      event: "payment_failed",
      patch: { failureReason: `payment refused by LND: ${refusedWith}` },
      data: { code: refusedWith },
    };
  }
  if (ctx.payments.isFollowing(swap.id)) return undefined;
  const checks = prefetchPayChecks(ctx, swap);
  const blocker = payBlocker(ctx, swap, await checks.tip);
  if (blocker !== undefined) {
    return {
      event: "payment_failed",
      patch: { failureReason: `cannot pay: ${blocker}` },
      data: { reason: blocker },
    };
  }
  const lost = await fundingLost(ctx, swap, checks.loss);
  if (lost !== undefined) return lost;
  ctx.log.info(
    { maxFeeSats: swap.routingFeeBudgetSats.toString(), maxTimeoutHeight: swap.maxTimeoutHeight.toString() },
    "paying invoice",
  );
  ctx.payments.start(swap);
  return undefined;
}
