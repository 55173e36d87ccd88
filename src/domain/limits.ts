/**
 * Swap amount limits per direction and the submarine funding (over/underpayment) policy.
 * Limits must sit above the Ark dust amount and arkd's VTXO minimum, and below its maximum.
 */
import { assertSats, maxBigint, minBigint } from "./amounts.js";
import { errorFactory } from "./errors.js";
import { PPM_PER_UNIT } from "./fees.js";

export const LIMIT_ERRORS = {
  "limits.invalid": { httpStatus: 500, retryable: false },
  "limits.below_minimum": { httpStatus: 400, retryable: false },
  "limits.above_maximum": { httpStatus: 400, retryable: false },
  "limits.below_dust": { httpStatus: 400, retryable: false },
  "funding.underpaid": { httpStatus: 400, retryable: false },
  "funding.overpaid": { httpStatus: 400, retryable: false },
} as const;

const fail = errorFactory(LIMIT_ERRORS);

/** Inclusive amount bounds for one swap direction, in sats. */
export interface SwapLimits {
  readonly minSats: bigint;
  readonly maxSats: bigint;
}

/** What arkd allows for a VTXO (from GetInfo); −1n means "no limit" as arkd reports it. */
export interface VtxoBounds {
  readonly dustSats: bigint;
  readonly vtxoMinAmountSats: bigint;
  readonly vtxoMaxAmountSats: bigint;
}

/**
 * Problems of `limits` against arkd's VTXO bounds; empty when fine. A VTXO amount below dust
 * or arkd's minimum could not be created, one above arkd's maximum would be refused.
 */
export function limitProblems(limits: SwapLimits, bounds: VtxoBounds, label = "limits"): string[] {
  const problems: string[] = [];
  if (limits.minSats <= 0n) problems.push(`${label}: minSats must be positive`);
  if (limits.minSats >= limits.maxSats) problems.push(`${label}: minSats must be below maxSats`);
  const floorSats = vtxoFloorSats(bounds);
  if (limits.minSats < floorSats) {
    problems.push(`${label}: minSats ${limits.minSats} is below arkd's dust/VTXO minimum ${floorSats}`);
  }
  if (bounds.vtxoMaxAmountSats >= 0n && limits.maxSats > bounds.vtxoMaxAmountSats) {
    problems.push(
      `${label}: maxSats ${limits.maxSats} exceeds arkd's VTXO maximum ${bounds.vtxoMaxAmountSats}`,
    );
  }
  return problems;
}

/**
 * Asserts `limits` fit arkd's VTXO bounds. @throws GatewayError `limits.invalid` listing every problem
 */
export function assertLimitsFitServer(limits: SwapLimits, bounds: VtxoBounds, label = "limits"): void {
  const problems = limitProblems(limits, bounds, label);
  if (problems.length > 0) throw fail("limits.invalid", problems.join("; "), { problems });
}

/** The smallest amount a VTXO may carry: max(dust, arkd's VTXO minimum). */
export function vtxoFloorSats(bounds: VtxoBounds): bigint {
  return maxBigint(bounds.dustSats, bounds.vtxoMinAmountSats < 0n ? 0n : bounds.vtxoMinAmountSats);
}

/**
 * Asserts a requested swap amount lies within the direction's limits (inclusive).
 * @throws GatewayError `limits.below_minimum`, `limits.above_maximum`, `amount.*`
 */
export function assertWithinLimits(amountSats: bigint, limits: SwapLimits): void {
  assertSats(amountSats);
  const details = {
    amountSats: amountSats.toString(),
    minSats: limits.minSats.toString(),
    maxSats: limits.maxSats.toString(),
  };
  if (amountSats < limits.minSats)
    throw fail("limits.below_minimum", `amount is below the minimum ${limits.minSats} sats`, details);
  if (amountSats > limits.maxSats)
    throw fail("limits.above_maximum", `amount is above the maximum ${limits.maxSats} sats`, details);
}

/**
 * Asserts an amount can be a VTXO on this server (the VHTLC the gateway or a wallet locks).
 * @throws GatewayError `limits.below_dust`, `limits.above_maximum`
 */
