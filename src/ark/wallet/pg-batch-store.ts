/**
 * BatchReservationStore over the wallet_vtxos table (kysely): reservations are compare-and-set
 * state changes with `reserved_for = batch:<id>` (`batch:<id>~swept` for a swept VTXO, so a
 * release restores it), settled or released in one transaction. A transaction or statement that
 * Postgres aborts as a deadlock victim (a settlement racing the indexer's observation of the same
 * rows) is run again: see db/transaction.ts.
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "../../db/schema.js";
import { inTransaction, retryingConflicts } from "../../db/transaction.js";
import { insertVtxo, listVtxos, updateVtxoState } from "../../db/vtxo-repository.js";
import { BATCH_KEY_PREFIX, SWEPT_RESERVATION_SUFFIX, type BatchReservationStore } from "./batch-store.js";

/** Thrown inside a transaction to roll the reservation back. */
class NotSpendable extends Error {}

/** A BatchReservationStore on the gateway's database. */
export function createPgBatchStore(db: Kysely<DB>): BatchReservationStore {
  return {
    async reserveForBatch(batchKey, outpoints) {
      try {
        await inTransaction(db, async (tx) => {
          for (const outpoint of outpoints) {
            const ok =
              (await updateVtxoState(tx, {
                outpoint,
                from: "spendable",
                to: "reserved",
                reservedFor: batchKey,
              })) ||
              (await updateVtxoState(tx, {
                outpoint,
                from: "swept",
                to: "reserved",
                reservedFor: `${batchKey}${SWEPT_RESERVATION_SUFFIX}`,
              }));
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
      await retryingConflicts(() =>
        db
          .updateTable("wallet_vtxos")
          .set({
            state: sql<string>`case when reserved_for = ${sweptKey(batchKey)} then 'swept' else 'spendable' end`,
            reserved_for: null,
            updated_at: sql<Date>`now()`,
          })
          .where("state", "=", "reserved")
          .where("reserved_for", "in", [batchKey, sweptKey(batchKey)])
          .execute(),
      );
    },

    async settleBatch(batchKey, commitmentTxid, output) {
      await inTransaction(db, async (tx) => {
        await tx
          .updateTable("wallet_vtxos")
          .set({ state: "spent", spent_by: commitmentTxid, reserved_for: null, updated_at: sql<Date>`now()` })
          .where("state", "=", "reserved")
          .where("reserved_for", "in", [batchKey, sweptKey(batchKey)])
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
        const key = (r.reserved_for as string).replace(SWEPT_SUFFIX_AT_END, "");
        byKey.set(key, [...(byKey.get(key) ?? []), r.outpoint]);
      }
      return [...byKey].map(([batchKey, outpoints]) => ({ batchKey, outpoints }));
    },

    async batchCandidates() {
      const rows = await listVtxos(db, ["spendable", "swept"]);
      return rows.map((v) => ({
        outpoint: v.outpoint,
        amountSats: v.amountSats,
        expiresAt: v.batchExpiry ?? undefined,
        offchainUntil: v.offchainUntil ?? undefined,
        swept: v.state === "swept",
      }));
    },
  };
}

const SWEPT_SUFFIX_AT_END = new RegExp(`${SWEPT_RESERVATION_SUFFIX}$`);

function sweptKey(batchKey: string): string {
  return `${batchKey}${SWEPT_RESERVATION_SUFFIX}`;
}
