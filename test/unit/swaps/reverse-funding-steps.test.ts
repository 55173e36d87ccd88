import { describe, expect, it } from "vitest";
import { decideFunding, fundVhtlc } from "../../../src/swaps/reverse/funding-steps.js";
import { heldSecondsSwap } from "./reverse-seconds-harness.js";

/** A held seconds-mode reverse swap whose refundLocktime is `secondsLeft` from now. */
async function heldSwap(secondsLeft: bigint) {
  const { ctx, swap } = await heldSecondsSwap({
    id: "rev-seconds",
    secondsLeft,
    cltvDelta: 200,
    payAtDelta: false,
  });
  return { ctx, swap };
}

describe("reverse funding decision (seconds mode)", () => {
  it("funds while the wallet has a claim window before refundLocktime", async () => {
    const { ctx, swap } = await heldSwap(43_200n);
    expect(await decideFunding(ctx, swap)).toEqual({ event: "funding_started" });
  });

  it("refuses to fund when refundLocktime (a unix time) is less than the claim window away", async () => {
    const { ctx, swap } = await heldSwap(600n); // one block's worth of time left, window is 6 blocks
    expect(await decideFunding(ctx, swap)).toMatchObject({
      event: "funding_abandoned",
      data: { reason: "too close to the VHTLC refund" },
    });
  });
});

const held = () =>
  heldSecondsSwap({ id: "rev-fund", secondsLeft: 43_200n, cltvDelta: 200, payAtDelta: false });

describe("reverse funding step: its reads side by side", () => {
  it("a lockup already at the script is confirmed while LND cannot be asked (its reads are not needed)", async () => {
    const { ctx, swap, ln, ark } = await held();
    const outpoint = ark.walletSend("gateway", swap.lockupScript, swap.onchainAmountSats);
    ln.failNext("getInvoice");
    ln.failNext("getHeight");
    expect(await fundVhtlc(ctx, { ...swap, status: "funding" })).toMatchObject({
      event: "funding_confirmed",
      patch: { fundingOutpoint: outpoint },
    });
  });

  it("nothing at the script and LND unreachable: the step fails (retried), nothing is funded", async () => {
    const { ctx, swap, ln, ark } = await held();
    ln.failNext("getInvoice");
    await expect(fundVhtlc(ctx, { ...swap, status: "funding" })).rejects.toMatchObject({
      code: "ln.unavailable",
    });
    expect(ark.lockedAt(swap.lockupScript)).toBe(0n);
  });

  it("still held, nothing at the script: funds the VHTLC once with the swap id as key", async () => {
    const { ctx, swap, ark } = await held();
    expect(await fundVhtlc(ctx, { ...swap, status: "funding" })).toMatchObject({
      event: "funding_confirmed",
    });
    expect(ark.lockedAt(swap.lockupScript)).toBe(swap.onchainAmountSats);
  });
});
