/** Submarine steps after the payment: claim the VHTLC with the stored preimage. */
import type { SubmarineSwap } from "../../domain/swap-records.js";
import type { ScriptVtxo } from "../ports/ark.js";
import type { StepContext, StepResult } from "../context.js";
import { preimageMatches } from "../hashes.js";
import { swapVhtlc } from "../vhtlc.js";
import { claimUnrolled, isUnrolled, storedClaims, watchFundingOnchain } from "./onchain-claim-steps.js";
import type { SubmarineEvent } from "./transitions.js";

type Result = StepResult<"submarine", SubmarineEvent> | undefined;

/** paid: the preimage is durable → claim_started (the claim itself runs in `claiming`). */
export async function startClaim(ctx: StepContext, swap: SubmarineSwap): Promise<Result> {
  const preimage = await ctx.store.findPreimage(swap.paymentHash);
  if (!preimageMatches(preimage, swap.paymentHash)) {
    ctx.log.error({}, "paid swap without a stored preimage");
    return undefined;
  }
  return { event: "claim_started" };
}

/**
 * The funding VTXOs are all spent: whether by our claim. Each group of VTXOs one ark tx spent is
 * asked of the wallet's idempotent claim (a claim of ours answers with its txid, VTXOs spent by
 * anyone else are refused); only a txid equal to the observed spender counts as ours.
 * @returns our claim's txid; "lost" with the foreign txid; undefined when it cannot tell yet
 * @throws a retryable port error (the next run asks again)
 */
async function spentByOurClaim(
  ctx: StepContext,
  swap: SubmarineSwap,
  spent: readonly ScriptVtxo[],
  preimage: string,
): Promise<
  | { readonly ours: true; readonly claimTxid: string }
  | { readonly ours: false; readonly spentBy: string }
  | undefined
> {
  const bySpender = new Map<string, ScriptVtxo[]>();
  for (const v of spent) {
    if (v.spentByArkTxid === undefined) {
      ctx.log.warn({ outpoint: v.outpoint }, "funding VTXO spent by an unknown ark tx; waiting");
      return undefined;
    }
    bySpender.set(v.spentByArkTxid, [...(bySpender.get(v.spentByArkTxid) ?? []), v]);
  }
  const { index } = await ctx.ark.swapKey(swap.id);
  for (const [spentBy, vtxos] of bySpender) {
    let claimTxid: string;
    try {
      claimTxid = (await ctx.ark.claimVhtlc({ vhtlc: swapVhtlc(swap), keyIndex: index, vtxos, preimage }))
        .arkTxid;
    } catch (err) {
      if ((err as { retryable?: unknown }).retryable === true) throw err;
      ctx.log.warn({ err, spentBy }, "funding VTXO spent, not by a claim of ours");
      return { ours: false, spentBy };
    }
    if (claimTxid !== spentBy) return { ours: false, spentBy };
  }
  return { ours: true, claimTxid: [...bySpender.keys()][0] ?? "" };
}

/**
 * claiming / claiming_onchain: funding VTXOs spent by our claim → claim_confirmed; spent by
 * anything else (the wallet's refundWithoutReceiver after refundLocktime) → claim_lost, a loss;
 * unrolled onchain → claimed there (onchain-claim-steps.ts); else claim them (again) with the
 * preimage.
 */
