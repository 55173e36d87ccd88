import { describe, expect, it } from "vitest";
import { routingFeeBudgetSats, serviceFeeSats } from "../../../src/domain/fees.js";
import { bucketByExpiry, reverseCapacity, submarineCapacity } from "../../../src/liquidity/status.js";

const NOW = 1_800_000_000n;

describe("bucketByExpiry", () => {
  it.each([
    // [seconds left until expires_at, bucket]
    [-10n, "notUsable"],
    [0n, "notUsable"],
    [30n, "notUsable"], // the wallet stops 30 s before expires_at
    [31n, "underHour"],
    [3_599n, "underHour"],
    [3_600n, "underDay"],
    [86_399n, "underDay"],
    [86_400n, "later"],
  ] as const)("a VTXO %s s from expires_at is in %s", (left, bucket) => {
    const b = bucketByExpiry([{ amountSats: 1_000n, expiresAt: NOW + left, swept: false }], NOW);
    const sums = {
      underHour: b.underHourSats,
      underDay: b.underDaySats,
      later: b.laterSats,
      notUsable: b.notUsableSats,
    };
    expect(sums).toEqual({ underHour: 0n, underDay: 0n, later: 0n, notUsable: 0n, [bucket]: 1_000n });
    expect(b.counts[bucket]).toBe(1);
    expect(b.usableSats).toBe(bucket === "notUsable" ? 0n : 1_000n);
  });

  it("sums several, counts swept ones as not usable whatever their expiry, unknown expiry as later", () => {
    const b = bucketByExpiry(
      [
        { amountSats: 100n, expiresAt: NOW + 60n, swept: false },
        { amountSats: 200n, expiresAt: NOW + 120n, swept: false },
        { amountSats: 400n, expiresAt: NOW + 100_000n, swept: true },
        { amountSats: 800n, expiresAt: undefined, swept: false },
      ],
      NOW,
    );
    expect(b).toEqual({
      underHourSats: 300n,
      underDaySats: 0n,
      laterSats: 800n,
      notUsableSats: 400n,
      usableSats: 1_100n,
      counts: { underHour: 2, underDay: 0, later: 1, notUsable: 1 },
    });
  });
});

describe("swap capacities", () => {
  const limits = { minSats: 1_000n, maxSats: 10_000_000n };
  const budget = { ratePpm: 3_500n, minSats: 121n };
  const fees = { ratePpm: 2_500n, baseFeeSats: 10n };

  it.each([100_000n, 1_000_000n, 1_121n, 5_000_000n])(
    "submarine: the largest invoice whose routing budget still fits LND's outbound (%s sat local)",
    (local) => {
      const c = submarineCapacity({ lnLocalSats: local, limits, routingFeeBudget: budget });
      expect(c.limitedBy).toBe("lightning");
      expect(c.maxInvoiceSats + routingFeeBudgetSats(c.maxInvoiceSats, budget)).toBeLessThanOrEqual(local);
      const next = c.maxInvoiceSats + 1n;
      expect(next + routingFeeBudgetSats(next, budget)).toBeGreaterThan(local);
    },
  );

  it("submarine: capped by the configured maximum, nothing below the minimum", () => {
    expect(submarineCapacity({ lnLocalSats: 50_000_000n, limits, routingFeeBudget: budget })).toEqual({
      maxInvoiceSats: 10_000_000n,
      limitedBy: "config_max",
    });
    expect(submarineCapacity({ lnLocalSats: 1_000n, limits, routingFeeBudget: budget })).toEqual({
      maxInvoiceSats: 0n,
      limitedBy: "below_min",
    });
  });

  it.each([50_000n, 123_457n, 1_000_000n])(
    "reverse: the largest invoice whose Ark lock (invoice − fee) fits %s sat of Ark balance",
    (ark) => {
      const c = reverseCapacity({ arkSpendableSats: ark, lnRemoteSats: 9_000_000n, limits, fees });
      expect(c.limitedBy).toBe("ark");
      expect(c.maxInvoiceSats - serviceFeeSats(c.maxInvoiceSats, fees)).toBeLessThanOrEqual(ark);
      const next = c.maxInvoiceSats + 1n;
      expect(next - serviceFeeSats(next, fees)).toBeGreaterThan(ark);
    },
  );

  it("reverse: bounded by LND's inbound when that is smaller, and by the limits", () => {
    expect(reverseCapacity({ arkSpendableSats: 1_000_000n, lnRemoteSats: 70_000n, limits, fees })).toEqual({
      maxInvoiceSats: 70_000n,
      limitedBy: "lightning",
    });
    expect(reverseCapacity({ arkSpendableSats: 0n, lnRemoteSats: 70_000n, limits, fees })).toEqual({
      maxInvoiceSats: 0n,
      limitedBy: "below_min",
    });
    expect(
      reverseCapacity({ arkSpendableSats: 90_000_000n, lnRemoteSats: 90_000_000n, limits, fees }),
    ).toEqual({
      maxInvoiceSats: 10_000_000n,
      limitedBy: "config_max",
    });
  });
});
