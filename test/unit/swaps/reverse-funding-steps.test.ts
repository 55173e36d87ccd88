import { describe, expect, it } from "vitest";
import { decideFunding } from "../../../src/swaps/reverse/funding-steps.js";
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