export async function claimVhtlc(ctx: StepContext, swap: SubmarineSwap): Promise<Result> {
  // three independent reads side by side (the claim needs all of them; any failure fails the step)
  const [preimage, events, listed] = await Promise.all([
    ctx.store.findPreimage(swap.paymentHash),
    ctx.onchain === undefined ? [] : ctx.store.events(swap.id),
    ctx.ark.vtxosAt(swap.lockupScript),
  ]);
  if (!preimageMatches(preimage, swap.paymentHash)) {
    ctx.log.error({}, "claiming swap without a stored preimage");
    return undefined;
  }
  watchFundingOnchain(ctx, swap, events);
  const funding = listed.filter((v) => swap.fundingOutpoints.includes(v.outpoint));
  const stored = storedClaims(events);
  // onchain: unrolled, or already claimed there (the indexer may list it spent, never ours offchain)
  const onchain = new Set(
    funding.filter((v) => isUnrolled(ctx, v) || stored.has(v.outpoint)).map((v) => v.outpoint),
  );
  if (onchain.size > 0) return claimWithUnrolled(ctx, swap, funding, onchain, preimage, stored);
  const spent = funding.filter((v) => v.isSpent);
  if (spent.length > 0) {
    const verdict = await spentByOurClaim(ctx, swap, spent, preimage);
    if (verdict === undefined) return undefined;
    if (!verdict.ours) return lost(ctx, swap, verdict.spentBy);
    if (spent.length === funding.length)
      return {
        event: "claim_confirmed",
        patch: { claimTxid: verdict.claimTxid },
        data: { claimTxid: verdict.claimTxid, observed: true },
      };
  }
  const unspent = funding.filter((v) => !v.isSpent);
  if (unspent.length === 0) {
    ctx.log.warn({ outpoints: swap.fundingOutpoints }, "funding VTXOs not visible; retrying later");
    return undefined;
  }
  const claimTxid = await claimOffchain(ctx, swap, unspent, preimage);
  return { event: "claim_confirmed", patch: { claimTxid }, data: { claimTxid } };
}

function lost(ctx: StepContext, swap: SubmarineSwap, spentBy: string): Result {
  const failureReason = "paid the invoice, but the VHTLC was spent by another transaction than our claim";
  ctx.log.error(
    { spentBy, amountSats: swap.expectedAmountSats.toString() },
    "LOSS: the invoice was paid but the VHTLC was taken back (not claimed by the gateway)",
  );
  return { event: "claim_lost", patch: { failureReason }, data: { spentBy } };
}

async function claimOffchain(
  ctx: StepContext,
  swap: SubmarineSwap,
  vtxos: readonly ScriptVtxo[],
  preimage: string,
): Promise<string> {
  const { index } = await ctx.ark.swapKey(swap.id);
  const result = await ctx.ark.claimVhtlc({ vhtlc: swapVhtlc(swap), keyIndex: index, vtxos, preimage });
  ctx.log.info({ claimTxid: result.arkTxid }, "VHTLC claimed");
  return result.arkTxid;
}

/**
 * Some funding VTXO is onchain: the ones still offchain are claimed there (idempotent: a claim of
 * ours answers with the same txid), each unrolled one onchain; one signed claim is reported per
 * run (each is stored before it is broadcast). claim_confirmed once every VTXO is ours.
 */
async function claimWithUnrolled(
  ctx: StepContext,
  swap: SubmarineSwap,
  funding: readonly ScriptVtxo[],
  onchain: ReadonlySet<string>,
  preimage: string,
  stored: ReturnType<typeof storedClaims>,
): Promise<Result> {
  const txids: string[] = [];
  const offchain = funding.filter((v) => !onchain.has(v.outpoint));
  const spent = offchain.filter((v) => v.isSpent);
  if (spent.length > 0) {
    const verdict = await spentByOurClaim(ctx, swap, spent, preimage);
    if (verdict === undefined) return undefined;
    if (!verdict.ours) return lost(ctx, swap, verdict.spentBy);
    txids.push(verdict.claimTxid);
  }
  const unspent = offchain.filter((v) => !v.isSpent);
  if (unspent.length > 0) txids.push(await claimOffchain(ctx, swap, unspent, preimage));
  let waiting = funding.length < swap.fundingOutpoints.length;
  for (const v of funding.filter((x) => onchain.has(x.outpoint))) {
    const verdict = await claimUnrolled(ctx, swap, v, preimage, stored);
    if (verdict.kind === "lost") return lost(ctx, swap, verdict.spentBy);
    if (verdict.kind === "signed") return verdict.result;
    if (verdict.kind === "waiting") waiting = true;
    else txids.push(verdict.txid);
  }
  if (waiting) return undefined;
  const claimTxid = txids.at(-1) ?? "";
  ctx.log.info({ claimTxids: txids }, "VHTLC claimed (onchain for its unrolled VTXOs)");
  return {
    event: "claim_confirmed",
    patch: { claimTxid },
    data: { claimTxid, claimTxids: txids, onchain: true },
  };
}
