/**
 * Schema migrations: kysely's Migrator over the static registry in migrations/index.ts.
 *
 * Every run works in one named schema that holds both our tables and kysely's bookkeeping
 * tables (`kysely_migration`, `kysely_migration_lock`): the given schema (created first, the
 * pool's search_path points at it), else the connection's current schema (the first existing
 * schema of its search_path, where an unqualified `create table` lands). The Migrator is always
 * told that schema: without `migrationTableSchema` it looks for its bookkeeping tables in *every*
 * schema of the database, takes another gateway's (e.g. the sandbox's `sandbox_gateway`) for
 * its own, skips creating them, and then fails on `relation "kysely_migration_lock" does not
 * exist`. So several gateways can share one database, one schema each. (kysely's Postgres
 * migration lock is one advisory lock for the whole database: runs in different schemas wait
 * for each other, which is harmless.)
 */
import { Migrator, NO_MIGRATIONS, sql, type MigrationResultSet } from "kysely";
import { migrationProvider } from "../../migrations/index.js";
import { assertSchemaName, createDatabase, type Database, type DatabaseOptions } from "./client.js";
import { isGatewayError } from "../domain/errors.js";
import { dbError } from "./errors.js";
import type { Executor } from "./transaction.js";

export interface MigrationReport {
  /** Names of the migrations run, in order. */
  readonly executed: readonly string[];
}

/**
 * The schema a run works in: `schema` when given (it must be where the pool's search_path
 * points), else the connection's current schema.
 * @throws GatewayError `db.invalid_config` when no schema of the search_path exists, or when the
 *   search_path does not point at `schema`
 */
async function targetSchema(db: Executor, schema: string | undefined): Promise<string> {
  const { rows } = await sql<{ current: string | null; path: string }>`
    select current_schema() as current, current_setting('search_path') as path`.execute(db);
  const current = rows[0]?.current ?? null;
  const path = rows[0]?.path ?? "";
  if (schema !== undefined && current !== schema) {
    throw dbError(
      "db.invalid_config",
      `the connection's search_path (${path}) does not point at schema "${schema}": ` +
        "open the database with that schema (createDatabase({ schema }))",
      { schema, searchPath: path },
    );
  }
  if (current === null) {
    throw dbError(
      "db.invalid_config",
      `no schema of the connection's search_path (${path}) exists: create one or set the role's search_path`,
      { searchPath: path },
    );
  }
  return current;
}

async function migratorFor(db: Executor, schema: string | undefined): Promise<Migrator> {
  let migrationTableSchema: string;
  try {
    migrationTableSchema = await targetSchema(db, schema);
  } catch (err) {
    if (isGatewayError(err)) throw err;
    throw dbError("db.unavailable", "cannot read the connection's current schema", undefined, err);
  }
  return new Migrator({ db, provider: migrationProvider, migrationTableSchema });
}

async function run(
  db: Executor,
  schema: string | undefined,
  what: string,
  go: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<MigrationReport> {
  const { error, results } = await go(await migratorFor(db, schema));
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw dbError("db.migration_failed", `${what} failed${failed ? ` at ${failed}` : ""}`, { failed }, error);
  }
  return { executed: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName) };
}

/**
 * Creates `schema` if it does not exist (two concurrent creators both succeed).
 * @throws GatewayError `db.invalid_config` (bad name), `db.migration_failed` (e.g. no CREATE right)
 */
export async function ensureSchema(db: Executor, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(assertSchemaName(schema))}`.execute(db);
  } catch (err) {
    if (isGatewayError(err)) throw err;
    // `if not exists` still fails with a unique violation when another session creates it meanwhile.
    const { rows } = await sql<{ found: boolean }>`
      select exists (select 1 from pg_namespace where nspname = ${schema}) as found`.execute(db);
    if (rows[0]?.found === true) return;
    throw dbError("db.migration_failed", `cannot create schema "${schema}"`, { schema }, err);
  }
}

/**
 * Runs every pending migration.
 * @param schema the schema the pool's search_path points at, if any (created when missing)
 * @throws GatewayError `db.migration_failed` (nothing of the failing migration stays applied; the
 *   message ends with what Postgres said), `db.invalid_config` (search_path), `db.unavailable`
 */
export async function migrateToLatest(db: Executor, schema?: string): Promise<MigrationReport> {
  if (schema !== undefined) await ensureSchema(db, schema);
  return run(db, schema, "migrating to latest", (m) => m.migrateToLatest());
}

/** Reverts the most recent migration. @throws GatewayError `db.migration_failed` */
export async function migrateDown(db: Executor, schema?: string): Promise<MigrationReport> {
  return run(db, schema, "migrating down", (m) => m.migrateDown());
}

/** Reverts every migration. @throws GatewayError `db.migration_failed` */
export async function migrateToNothing(db: Executor, schema?: string): Promise<MigrationReport> {
  return run(db, schema, "reverting all migrations", (m) => m.migrateTo(NO_MIGRATIONS));
}

/**
 * Opens the database and brings its schema up to date: what `start` and `migrate` call.
 * @throws GatewayError `db.invalid_config`, `db.unavailable` (cannot connect), `db.migration_failed`
 */
export async function ensureDatabase(opts: DatabaseOptions): Promise<Database> {
  const database = createDatabase(opts);
  try {
    await sql`select 1`.execute(database.db);
  } catch (err) {
    await database.close();
    throw dbError("db.unavailable", "cannot reach the database", undefined, err);
  }
  try {
    await migrateToLatest(database.db, opts.schema);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}
