/** Submarine steps after the payment: claim the VHTLC with the stored preimage. */
import type { SubmarineSwap } from "../../domain/swap-records.js";
import type { EffectContext, StepOutcome } from "../context.js";
import { preimageMatches } from "../hashes.js";
import { swapVhtlc } from "../vhtlc.js";
import type { SubmarineEvent } from "./transitions.js";

type Outcome = StepOutcome<"submarine", SubmarineEvent> | undefined;

/** paid: the preimage is durable → claim_started (the claim itself runs in `claiming`). */
export async function startClaim(ctx: EffectContext, swap: SubmarineSwap): Promise<Outcome> {
  const preimage = await ctx.store.findPreimage(swap.paymentHash);
  if (!preimageMatches(preimage, swap.paymentHash)) {
    ctx.log.error("paid swap without a stored preimage");
    return undefined;
  }
  return { event: "claim_started" };
}

/** claiming: funding VTXOs spent → claim_confirmed; else claim them (again) with the preimage. */
export async function claimVhtlc(ctx: EffectContext, swap: SubmarineSwap): Promise<Outcome> {
  const preimage = await ctx.store.findPreimage(swap.paymentHash);
  if (!preimageMatches(preimage, swap.paymentHash)) {
    ctx.log.error("claiming swap without a stored preimage");
    return undefined;
  }
  const funding = (await ctx.ark.vtxosAt(swap.lockupScript)).filter((v) =>
    swap.fundingOutpoints.includes(v.outpoint),
  );
  const unspent = funding.filter((v) => !v.isSpent);
  if (funding.length > 0 && unspent.length === 0) {
    const claimTxid = funding[0]?.spentByArkTxid ?? null;
    return { event: "claim_confirmed", patch: { claimTxid }, data: { claimTxid, observed: true } };
  }
  if (unspent.length === 0) {
    ctx.log.warn({ outpoints: swap.fundingOutpoints }, "funding VTXOs not visible; retrying later");
    return undefined;
  }
  const { index } = await ctx.ark.swapKey(swap.id);
  const result = await ctx.ark.claimVhtlc({
    vhtlc: swapVhtlc(swap),
    keyIndex: index,
    vtxos: unspent,
    preimage,
  });
  ctx.log.info({ claimTxid: result.arkTxid }, "VHTLC claimed");
  return {
    event: "claim_confirmed",
    patch: { claimTxid: result.arkTxid },
    data: { claimTxid: result.arkTxid },
  };
}
