/**
 * What a batch join persists about the wallet's own VTXOs, as one port (Postgres in production,
 * pg-batch-store.ts; in memory in tests). Renewing VTXOs reserves them under a batch key before
 * RegisterIntent (so no offchain spend picks them meanwhile), and only the finalized batch turns
 * them spent; until then they stay the wallet's, and a crash leaves a reservation that recovery
 * settles from the indexer (spent → spent, else released). Swept VTXOs (arkd swept their batch:
 * recoverable, no forfeit) are reserved the same way and go back to swept when released.
 */

/** A wallet VTXO created by a batch. */
export interface BatchOutputVtxo {
  readonly outpoint: string;
  readonly amountSats: bigint;
  readonly script: string;
}

/** A wallet VTXO a batch may take: spendable, or swept (recoverable). */
export interface BatchCandidate {
  readonly outpoint: string;
  readonly amountSats: bigint;
  /** Sweep deadline in the server's unit (height or unix seconds), when known. */
  readonly expiresAt: bigint | undefined;
  /** arkd's expires_at (unix seconds), when known. */
  readonly offchainUntil: bigint | undefined;
  readonly swept: boolean;
}

export interface BatchReservationStore {
  /**
   * Atomically reserves every outpoint (spendable or swept → reserved for `batchKey`).
   * @returns false, changing nothing, when one of them is neither
   */
  reserveForBatch(batchKey: string, outpoints: readonly string[]): Promise<boolean>;

  /** Reserved-for-`batchKey` VTXOs go back to spendable (swept ones to swept). Idempotent. */
  releaseBatch(batchKey: string): Promise<void>;

  /**
   * The batch finalized: its reserved inputs become spent (by `commitmentTxid`) and `output`, when
   * given, is recorded as spendable, in one transaction. Idempotent.
   */
  settleBatch(batchKey: string, commitmentTxid: string, output: BatchOutputVtxo | undefined): Promise<void>;

  /** Batch keys holding reservations, with their outpoints (crash recovery). */
  openBatches(): Promise<{ batchKey: string; outpoints: string[] }[]>;

  /** Every spendable or swept wallet VTXO (what renewal and recovery choose from). */
  batchCandidates(): Promise<BatchCandidate[]>;
}

/** Prefix of `reserved_for` values owned by batch joins (swap spends use their spend id). */
export const BATCH_KEY_PREFIX = "batch:";

/**
 * Appended to the batch key in `reserved_for` of a reserved VTXO that was swept, so that a
 * release puts it back to swept (no schema change; `openBatches` reports the plain key).
 */
export const SWEPT_RESERVATION_SUFFIX = "~swept";
