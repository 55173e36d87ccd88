/**
 * WalletStore over Postgres (kysely): wallet_keys + wallet_swap_keys for keys, wallet_vtxos for
 * the gateway's VTXOs (state spendable/reserved/spent/swept, CAS on state), wallet_spends for
 * spends recorded before SubmitTx.
 */
import { sql, type Kysely } from "kysely";
import type { DB, WalletSpendRow } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import { insertVtxo, listVtxos, updateVtxoState } from "../../db/vtxo-repository.js";
import { PG_UNIQUE_VIOLATION, pgErrorCode } from "../../db/errors.js";
import { walletError } from "./errors.js";
import type { CreateSpendResult, NewSpendRecord, SpendRecord, SpendState, WalletStore } from "./store.js";

/** Allocation attempts of one swap key (each lost race to another process costs one). */
const MAX_KEY_ATTEMPTS = 20;

async function findSwapKey(
  db: Kysely<DB>,
  swapId: string,
): Promise<{ index: bigint; publicKey: string } | undefined> {
  const row = await db
    .selectFrom("wallet_swap_keys as m")
    .innerJoin("wallet_keys as k", "k.derivation_index", "m.derivation_index")
    .select(["k.derivation_index", "k.public_key"])
    .where("m.swap_id", "=", swapId)
    .executeTakeFirst();
  return row === undefined ? undefined : { index: row.derivation_index, publicKey: row.public_key };
}

async function nextFreeIndex(db: Kysely<DB>): Promise<bigint> {
  const { max } = await db
    .selectFrom("wallet_keys")
    .select((eb) => eb.fn.max<bigint | null>("derivation_index").as("max"))
    .executeTakeFirstOrThrow();
  return max === null ? 0n : BigInt(max) + 1n;
}

const SPEND_STATES: readonly SpendState[] = ["submitting", "submitted", "finalized", "failed"];

/** A WalletStore on the gateway's database. */
export function createPgWalletStore(db: Kysely<DB>): WalletStore {
  /** The index this store allocates next (undefined: read max + 1 from the table). */
  let nextIndex: bigint | undefined;
  return {
    async swapKey(swapId, derivePublicKey) {
      for (let attempt = 1; ; attempt++) {
        const existing = attempt === 1 ? undefined : await findSwapKey(db, swapId);
        if (existing !== undefined) return existing;
        // The next index is max + 1 (gap-free); the primary key hands it out once across
        // processes: if another allocation took it first, this one retries with a fresh max.
        nextIndex ??= await nextFreeIndex(db);
        const index = nextIndex;
        const publicKey = derivePublicKey(index);
        try {
          // one statement: the key row and its swap mapping commit together or not at all
          await sql`
            with k as (
              insert into wallet_keys (derivation_index, purpose, public_key)
              values (${index}, 'swap', ${publicKey})
              returning derivation_index
            )
            insert into wallet_swap_keys (swap_id, derivation_index)
            select ${swapId}, derivation_index from k`.execute(db);
          nextIndex = index + 1n;
          return { index, publicKey };
        } catch (err) {
          nextIndex = undefined;
          if (pgErrorCode(err) !== PG_UNIQUE_VIOLATION || attempt >= MAX_KEY_ATTEMPTS) throw err;
          // the swap has its key already, or the index was taken: look again
        }
      }
    },

    async spendableVtxos() {
      const rows = await listVtxos(db, ["spendable"]);
      return rows.map((v) => ({
        outpoint: v.outpoint,
        amountSats: v.amountSats,
        expiresAt: v.batchExpiry ?? undefined,
        offchainUntil: v.offchainUntil ?? undefined,
      }));
    },

    async observeVtxos(vtxos) {
      for (const v of vtxos) {
        // spent wins: a swept VTXO recovered in a batch is both swept and spent
        const state = v.spent ? "spent" : v.swept ? "swept" : "spendable";
        await inTransaction(db, async (tx) => {
          const inserted = await insertVtxo(tx, {
            outpoint: v.outpoint,
            amountSats: v.amountSats,
            script: v.script,
            state,
            ...(v.expiresAt === undefined ? {} : { batchExpiry: v.expiresAt }),
            ...(v.offchainUntil === undefined ? {} : { offchainUntil: v.offchainUntil }),
          });
          if (inserted) {
            if (v.spentBy !== undefined)
              await tx
                .updateTable("wallet_vtxos")
                .set({ spent_by: v.spentBy })
                .where("outpoint", "=", v.outpoint)
                .execute();
            return;
          }
          if (state !== "spendable")
            for (const from of state === "spent"
              ? (["spendable", "swept"] as const)
              : (["spendable"] as const))
              await updateVtxoState(tx, {
                outpoint: v.outpoint,
                from,
                to: state,
                ...(v.spentBy === undefined ? {} : { spentBy: v.spentBy }),
              });
          if (v.offchainUntil !== undefined)
            await tx
              .updateTable("wallet_vtxos")
              .set({ offchain_until: v.offchainUntil })
              .where("outpoint", "=", v.outpoint)
              .execute();
          if (v.expiresAt !== undefined)
            await tx
              .updateTable("wallet_vtxos")
              .set({ batch_expiry: v.expiresAt })
              .where("outpoint", "=", v.outpoint)
              .where("batch_expiry", "is", null)
              .execute();
        });
      }
    },

    async createSpend(record) {
      try {
        return await db.transaction().execute(async (tx) => createSpendIn(tx, record));
      } catch (err) {
        if (err instanceof ConflictSignal) return err.result;
        throw err;
      }
    },

    async getSpend(id) {
      const row = await db.selectFrom("wallet_spends").selectAll().where("id", "=", id).executeTakeFirst();
      return row === undefined ? undefined : toSpend(row);
    },

    async openSpends() {
      const rows = await db
        .selectFrom("wallet_spends")
        .selectAll()
        .where("state", "in", ["submitting", "submitted"])
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(toSpend);
    },

    async markSubmitted(id, serverArkTx, serverCheckpointTxs) {
      await db
        .updateTable("wallet_spends")
        .set({
          state: "submitted",
          server_ark_tx: serverArkTx,
          server_checkpoint_txs: [...serverCheckpointTxs],
          updated_at: sql<Date>`now()`,
        })
        .where("id", "=", id)
        .where("state", "=", "submitting")
        .execute();
    },

    async finalizeSpend(id, newVtxos) {
      await db.transaction().execute(async (tx) => {
        const row = await tx
          .selectFrom("wallet_spends")
          .selectAll()
          .where("id", "=", id)
          .forUpdate()
          .executeTakeFirst();
        if (row === undefined) throw walletError("wallet.spend_failed", `no spend ${id}`);
        if (row.state === "finalized") return;
        await tx
          .updateTable("wallet_spends")
          .set({ state: "finalized", failure_reason: null, updated_at: sql<Date>`now()` })
          .where("id", "=", id)
          .execute();
        for (const outpoint of row.input_outpoints) {
          await tx
            .updateTable("wallet_vtxos")
            .set({ state: "spent", spent_by: row.ark_txid, reserved_for: null, updated_at: sql<Date>`now()` })
            .where("outpoint", "=", outpoint)
            .where("state", "in", ["reserved", "spendable"])
            .execute();
        }
        for (const v of newVtxos) await insertVtxo(tx, { ...v, state: "spendable" });
      });
    },

    async failSpend(id, reason) {
      await db.transaction().execute(async (tx) => {
        const changed = await tx
          .updateTable("wallet_spends")
          .set({ state: "failed", failure_reason: reason, updated_at: sql<Date>`now()` })
          .where("id", "=", id)
          .where("state", "in", ["submitting", "submitted"])
          .returning(["reserved_outpoints"])
          .executeTakeFirst();
        if (changed === undefined) return;
        await releaseReservations(tx, id, changed.reserved_outpoints);
      });
    },
  };
}

