/**
 * The database of the CLI's database commands: the configured URL, or the embedded Postgres
 * (reused when the gateway runs it, else started for the command and stopped after).
 */
import { sql } from "kysely";
import { createDatabase, type Database } from "../db/client.js";
import { dbError } from "../db/errors.js";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../db/embedded-postgres.js";
import type { DatabaseSettings } from "./config-source.js";

/**
 * Runs `work` on the database, then closes it (and stops an embedded server it started).
 * @param opts.requireTables refuse a database without the gateway's tables (run migrate first)
 * @throws GatewayError `db.unavailable`, `db.*` of the embedded server, what `work` throws
 */
export async function withDatabase<T>(
  settings: DatabaseSettings,
  opts: { readonly requireTables: boolean },
  work: (database: Database) => Promise<T>,
): Promise<T> {
  let embedded: EmbeddedPostgres | undefined;
  if (settings.database.kind === "embedded")
    embedded = await startEmbeddedPostgres(settings.database.dataDir);
  const url = embedded?.url ?? (settings.database.kind === "external" ? settings.database.url : "");
  const database = createDatabase({
    connectionString: url,
    maxConnections: 2,
    applicationName: "ark-ln-gateway-cli",
  });
  try {
    try {
      await sql`select 1`.execute(database.db);
    } catch (err) {
      throw dbError("db.unavailable", "cannot reach the database", undefined, err);
    }
    if (opts.requireTables) {
      const found = await sql<{ name: string | null }>`select to_regclass('swaps')::text as name`.execute(
        database.db,
      );
      if (found.rows[0]?.name === null || found.rows[0]?.name === undefined) {
        throw dbError(
          "db.migration_failed",
          "the database has no gateway tables yet: run `ark-ln-gateway migrate` first",
        );
      }
    }
    return await work(database);
  } finally {
    await database.close();
    embedded?.stop();
  }
}
