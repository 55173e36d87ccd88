import { describe, expect, it } from "vitest";
import {
  planReverseTimeouts,
  planSubmarineTimeouts,
  timeoutSettingsProblems,
} from "../../../src/domain/timeout-plans.js";
import {
  assertHeldHtlcOutlivesRefund,
  assertInvoiceCltvFits,
  assertRefundBeforeBatchExpiry,
  blocksUntil,
  computeRefundLocktime,
  computeUnilateralDelays,
  isLocktimeReached,
  normalizeRelativeDelay,
  reverseHoldInvoiceCltvDelta,
  submarineCltvLimit,
  TIMEOUT_ERRORS,
  type TimeoutSettings,
} from "../../../src/domain/timeouts.js";

const BLOCKS: TimeoutSettings = {
  mode: "blocks",
  submarineRefundDelta: 144n,
  reverseRefundDelta: 72n,
  unilateralClaimDelay: 20n,
  unilateralRefundDelay: 30n,
  unilateralRefundWithoutReceiverDelay: 40n,
  lnCltvMarginBlocks: 20n,
  holdInvoiceCltvMarginBlocks: 10n,
  maxHoldInvoiceCltvDeltaBlocks: 2016n,
  batchExpiryMargin: 10n,
  secondsPerBlock: 600n,
};
const SECONDS: TimeoutSettings = {
  ...BLOCKS,
  mode: "seconds",
  submarineRefundDelta: 86_400n,
  reverseRefundDelta: 43_200n,
  unilateralClaimDelay: 1_000n,
  unilateralRefundDelay: 100_000n,
  unilateralRefundWithoutReceiverDelay: 200_000n,
  batchExpiryMargin: 3_600n,
};
const TIP = { height: 1_000n, timeSeconds: 1_700_000_000n };

describe("timeout plans", () => {
  it("plans a submarine swap in blocks", () => {
    expect(planSubmarineTimeouts(BLOCKS, TIP, 10n, 18n)).toEqual({
      refundLocktime: 1_144n,
      unilateralClaimDelay: 20n,
      unilateralRefundDelay: 30n,
      unilateralRefundWithoutReceiverDelay: 40n,
      cltvLimitBlocks: 124n,
      maxTimeoutHeight: 1_124n,
    });
  });

  it("plans a reverse swap in blocks: hold-invoice CLTV > blocks to refund + margin", () => {
    expect(planReverseTimeouts(BLOCKS, TIP, 20n)).toMatchObject({
      refundLocktime: 1_072n,
      holdInvoiceCltvDelta: 83n,
    });
  });

  it("plans in seconds: unix-time refund, delays raised to arkd's and rounded up to 512", () => {
    const plan = planSubmarineTimeouts(SECONDS, TIP, 86_400n);
    expect(plan).toMatchObject({
      refundLocktime: 1_700_086_400n,
      unilateralClaimDelay: 86_528n,
      unilateralRefundDelay: 100_352n,
      unilateralRefundWithoutReceiverDelay: 200_192n,
      cltvLimitBlocks: 124n,
    });
    expect(planReverseTimeouts(SECONDS, TIP, 86_400n).holdInvoiceCltvDelta).toBe(83n);
  });

  it.each([
    { span: 86_400n, floor: 144n, ceil: 144n },
    { span: 86_399n, floor: 143n, ceil: 144n },
    { span: 86_401n, floor: 144n, ceil: 145n },
    { span: -1n, floor: -1n, ceil: 0n },
  ])("seconds → blocks rounding of $span s: floor $floor, ceil $ceil", ({ span, floor, ceil }) => {
    const locktime = TIP.timeSeconds + span;
    expect(blocksUntil(TIP, locktime, SECONDS, "floor")).toBe(floor);
    expect(blocksUntil(TIP, locktime, SECONDS, "ceil")).toBe(ceil);
  });

  it("knows when a locktime is reached", () => {
    expect(isLocktimeReached(TIP, 1_000n, "blocks")).toBe(true);
    expect(isLocktimeReached(TIP, 1_001n, "blocks")).toBe(false);
    expect(isLocktimeReached(TIP, TIP.timeSeconds + 1n, "seconds")).toBe(false);
  });

  it("keeps relative delays valid per mode", () => {
    expect(normalizeRelativeDelay(511n, "blocks")).toBe(511n);
    expect(normalizeRelativeDelay(1n, "seconds")).toBe(512n);
    expect(normalizeRelativeDelay(513n, "seconds")).toBe(1_024n);
    expect(normalizeRelativeDelay(1_024n, "seconds")).toBe(1_024n);
  });
});

