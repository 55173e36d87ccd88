/**
 * Preimages the gateway has learned (from an LN payment or a VHTLC claim). The database itself
 * refuses a preimage whose sha256 is not its payment hash (invariant 2).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- kysely's migration contract is Kysely<any>:
   a migration must not depend on the app's (later) schema types. */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("preimages")
    .addColumn("payment_hash", "text", (c) => c.primaryKey().check(sql`payment_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn("preimage", "text", (c) =>
      c
        .notNull()
        .check(
          sql`preimage ~ '^[0-9a-f]{64}$' and encode(sha256(decode(preimage, 'hex')), 'hex') = payment_hash`,
        ),
    )
    .addColumn("learned_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("settled_at", "timestamptz")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("preimages").execute();
}
