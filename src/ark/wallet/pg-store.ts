/**
 * WalletStore over Postgres (kysely): wallet_keys + wallet_swap_keys for keys, wallet_vtxos for
 * the gateway's VTXOs (state spendable/reserved/spent/swept, CAS on state), wallet_spends for
 * spends recorded before SubmitTx.
 */
import { sql, type Kysely } from "kysely";
import type { DB, WalletSpendRow } from "../../db/schema.js";
import { updateVtxoState } from "../../db/vtxo-repository.js";
import { PG_UNIQUE_VIOLATION, pgErrorCode } from "../../db/errors.js";
import { inTransaction, retryingConflicts } from "../../db/transaction.js";
import { walletError } from "./errors.js";
import type {
  CreateSpendResult,
  NewSpendRecord,
  ObservedVtxo,
  SpendRecord,
  SpendState,
  WalletStore,
} from "./store.js";

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
  async function allocateOne(
    swapId: string,
    derivePublicKey: (index: bigint) => string,
  ): Promise<{ index: bigint; publicKey: string }> {
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
  }

  return {
    swapKey: allocateOne,

    async allocateSwapKeys(swapIds, derivePublicKey) {
      const ids = [...new Set(swapIds)];
      const keys = new Map<string, { index: bigint; publicKey: string }>();
      if (ids.length === 1) {
        keys.set(ids[0]!, await allocateOne(ids[0]!, derivePublicKey));
        return keys;
      }
      if (ids.length > 1) {
        nextIndex ??= await nextFreeIndex(db);
        const first = nextIndex;
        const indexes = ids.map((_, i) => first + BigInt(i));
        const publicKeys = indexes.map((i) => derivePublicKey(i));
        try {
          // one statement for all: the key rows and their swap mappings commit together or not at all
          await sql`
            with k as (
              insert into wallet_keys (derivation_index, purpose, public_key)
              select i, 'swap', p
              from unnest(${indexes.map(String)}::int8[], ${publicKeys}::text[]) as t(i, p)
              returning derivation_index
            )
            insert into wallet_swap_keys (swap_id, derivation_index)
            select s, k.derivation_index
            from unnest(${ids}::text[], ${indexes.map(String)}::int8[]) as m(s, i)
            join k on k.derivation_index = m.i`.execute(db);
          nextIndex = first + BigInt(ids.length);
          ids.forEach((id, n) => keys.set(id, { index: indexes[n]!, publicKey: publicKeys[n]! }));
          return keys;
        } catch (err) {
          nextIndex = undefined;
          if (pgErrorCode(err) !== PG_UNIQUE_VIOLATION) throw err;
          // a swap of the batch has its key already, or another process took an index: nothing
          // of the batch was written; each swap on its own then
        }
      }
      for (const id of ids) keys.set(id, await allocateOne(id, derivePublicKey));
      return keys;
    },

    async spendableVtxos() {
      // only what coin selection reads (the full rows, every call, cost more than the selection)
      const rows = await db
        .selectFrom("wallet_vtxos")
        .select(["outpoint", "amount_sats", "batch_expiry", "offchain_until"])
        .where("state", "=", "spendable")
        .execute();
      return rows.map((v) => ({
        outpoint: v.outpoint,
        amountSats: v.amount_sats,
        expiresAt: v.batch_expiry ?? undefined,
        offchainUntil: v.offchain_until ?? undefined,
      }));
    },

    async observeVtxos(vtxos) {
      // one upsert statement per chunk of distinct outpoints (an outpoint seen twice starts a
      // new chunk, so its observations apply in order as before)
      let chunk = new Map<string, ObservedVtxo>();
      for (const v of vtxos) {
        if (chunk.has(v.outpoint) || chunk.size >= OBSERVE_CHUNK) {
          await observeChunk(db, [...chunk.values()]);
          chunk = new Map();
        }
        chunk.set(v.outpoint, v);
      }
      if (chunk.size > 0) await observeChunk(db, [...chunk.values()]);
    },

    async createSpend(record) {
      try {
        return await inTransaction(db, async (tx) => createSpendIn(tx, record));
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
      // one statement: the spend → finalized, its inputs → spent, our outputs recorded, all
      // hanging on the spend's row having been moved (a repeat changes nothing)
      const finalize = () =>
        sql<WalletSpendRow>`
        with sp as (
          update wallet_spends set state = 'finalized', failure_reason = null, updated_at = now()
          where id = ${id} and state <> 'finalized'
          returning *
        ), inputs as (
          update wallet_vtxos
          set state = 'spent', spent_by = sp.ark_txid, reserved_for = null, updated_at = now()
          from sp
          where wallet_vtxos.outpoint = any(sp.input_outpoints)
            and wallet_vtxos.state in ('reserved', 'spendable')
        ), outputs as (
          insert into wallet_vtxos (outpoint, amount_sats, script, state)
          select n.outpoint, n.amount_sats, n.script, 'spendable'
          from sp, unnest(
            ${newVtxos.map((v) => v.outpoint)}::text[],
            ${newVtxos.map((v) => v.amountSats)}::int8[],
            ${newVtxos.map((v) => v.script)}::text[]
          ) as n(outpoint, amount_sats, script)
          on conflict (outpoint) do nothing
        )
        select * from sp`.execute(db);
      // a deadlock with an observation or a batch settling rolls the statement back: run again
      const { rows } = await retryingConflicts(finalize);
      const moved = rows[0];
      if (moved !== undefined) return toSpend(moved);
      const row = await db.selectFrom("wallet_spends").selectAll().where("id", "=", id).executeTakeFirst();
      if (row === undefined) throw walletError("wallet.spend_failed", `no spend ${id}`);
      return toSpend(row); // finalized already
    },

    async failSpend(id, reason) {
      await inTransaction(db, async (tx) => {
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

/** Observed VTXOs per upsert statement. */
const OBSERVE_CHUNK = 200;

/**
 * What the indexer says about distinct outpoints, in one statement: unknown ones are recorded
 * (spendable, spent or swept; spent wins); a known spendable one becomes spent/swept, a swept one
 * spent (reserved ones are left to their spend); arkd's expires_at is taken when given, the
 * batch expiry only when none was known. Rows with nothing to change are not written.
 */
async function observeChunk(db: Kysely<DB>, vtxos: readonly ObservedVtxo[]): Promise<void> {
  // rows in outpoint order, so two observations lock shared rows in the same order; a deadlock
  // with a spend or a batch settling (which lock their inputs, then insert their outputs) is
  // still possible and Postgres aborts one side: the upsert is then run again
  const ordered = [...vtxos].sort((a, b) => (a.outpoint < b.outpoint ? -1 : a.outpoint > b.outpoint ? 1 : 0));
  await retryingConflicts(() => upsertObserved(db, ordered));
}

async function upsertObserved(db: Kysely<DB>, vtxos: readonly ObservedVtxo[]): Promise<void> {
  const moves = sql`(excluded.state = 'spent' and wallet_vtxos.state in ('spendable', 'swept'))
    or (excluded.state = 'swept' and wallet_vtxos.state = 'spendable')`;
  await db
    .insertInto("wallet_vtxos")
    .values(
      vtxos.map((v) => ({
        outpoint: v.outpoint,
        amount_sats: v.amountSats,
        script: v.script,
        state: v.spent ? "spent" : v.swept ? "swept" : "spendable",
        spent_by: v.spentBy ?? null,
        batch_expiry: v.expiresAt ?? null,
        offchain_until: v.offchainUntil ?? null,
      })),
    )
    .onConflict((oc) =>
      oc
        .column("outpoint")
        .doUpdateSet({
          state: sql`case when ${moves} then excluded.state else wallet_vtxos.state end`,
          spent_by: sql`case when (${moves}) and excluded.spent_by is not null
            then excluded.spent_by else wallet_vtxos.spent_by end`,
          updated_at: sql`case when ${moves} then now() else wallet_vtxos.updated_at end`,
          offchain_until: sql`coalesce(excluded.offchain_until, wallet_vtxos.offchain_until)`,
          batch_expiry: sql`coalesce(wallet_vtxos.batch_expiry, excluded.batch_expiry)`,
        })
        .where(
          sql<boolean>`(${moves})
            or (excluded.offchain_until is not null
              and excluded.offchain_until is distinct from wallet_vtxos.offchain_until)
            or (wallet_vtxos.batch_expiry is null and excluded.batch_expiry is not null)`,
        ),
    )
    .execute();
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
