/**
 * Swaps: one shared `swaps` row per swap (status + version for compare-and-set, amounts,
 * payment hash, VHTLC keys and timeouts), per-type detail tables, and the append-only
 * `swap_events` log. Hex columns are checked lower-case hex; amounts and locktimes are int8.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- kysely's migration contract is Kysely<any>:
   a migration must not depend on the app's (later) schema types. */
import { sql, type Kysely } from "kysely";

const HEX32 = "'^[0-9a-f]{64}$'";
const PUBKEY = "'^0[23][0-9a-f]{64}$'";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("swaps")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("type", "text", (c) => c.notNull().check(sql`type in ('submarine', 'reverse')`))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("payment_hash", "text", (c) =>
      c
        .notNull()
        .unique()
        .check(sql.raw(`payment_hash ~ ${HEX32}`)),
    )
    .addColumn("invoice_amount_sats", "int8", (c) => c.notNull().check(sql`invoice_amount_sats > 0`))
    .addColumn("fee_sats", "int8", (c) => c.notNull().check(sql`fee_sats >= 0`))
    .addColumn("sender_pubkey", "text", (c) => c.notNull().check(sql.raw(`sender_pubkey ~ ${PUBKEY}`)))
    .addColumn("receiver_pubkey", "text", (c) => c.notNull().check(sql.raw(`receiver_pubkey ~ ${PUBKEY}`)))
    .addColumn("server_pubkey", "text", (c) => c.notNull().check(sql.raw(`server_pubkey ~ ${PUBKEY}`)))
    .addColumn("lockup_address", "text", (c) => c.notNull().unique())
    .addColumn("lockup_script", "text", (c) => c.notNull().check(sql`lockup_script ~ '^5120[0-9a-f]{64}$'`))
    .addColumn("refund_locktime", "int8", (c) => c.notNull().check(sql`refund_locktime > 0`))
    .addColumn("unilateral_claim_delay", "int8", (c) => c.notNull().check(sql`unilateral_claim_delay > 0`))
    .addColumn("unilateral_refund_delay", "int8", (c) => c.notNull().check(sql`unilateral_refund_delay > 0`))
    .addColumn("unilateral_refund_without_receiver_delay", "int8", (c) =>
      c.notNull().check(sql`unilateral_refund_without_receiver_delay > 0`),
    )
    .addColumn("expires_at", "timestamptz")
    .addColumn("failure_reason", "text")
    .execute();
  await db.schema.createIndex("swaps_type_status_idx").on("swaps").columns(["type", "status"]).execute();
  await db.schema.createIndex("swaps_sender_pubkey_idx").on("swaps").column("sender_pubkey").execute();
  await db.schema.createIndex("swaps_receiver_pubkey_idx").on("swaps").column("receiver_pubkey").execute();

  await db.schema
    .createTable("submarine_swaps")
    .addColumn("swap_id", "text", (c) => c.primaryKey().references("swaps.id").onDelete("cascade"))
    .addColumn("invoice", "text", (c) => c.notNull())
    .addColumn("invoice_amount_msat", "int8", (c) => c.notNull().check(sql`invoice_amount_msat > 0`))
    .addColumn("expected_amount_sats", "int8", (c) => c.notNull().check(sql`expected_amount_sats > 0`))
    .addColumn("received_amount_sats", "int8")
    .addColumn("funding_outpoints", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("routing_fee_budget_sats", "int8", (c) => c.notNull().check(sql`routing_fee_budget_sats >= 0`))
    .addColumn("max_timeout_height", "int8", (c) => c.notNull())
    .addColumn("payment_fee_msat", "int8")
    .addColumn("claim_txid", "text")
    .addColumn("refund_txid", "text")
    .execute();

  await db.schema
    .createTable("reverse_swaps")
    .addColumn("swap_id", "text", (c) => c.primaryKey().references("swaps.id").onDelete("cascade"))
    .addColumn("invoice", "text", (c) => c.notNull())
    .addColumn("onchain_amount_sats", "int8", (c) => c.notNull().check(sql`onchain_amount_sats > 0`))
    .addColumn("hold_invoice_cltv_delta", "int8", (c) => c.notNull().check(sql`hold_invoice_cltv_delta > 0`))
    .addColumn("invoice_expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("htlc_expiry_height", "int8")
    .addColumn("funding_txid", "text")
    .addColumn("funding_outpoint", "text")
    .addColumn("claim_txid", "text")
    .addColumn("refund_txid", "text")
    .execute();

  await db.schema
    .createTable("swap_events")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("swap_id", "text", (c) => c.notNull().references("swaps.id").onDelete("cascade"))
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("data", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("swap_events_swap_id_idx")
    .on("swap_events")
    .columns(["swap_id", "id"])
    .execute();

  // Append-only: the log is evidence. Rows go away only with their swap (cascade, admin pruning).
  await sql`
    create function swap_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'swap_events is append-only';
    end $$`.execute(db);
  await sql`
    create trigger swap_events_no_update before update on swap_events
    for each row execute function swap_events_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("swap_events").execute();
  await sql`drop function swap_events_append_only()`.execute(db);
  await db.schema.dropTable("reverse_swaps").execute();
  await db.schema.dropTable("submarine_swaps").execute();
  await db.schema.dropTable("swaps").execute();
}
