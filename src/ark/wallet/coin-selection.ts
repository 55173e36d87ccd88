/**
 * Coin selection for paying one amount from the gateway's VTXOs, pure and deterministic:
 * largest first (fewest inputs, so fewest checkpoints), ties by outpoint. Offchain Ark txs pay
 * no fee (Σ out = Σ in), so the only waste is change, and the only hazard is change below dust:
 * it cannot be a normal VTXO (§4). When the change would be sub-dust, one more coin is added
 * (the smallest that lifts the change to dust); if none does, the change is paid as a sub-dust
 * OP_RETURN to the wallet's own output key, as arkd and the SDK do. Change above the server's
 * VTXO maximum is split into equal parts within the limits.
 */
import { walletError } from "./errors.js";

export interface Coin {
  /** `txid:vout`. */
  readonly outpoint: string;
  readonly amountSats: bigint;
  /** Batch expiry (height or unix time, as arkd reports it); undefined while not known. */
  readonly expiresAt?: bigint | undefined;
  /** arkd's expires_at (unix seconds): arkd refuses to let it be spent offchain after that. */
  readonly offchainUntil?: bigint | undefined;
}

/** The server limits that apply (GetInfo); negative min/max mean "no limit". */
export interface SelectionPolicy {
  readonly dustSats: bigint;
  readonly vtxoMinAmountSats: bigint;
  readonly vtxoMaxAmountSats: bigint;
  /** Upper bound of inputs of one spend (each input is one checkpoint tx). */
  readonly maxInputs: number;
}

export interface Selection {
  readonly inputs: readonly Coin[];
  /** Normal change outputs (each ≥ dust and within min/max), possibly none. */
  readonly changeSats: readonly bigint[];
  /** Change below dust, paid as an OP_RETURN sub-dust output (0n when none). */
  readonly subdustChangeSats: bigint;
}

/**
 * Selects coins paying `targetSats`.
 * @param coins spendable coins (any order; duplicates are not allowed)
 * @param targetSats amount to pay (sats, > 0, ≥ dust and within the VTXO limits)
 * @throws GatewayError `wallet.amount_out_of_range` (target outside dust/min/max),
 *   `wallet.insufficient_funds`, `wallet.too_many_inputs`
 */
export function selectCoins(coins: readonly Coin[], targetSats: bigint, policy: SelectionPolicy): Selection {
  assertPayable(targetSats, policy);
  const sorted = [...coins].sort(byAmountDescThenOutpoint);
  const chosen: Coin[] = [];
  let total = 0n;
  for (const c of sorted) {
    if (total >= targetSats) break;
    chosen.push(c);
    total += c.amountSats;
  }
  if (total < targetSats)
    throw walletError("wallet.insufficient_funds", `need ${targetSats} sats, the wallet has ${total}`, {
      neededSats: targetSats.toString(),
      availableSats: total.toString(),
    });
  let change = total - targetSats;
  if (change > 0n && change < minChange(policy)) {
    const rest = sorted.slice(chosen.length).reverse(); // smallest first
    const lift = rest.find((c) => change + c.amountSats >= minChange(policy));
    if (lift !== undefined) {
      chosen.push(lift);
      change += lift.amountSats;
    }
  }
  if (chosen.length > policy.maxInputs)
    throw walletError(
      "wallet.too_many_inputs",
      `paying ${targetSats} sats needs ${chosen.length} VTXOs, at most ${policy.maxInputs} per spend`,
      { inputs: chosen.length, maxInputs: policy.maxInputs },
    );
  if (change === 0n) return { inputs: chosen, changeSats: [], subdustChangeSats: 0n };
  if (change < minChange(policy)) return { inputs: chosen, changeSats: [], subdustChangeSats: change };
  return { inputs: chosen, changeSats: splitChange(change, policy), subdustChangeSats: 0n };
}

/**
 * Checks an amount can be one normal (P2TR) Ark output under the policy.
 * @throws GatewayError `wallet.amount_out_of_range`
 */
export function assertPayable(amountSats: bigint, policy: SelectionPolicy): void {
  const bad = (why: string) =>
    walletError("wallet.amount_out_of_range", `${amountSats} sats ${why}`, {
      amountSats: String(amountSats),
    });
  if (typeof amountSats !== "bigint" || amountSats <= 0n) throw bad("is not a positive bigint");
  if (amountSats < policy.dustSats) throw bad(`is below dust (${policy.dustSats})`);
  if (policy.vtxoMinAmountSats >= 0n && amountSats < policy.vtxoMinAmountSats)
    throw bad(`is below the server's VTXO minimum (${policy.vtxoMinAmountSats})`);
  if (policy.vtxoMaxAmountSats >= 0n && amountSats > policy.vtxoMaxAmountSats)
    throw bad(`is above the server's VTXO maximum (${policy.vtxoMaxAmountSats})`);
}

/**
 * Pays `amountSats` to ourselves within the policy: normal outputs (split above the VTXO maximum),
 * or one sub-dust amount when it is below the smallest normal output.
 */
export function splitOwnAmount(
  amountSats: bigint,
  policy: SelectionPolicy,
): { readonly normal: readonly bigint[]; readonly subdust: bigint } {
  if (amountSats <= 0n) return { normal: [], subdust: 0n };
  if (amountSats < minChange(policy)) return { normal: [], subdust: amountSats };
  return { normal: splitChange(amountSats, policy), subdust: 0n };
}

/** Smallest amount a normal change output may have. */
function minChange(policy: SelectionPolicy): bigint {
  return policy.vtxoMinAmountSats > policy.dustSats ? policy.vtxoMinAmountSats : policy.dustSats;
}

/** Splits change above the VTXO maximum into the fewest near-equal parts (remainder spread 1 sat each). */
function splitChange(change: bigint, policy: SelectionPolicy): bigint[] {
  const max = policy.vtxoMaxAmountSats;
  if (max < 0n || change <= max) return [change];
  const parts = (change + max - 1n) / max;
  const each = change / parts;
  const rem = change - each * parts;
  return Array.from({ length: Number(parts) }, (_, i) => (BigInt(i) < rem ? each + 1n : each));
}

function byAmountDescThenOutpoint(a: Coin, b: Coin): number {
  if (a.amountSats !== b.amountSats) return a.amountSats > b.amountSats ? -1 : 1;
  return a.outpoint < b.outpoint ? -1 : a.outpoint > b.outpoint ? 1 : 0;
}

/**
 * Whether the coin was unrolled onchain: the wallet records that as `offchainUntil = 0` (arkd's
 * own expires_at is always a real unix time). arkd refuses such a coin offchain and, on this
 * network's short exit delay, as a batch input too ("unrolled vtxo CSV expires too soon"), so
 * neither spends nor renewals may pick it: one in a batch would fail every renewal.
 */
export function isUnrolledCoin(coin: Pick<Coin, "offchainUntil">): boolean {
  return coin.offchainUntil === 0n;
}
