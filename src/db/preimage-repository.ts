/**
 * Learned preimages. The table's check constraint refuses a preimage whose sha256 is not the
 * payment hash, so a stored preimage is always the right one (invariant 2). Store it before
 * acting on it (invariant 6).
 */
import { sql } from "kysely";
import { dbError, pgErrorCode, PG_CHECK_VIOLATION } from "./errors.js";
import type { PreimageRow } from "./schema.js";
import type { Executor } from "./transaction.js";

export interface StoredPreimage {
  readonly paymentHash: string;
  /** 32 bytes, hex. A secret: never log it. */
  readonly preimage: string;
  readonly learnedAt: Date;
  readonly settledAt: Date | null;
}

/**
 * Stores a preimage (idempotent: storing it again is a no-op).
 * @returns whether it was new
 * @throws GatewayError `db.invalid_argument` when sha256(preimage) ≠ paymentHash or either is not hex
 */
export async function savePreimage(db: Executor, paymentHash: string, preimage: string): Promise<boolean> {
  try {
    const result = await db
      .insertInto("preimages")
      .values({ payment_hash: paymentHash, preimage })
      .onConflict((oc) => oc.column("payment_hash").doNothing())
      .executeTakeFirst();
    return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
  } catch (err) {
    if (pgErrorCode(err) === PG_CHECK_VIOLATION) {
      throw dbError(
        "db.invalid_argument",
        "the preimage does not hash to the payment hash",
        { paymentHash },
        err,
      );
    }
    throw err;
  }
}

export async function findPreimage(db: Executor, paymentHash: string): Promise<StoredPreimage | undefined> {
  const row = await db
    .selectFrom("preimages")
    .selectAll()
    .where("payment_hash", "=", paymentHash)
    .executeTakeFirst();
  return row === undefined ? undefined : toStoredPreimage(row);
}

/** Records that the invoice of this hash was settled. @returns false when unknown or already marked */
export async function markPreimageSettled(db: Executor, paymentHash: string): Promise<boolean> {
  const result = await db
    .updateTable("preimages")
    .set({ settled_at: sql<Date>`now()` })
    .where("payment_hash", "=", paymentHash)
    .where("settled_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

function toStoredPreimage(row: PreimageRow): StoredPreimage {
  return {
    paymentHash: row.payment_hash,
    preimage: row.preimage,
    learnedAt: row.learned_at,
    settledAt: row.settled_at,
  };
}
