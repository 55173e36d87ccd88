/**
 * Service fees and the Lightning routing-fee budget. Rates are parts per million (ppm, bigint):
 * 1 % = 10_000 ppm, 1 basis point = 100 ppm. Fees are rounded up, received amounts down.
 */
import { assertSats, ceilDiv, maxBigint, MAX_SATS, msatToSatsFloor } from "./amounts.js";
import { errorFactory } from "./errors.js";

export const FEE_ERRORS = {
  "fee.invalid_rate": { httpStatus: 500, retryable: false },
  "fee.exceeds_amount": { httpStatus: 400, retryable: false },
} as const;

const fail = errorFactory(FEE_ERRORS);

export const PPM_PER_UNIT = 1_000_000n;
export const PPM_PER_PERCENT = 10_000n;
export const PPM_PER_BASIS_POINT = 100n;

/** The fee of one swap direction: `baseFeeSats + ⌈amount × ratePpm / 10^6⌉`. */
export interface FeeSchedule {
  /** Proportional fee in parts per million of the invoice amount (0 ≤ rate < 10^6). */
  readonly ratePpm: bigint;
  /** Fixed fee added to every swap, in sats (may be 0). */
  readonly baseFeeSats: bigint;
}

/** Budget for what LND may spend on routing a submarine payment. */
export interface RoutingFeeBudget {
  /** Proportional budget in ppm of the invoice amount (production number: 3_500 = 0.35 %). */
  readonly ratePpm: bigint;
  /** Lower bound of the budget in sats (production number: 121). */
  readonly minSats: bigint;
}

export const DEFAULT_ROUTING_FEE_BUDGET: RoutingFeeBudget = Object.freeze({ ratePpm: 3_500n, minSats: 121n });

/**
 * Parses a percentage decimal string ("0.35", at most 4 decimals) into ppm, exactly.
 * @throws GatewayError `fee.invalid_rate` when malformed or ≥ 100 %
 */
export function parsePercentToPpm(text: string): bigint {
  const match = typeof text === "string" ? /^(0|[1-9][0-9]?)(?:\.([0-9]{1,4}))?$/.exec(text) : null;
  if (match === null)
    throw fail("fee.invalid_rate", `"${String(text)}" is not a percentage below 100 with ≤ 4 decimals`);
  return BigInt(match[1] ?? "0") * PPM_PER_PERCENT + BigInt((match[2] ?? "").padEnd(4, "0"));
}

/** Formats ppm as a percentage string without trailing zeros (3_500n → "0.35"). @throws as assertRatePpm */
export function formatPpmAsPercent(ratePpm: bigint): string {
  assertRatePpm(ratePpm);
  const whole = ratePpm / PPM_PER_PERCENT;
  const fraction = (ratePpm % PPM_PER_PERCENT).toString().padStart(4, "0").replace(/0+$/, "");
  return fraction === "" ? whole.toString() : `${whole}.${fraction}`;
}

/** Basis points → ppm. @throws as assertRatePpm */
export function basisPointsToPpm(basisPoints: bigint): bigint {
  return assertRatePpm(basisPoints * PPM_PER_BASIS_POINT);
}

/**
 * Asserts 0 ≤ ratePpm < 10^6 (a fee of 100 % or more is a misconfiguration).
 * @throws GatewayError `fee.invalid_rate`
 */
export function assertRatePpm(ratePpm: unknown, name = "ratePpm"): bigint {
  if (typeof ratePpm !== "bigint" || ratePpm < 0n || ratePpm >= PPM_PER_UNIT) {
    throw fail("fee.invalid_rate", `${name} must be a bigint in [0, 1000000)`, { name });
  }
  return ratePpm;
}

/** ⌈amountSats × ratePpm / 10^6⌉. @throws as assertSats / assertRatePpm */
export function proportionalFeeSats(amountSats: bigint, ratePpm: bigint): bigint {
  assertSats(amountSats);
  assertRatePpm(ratePpm);
  return ceilDiv(amountSats * ratePpm, PPM_PER_UNIT);
}

