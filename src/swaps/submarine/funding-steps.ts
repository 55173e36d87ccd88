/**
 * Submarine steps until the funding is judged: watch the VHTLC script, then accept or refuse
 * what arrived (amount policy, script, batch expiry, arkd's rules: invariants 3 and 7).
 */
import { judgeFunding } from "../../domain/limits.js";
import type { SubmarineSwap } from "../../domain/swap-records.js";
import { isSubmarineRefundedFrom } from "../../domain/swap-types.js";
import { assertRefundBeforeBatchExpiry, submarineCltvLimit } from "../../domain/timeout-chain.js";
import type { ScriptVtxo } from "../ports/ark.js";
import { chainTip, type StepContext, type StepResult } from "../context.js";
import { vhtlcStillValid } from "../vhtlc.js";
import type { SubmarineEvent } from "./transitions.js";

type Result = StepResult<"submarine", SubmarineEvent> | undefined;

const isOffchain = (v: ScriptVtxo): boolean => !v.isSpent && !v.isSwept && !v.isUnrolled;

/** VTXOs still spendable offchain (unspent, unswept, not unrolled) at the swap's VHTLC script. */
export async function liveVtxosAt(ctx: StepContext, script: string): Promise<ScriptVtxo[]> {
  return (await ctx.ark.vtxosAt(script)).filter(isOffchain);
}

/**
 * Why the accepted funding can no longer be claimed offchain, read fresh from the indexer; undefined
 * while every funding VTXO is live (unspent, unswept, not unrolled, batch expiry after
 * refundLocktime + margin). Checked before paying: a VTXO unrolled after the payment started is
 * claimed onchain (onchain-claim-steps.ts), but one already onchain is never paid for.
 */
export async function fundingLossReason(ctx: StepContext, swap: SubmarineSwap): Promise<string | undefined> {
  const byOutpoint = new Map((await ctx.ark.vtxosAt(swap.lockupScript)).map((v) => [v.outpoint, v]));
  for (const outpoint of swap.fundingOutpoints) {
    const v = byOutpoint.get(outpoint);
    if (v === undefined) return "funding VTXO no longer listed by arkd";
    if (v.isUnrolled) return "funding VTXO unrolled onchain";
    if (v.isSwept) return "funding VTXO swept";
    if (v.isSpent) return "funding VTXO spent";
    try {
      assertRefundBeforeBatchExpiry(swap.refundLocktime, v.expiresAt, ctx.settings.timeouts);
    } catch {
      return "funding VTXO batch expiry too soon";
    }
  }
  return swap.fundingOutpoints.length === 0 ? "no funding VTXO recorded" : undefined;
}

function sumSats(vtxos: readonly ScriptVtxo[]): bigint {
  return vtxos.reduce((sum, v) => sum + v.amountSats, 0n);
}

function isExpired(ctx: StepContext, swap: SubmarineSwap): boolean {
  return swap.expiresAt !== null && ctx.clock.now().getTime() >= swap.expiresAt.getTime();
}

/**
 * awaiting_funding: VTXOs at the script → vtxo_seen; none past the invoice expiry, or once the
 * chain is so close to the refund locktime that a payment could no longer fit below it (nothing
 * funded now could be paid safely: e.g. the wallet funded while the gateway was down and took its
 * lockup back with refundWithoutReceiver) → swap_expired.
 */
export async function awaitFunding(ctx: StepContext, swap: SubmarineSwap): Promise<Result> {
  const vtxos = await liveVtxosAt(ctx, swap.lockupScript);
  if (vtxos.length > 0) {
    const fundingOutpoints = vtxos.map((v) => v.outpoint);
    const receivedAmountSats = sumSats(vtxos);
    return {
      event: "vtxo_seen",
      patch: { fundingOutpoints, receivedAmountSats },
      data: { fundingOutpoints, receivedAmountSats },
    };
  }
  if (isExpired(ctx, swap))
    return { event: "swap_expired", patch: { failureReason: "invoice expired unfunded" } };
  const tip = await chainTip(ctx); // an unreachable LND throws here: retried, never "expired"
  try {
    submarineCltvLimit(tip, swap.refundLocktime, ctx.settings.timeouts);
  } catch {
    return { event: "swap_expired", patch: { failureReason: "refund locktime reached unfunded" } };
  }
  return undefined;
}

/** Why a funding is refused, or undefined when it is accepted. */
async function refusal(ctx: StepContext, swap: SubmarineSwap, vtxos: readonly ScriptVtxo[]) {
  if (vtxos.some((v) => v.script !== swap.lockupScript)) return "script_mismatch";
  if (!vhtlcStillValid(swap, await ctx.ark.serverInfo())) return "vhtlc_invalid";
  try {
    for (const v of vtxos)
      assertRefundBeforeBatchExpiry(swap.refundLocktime, v.expiresAt, ctx.settings.timeouts);
  } catch {
    return "batch_expiry_too_soon";
  }
  const verdict = judgeFunding(swap.expectedAmountSats, sumSats(vtxos), ctx.settings.funding);
  if (!verdict.accepted) return verdict.reason;
  if (isExpired(ctx, swap)) return "invoice_expired";
  return undefined;
}

/** funding_detected: judge every live VTXO at the script together (a wallet may fund in parts). */
export async function judgeDetectedFunding(ctx: StepContext, swap: SubmarineSwap): Promise<Result> {
  const vtxos = await liveVtxosAt(ctx, swap.lockupScript);
  if (vtxos.length === 0) {
    ctx.log.warn({ outpoints: swap.fundingOutpoints }, "funding VTXOs no longer live; waiting");
    return undefined;
  }
  const fundingOutpoints = vtxos.map((v) => v.outpoint);
  const receivedAmountSats = sumSats(vtxos);
  const reason = await refusal(ctx, swap, vtxos);
  const data = { fundingOutpoints, receivedAmountSats, expectedAmountSats: swap.expectedAmountSats };
  if (reason !== undefined) {
    ctx.log.info({ reason, receivedAmountSats: receivedAmountSats.toString() }, "funding refused");
    return {
      event: "funding_refused",
      patch: { fundingOutpoints, receivedAmountSats, failureReason: `funding refused: ${reason}` },
      data: { ...data, reason },
    };
  }
  return { event: "funding_accepted", patch: { fundingOutpoints, receivedAmountSats }, data };
}

/**
 * payment_failed / funding_rejected: every funding VTXO spent (by the wallet's refund) →
 * vhtlc_refunded, recording in the same transition which failure the swap was refunded from (the
 * API keeps reporting it: src/domain/public-status.ts).
 */
export async function watchRefund(ctx: StepContext, swap: SubmarineSwap): Promise<Result> {
  const all = await ctx.ark.vtxosAt(swap.lockupScript);
  const funding = all.filter((v) => swap.fundingOutpoints.includes(v.outpoint));
  if (funding.length === 0 || funding.some((v) => !v.isSpent)) return undefined;
  const refundTxid = funding[0]?.spentByArkTxid ?? null;
  const refundedFrom = isSubmarineRefundedFrom(swap.status) ? swap.status : null;
  return { event: "vhtlc_refunded", patch: { refundTxid, refundedFrom }, data: { refundTxid, refundedFrom } };
}
