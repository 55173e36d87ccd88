import { describe, expect, it } from "vitest";
import type { ReverseSwap } from "../../../src/domain/swap-records.js";
import { awaitClaim } from "../../../src/swaps/reverse/claim-steps.js";
import { heldHtlcExpiry } from "../../../src/swaps/reverse/invoice-steps.js";
import { heldSecondsSwap } from "./reverse-seconds-harness.js";

/** A funded seconds-mode reverse swap (refund in 12 h) whose held HTLC expires `cltvDelta` blocks out. */
async function fundedSwap(cltvDelta: number) {
  const held = await heldSecondsSwap({ id: "rev-claim", secondsLeft: 43_200n, cltvDelta, payAtDelta: true });
  const { ctx, chain, ln, ark, built, paymentHash } = held;
  const htlcExpiryHeight = heldHtlcExpiry(await ln.getInvoice(paymentHash));
  const funding = await ark.fund({ script: built.script, amountSats: 10_000n, idempotencyKey: "rev-claim" });
  const swap = {
    ...held.swap,
    status: "funded",
    htlcExpiryHeight,
    fundingOutpoint: funding.outpoint,
    fundingTxid: funding.arkTxid,
  } as unknown as ReverseSwap;
  return { ctx, swap, chain, ln, paymentHash };
}

describe("reverse awaitClaim at the HTLC deadline (seconds mode)", () => {
  it("unspent VHTLC, refundLocktime not reached, tip at htlcExpiry − cancel margin → cancels the hold invoice", async () => {
    // an HTLC planned with the old 600 s conversion: 72 + 10 + 1 blocks
    const { ctx, swap, chain, ln, paymentHash } = await fundedSwap(83);
    chain.height += 76; // fast blocks: the clock has not moved
    expect(await awaitClaim(ctx, swap)).toBeUndefined();
    chain.height += 1; // htlcExpiry − 6
    const outcome = await awaitClaim(ctx, swap);
    expect(outcome).toMatchObject({ event: "refund_due", data: { htlcDeadline: true } });
    expect(ln.holdState(paymentHash)).toBe("canceled");
    expect(ln.cancelCalls).toEqual([{ paymentHash, height: chain.height }]);
  });

  it("with the planned (fast-block) delta, 2× the normal block rate never reaches the deadline before the refund time", async () => {
    // planReverseTimeouts with the seconds defaults: ceil(43200 / 300) + 10 + 1 = 155
    const { ctx, swap, chain, ln } = await fundedSwap(155);
    for (let i = 0; i < 144; i += 1) {
      chain.height += 1;
      chain.advance(300_000); // a block every 5 minutes for 12 h
      const outcome = await awaitClaim(ctx, swap);
      if (i < 143) expect(outcome).toBeUndefined();
      else expect(outcome).toEqual({ event: "refund_due", data: { height: BigInt(chain.height) } });
    }
    expect(ln.cancelCalls).toEqual([]);
  });
});
