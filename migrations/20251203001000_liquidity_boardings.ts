/**
 * liquidity_boardings: one row per `liquidity board`, written before LND sends (status
 * `sending`), then `sent` with the txid (and the output index once confirmed), `boarded` with the
 * batch's commitment txid and the new VTXO, or `failed` when LND never sent it. A crash at any
 * step leaves a row the next `liquidity board --resume` continues from.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- kysely's migration contract is Kysely<any>. */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("liquidity_boardings")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("amount_sats", "bigint", (c) => c.notNull().check(sql`amount_sats > 0`))
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('sending', 'sent', 'boarded', 'failed')`),
    )
    .addColumn("txid", "text")
    .addColumn("vout", "integer")
    .addColumn("commitment_txid", "text")
    .addColumn("vtxo_outpoint", "text")
    .addColumn("vtxo_sats", "bigint")
    .addColumn("fee_sats", "bigint")
    .addColumn("last_error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("liquidity_boardings").execute();
}
