import { describe, expect, it } from "vitest";
import type { ReverseSwap, SubmarineSwap } from "../../../src/domain/swap-records.js";
import { dueSwaps, msUntilNextClockDeadline, swapDeadlines } from "../../../src/swaps/scheduler.js";

const at = (iso: string) => new Date(iso);
const sub = (over: Partial<SubmarineSwap>) =>
  ({
    type: "submarine",
    status: "awaiting_funding",
    expiresAt: at("2025-01-01T13:00:00Z"),
    refundLocktime: 1_072n,
    ...over,
  }) as SubmarineSwap;
const rev = (over: Partial<ReverseSwap>) =>
  ({
    type: "reverse",
    status: "funded",
    invoiceExpiresAt: at("2025-01-01T13:00:00Z"),
    refundLocktime: 1_036n,
    htlcExpiryHeight: 1_050n,
    ...over,
  }) as ReverseSwap;

describe("scheduler: deadlines derived from the stored rows", () => {
  it("lists the deadlines of each status and none for terminal ones", () => {
    expect(swapDeadlines(sub({}), 6n)).toEqual([{ kind: "invoice_expiry", at: at("2025-01-01T13:00:00Z") }]);
    expect(swapDeadlines(sub({ status: "claimed" }), 6n)).toEqual([]);
    expect(swapDeadlines(rev({}), 6n)).toEqual([
      { kind: "refund_locktime", locktime: 1_036n },
      { kind: "htlc_cancel", height: 1_044n },
    ]);
    expect(swapDeadlines(rev({ status: "settled" }), 6n)).toEqual([]);
  });

  it("finds due swaps by clock and by height", () => {
    const now = { date: at("2025-01-01T12:30:00Z"), height: 1_035n, mode: "blocks" as const };
    expect(dueSwaps([sub({}), rev({})], now, 6n)).toEqual([]);
    expect(dueSwaps([sub({}), rev({})], { ...now, height: 1_036n }, 6n).length).toBe(1);
    expect(dueSwaps([sub({}), rev({})], { ...now, date: at("2025-01-01T13:00:00Z") }, 6n)).toHaveLength(1);
  });

  it("computes the wake-up for the next clock deadline", () => {
    expect(
      msUntilNextClockDeadline([sub({}), rev({ status: "invoice_created" })], at("2025-01-01T12:59:00Z"), 6n),
    ).toBe(60_000);
    expect(msUntilNextClockDeadline([rev({})], at("2025-01-01T12:59:00Z"), 6n)).toBeUndefined();
  });
});
