/**
 * What a batch join persists about the wallet's own VTXOs, as one port (Postgres in production,
 * pg-batch-store.ts; in memory in tests). Renewing VTXOs reserves them under a batch key before
 * RegisterIntent (so no offchain spend picks them meanwhile), and only the finalized batch turns
 * them spent; until then they stay the wallet's, and a crash leaves a reservation that recovery
 * settles from the indexer (spent → spent, else released).
 */

/** A wallet VTXO created by a batch. */
export interface BatchOutputVtxo {
  readonly outpoint: string;
  readonly amountSats: bigint;
  readonly script: string;
}

export interface BatchReservationStore {
  /**
   * Atomically reserves every outpoint (spendable → reserved for `batchKey`).
   * @returns false, changing nothing, when one of them is not spendable
   */
  reserveForBatch(batchKey: string, outpoints: readonly string[]): Promise<boolean>;

  /** Reserved-for-`batchKey` VTXOs go back to spendable. Idempotent. */
  releaseBatch(batchKey: string): Promise<void>;

  /**
   * The batch finalized: its reserved inputs become spent (by `commitmentTxid`) and `output`, when
   * given, is recorded as spendable, in one transaction. Idempotent.
   */
  settleBatch(batchKey: string, commitmentTxid: string, output: BatchOutputVtxo | undefined): Promise<void>;

  /** Batch keys holding reservations, with their outpoints (crash recovery). */
  openBatches(): Promise<{ batchKey: string; outpoints: string[] }[]>;
}

/** Prefix of `reserved_for` values owned by batch joins (swap spends use their spend id). */
export const BATCH_KEY_PREFIX = "batch:";