/**
 * Total service fee for an invoice amount: base fee + proportional fee (rounded up).
 * @throws GatewayError `fee.invalid_rate`, `amount.*`
 */
export function serviceFeeSats(invoiceAmountSats: bigint, schedule: FeeSchedule): bigint {
  return assertSats(
    assertSats(schedule.baseFeeSats, "baseFeeSats") +
      proportionalFeeSats(invoiceAmountSats, schedule.ratePpm),
    "feeSats",
  );
}

export interface SubmarineQuote {
  /**
   * The invoice's whole sats (msat rounded down): what the wallet is charged for. A sub-sat
   * remainder (< 1 sat) is the gateway's: wallets bound what they fund by the invoice's whole
   * sats plus the advertised fees (`@arkade-os/boltz-swap` 0.3.x refuses more).
   */
  readonly invoiceAmountSats: bigint;
  readonly feeSats: bigint;
  /** What the wallet must lock in the VHTLC: invoice + fee. */
  readonly expectedAmountSats: bigint;
}

/**
 * Submarine (Ark→LN): the Ark amount a wallet must lock to have `invoiceAmountMsat` paid:
 * whole sats + base fee + ⌈whole sats × rate⌉, exactly the most a wallet computes from the
 * advertised pair (`invoiceSats + minerFees + ceil(invoiceSats × percentage / 100)`).
 * @param invoiceAmountMsat the BOLT11 amount in msat (a sub-sat part is not charged)
 * @throws GatewayError `amount.*` (bad or too large amount), `fee.invalid_rate`
 */
export function quoteSubmarine(invoiceAmountMsat: bigint, schedule: FeeSchedule): SubmarineQuote {
  const invoiceAmountSats = msatToSatsFloor(invoiceAmountMsat);
  const feeSats = serviceFeeSats(invoiceAmountSats, schedule);
  const expectedAmountSats = assertSats(invoiceAmountSats + feeSats, "expectedAmountSats");
  return { invoiceAmountSats, feeSats, expectedAmountSats };
}

export interface ReverseQuote {
  readonly invoiceAmountSats: bigint;
  readonly feeSats: bigint;
  /** What the gateway locks in the VHTLC for the wallet: invoice − fee. */
  readonly onchainAmountSats: bigint;
}

/**
 * Reverse (LN→Ark): the Ark amount locked for the wallet when it pays `invoiceAmountSats`.
 * @throws GatewayError `fee.exceeds_amount` when the fee leaves nothing, `amount.*`, `fee.invalid_rate`
 */
export function quoteReverse(invoiceAmountSats: bigint, schedule: FeeSchedule): ReverseQuote {
  const feeSats = serviceFeeSats(invoiceAmountSats, schedule);
  if (feeSats >= invoiceAmountSats) {
    throw fail("fee.exceeds_amount", "the fee is not smaller than the invoice amount", {
      invoiceAmountSats: invoiceAmountSats.toString(),
      feeSats: feeSats.toString(),
    });
  }
  return { invoiceAmountSats, feeSats, onchainAmountSats: invoiceAmountSats - feeSats };
}

/**
 * The most LND may spend routing a payment of `invoiceAmountSats`:
 * max(⌈amount × ratePpm / 10^6⌉, minSats), never more than the amount cap.
 * @throws GatewayError `amount.*`, `fee.invalid_rate`
 */
export function routingFeeBudgetSats(
  invoiceAmountSats: bigint,
  budget: RoutingFeeBudget = DEFAULT_ROUTING_FEE_BUDGET,
): bigint {
  const proportional = proportionalFeeSats(invoiceAmountSats, budget.ratePpm);
  const budgetSats = maxBigint(proportional, assertSats(budget.minSats, "minSats"));
  return budgetSats > MAX_SATS ? MAX_SATS : budgetSats;
}
