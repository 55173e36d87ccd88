/**
 * `liquidity status`, pure: the Ark balance by how long each VTXO stays usable offchain, and what
 * each swap direction can still take given LND's channels, the Ark balance and the gateway's
 * fees and limits.
 * - Buckets use arkd's `expires_at` (unix seconds; past it arkd refuses offchain spends, and the
 *   wallet stops using a VTXO 30 s before): < 1 h, < 1 day, later; swept, or within 30 s of
 *   expires_at, is "not usable offchain" (only a batch recovers it).
 * - Submarine (Ark → LN): the gateway pays the invoice from its channels' local balance, with up
 *   to the routing fee budget on top: the largest invoice I with I + budget(I) ≤ local.
 * - Reverse (LN → Ark): the gateway locks I − fee(I) of its Ark balance for an invoice I the user
 *   pays into its channels: the largest I with I − fee(I) ≤ Ark spendable and I ≤ remote.
 * Both are then capped by the configured limits; below the configured minimum a direction takes
 * nothing.
 */
import {
  serviceFeeSats,
  routingFeeBudgetSats,
  type FeeSchedule,
  type RoutingFeeBudget,
} from "../domain/fees.js";
import type { SwapLimits } from "../domain/limits.js";
import { MAX_SATS } from "../domain/amounts.js";

/** Seconds before expires_at at which the wallet stops spending a VTXO offchain (usableOffchain). */
export const OFFCHAIN_MARGIN_SECONDS = 30n;

export interface StatusVtxo {
  readonly amountSats: bigint;
  /** arkd's expires_at (unix seconds); undefined when unknown. */
  readonly expiresAt: bigint | undefined;
  readonly swept: boolean;
}

export interface ExpiryBuckets {
  readonly underHourSats: bigint;
  readonly underDaySats: bigint;
  readonly laterSats: bigint;
  /** Swept or past (expires_at − margin): a batch can recover it, a swap cannot spend it. */
  readonly notUsableSats: bigint;
  /** Σ of the three usable buckets. */
  readonly usableSats: bigint;
  readonly counts: {
    readonly underHour: number;
    readonly underDay: number;
    readonly later: number;
    readonly notUsable: number;
  };
}

/** Buckets VTXOs by the time left until arkd's expires_at, at `nowSeconds`. */
export function bucketByExpiry(vtxos: readonly StatusVtxo[], nowSeconds: bigint): ExpiryBuckets {
  const sums = { underHour: 0n, underDay: 0n, later: 0n, notUsable: 0n };
  const counts = { underHour: 0, underDay: 0, later: 0, notUsable: 0 };
  for (const v of vtxos) {
    let bucket: keyof typeof sums;
    if (v.swept) bucket = "notUsable";
    else if (v.expiresAt === undefined) bucket = "later";
    else {
      const left = v.expiresAt - nowSeconds;
      if (left <= OFFCHAIN_MARGIN_SECONDS) bucket = "notUsable";
      else if (left < 3_600n) bucket = "underHour";
      else if (left < 86_400n) bucket = "underDay";
      else bucket = "later";
    }
    sums[bucket] += v.amountSats;
    counts[bucket]++;
  }
  return {
    underHourSats: sums.underHour,
    underDaySats: sums.underDay,
    laterSats: sums.later,
    notUsableSats: sums.notUsable,
    usableSats: sums.underHour + sums.underDay + sums.later,
    counts,
  };
}

/** The largest n in [0, hi] with ok(n), for ok monotone (true up to some point, then false). */
function largest(hi: bigint, ok: (n: bigint) => boolean): bigint {
  if (hi <= 0n || !ok(0n)) return 0n;
  let lo = 0n;
  let top = hi;
  while (lo < top) {
    const mid = (lo + top + 1n) / 2n;
    if (ok(mid)) lo = mid;
    else top = mid - 1n;
  }
  return lo;
}

export interface DirectionCapacity {
  /** Largest invoice amount the direction can take now (0 when below the configured minimum). */
  readonly maxInvoiceSats: bigint;
  /** What bounds it. */
  readonly limitedBy: "lightning" | "ark" | "config_max" | "below_min";
}

/**
 * Largest submarine invoice: I + routing budget(I) ≤ LN local balance, capped by the limits.
 */
export function submarineCapacity(p: {
  readonly lnLocalSats: bigint;
  readonly limits: SwapLimits;
  readonly routingFeeBudget: RoutingFeeBudget;
}): DirectionCapacity {
  const byLn = largest(
    p.lnLocalSats,
    (i) => i + routingFeeBudgetSats(i, p.routingFeeBudget) <= p.lnLocalSats,
  );
  return cap(byLn, "lightning", p.limits);
}

/**
 * Largest reverse invoice: I − fee(I) ≤ Ark spendable and I ≤ LN remote balance, capped by the limits.
 */
export function reverseCapacity(p: {
  readonly arkSpendableSats: bigint;
  readonly lnRemoteSats: bigint;
  readonly limits: SwapLimits;
  readonly fees: FeeSchedule;
}): DirectionCapacity {
  // I − fee(I) grows with I (the rate is below 100 %), so the bound is monotone
  const guess = p.arkSpendableSats * 2n + p.fees.baseFeeSats + 1_000_000n;
  const hiArk = guess > MAX_SATS ? MAX_SATS : guess;
  const byArk = largest(hiArk, (i) => i - serviceFeeSats(i, p.fees) <= p.arkSpendableSats);
  const [amount, by] =
    byArk <= p.lnRemoteSats ? [byArk, "ark" as const] : [p.lnRemoteSats, "lightning" as const];
  return cap(amount, by, p.limits);
}

function cap(amount: bigint, by: "lightning" | "ark", limits: SwapLimits): DirectionCapacity {
  if (amount > limits.maxSats) return { maxInvoiceSats: limits.maxSats, limitedBy: "config_max" };
  if (amount < limits.minSats) return { maxInvoiceSats: 0n, limitedBy: "below_min" };
  return { maxInvoiceSats: amount, limitedBy: by };
}