/** Thrown inside a transaction to roll it back and report a CreateSpendResult. */
class ConflictSignal extends Error {
  constructor(readonly result: CreateSpendResult) {
    super(result);
  }
}

async function createSpendIn(tx: Kysely<DB>, record: NewSpendRecord): Promise<CreateSpendResult> {
  const existing = await tx
    .selectFrom("wallet_spends")
    .select(["state"])
    .where("id", "=", record.id)
    .forUpdate()
    .executeTakeFirst();
  if (existing !== undefined && existing.state !== "failed") return "exists";
  if (existing !== undefined) await tx.deleteFrom("wallet_spends").where("id", "=", record.id).execute();
  for (const outpoint of record.reservedOutpoints) {
    const ok = await updateVtxoState(tx, {
      outpoint,
      from: "spendable",
      to: "reserved",
      reservedFor: record.id,
    });
    if (!ok) throw new ConflictSignal("reservation_conflict");
  }
  await tx
    .insertInto("wallet_spends")
    .values({
      id: record.id,
      kind: record.kind,
      state: "submitting",
      request: record.request,
      ark_txid: record.arkTxid,
      signed_ark_tx: record.signedArkTx,
      checkpoint_txs: [...record.checkpointTxs],
      input_outpoints: [...record.inputOutpoints],
      reserved_outpoints: [...record.reservedOutpoints],
      swap_key_index: record.swapKeyIndex === null ? null : BigInt(record.swapKeyIndex),
      result_outpoint: record.resultOutpoint,
    })
    .execute();
  return "created";
}

async function releaseReservations(tx: Kysely<DB>, id: string, outpoints: readonly string[]): Promise<void> {
  for (const outpoint of outpoints) {
    await tx
      .updateTable("wallet_vtxos")
      .set({ state: "spendable", reserved_for: null, updated_at: sql<Date>`now()` })
      .where("outpoint", "=", outpoint)
      .where("state", "=", "reserved")
      .where("reserved_for", "=", id)
      .execute();
  }
}

function toSpend(row: WalletSpendRow): SpendRecord {
  if (!(SPEND_STATES as readonly string[]).includes(row.state))
    throw walletError("wallet.spend_failed", `spend ${row.id} has unknown state ${row.state}`);
  if (row.kind !== "fund" && row.kind !== "claim" && row.kind !== "refund")
    throw walletError("wallet.spend_failed", `spend ${row.id} has unknown kind ${row.kind}`);
  return {
    id: row.id,
    kind: row.kind,
    state: row.state as SpendState,
    request: row.request,
    arkTxid: row.ark_txid,
    signedArkTx: row.signed_ark_tx,
    checkpointTxs: row.checkpoint_txs,
    serverArkTx: row.server_ark_tx,
    serverCheckpointTxs: row.server_checkpoint_txs,
    inputOutpoints: row.input_outpoints,
    reservedOutpoints: row.reserved_outpoints,
    swapKeyIndex: row.swap_key_index === null ? null : Number(row.swap_key_index),
    resultOutpoint: row.result_outpoint,
    failureReason: row.failure_reason,
  };
}