/** Each violation of the timeout chain, with the code it must raise. */
const VIOLATIONS: { name: string; code: keyof typeof TIMEOUT_ERRORS; run: () => unknown }[] = [
  {
    name: "refund delta not positive",
    code: "timeout.invalid_setting",
    run: () => computeRefundLocktime(TIP, "blocks", 0n),
  },
  {
    name: "arkd's exit delay in another mode",
    code: "timeout.mode_mismatch",
    run: () => computeUnilateralDelays(BLOCKS, 512n),
  },
  {
    name: "batch expiry in another mode",
    code: "timeout.mode_mismatch",
    run: () => assertRefundBeforeBatchExpiry(1_144n, 1_700_000_000n, BLOCKS),
  },
  {
    name: "block delay ≥ 512",
    code: "timeout.invalid_delay",
    run: () => normalizeRelativeDelay(512n, "blocks"),
  },
  {
    name: "seconds delay beyond BIP-68",
    code: "timeout.invalid_delay",
    run: () => normalizeRelativeDelay(0xffffn * 512n + 1n, "seconds"),
  },
  {
    name: "refund height crossing the BIP-65 threshold",
    code: "timeout.invalid_locktime",
    run: () => computeRefundLocktime({ height: 499_999_990n, timeSeconds: 0n }, "blocks", 10n),
  },
  {
    name: "unilateral claim not shorter than the lone refund",
    code: "timeout.unilateral_order",
    run: () => computeUnilateralDelays({ ...BLOCKS, unilateralRefundWithoutReceiverDelay: 20n }, 10n),
  },
  {
    name: "arkd's exit delay raising both delays to the same value",
    code: "timeout.unilateral_order",
    run: () => computeUnilateralDelays(BLOCKS, 50n),
  },
  {
    name: "refund too close for an LN payment",
    code: "timeout.cltv_budget_exhausted",
    run: () => submarineCltvLimit(TIP, 1_020n, BLOCKS),
  },
  {
    name: "invoice final CLTV not below the limit",
    code: "timeout.invoice_cltv_too_large",
    run: () => planSubmarineTimeouts(BLOCKS, TIP, 10n, 124n),
  },
  {
    name: "hold invoice CLTV above LND's maximum",
    code: "timeout.hold_invoice_cltv_too_large",
    run: () => reverseHoldInvoiceCltvDelta(TIP, TIP.height + 2_006n, BLOCKS),
  },
  {
    name: "held HTLC expiring at refund + margin",
    code: "timeout.hold_invoice_expires_too_soon",
    run: () => assertHeldHtlcOutlivesRefund(1_082n, TIP, 1_072n, BLOCKS),
  },
  {
    name: "refund at batch expiry − margin",
    code: "timeout.refund_after_batch_expiry",
    run: () => assertRefundBeforeBatchExpiry(1_144n, 1_154n, BLOCKS),
  },
];

describe("timeout chain violations", () => {
  it.each(VIOLATIONS)("$name → $code", ({ code, run }) => {
    expect(run).toThrow(expect.objectContaining({ code, name: "GatewayError" }));
  });

  it("covers every timeout error code", () => {
    expect(new Set(VIOLATIONS.map((v) => v.code))).toEqual(new Set(Object.keys(TIMEOUT_ERRORS)));
  });

  it("accepts each boundary one step on the safe side", () => {
    expect(submarineCltvLimit(TIP, 1_021n, BLOCKS).cltvLimitBlocks).toBe(1n);
    expect(() => assertInvoiceCltvFits(123n, 124n)).not.toThrow();
    expect(reverseHoldInvoiceCltvDelta(TIP, TIP.height + 2_005n, BLOCKS)).toBe(2_016n);
    expect(() => assertHeldHtlcOutlivesRefund(1_083n, TIP, 1_072n, BLOCKS)).not.toThrow();
    expect(() => assertRefundBeforeBatchExpiry(1_144n, 1_155n, BLOCKS)).not.toThrow();
  });
});

describe("timeout settings problems (for config validation)", () => {
  it("accepts sane settings", () => {
    expect(timeoutSettingsProblems(BLOCKS)).toEqual([]);
    expect(timeoutSettingsProblems(SECONDS)).toEqual([]);
  });

  it("lists every problem", () => {
    const problems = timeoutSettingsProblems({
      ...BLOCKS,
      submarineRefundDelta: 20n,
      unilateralClaimDelay: 600n,
      unilateralRefundWithoutReceiverDelay: 0n,
      batchExpiryMargin: -1n,
    });
    expect(problems).toHaveLength(5);
  });
});
