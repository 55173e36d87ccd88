/**
 * The submarine claim of a VHTLC that the wallet unrolled after the gateway paid (see
 * docs/onchain-watcher.md). The gateway holds the preimage, so it claims the VHTLC output onchain
 * through unilateralClaim (its key + the preimage, CSV `unilateralClaimDelay` after the Ark tx
 * confirmed) to a fresh address of its LND wallet, before the wallet's
 * unilateralRefundWithoutReceiver opens (CSV `unilateralRefundWithoutReceiverDelay`, longer).
 * The signed claim is stored with the transition into `claiming_onchain` (durable before its
 * first broadcast) and broadcast again on every run until a spend of the output confirms:
 * one revealing the preimage is ours (only the gateway's key can spend with it: its onchain
 * claim, or its own offchain claim's checkpoint put onchain), any other spend is a loss.
 */
import type { SubmarineSwap } from "../../domain/swap-records.js";
import { tryParseOutpoint } from "../../domain/outpoint.js";
import type { ScriptVtxo } from "../ports/ark.js";
import type { SwapEvent } from "../ports/swap-store.js";
import { chainTip, type StepContext, type StepResult } from "../context.js";
import { preimageMatches } from "../hashes.js";
import { HEIGHT_HINT_MARGIN, clampHint } from "../onchain-watcher.js";
import { swapVhtlc } from "../vhtlc.js";
import { csvMaturesInNextBlock, signAtLndFeeRate } from "../onchain-spend.js";
import type { SubmarineEvent } from "./transitions.js";

/** The event recording one signed onchain claim (its data carries the outpoint and the raw tx). */
export const ONCHAIN_CLAIM_EVENT = "onchain_claim_signed";

/** What became of one unrolled funding VTXO. */
export type UnrolledVerdict =
  | { readonly kind: "claimed"; readonly txid: string }
  | { readonly kind: "lost"; readonly spentBy: string }
  | { readonly kind: "signed"; readonly result: StepResult<"submarine", SubmarineEvent> }
  | { readonly kind: "waiting" };

/** Whether the funding VTXO is onchain: arkd's indexer says so, or its Ark tx confirmed. */
export function isUnrolled(ctx: StepContext, v: ScriptVtxo): boolean {
  return v.isUnrolled || ctx.onchain?.unrolledAt(v.outpoint) !== undefined;
}

/**
 * No unroll of a funding VTXO can confirm below the height recorded when the payment started
 * (the VTXO existed before; funding that was unrolled earlier is never paid): that height less
 * the margin; 1 for a swap whose payment_started row has no height.
 */
export function claimWatchHint(events: readonly SwapEvent[]): number {
  const started = events.find((e) => e.event === "payment_started");
  const height = (started?.data as { height?: unknown } | undefined)?.height;
  return typeof height === "number" && Number.isSafeInteger(height)
    ? clampHint(BigInt(height) - HEIGHT_HINT_MARGIN)
    : 1;
}

/** Follows every funding VTXO of the swap onchain (a no-op without a chain watcher). */
export function watchFundingOnchain(
  ctx: StepContext,
  swap: SubmarineSwap,
  events: readonly SwapEvent[],
): void {
  if (ctx.onchain === undefined) return;
  const heightHint = claimWatchHint(events);
  for (const outpoint of swap.fundingOutpoints)
    ctx.onchain.watch({
      swapId: swap.id,
      outpoint,
      pkScript: swap.lockupScript,
      paymentHash: swap.paymentHash,
      heightHint,
    });
}

/** The signed onchain claims stored so far, by funding outpoint (the latest per outpoint). */
export function storedClaims(events: readonly SwapEvent[]): Map<string, { txid: string; rawTx: string }> {
  const out = new Map<string, { txid: string; rawTx: string }>();
  for (const e of events) {
    if (e.event !== ONCHAIN_CLAIM_EVENT) continue;
    const d = e.data as { outpoint?: unknown; claimTxid?: unknown; rawTx?: unknown } | undefined;
    if (typeof d?.outpoint === "string" && typeof d.claimTxid === "string" && typeof d.rawTx === "string")
      out.set(d.outpoint, { txid: d.claimTxid, rawTx: d.rawTx });
  }
  return out;
}

/**
 * One unrolled funding VTXO: spent onchain with the preimage → claimed (ours); spent without
 * it → lost; our claim stored → broadcast it (again) and wait; CSV matured → sign the claim
 * (fee = LND's estimate × the claim's vsize, output to an LND address) → signed; else wait.
 */
export async function claimUnrolled(
  ctx: StepContext,
  swap: SubmarineSwap,
  vtxo: ScriptVtxo,
  preimage: string,
  stored: ReadonlyMap<string, { txid: string; rawTx: string }>,
): Promise<UnrolledVerdict> {
  const seen = ctx.onchain?.seen(vtxo.outpoint);
  if (seen !== undefined) {
    if (preimageMatches(seen.preimage, swap.paymentHash)) return { kind: "claimed", txid: seen.spendingTxid };
    return { kind: "lost", spentBy: seen.spendingTxid };
  }
  const { chain } = ctx;
  const sign = ctx.ark.signOnchainVhtlcSpend?.bind(ctx.ark);
  const outpoint = tryParseOutpoint(vtxo.outpoint);
  if (chain === undefined || sign === undefined || outpoint === undefined) {
    ctx.log.error({ outpoint: vtxo.outpoint }, "VHTLC unrolled but no onchain claim path is wired");
    return { kind: "waiting" };
  }
  const mine = stored.get(vtxo.outpoint);
  if (mine !== undefined) {
    await chain.publish(mine.rawTx);
    return { kind: "waiting" };
  }
  const unrolledAt = ctx.onchain?.unrolledAt(vtxo.outpoint);
  if (unrolledAt === undefined) return { kind: "waiting" }; // the confirmation is reported soon
  if (ctx.settings.timeouts.mode !== "blocks") {
    ctx.log.error({}, "VHTLC unrolled: the onchain claim is built for block-typed delays only");
    return { kind: "waiting" };
  }
  const tip = await chainTip(ctx);
  if (!csvMaturesInNextBlock(tip.height, unrolledAt, swap.unilateralClaimDelay)) return { kind: "waiting" };
  const { index } = await ctx.ark.swapKey(swap.id);
  const { signed, feeSats, feeRate, destinationScript } = await signAtLndFeeRate(chain, sign, {
    vhtlc: swapVhtlc(swap),
    keyIndex: index,
    leaf: "unilateralClaim",
    outpoint,
    amountSats: vtxo.amountSats,
    preimage,
  });
  ctx.log.info(
    { outpoint: vtxo.outpoint, claimTxid: signed.txid, feeSats, feeRate, unrolledAt },
    "onchain claim of the unrolled VHTLC signed",
  );
  return {
    kind: "signed",
    result: {
      event: ONCHAIN_CLAIM_EVENT,
      patch: { claimTxid: signed.txid },
      data: {
        outpoint: vtxo.outpoint,
        claimTxid: signed.txid,
        rawTx: signed.hex,
        feeSats: feeSats.toString(),
        outputSats: signed.outputSats.toString(),
        destinationScript,
        unrolledAt,
      },
    },
  };
}
