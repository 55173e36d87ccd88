import { describe, expect, it } from "vitest";
import {
  planReverseTimeouts,
  planSubmarineTimeouts,
  timeoutSettingsProblems,
} from "../../../src/domain/timeout-plans.js";
import { blocksUntil } from "../../../src/domain/block-time.js";
import {
  computeRefundLocktime,
  computeUnilateralDelays,
  isLocktimeReached,
  normalizeRelativeDelay,
} from "../../../src/domain/locktime-modes.js";
import {
  assertHeldHtlcOutlivesRefund,
  assertInvoiceCltvFits,
  assertRefundBeforeBatchExpiry,
  reverseHoldInvoiceCltvDelta,
  submarineCltvLimit,
} from "../../../src/domain/timeout-chain.js";
import { TIMEOUT_ERRORS } from "../../../src/domain/timeout-errors.js";
import type { TimeoutSettings } from "../../../src/domain/timeout-settings.js";

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
  fastBlockSeconds: 300n,
  slowBlockSeconds: 1_200n,
};
/** The engine's default: a held invoice is cancelled at htlcExpiry − 6. */
const CANCEL = 6n;
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
    expect(planReverseTimeouts(BLOCKS, TIP, 20n, CANCEL)).toMatchObject({
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
      // slow blocks: floor(86400 / 1200) − 20
      cltvLimitBlocks: 52n,
    });
    // fast blocks: ceil(43200 / 300) + 10 + 1
    expect(planReverseTimeouts(SECONDS, TIP, 86_400n, CANCEL).holdInvoiceCltvDelta).toBe(155n);
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
    run: () => reverseHoldInvoiceCltvDelta(TIP, TIP.height + 2_006n, BLOCKS, CANCEL),
  },
  {
    name: "held HTLC expiring at refund + margin",
    code: "timeout.hold_invoice_expires_too_soon",
    run: () => assertHeldHtlcOutlivesRefund(1_082n, TIP, 1_072n, BLOCKS, CANCEL),
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
    expect(reverseHoldInvoiceCltvDelta(TIP, TIP.height + 2_005n, BLOCKS, CANCEL)).toBe(2_016n);
    expect(() => assertHeldHtlcOutlivesRefund(1_083n, TIP, 1_072n, BLOCKS, CANCEL)).not.toThrow();
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

/** ln P(Poisson(λ) = k). */
function logPoisson(k: number, lambda: number): number {
  let s = -lambda + k * Math.log(lambda);
  for (let i = 2; i <= k; i++) s -= Math.log(i);
  return s;
}
/** P(Poisson(λ) ≥ k): the chance the chain mines at least k blocks in λ × 600 s. */
function poissonAtLeast(k: number, lambda: number): number {
  let sum = 0;
  for (let i = Math.max(k, 0); i < k + 5_000; i++) sum += Math.exp(logPoisson(i, lambda));
  return sum;
}
/** P(Poisson(λ) < k): the chance the chain mines fewer than k blocks in λ × 600 s. */
function poissonBelow(k: number, lambda: number): number {
  let sum = 0;
  for (let i = 0; i < k; i++) sum += Math.exp(logPoisson(i, lambda));
  return sum;
}

describe("seconds mode: block deadlines against times with random block arrivals (Poisson, mean 600 s)", () => {
  /** The seconds-mode defaults of src/config/schema.ts. */
  const DEFAULTS: TimeoutSettings = {
    ...SECONDS,
    submarineRefundDelta: 172_800n,
    reverseRefundDelta: 43_200n,
  };
  const NEGLIGIBLE = 1e-12;

  it("computes the Poisson tails it relies on", () => {
    expect(poissonAtLeast(0, 3)).toBeCloseTo(1, 12);
    expect(poissonAtLeast(1, 3)).toBeCloseTo(1 - Math.exp(-3), 12);
    expect(poissonBelow(1, 3)).toBeCloseTo(Math.exp(-3), 12);
    expect(poissonBelow(80, 72) + poissonAtLeast(80, 72)).toBeCloseTo(1, 12);
  });

  it("reverse: the held invoice's cancel height comes after refundLocktime except with P ≈ 3e-15", () => {
    const plan = planReverseTimeouts(DEFAULTS, TIP, 86_400n, CANCEL);
    const span = Number(plan.refundLocktime - TIP.timeSeconds);
    // an HTLC paying at the creation height expires at tip + delta at the earliest; paying later
    // moves its expiry up and leaves less time, so this is the worst case
    const cancelBlocks = Number(plan.holdInvoiceCltvDelta - CANCEL);
    expect(cancelBlocks).toBe(149);
    // the refund needs a block with a timestamp ≥ refundLocktime: the gateway fails only if the
    // chain mines cancelBlocks − 1 blocks within the span
    const failure = poissonAtLeast(cancelBlocks - 1, span / 600);
    expect(failure).toBeLessThan(4e-15);
    expect(failure).toBeLessThan(NEGLIGIBLE);
    // the held-HTLC check accepts exactly such an HTLC
    expect(() =>
      assertHeldHtlcOutlivesRefund(
        TIP.height + plan.holdInvoiceCltvDelta,
        TIP,
        plan.refundLocktime,
        DEFAULTS,
        CANCEL,
      ),
    ).not.toThrow();
  });

  it("reverse: the old symmetric 600 s conversion cancelled before the refund time ~29 % of the time", () => {
    const old = 43_200 / 600 + 10 + 1 - Number(CANCEL); // cancel height 77 blocks out
    expect(poissonAtLeast(old, 72)).toBeGreaterThan(0.28);
    const plan = planReverseTimeouts(DEFAULTS, TIP, 86_400n, CANCEL);
    expect(plan.holdInvoiceCltvDelta - CANCEL).toBeGreaterThan(BigInt(old));
  });

  it("reverse: a held HTLC whose cancel height fast blocks can reach before the refund time is refused", () => {
    const refund = TIP.timeSeconds + 43_200n;
    // 43200 s of fast blocks = 144; expiry 144 + 10 would be fine at 600 s per block (72 + 10)
    expect(() => assertHeldHtlcOutlivesRefund(TIP.height + 154n, TIP, refund, DEFAULTS, CANCEL)).toThrow(
      expect.objectContaining({ code: "timeout.hold_invoice_expires_too_soon" }),
    );
    expect(() =>
      assertHeldHtlcOutlivesRefund(TIP.height + 155n, TIP, refund, DEFAULTS, CANCEL),
    ).not.toThrow();
    // a cancel margin above the hold margin: the cancel height itself must pass the bound
    expect(() => assertHeldHtlcOutlivesRefund(TIP.height + 155n, TIP, refund, DEFAULTS, 11n)).toThrow(
      expect.objectContaining({ code: "timeout.hold_invoice_expires_too_soon" }),
    );
    expect(reverseHoldInvoiceCltvDelta(TIP, refund, DEFAULTS, 11n)).toBe(144n + 11n + 1n);
  });

  it("reverse: blocks mode is unchanged (exact heights)", () => {
    expect(reverseHoldInvoiceCltvDelta(TIP, TIP.height + 36n, BLOCKS, CANCEL)).toBe(47n);
    expect(() => assertHeldHtlcOutlivesRefund(1_046n, TIP, 1_036n, BLOCKS, CANCEL)).toThrow();
    expect(() => assertHeldHtlcOutlivesRefund(1_047n, TIP, 1_036n, BLOCKS, CANCEL)).not.toThrow();
  });

  it("submarine: the LN CLTV limit + margin is reached before refundLocktime except with P ≈ 2e-21", () => {
    const plan = planSubmarineTimeouts(DEFAULTS, TIP, 86_400n, 80n);
    const span = Number(plan.refundLocktime - TIP.timeSeconds);
    expect(plan.cltvLimitBlocks).toBe(124n); // an LND invoice's final CLTV of 80 fits
    const withMargin = Number(plan.cltvLimitBlocks + DEFAULTS.lnCltvMarginBlocks);
    // failure: by refundLocktime the chain has not even reached the limit + margin
    const failure = poissonBelow(withMargin, span / 600);
    expect(failure).toBeLessThan(3e-21);
    // a payment still locked at the limit itself outlives the refund time even less often
    expect(poissonBelow(Number(plan.cltvLimitBlocks), span / 600)).toBeLessThan(failure);
    // the old symmetric conversion (24 h, 144 − 20 = 124) ate the 20-block margin ~49 % of the time
    // and left the payment locked past refundLocktime ~4 % of the time
    expect(poissonBelow(144, 144)).toBeGreaterThan(0.45);
    expect(poissonBelow(124, 144)).toBeGreaterThan(0.04);
  });

  it("submarine: the CLTV limit counts slow blocks, so a limit that 600 s blocks allowed is refused", () => {
    // 24 h: 144 blocks at 600 s, but only 72 slow ones: 72 − 20 = 52
    expect(submarineCltvLimit(TIP, TIP.timeSeconds + 86_400n, SECONDS).cltvLimitBlocks).toBe(52n);
    expect(() => submarineCltvLimit(TIP, TIP.timeSeconds + 20n * 1_200n + 1_199n, SECONDS)).toThrow(
      expect.objectContaining({ code: "timeout.cltv_budget_exhausted" }),
    );
    expect(submarineCltvLimit(TIP, TIP.timeSeconds + 21n * 1_200n, SECONDS).cltvLimitBlocks).toBe(1n);
  });

  it("validates the block-interval assumptions", () => {
    expect(timeoutSettingsProblems(DEFAULTS)).toEqual([]);
    expect(timeoutSettingsProblems({ ...DEFAULTS, fastBlockSeconds: 600n })).toEqual([
      "timeouts: fastBlockSeconds < secondsPerBlock < slowBlockSeconds must hold",
    ]);
    expect(timeoutSettingsProblems({ ...DEFAULTS, slowBlockSeconds: 0n })).toContain(
      "timeouts.slowBlockSeconds must be positive",
    );
    // 24 h of slow blocks leaves 72 − 20 blocks; 6 h leaves 18 − 20: none
    expect(timeoutSettingsProblems({ ...DEFAULTS, submarineRefundDelta: 21_600n })).toEqual([
      "timeouts.submarineRefundDelta leaves no CLTV budget after lnCltvMarginBlocks",
    ]);
    expect(timeoutSettingsProblems({ ...DEFAULTS, reverseRefundDelta: 604_800n })).toEqual([
      "timeouts.reverseRefundDelta needs a hold-invoice CLTV delta above maxHoldInvoiceCltvDeltaBlocks",
    ]);
    // blocks mode ignores the intervals
    expect(timeoutSettingsProblems({ ...BLOCKS, fastBlockSeconds: 900n })).toEqual([]);
  });
});
