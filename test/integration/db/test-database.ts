/**
 * One schema per suite on the shared test server: created and migrated in beforeAll,
 * dropped in afterAll, so suites never see each other's rows.
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { inject } from "vitest";
import { createDatabase, type Database } from "../../../src/db/client.js";
import { migrateToLatest } from "../../../src/db/migrator.js";

export interface TestDatabase extends Database {
  readonly schema: string;
  /** Drops the schema and closes the pool. */
  destroy(): Promise<void>;
}

/** A fresh schema (`t_<label>_<random>`) with a pool whose search_path points at it. */
export async function createTestDatabase(
  label: string,
  opts: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const schema = `t_${label.replace(/[^a-z0-9_]/g, "_")}_${randomBytes(4).toString("hex")}`;
  const database = createDatabase({ connectionString: inject("databaseUrl"), schema, maxConnections: 20 });
  await sql`create schema ${sql.id(schema)}`.execute(database.db);
  if (opts.migrate ?? true) await migrateToLatest(database.db, schema);
  return {
    ...database,
    schema,
    async destroy() {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
      await database.close();
    },
  };
}
