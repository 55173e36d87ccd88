import pg from "pg";
import { afterAll, describe, expect, inject, it, vi } from "vitest";
import { isGatewayError, type GatewayError } from "../../../src/domain/errors.js";
import { createDatabase } from "../../../src/db/client.js";
import { ensureDatabase } from "../../../src/db/migrator.js";
import { findSwap } from "../../../src/db/swap-repository.js";

describe("database client", () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("parses int8 as bigint on our pool without touching pg's global parsers", async () => {
    const database = createDatabase({ connectionString: inject("databaseUrl") });
    cleanups.push(() => database.close());
    const { rows } = await database.pool.query<{ v: bigint }>("select 9007199254740993::int8 as v");
    expect(rows[0]?.v).toBe(9_007_199_254_740_993n);

    const plain = new pg.Pool({ connectionString: inject("databaseUrl"), max: 1 });
    cleanups.push(() => plain.end());
    const other = await plain.query<{ v: unknown }>("select 42::int8 as v");
    expect(other.rows[0]?.v).toBe("42");
  });

  it("ensureDatabase creates the schema and migrates it, then works", async () => {
    const schema = `t_ensure_${Date.now().toString(36)}`;
    const database = await ensureDatabase({ connectionString: inject("databaseUrl"), schema });
    cleanups.push(async () => {
      await database.pool.query(`drop schema ${schema} cascade`);
      await database.close();
    });
    expect(await findSwap(database.db, "none")).toBeUndefined();
    const again = await ensureDatabase({ connectionString: inject("databaseUrl"), schema });
    await again.close();
  });

  it("survives an idle connection killed by the server: told as db.unavailable, next query reconnects", async () => {
    const told: GatewayError[] = [];
    const database = createDatabase({
      connectionString: inject("databaseUrl"),
      maxConnections: 1,
      onIdleError: (err) => told.push(err),
    });
    cleanups.push(() => database.close());
    const { rows } = await database.pool.query<{ pid: number }>("select pg_backend_pid() as pid");
    const admin = new pg.Client({ connectionString: inject("databaseUrl") });
    await admin.connect();
    await admin.query("select pg_terminate_backend($1)", [rows[0]?.pid]);
    await admin.end();
    await vi.waitFor(() => expect(told).toHaveLength(1));
    expect(told[0]?.code).toBe("db.unavailable");
    expect(told[0]?.message).toBe(
      "an idle database connection failed: terminating connection due to administrator command [SQLSTATE 57P01]",
    );
    expect((await database.pool.query<{ one: number }>("select 1 as one")).rows[0]?.one).toBe(1);
  });

  it("a checked-out connection killed between queries (Postgres restarting): nothing is left uncaught", async () => {
    const database = createDatabase({ connectionString: inject("databaseUrl"), maxConnections: 1 });
    cleanups.push(() => database.close());
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown): void => void uncaught.push(err);
    process.on("uncaughtException", onUncaught);
    try {
      // Checked out (as a transaction holds it) with no query running: the pool's own listener
      // is off for it, so the server's FATAL 57P01 is emitted on the client itself.
      const client = await database.pool.connect();
      const { rows } = await client.query<{ pid: number }>("select pg_backend_pid() as pid");
      const admin = new pg.Client({ connectionString: inject("databaseUrl") });
      await admin.connect();
      await admin.query("select pg_terminate_backend($1)", [rows[0]?.pid]);
      await admin.end();
      await new Promise((r) => setTimeout(r, 200));
      client.release(true);
      expect(uncaught).toEqual([]);
    } finally {
      process.off("uncaughtException", onUncaught);
    }
    expect((await database.pool.query<{ one: number }>("select 1 as one")).rows[0]?.one).toBe(1);
  });

  it("reports an unreachable server as db.unavailable (retryable)", async () => {
    await expect(
      ensureDatabase({ connectionString: "postgres://nobody@127.0.0.1:1/none" }),
    ).rejects.toSatisfy((e) => isGatewayError(e, "db.unavailable") && e.retryable);
  });

  it("rejects a malformed URL or schema name before connecting", () => {
    expect(() => createDatabase({ connectionString: "mysql://x" })).toThrow(/postgres:\/\//);
    expect(() => createDatabase({ connectionString: "postgres://x", schema: "bad;drop" })).toThrow(/schema/);
  });
});
