/**
 * Schema migrations: kysely's Migrator over the static registry in migrations/index.ts.
 * With a schema, the schema is created first and holds both our tables (search_path) and
 * kysely's bookkeeping tables.
 */
import { Migrator, NO_MIGRATIONS, sql, type MigrationResultSet } from "kysely";
import { migrationProvider } from "../../migrations/index.js";
import { assertSchemaName, createDatabase, type Database, type DatabaseOptions } from "./client.js";
import { dbError } from "./errors.js";
import type { Executor } from "./transaction.js";

export interface MigrationReport {
  /** Names of the migrations run, in order. */
  readonly executed: readonly string[];
}

function migratorFor(db: Executor, schema: string | undefined): Migrator {
  return new Migrator({
    db,
    provider: migrationProvider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
}

async function run(result: Promise<MigrationResultSet>, what: string): Promise<MigrationReport> {
  const { error, results } = await result;
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw dbError("db.migration_failed", `${what} failed${failed ? ` at ${failed}` : ""}`, { failed }, error);
  }
  return { executed: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName) };
}

/** Creates `schema` if it does not exist. @throws GatewayError `db.invalid_config` */
export async function ensureSchema(db: Executor, schema: string): Promise<void> {
  await sql`create schema if not exists ${sql.id(assertSchemaName(schema))}`.execute(db);
}

/**
 * Runs every pending migration.
 * @param schema the schema the pool's search_path points at, if any (created when missing)
 * @throws GatewayError `db.migration_failed` (nothing of the failing migration stays applied)
 */
export async function migrateToLatest(db: Executor, schema?: string): Promise<MigrationReport> {
  if (schema !== undefined) await ensureSchema(db, schema);
  return run(migratorFor(db, schema).migrateToLatest(), "migrating to latest");
}

/** Reverts the most recent migration. @throws GatewayError `db.migration_failed` */
export async function migrateDown(db: Executor, schema?: string): Promise<MigrationReport> {
  return run(migratorFor(db, schema).migrateDown(), "migrating down");
}

/** Reverts every migration. @throws GatewayError `db.migration_failed` */
export async function migrateToNothing(db: Executor, schema?: string): Promise<MigrationReport> {
  return run(migratorFor(db, schema).migrateTo(NO_MIGRATIONS), "reverting all migrations");
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
