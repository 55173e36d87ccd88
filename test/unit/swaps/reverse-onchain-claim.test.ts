/** The reverse steps with an onchain spend of the VHTLC seen by the chain watcher. */
import { describe, expect, it } from "vitest";
import type { ReverseSwap } from "../../../src/domain/swap-records.js";
import type { StepContext } from "../../../src/swaps/context.js";
import { awaitClaim, refundVhtlc } from "../../../src/swaps/reverse/claim-steps.js";
import { heldHtlcExpiry } from "../../../src/swaps/reverse/invoice-steps.js";
import type { OnchainSpendSeen } from "../../../src/swaps/onchain-watcher.js";
import { heldSecondsSwap } from "./reverse-seconds-harness.js";
import { preimagePair } from "../../fakes/keys.js";

const SPEND = "cd".repeat(32);

async function funded(seen: (preimage: string) => OnchainSpendSeen | undefined) {
  const held = await heldSecondsSwap({
    id: "rev-onchain",
    secondsLeft: 43_200n,
    cltvDelta: 155,
    payAtDelta: true,
  });
  const { ln, ark, built, paymentHash, preimage } = held;
  const htlcExpiryHeight = heldHtlcExpiry(await ln.getInvoice(paymentHash));
  const funding = await ark.fund({
    script: built.script,
    amountSats: 10_000n,
    idempotencyKey: "rev-onchain",
  });
  const swap = {
    ...held.swap,
    status: "funded",
    htlcExpiryHeight,
    fundingOutpoint: funding.outpoint,
    fundingTxid: funding.arkTxid,
  } as unknown as ReverseSwap;
  const saved: [string, string][] = [];
  const ctx = {
    ...held.ctx,
    store: { savePreimage: async (h: string, p: string) => void saved.push([h, p]) },
    onchain: { seen: (o: string) => (o === swap.fundingOutpoint ? seen(preimage) : undefined) },
  } as unknown as StepContext;
  return { ctx, swap, saved, paymentHash, preimage };
}

describe("reverse: a VHTLC claimed onchain", () => {
  it("funded: the preimage from the witness is stored, then preimage_revealed with the onchain txid", async () => {
    const { ctx, swap, saved, paymentHash, preimage } = await funded((p) => ({
      spendingTxid: SPEND,
      height: 900,
      preimage: p,
    }));
    expect(await awaitClaim(ctx, swap)).toEqual({
      event: "preimage_revealed",
      patch: { claimTxid: SPEND },
      data: { claimTxid: SPEND, onchain: true },
    });
    expect(saved).toEqual([[paymentHash, preimage]]);
  });

  it("refunding: an onchain claim still wins over the refund", async () => {
    const { ctx, swap, saved } = await funded((p) => ({ spendingTxid: SPEND, height: 900, preimage: p }));
    const outcome = await refundVhtlc(ctx, { ...swap, status: "refunding" } as ReverseSwap);
    expect(outcome?.event).toBe("preimage_revealed");
    expect(saved).toHaveLength(1);
  });

  it("a spend without a preimage, or with one of another hash, is not a claim", async () => {
    for (const preimage of [undefined, preimagePair().preimage]) {
      const { ctx, swap, saved } = await funded(() => ({ spendingTxid: SPEND, height: 900, preimage }));
      expect(await awaitClaim(ctx, swap)).toBeUndefined();
      expect(saved).toEqual([]);
    }
  });
});
