/**
 * BatchReservationStore over the wallet_vtxos table (kysely): reservations are compare-and-set
 * state changes with `reserved_for = batch:<id>`, settled or released in one transaction.
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import { insertVtxo, updateVtxoState } from "../../db/vtxo-repository.js";
import { BATCH_KEY_PREFIX, type BatchReservationStore } from "./batch-store.js";

/** Thrown inside a transaction to roll the reservation back. */
class NotSpendable extends Error {}

/** A BatchReservationStore on the gateway's database. */
export function createPgBatchStore(db: Kysely<DB>): BatchReservationStore {
  return {
    async reserveForBatch(batchKey, outpoints) {
      try {
        await inTransaction(db, async (tx) => {
          for (const outpoint of outpoints) {
            const ok = await updateVtxoState(tx, {
              outpoint,
              from: "spendable",
              to: "reserved",
              reservedFor: batchKey,
            });
            if (!ok) throw new NotSpendable(outpoint);
          }
        });
        return true;
      } catch (err) {
        if (err instanceof NotSpendable) return false;
        throw err;
      }
    },

    async releaseBatch(batchKey) {
      await db
        .updateTable("wallet_vtxos")
        .set({ state: "spendable", reserved_for: null, updated_at: sql<Date>`now()` })
        .where("state", "=", "reserved")
        .where("reserved_for", "=", batchKey)
        .execute();
    },

    async settleBatch(batchKey, commitmentTxid, output) {
      await inTransaction(db, async (tx) => {
        await tx
          .updateTable("wallet_vtxos")
          .set({ state: "spent", spent_by: commitmentTxid, reserved_for: null, updated_at: sql<Date>`now()` })
          .where("state", "=", "reserved")
          .where("reserved_for", "=", batchKey)
          .execute();
        if (output !== undefined)
          await insertVtxo(tx, {
            ...output,
            state: "spendable",
            commitmentTxids: [commitmentTxid],
          });
      });
    },

    async openBatches() {
      const rows = await db
        .selectFrom("wallet_vtxos")
        .select(["reserved_for", "outpoint"])
        .where("state", "=", "reserved")
        .where("reserved_for", "like", `${BATCH_KEY_PREFIX}%`)
        .orderBy("outpoint")
        .execute();
      const byKey = new Map<string, string[]>();
      for (const r of rows) {
        const key = r.reserved_for as string;
        byKey.set(key, [...(byKey.get(key) ?? []), r.outpoint]);
      }
      return [...byKey].map(([batchKey, outpoints]) => ({ batchKey, outpoints }));
    },
  };
}
