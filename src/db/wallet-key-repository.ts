/**
 * The gateway's key derivation indexes: each index is handed out once, to one swap at most, so
 * no two swaps ever share a key. Allocation locks the table for the transaction: simple and
 * gap-free, and key allocation is rare next to everything else.
 */
import { sql } from "kysely";
import { dbError } from "./errors.js";
import type { WalletKeyRow } from "./schema.js";
import { inTransaction, type Executor } from "./transaction.js";

export type WalletKeyPurpose = "swap" | "wallet";

export interface WalletKey {
  readonly derivationIndex: bigint;
  readonly purpose: WalletKeyPurpose;
  readonly swapId: string | null;
  /** 33-byte compressed public key, hex. */
  readonly publicKey: string;
  readonly createdAt: Date;
}

export interface AllocateKey {
  readonly purpose: WalletKeyPurpose;
  /** The swap this key belongs to; its row may be inserted later in the same transaction. */
  readonly swapId?: string;
  /** Derives the public key (33-byte compressed hex) of an index: the wallet's job, not ours. */
  readonly derivePublicKey: (derivationIndex: bigint) => string;
}

/**
 * Allocates the next derivation index (max + 1, from 0) and records its public key.
 * @throws GatewayError `db.duplicate` when the swap already has a key; whatever derivePublicKey throws
 */
export async function allocateWalletKey(db: Executor, req: AllocateKey): Promise<WalletKey> {
  return inTransaction(db, async (tx) => {
    await sql`lock table wallet_keys in share row exclusive mode`.execute(tx);
    if (req.swapId !== undefined) {
      const existing = await tx
        .selectFrom("wallet_keys")
        .select("derivation_index")
        .where("swap_id", "=", req.swapId)
        .executeTakeFirst();
      if (existing !== undefined) throw dbError("db.duplicate", `swap ${req.swapId} already has a key`);
    }
    const { max } = await tx
      .selectFrom("wallet_keys")
      .select((eb) => eb.fn.max<bigint | null>("derivation_index").as("max"))
      .executeTakeFirstOrThrow();
    const derivationIndex = max === null ? 0n : BigInt(max) + 1n;
    const row = await tx
      .insertInto("wallet_keys")
      .values({
        derivation_index: derivationIndex,
        purpose: req.purpose,
        swap_id: req.swapId ?? null,
        public_key: req.derivePublicKey(derivationIndex),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toWalletKey(row);
  });
}

/** The key of a swap, if any. */
export async function findWalletKeyBySwap(db: Executor, swapId: string): Promise<WalletKey | undefined> {
  const row = await db.selectFrom("wallet_keys").selectAll().where("swap_id", "=", swapId).executeTakeFirst();
  return row === undefined ? undefined : toWalletKey(row);
}

/** The key with this public key, if it is ours. */
export async function findWalletKeyByPublicKey(
  db: Executor,
  publicKey: string,
): Promise<WalletKey | undefined> {
  const row = await db
    .selectFrom("wallet_keys")
    .selectAll()
    .where("public_key", "=", publicKey)
    .executeTakeFirst();
  return row === undefined ? undefined : toWalletKey(row);
}

function toWalletKey(row: WalletKeyRow): WalletKey {
  if (row.purpose !== "swap" && row.purpose !== "wallet") {
    throw dbError(
      "db.corrupt_row",
      `wallet key ${row.derivation_index} has unknown purpose "${row.purpose}"`,
    );
  }
  return {
    derivationIndex: row.derivation_index,
    purpose: row.purpose,
    swapId: row.swap_id,
    publicKey: row.public_key,
    createdAt: row.created_at,
  };
}