export function assertVtxoAmount(amountSats: bigint, bounds: VtxoBounds): void {
  assertSats(amountSats);
  const floorSats = vtxoFloorSats(bounds);
  if (amountSats < floorSats) {
    throw fail("limits.below_dust", `a VTXO of ${amountSats} sats is below arkd's floor ${floorSats}`);
  }
  if (bounds.vtxoMaxAmountSats >= 0n && amountSats > bounds.vtxoMaxAmountSats) {
    throw fail("limits.above_maximum", `a VTXO of ${amountSats} sats exceeds arkd's maximum`);
  }
}

/**
 * Which submarine fundings the gateway accepts. Underpayment is never accepted (the gateway
 * would pay the difference). Overpayment is accepted up to
 * min(expected + max(toleranceMinSats, expected × tolerancePpm), expected × maxFactor).
 */
export interface FundingPolicy {
  /** Absolute overpayment always tolerated, in sats (production number: 10_000). */
  readonly overpayToleranceMinSats: bigint;
  /** Proportional overpayment tolerated, ppm of the expected amount (production number: 20_000 = 2 %). */
  readonly overpayTolerancePpm: bigint;
  /** A funding larger than expected × this factor is refused whatever the tolerance (production: 2). */
  readonly maxOverpayFactor: bigint;
}

export const DEFAULT_FUNDING_POLICY: FundingPolicy = Object.freeze({
  overpayToleranceMinSats: 10_000n,
  overpayTolerancePpm: 20_000n,
  maxOverpayFactor: 2n,
});

export type FundingVerdict =
  | { readonly accepted: true; readonly overpaidSats: bigint }
  | { readonly accepted: false; readonly reason: "underpaid" | "overpaid"; readonly maxAcceptedSats: bigint };

/** The largest funding accepted for `expectedAmountSats` (tolerance rounded down). */
export function maxAcceptedFundingSats(
  expectedAmountSats: bigint,
  policy: FundingPolicy = DEFAULT_FUNDING_POLICY,
): bigint {
  assertSats(expectedAmountSats, "expectedAmountSats");
  const proportional = (expectedAmountSats * policy.overpayTolerancePpm) / PPM_PER_UNIT;
  const tolerance = maxBigint(policy.overpayToleranceMinSats, proportional);
  return minBigint(expectedAmountSats + tolerance, expectedAmountSats * policy.maxOverpayFactor);
}

/**
 * Judges a submarine funding: the VTXO amount received against the expected amount.
 * @throws GatewayError `amount.*` on invalid amounts (a verdict is returned otherwise)
 */
export function judgeFunding(
  expectedAmountSats: bigint,
  receivedAmountSats: bigint,
  policy: FundingPolicy = DEFAULT_FUNDING_POLICY,
): FundingVerdict {
  assertSats(receivedAmountSats, "receivedAmountSats");
  const maxAcceptedSats = maxAcceptedFundingSats(expectedAmountSats, policy);
  if (receivedAmountSats < expectedAmountSats)
    return { accepted: false, reason: "underpaid", maxAcceptedSats };
  if (receivedAmountSats > maxAcceptedSats) return { accepted: false, reason: "overpaid", maxAcceptedSats };
  return { accepted: true, overpaidSats: receivedAmountSats - expectedAmountSats };
}

/**
 * Like judgeFunding, but throws on refusal.
 * @returns the overpaid amount in sats (0n when exact)
 * @throws GatewayError `funding.underpaid`, `funding.overpaid`, `amount.*`
 */
export function assertFundingAccepted(
  expectedAmountSats: bigint,
  receivedAmountSats: bigint,
  policy: FundingPolicy = DEFAULT_FUNDING_POLICY,
): bigint {
  const verdict = judgeFunding(expectedAmountSats, receivedAmountSats, policy);
  if (verdict.accepted) return verdict.overpaidSats;
  const details = {
    expectedAmountSats: expectedAmountSats.toString(),
    receivedAmountSats: receivedAmountSats.toString(),
    maxAcceptedSats: verdict.maxAcceptedSats.toString(),
  };
  throw verdict.reason === "underpaid"
    ? fail("funding.underpaid", "the VHTLC holds less than the expected amount", details)
    : fail("funding.overpaid", "the VHTLC holds more than the accepted overpayment", details);
}
