/**
 * wallet_vtxos.offchain_until: arkd's own `expires_at` (unix seconds). arkd v0.9.15 refuses an
 * offchain spend of a VTXO past it (VTXO_RECOVERABLE), in block mode too, where it is the batch's
 * end + N seconds for a tree expiry of N blocks. batch_expiry keeps the sweep deadline in the
 * server's locktime unit; this column is what coin selection checks against the clock.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- kysely's migration contract is Kysely<any>. */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("wallet_vtxos").addColumn("offchain_until", "int8").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("wallet_vtxos").dropColumn("offchain_until").execute();
}
