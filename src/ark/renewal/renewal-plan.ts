/**
 * Which of the wallet's VTXOs to put in the next renewal batch: a pure decision over the coins,
 * the clock (unix seconds) and the chain tip. A VTXO is due when
 *
 * - arkd swept its batch (recoverable: only a batch can take it, without a forfeit), or
 * - arkd's `expires_at` (`offchainUntil`, unix seconds) is within `offchainSeconds` of now, or
 *   past (then arkd no longer takes it offchain, but still in a batch, without a forfeit), or
 * - its sweep deadline (`sweepDeadline`: a height when below 500,000,000, else unix seconds) is
 *   within `sweepBlocks` blocks of the tip (respectively `sweepSeconds` of now), or past.
 *
 * A coin with neither deadline known (not yet seen by the indexer) is left for a later tick.
 * The most urgent coins go first (swept, then expired, then the nearest deadline), at most
 * `maxInputs` per batch; the rest wait for the next batch.
 */

/** Values at or above this are unix times, below are block heights (nLockTime's rule). */
const LOCKTIME_THRESHOLD = 500_000_000n;

export interface RenewalCoin {
  readonly outpoint: string;
  readonly amountSats: bigint;
  /** Sweep deadline of the coin's batch in the server's unit, when known. */
  readonly sweepDeadline: bigint | undefined;
  /** arkd's expires_at (unix seconds), when known. */
  readonly offchainUntil: bigint | undefined;
  readonly swept: boolean;
}

export interface RenewalMargins {
  /** Renew this many seconds before arkd's expires_at. */
  readonly offchainSeconds: bigint;
  /** Renew this many blocks before a block-typed sweep deadline. */
  readonly sweepBlocks: bigint;
  /** Renew this many seconds before a seconds-typed sweep deadline. */
  readonly sweepSeconds: bigint;
}

export interface RenewalClock {
  readonly nowSeconds: bigint;
  /** The chain tip; undefined when unknown (block-typed sweep deadlines are then not checked). */
  readonly tipHeight: bigint | undefined;
}

/** Why a coin is due, most urgent first. */
export const RENEWAL_REASONS = [
  "swept",
  "offchain_expired",
  "sweep_deadline_passed",
  "offchain_deadline",
  "sweep_deadline",
] as const;
export type RenewalReason = (typeof RENEWAL_REASONS)[number];

export interface DueCoin {
  readonly coin: RenewalCoin;
  readonly reason: RenewalReason;
  /** Seconds (or blocks, for the block-typed sweep reasons) left before the deadline; ≤ 0 past it. */
  readonly left: bigint;
}

export interface RenewalPlan {
  /** The coins of the next batch, most urgent first (≤ maxInputs). */
  readonly batch: readonly DueCoin[];
  /** Due coins left for a later batch (over maxInputs). */
  readonly deferred: number;
  /** Coins with no known deadline yet. */
  readonly unknown: number;
}

/** Why `coin` is due now, or undefined when it is not. */
export function dueReason(
  coin: RenewalCoin,
  clock: RenewalClock,
  margins: RenewalMargins,
): { reason: RenewalReason; left: bigint } | undefined {
  if (coin.swept) return { reason: "swept", left: 0n };
  const found: { reason: RenewalReason; left: bigint }[] = [];
  if (coin.offchainUntil !== undefined) {
    const left = coin.offchainUntil - clock.nowSeconds;
    if (left <= 0n) found.push({ reason: "offchain_expired", left });
    else if (left <= margins.offchainSeconds) found.push({ reason: "offchain_deadline", left });
  }
  if (coin.sweepDeadline !== undefined && coin.sweepDeadline > 0n) {
    const seconds = coin.sweepDeadline >= LOCKTIME_THRESHOLD;
    const now = seconds ? clock.nowSeconds : clock.tipHeight;
    if (now !== undefined) {
      const left = coin.sweepDeadline - now;
      const margin = seconds ? margins.sweepSeconds : margins.sweepBlocks;
      if (left <= 0n) found.push({ reason: "sweep_deadline_passed", left });
      else if (left <= margin) found.push({ reason: "sweep_deadline", left });
    }
  }
  found.sort((a, b) => RENEWAL_REASONS.indexOf(a.reason) - RENEWAL_REASONS.indexOf(b.reason));
  return found[0];
}

/**
 * @param coins the wallet's spendable and swept VTXOs (reserved ones are not offered)
 * @param maxInputs inputs of one batch (≥ 1)
 */
export function planRenewal(
  coins: readonly RenewalCoin[],
  clock: RenewalClock,
  margins: RenewalMargins,
  maxInputs: number,
): RenewalPlan {
  const due: DueCoin[] = [];
  let unknown = 0;
  for (const coin of coins) {
    const d = dueReason(coin, clock, margins);
    if (d !== undefined) due.push({ coin, ...d });
    else if (!coin.swept && coin.offchainUntil === undefined && (coin.sweepDeadline ?? 0n) <= 0n) unknown++;
  }
  due.sort(byUrgency);
  const take = Math.max(1, maxInputs);
  return { batch: due.slice(0, take), deferred: Math.max(0, due.length - take), unknown };
}

function byUrgency(a: DueCoin, b: DueCoin): number {
  const r = RENEWAL_REASONS.indexOf(a.reason) - RENEWAL_REASONS.indexOf(b.reason);
  if (r !== 0) return r;
  if (a.left !== b.left) return a.left < b.left ? -1 : 1;
  return a.coin.outpoint < b.coin.outpoint ? -1 : a.coin.outpoint > b.coin.outpoint ? 1 : 0;
}
