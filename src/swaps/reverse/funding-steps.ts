/**
 * Reverse steps that fund the VHTLC. Invariant 2: never fund unless LND holds the payer's HTLC;
 * invariant 7: the VHTLC is checked against arkd's GetInfo first; "durable before external
 * action": the `funding` status is written before arkd is asked, and the call is idempotent
 * (key = swap id) so a crash in between never funds twice.
 */
import type { ReverseSwap } from "../../domain/swap-records.js";
import { blocksUntil } from "../../domain/block-time.js";
import type { ScriptVtxo } from "../ports/ark.js";
import { chainTip, type StepContext, type StepResult } from "../context.js";
import { vhtlcStillValid } from "../vhtlc.js";
import { heldHtlcExpiry } from "./invoice-steps.js";
import type { ReverseEvent } from "./transitions.js";
import { tryParseOutpoint } from "../../domain/outpoint.js";
import { minFundingBatchExpiry } from "../../domain/timeout-chain.js";

type Result = StepResult<"reverse", ReverseEvent> | undefined;

function abandon(reason: string): Result {
  return { event: "funding_abandoned", patch: { failureReason: `not funded: ${reason}` }, data: { reason } };
}

/**
 * Why the VHTLC must not be funded now, or undefined when it may. Its three reads (LND's invoice,
 * the tip, arkd's GetInfo) are independent and run side by side, then are judged in this order;
 * any failed read fails the step (retried on the next hint or tick), nothing is decided on it.
 */
async function fundingBlocker(ctx: StepContext, swap: ReverseSwap): Promise<string | undefined> {
  const [invoice, tip, info] = await Promise.all([
    ctx.ln.getInvoice(swap.paymentHash),
    chainTip(ctx),
    ctx.ark.serverInfo(),
  ]);
  const htlcExpiry = heldHtlcExpiry(invoice);
  if (htlcExpiry === undefined) return `invoice is ${invoice.state}, not held`;
  const { height } = tip;
  const knobs = ctx.settings.engine;
  // refundLocktime is a height or a unix time (per mode): compare in blocks, rounded down
  if (blocksUntil(tip, swap.refundLocktime, ctx.settings.timeouts, "floor") <= knobs.minClaimWindowBlocks)
    return "too close to the VHTLC refund";
  if (height >= htlcExpiry - knobs.holdInvoiceCancelMarginBlocks) return "too close to the HTLC deadline";
  if (!vhtlcStillValid(swap, info)) return "VHTLC no longer valid for arkd";
  return undefined;
}

/** invoice_held: still held, in time and valid → funding_started; else funding_abandoned. */
export async function decideFunding(ctx: StepContext, swap: ReverseSwap): Promise<Result> {
  const blocker = await fundingBlocker(ctx, swap);
  return blocker === undefined ? { event: "funding_started" } : abandon(blocker);
}

/** The VTXO our funding created at the script, if the indexer shows it. */
function ourFunding(swap: ReverseSwap, vtxos: readonly ScriptVtxo[]): ScriptVtxo | undefined {
  return (
    vtxos.find((v) => v.outpoint === swap.fundingOutpoint) ??
    vtxos.find((v) => v.amountSats === swap.onchainAmountSats)
  );
}

function confirmed(vtxo: { readonly outpoint: string }, arkTxid: string): Result {
  return {
    event: "funding_confirmed",
    patch: { fundingTxid: arkTxid, fundingOutpoint: vtxo.outpoint },
    data: { fundingTxid: arkTxid, fundingOutpoint: vtxo.outpoint },
  };
}

/** funding: a VTXO at the script → funding_confirmed; else fund (idempotently) while still held. */
export async function fundVhtlc(ctx: StepContext, swap: ReverseSwap): Promise<Result> {
  // the blocker's reads start with the indexer's (independent); they matter only when nothing is
  // at the script yet, so a funding already there is confirmed even when LND cannot be asked
  const blocked = fundingBlocker(ctx, swap);
  blocked.catch(() => undefined);
  const existing = ourFunding(swap, await ctx.ark.vtxosAt(swap.lockupScript));
  if (existing !== undefined) return confirmed(existing, tryParseOutpoint(existing.outpoint)?.txid ?? "");
  const blocker = await blocked;
  if (blocker !== undefined) return abandon(blocker);
  try {
    const result = await ctx.ark.fund({
      script: swap.lockupScript,
      amountSats: swap.onchainAmountSats,
      idempotencyKey: swap.id,
      // invariant 3: the VHTLC VTXO must outlive refundLocktime + margin, or arkd sweeps it first
      minBatchExpiry: minFundingBatchExpiry(swap.refundLocktime, ctx.settings.timeouts),
    });
    ctx.log.info({ fundingTxid: result.arkTxid, outpoint: result.outpoint }, "VHTLC funded");
    return confirmed(result, result.arkTxid);
  } catch (err) {
    const retryable = (err as { retryable?: unknown }).retryable === true;
    // a definite refusal with nothing at the script: give up and let the payer go
    if (!retryable && ourFunding(swap, await ctx.ark.vtxosAt(swap.lockupScript)) === undefined) {
      ctx.log.error({ err }, "funding refused by the Ark wallet");
      return abandon(`Ark wallet refused: ${(err as { code?: string }).code ?? "error"}`);
    }
    throw err;
  }
}
