/**
 * The wallet's offchain spends and swap keys:
 * - wallet_spends: one row per Ark spend (idempotency key = id), written with its signed ark tx
 *   and checkpoints BEFORE SubmitTx, so a spend interrupted between SubmitTx and FinalizeTx can
 *   be finished (GetPendingTx) or released after a restart.
 * - wallet_swap_keys: swap id → derivation index. wallet_keys.swap_id has a deferred foreign key
 *   to swaps, but the wallet hands out a swap's key before (and outside the transaction of) the
 *   swap row, so the mapping lives here, without that foreign key.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- kysely's migration contract is Kysely<any>:
   a migration must not depend on the app's (later) schema types. */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("wallet_spends")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('fund', 'claim', 'refund')`))
    .addColumn("state", "text", (c) =>
      c.notNull().check(sql`state in ('submitting', 'submitted', 'finalized', 'failed')`),
    )
    .addColumn("request", "text", (c) => c.notNull())
    .addColumn("ark_txid", "text", (c) => c.notNull().check(sql`ark_txid ~ '^[0-9a-f]{64}$'`))
    .addColumn("signed_ark_tx", "text", (c) => c.notNull())
    .addColumn("checkpoint_txs", sql`text[]`, (c) => c.notNull())
    .addColumn("server_ark_tx", "text")
    .addColumn("server_checkpoint_txs", sql`text[]`)
    .addColumn("input_outpoints", sql`text[]`, (c) => c.notNull())
    .addColumn("reserved_outpoints", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("swap_key_index", "int8")
    .addColumn("result_outpoint", "text")
    .addColumn("failure_reason", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("wallet_spends_state_idx").on("wallet_spends").column("state").execute();
  await db.schema.createIndex("wallet_spends_ark_txid_idx").on("wallet_spends").column("ark_txid").execute();

  await db.schema
    .createTable("wallet_swap_keys")
    .addColumn("swap_id", "text", (c) => c.primaryKey())
    .addColumn("derivation_index", "int8", (c) =>
      c.notNull().unique().references("wallet_keys.derivation_index").onDelete("restrict"),
    )
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("wallet_swap_keys").execute();
  await db.schema.dropTable("wallet_spends").execute();
}
