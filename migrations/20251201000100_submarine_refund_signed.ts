/**
 * Submarine swaps: when the gateway co-signed the wallet's cooperative refund. Once set, the
 * engine never pays the invoice (ARCHITECTURE invariant 1); it is written before the signatures
 * leave the process (invariant 6).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- kysely's migration contract is Kysely<any>:
   a migration must not depend on the app's (later) schema types. */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("submarine_swaps").addColumn("refund_signed_at", "timestamptz").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("submarine_swaps").dropColumn("refund_signed_at").execute();
}
