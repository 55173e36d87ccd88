/**
 * Creates the kysely instance over a pg Pool. int8 is parsed as bigint for this pool only (no
 * global pg.types mutation, so other pg users in the process keep their behaviour).
 */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { GatewayError } from "../domain/errors.js";
import { dbError } from "./errors.js";
import type { DB } from "./schema.js";

const INT8_OID = 20;

/** pg type parsers for our pools: the defaults, except int8 → bigint. */
export const GATEWAY_PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === INT8_OID && format !== "binary") return (text: string) => BigInt(text);
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig["getTypeParser"],
};

export interface DatabaseOptions {
  /** `postgres://…` connection string. */
  readonly connectionString: string;
  /** Schema to work in (search_path and migration tables); default: the server's default. */
  readonly schema?: string;
  /** Pool size (default 10). */
  readonly maxConnections?: number;
  readonly applicationName?: string;
  /**
   * Told when an idle pooled connection fails (server restart, `pg_terminate_backend`, a dropped
   * link), as a `db.unavailable` error saying what Postgres said. The pool drops that connection
   * and opens a new one for the next query. Default: nothing. There is always a listener: pg
   * would otherwise throw the error as an uncaught exception and end the process.
   */
  readonly onIdleError?: (err: GatewayError) => void;
}

export interface Database {
  readonly db: Kysely<DB>;
  readonly pool: pg.Pool;
  readonly schema: string | undefined;
  /** Ends the pool; the instance is unusable afterwards. */
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Asserts a schema name is a plain lower-case SQL identifier (it is interpolated into DDL).
 * @throws GatewayError `db.invalid_config`
 */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw dbError("db.invalid_config", `invalid schema name "${schema}"`);
  return schema;
}

/**
 * Builds a pool and a `Kysely<DB>` on it. Connects lazily: nothing happens until the first query.
 * @throws GatewayError `db.invalid_config` on a malformed URL or schema name
 */
export function createDatabase(opts: DatabaseOptions): Database {
  if (!/^postgres(ql)?:\/\//.test(opts.connectionString)) {
    throw dbError("db.invalid_config", "the database URL must start with postgres:// or postgresql://");
  }
  if (opts.schema !== undefined) assertSchemaName(opts.schema);
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.maxConnections ?? 10,
    application_name: opts.applicationName ?? "ark-ln-gateway",
    types: GATEWAY_PG_TYPES,
    ...(opts.schema === undefined ? {} : { options: `-c search_path=${opts.schema}` }),
  });
  pool.on("error", (err) => {
    opts.onIdleError?.(dbError("db.unavailable", "an idle database connection failed", undefined, err));
  });
  // The pool listens for errors only while a connection is idle; one that fails while checked out
  // (Postgres restarted mid-query: 57P01) emits on the client itself, and with no listener that
  // is an uncaught exception that ends the process. The query in flight still rejects.
  pool.on("connect", (client) => {
    // The query in flight rejects with the same error (and an idle failure reaches the pool's
    // listener above): this one only keeps it from being uncaught.
    client.on("error", () => undefined);
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    schema: opts.schema,
    close: () => db.destroy(),
  };
}
