import { describe, expect, it } from "vitest";
import {
  assertFundingAccepted,
  assertLimitsFitServer,
  assertVtxoAmount,
  assertWithinLimits,
  judgeFunding,
  limitProblems,
  maxAcceptedFundingSats,
} from "../../../src/domain/limits.js";

const bounds = { dustSats: 330n, vtxoMinAmountSats: 1n, vtxoMaxAmountSats: -1n };

describe("limits", () => {
  it.each([
    { amount: 999n, error: "limits.below_minimum" },
    { amount: 1_000n, error: undefined },
    { amount: 5_000_000n, error: undefined },
    { amount: 5_000_001n, error: "limits.above_maximum" },
  ])("amount $amount within [1000, 5000000] → $error", ({ amount, error }) => {
    const run = () => assertWithinLimits(amount, { minSats: 1_000n, maxSats: 5_000_000n });
    if (error === undefined) expect(run).not.toThrow();
    else expect(run).toThrow(expect.objectContaining({ code: error }));
  });

  it("checks configured limits against arkd's bounds, all problems at once", () => {
    expect(limitProblems({ minSats: 1_000n, maxSats: 2_000n }, bounds)).toEqual([]);
    const problems = limitProblems(
      { minSats: 100n, maxSats: 50n },
      { ...bounds, vtxoMaxAmountSats: 40n },
      "reverse",
    );
    expect(problems).toHaveLength(3);
    expect(problems.join()).toMatch(/below maxSats/);
    expect(problems.join()).toMatch(/dust/);
    expect(problems.join()).toMatch(/VTXO maximum/);
    expect(() => assertLimitsFitServer({ minSats: 100n, maxSats: 50n }, bounds)).toThrow(
      expect.objectContaining({ code: "limits.invalid" }),
    );
  });

  it("uses arkd's VTXO minimum when above dust", () => {
    expect(
      limitProblems({ minSats: 400n, maxSats: 1_000n }, { ...bounds, vtxoMinAmountSats: 500n }),
    ).toHaveLength(1);
  });

  it.each([
    { amount: 329n, error: "limits.below_dust" },
    { amount: 330n, error: undefined },
  ])("VTXO of $amount sats → $error", ({ amount, error }) => {
    const run = () => assertVtxoAmount(amount, bounds);
    if (error === undefined) expect(run).not.toThrow();
    else expect(run).toThrow(expect.objectContaining({ code: error }));
  });
});

describe("submarine funding policy: tolerance max(10k sat, 2 %), never above 2×, never under", () => {
  it.each([
    // small swaps: the 2× cap is below expected + 10k
    { expected: 3_000n, max: 6_000n },
    // 10k floor dominates up to 500k
    { expected: 100_000n, max: 110_000n },
    { expected: 500_000n, max: 510_000n },
    // 2 % dominates above 500k (rounded down)
    { expected: 1_000_000n, max: 1_020_000n },
    { expected: 1_000_049n, max: 1_020_049n },
    // crossover of 2× and +10k at 10k
    { expected: 10_000n, max: 20_000n },
  ])("expected $expected → max accepted $max", ({ expected, max }) => {
    expect(maxAcceptedFundingSats(expected)).toBe(max);
  });

  it.each([
    { received: 99_999n, verdict: { accepted: false, reason: "underpaid" } },
    { received: 100_000n, verdict: { accepted: true, overpaidSats: 0n } },
    { received: 110_000n, verdict: { accepted: true, overpaidSats: 10_000n } },
    { received: 110_001n, verdict: { accepted: false, reason: "overpaid" } },
  ])("expected 100000, received $received", ({ received, verdict }) => {
    expect(judgeFunding(100_000n, received)).toMatchObject(verdict);
  });

  it("refuses more than 2× even within the absolute tolerance", () => {
    expect(judgeFunding(3_000n, 6_000n).accepted).toBe(true);
    expect(judgeFunding(3_000n, 6_001n)).toMatchObject({ accepted: false, reason: "overpaid" });
  });

  it("throws typed errors", () => {
    expect(assertFundingAccepted(1_000n, 1_500n)).toBe(500n);
    expect(() => assertFundingAccepted(1_000n, 999n)).toThrow(
      expect.objectContaining({ code: "funding.underpaid" }),
    );
    expect(() => assertFundingAccepted(1_000n, 2_001n)).toThrow(
      expect.objectContaining({ code: "funding.overpaid" }),
    );
  });
});
