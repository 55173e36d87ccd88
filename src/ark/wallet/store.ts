/**
 * What the wallet persists, as one interface: the Postgres implementation (pg-store.ts) in
 * production, an in-memory one in unit tests. Every method that changes several rows does so
 * atomically; VTXO state changes are compare-and-set, so two workers never reserve one VTXO.
 */
import type { Coin } from "./coin-selection.js";

export type SpendKind = "fund" | "claim" | "refund";
/**
 * submitting: persisted, SubmitTx may or may not have reached arkd;
 * submitted: arkd answered SubmitTx (server-signed txs stored), FinalizeTx pending;
 * finalized / failed: terminal (failed released its reservations).
 */
export type SpendState = "submitting" | "submitted" | "finalized" | "failed";

/** One offchain spend, recorded before SubmitTx. */
export interface SpendRecord {
  /** Idempotency key. */
  readonly id: string;
  readonly kind: SpendKind;
  readonly state: SpendState;
  /** Fingerprint of the request (e.g. `script:amount`), to refuse a key reused for another spend. */
  readonly request: string;
  readonly arkTxid: string;
  /** Our signed ark tx (with condition fields), base64 PSBT. */
  readonly signedArkTx: string;
  /** Unsigned checkpoints with their taptree/condition fields, base64, in input order. */
  readonly checkpointTxs: readonly string[];
  /** SubmitTx's answer, once received. */
  readonly serverArkTx: string | null;
  readonly serverCheckpointTxs: readonly string[] | null;
  /** Every spent outpoint, in input order. */
  readonly inputOutpoints: readonly string[];
  /** The wallet VTXOs this spend reserved (a subset of the inputs). */
  readonly reservedOutpoints: readonly string[];
  /** Key that signs every input: null = the wallet key, else this swap key index. */
  readonly swapKeyIndex: number | null;
  /** The output the spend exists for (a fund's VHTLC VTXO), `txid:vout`. */
  readonly resultOutpoint: string | null;
  readonly failureReason: string | null;
}

export type NewSpendRecord = Omit<
  SpendRecord,
  "state" | "serverArkTx" | "serverCheckpointTxs" | "failureReason"
>;

/** A VTXO of the wallet's own script as the indexer (or our own finalized spend) reports it. */
export interface ObservedVtxo {
  readonly outpoint: string;
  readonly amountSats: bigint;
  readonly script: string;
  readonly spent: boolean;
  readonly swept: boolean;
  /** Ark txid that spent it, when spent. */
  readonly spentBy: string | undefined;
  readonly expiresAt: bigint | undefined;
  /** arkd's expires_at (unix seconds), when known: no offchain spend after it. */
  readonly offchainUntil?: bigint | undefined;
}

export type CreateSpendResult = "created" | "exists" | "reservation_conflict";

export interface WalletStore {
  /**
   * The derivation index of a swap's key, allocating the next index (durably, before returning)
   * when the swap has none yet.
   * @param derivePublicKey 33-byte compressed hex public key of an index
   */
  swapKey(
    swapId: string,
    derivePublicKey: (index: bigint) => string,
  ): Promise<{ index: bigint; publicKey: string }>;

  /**
   * `swapKey` for several swaps at once, in one durable write where it can (one commit for many
   * new swaps created side by side); same guarantees per swap: each index once, one key per swap,
   * durable before returning. Optional: without it the wallet allocates one swap at a time.
   * @returns each swap's key, by swap id
   */
  allocateSwapKeys?(
    swapIds: readonly string[],
    derivePublicKey: (index: bigint) => string,
  ): Promise<ReadonlyMap<string, { index: bigint; publicKey: string }>>;

  /** Wallet VTXOs in state spendable. */
  spendableVtxos(): Promise<Coin[]>;

  /**
   * Applies what the indexer says about wallet VTXOs: unknown ones are recorded (spendable,
   * spent or swept); known spendable ones become spent/swept. Reserved ones are left to their spend.
   */
  observeVtxos(vtxos: readonly ObservedVtxo[]): Promise<void>;

  /**
   * Atomically reserves `record.reservedOutpoints` (spendable → reserved) and inserts the record.
   * A failed record with the same id is replaced (a new attempt after a released one).
   * @returns "exists" when a non-failed record with this id exists (nothing changed),
   *   "reservation_conflict" when an outpoint was not spendable (nothing changed)
   */
  createSpend(record: NewSpendRecord): Promise<CreateSpendResult>;

  getSpend(id: string): Promise<SpendRecord | undefined>;
  /** Spends in state submitting or submitted, oldest first. */
  openSpends(): Promise<SpendRecord[]>;

  /** submitting → submitted, storing SubmitTx's answer. No-op unless submitting. */
  markSubmitted(id: string, serverArkTx: string, serverCheckpointTxs: readonly string[]): Promise<void>;

  /**
   * → finalized: the reserved inputs become spent (by the ark txid) and `newVtxos` (our outputs)
   * are recorded as spendable. Idempotent.
   * @returns the finalized record
   * @throws GatewayError `wallet.spend_failed` when there is no such spend
   */
  finalizeSpend(
    id: string,
    newVtxos: readonly { outpoint: string; amountSats: bigint; script: string }[],
  ): Promise<SpendRecord>;

  /** → failed with a reason; reserved inputs go back to spendable. No-op on a finalized spend. */
  failSpend(id: string, reason: string): Promise<void>;
}
