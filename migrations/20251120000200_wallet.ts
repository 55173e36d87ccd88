/**
 * The gateway's own wallet: one derivation index per swap key (never reused), and the VTXOs it
 * holds, with their lifecycle state and what spent them.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- kysely's migration contract is Kysely<any>:
   a migration must not depend on the app's (later) schema types. */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("wallet_keys")
    .addColumn("derivation_index", "int8", (c) => c.primaryKey().check(sql`derivation_index >= 0`))
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose in ('swap', 'wallet')`))
    .addColumn("swap_id", "text", (c) => c.unique())
    .addColumn("public_key", "text", (c) =>
      c
        .notNull()
        .unique()
        .check(sql`public_key ~ '^0[23][0-9a-f]{64}$'`),
    )
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    // Deferred: a swap's key is allocated before the swap row that uses it, in one transaction.
    .addForeignKeyConstraint("wallet_keys_swap_id_fkey", ["swap_id"], "swaps", ["id"], (fk) =>
      fk.onDelete("restrict").deferrable().initiallyDeferred(),
    )
    .execute();

  await db.schema
    .createTable("wallet_vtxos")
    .addColumn("outpoint", "text", (c) => c.primaryKey().check(sql`outpoint ~ '^[0-9a-f]{64}:[0-9]+$'`))
    .addColumn("amount_sats", "int8", (c) => c.notNull().check(sql`amount_sats > 0`))
    .addColumn("script", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) =>
      c.notNull().check(sql`state in ('pending', 'spendable', 'reserved', 'spent', 'swept')`),
    )
    .addColumn("reserved_for", "text")
    .addColumn("spent_by", "text")
    .addColumn("batch_expiry", "int8")
    .addColumn("commitment_txids", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("wallet_vtxos_state_idx").on("wallet_vtxos").column("state").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("wallet_vtxos").execute();
  await db.schema.dropTable("wallet_keys").execute();
}
