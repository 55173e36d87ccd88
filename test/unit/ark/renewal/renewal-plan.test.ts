import { describe, expect, it } from "vitest";
import { dueReason, planRenewal, type RenewalCoin } from "../../../../src/ark/renewal/index.js";

const NOW = 1_800_000_000n;
const TIP = 1_000n;
const M = { offchainSeconds: 60n, sweepBlocks: 10n, sweepSeconds: 3_600n };
const clock = { nowSeconds: NOW, tipHeight: TIP };

function coin(n: number, over: Partial<RenewalCoin> = {}): RenewalCoin {
  return {
    outpoint: `${n.toString(16).padStart(64, "0")}:0`,
    amountSats: 10_000n,
    sweepDeadline: TIP + 144n,
    offchainUntil: NOW + 3_600n,
    swept: false,
    ...over,
  };
}

describe("dueReason", () => {
  it("is not due far from both deadlines", () => {
    expect(dueReason(coin(1), clock, M)).toBeUndefined();
  });

  it("is due within the offchain margin, and at its edge; not one second before", () => {
    expect(dueReason(coin(1, { offchainUntil: NOW + 61n }), clock, M)).toBeUndefined();
    expect(dueReason(coin(1, { offchainUntil: NOW + 60n }), clock, M)).toEqual({
      reason: "offchain_deadline",
      left: 60n,
    });
    expect(dueReason(coin(1, { offchainUntil: NOW + 1n }), clock, M)?.reason).toBe("offchain_deadline");
  });

  it("past arkd's expires_at (also inside the wallet's 30 s no-offchain window) it is expired, still due", () => {
    expect(dueReason(coin(1, { offchainUntil: NOW }), clock, M)).toEqual({
      reason: "offchain_expired",
      left: 0n,
    });
    expect(dueReason(coin(1, { offchainUntil: NOW - 500n }), clock, M)?.reason).toBe("offchain_expired");
  });

  it("a block-typed sweep deadline counts against the tip: due at 10 blocks, passed at 0", () => {
    expect(dueReason(coin(1, { sweepDeadline: TIP + 11n }), clock, M)).toBeUndefined();
    expect(dueReason(coin(1, { sweepDeadline: TIP + 10n }), clock, M)).toEqual({
      reason: "sweep_deadline",
      left: 10n,
    });
    expect(dueReason(coin(1, { sweepDeadline: TIP }), clock, M)?.reason).toBe("sweep_deadline_passed");
  });

  it("without a known tip a block deadline is not checked; a seconds deadline still is", () => {
    const noTip = { nowSeconds: NOW, tipHeight: undefined };
    expect(dueReason(coin(1, { sweepDeadline: TIP }), noTip, M)).toBeUndefined();
    expect(dueReason(coin(1, { sweepDeadline: NOW + 3_600n }), noTip, M)).toEqual({
      reason: "sweep_deadline",
      left: 3_600n,
    });
    expect(dueReason(coin(1, { sweepDeadline: NOW + 3_601n }), noTip, M)).toBeUndefined();
  });

  it("swept beats everything; the more urgent of two reasons wins", () => {
    expect(dueReason(coin(1, { swept: true, offchainUntil: undefined }), clock, M)?.reason).toBe("swept");
    expect(dueReason(coin(1, { offchainUntil: NOW + 30n, sweepDeadline: TIP - 1n }), clock, M)?.reason).toBe(
      "sweep_deadline_passed",
    );
  });
});

describe("planRenewal", () => {
  it("takes the due coins, most urgent first, and counts the unknown ones", () => {
    const coins = [
      coin(1),
      coin(2, { offchainUntil: NOW + 50n }),
      coin(3, { offchainUntil: NOW + 20n }),
      coin(4, { swept: true }),
      coin(5, { offchainUntil: NOW - 1n }),
      coin(6, { offchainUntil: undefined, sweepDeadline: undefined }),
    ];
    const plan = planRenewal(coins, clock, M, 8);
    expect(plan.batch.map((d) => [d.coin.outpoint, d.reason])).toEqual([
      [coin(4).outpoint, "swept"],
      [coin(5).outpoint, "offchain_expired"],
      [coin(3).outpoint, "offchain_deadline"],
      [coin(2).outpoint, "offchain_deadline"],
    ]);
    expect(plan.deferred).toBe(0);
    expect(plan.unknown).toBe(1);
  });

  it("caps a batch at maxInputs and reports the rest as deferred", () => {
    const coins = [1, 2, 3, 4, 5].map((n) => coin(n, { offchainUntil: NOW + BigInt(n) }));
    const plan = planRenewal(coins, clock, M, 2);
    expect(plan.batch.map((d) => d.coin.outpoint)).toEqual([coin(1).outpoint, coin(2).outpoint]);
    expect(plan.deferred).toBe(3);
  });

  it("nothing due: an empty batch", () => {
    expect(planRenewal([coin(1), coin(2)], clock, M, 8)).toEqual({ batch: [], deferred: 0, unknown: 0 });
  });
});
