/**
 * Every db error raised over a Postgres failure says what Postgres said: the message (with its
 * detail) and the SQLSTATE, in the error's own message (what the CLI prints and the logs carry).
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "../../../src/db/client.js";
import { ensureDatabase, migrateToLatest } from "../../../src/db/migrator.js";
import { insertSwap } from "../../../src/db/swap-repository.js";
import { GatewayError, isGatewayError } from "../../../src/domain/errors.js";
import { createFreshDatabase, type FreshDatabase } from "../cli/fresh-database.js";
import { sampleSubmarine } from "../../fixtures/sample-swaps.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

async function failure(work: Promise<unknown>): Promise<GatewayError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error("expected a GatewayError");
}

describe("db errors carry Postgres's own words", () => {
  let fresh: FreshDatabase;
  let database: Database;
  let t: TestDatabase;
  beforeAll(async () => {
    fresh = await createFreshDatabase("dberr");
    database = createDatabase({ connectionString: fresh.url });
    t = await createTestDatabase("dberr");
  });
  afterAll(async () => {
    await t.destroy();
    await database.close();
    await fresh.drop();
  });

  it("db.migration_failed names the migration and Postgres's message and SQLSTATE", async () => {
    await sql`create table swaps (id integer)`.execute(database.db);
    const err = await failure(migrateToLatest(database.db));
    expect(err.code).toBe("db.migration_failed");
    expect(err.message).toBe(
      'migrating to latest failed at 20251120000100_swaps: relation "swaps" already exists [SQLSTATE 42P07]',
    );
    expect(err.details).toMatchObject({ failed: "20251120000100_swaps", sqlState: "42P07" });
    expect((err.cause as { code?: string }).code).toBe("42P07");
  });

  it("db.unavailable says why the server could not be reached", async () => {
    const refused = await failure(ensureDatabase({ connectionString: "postgres://nobody@127.0.0.1:1/none" }));
    expect(refused.code).toBe("db.unavailable");
    expect(refused.message).toMatch(/^cannot reach the database: .*ECONNREFUSED/);

    const url = new URL(fresh.url);
    url.pathname = "/no_such_database";
    const missing = await failure(ensureDatabase({ connectionString: url.toString() }));
    expect(missing.message).toBe(
      'cannot reach the database: database "no_such_database" does not exist [SQLSTATE 3D000]',
    );
    expect(missing.details).toEqual({ sqlState: "3D000" });
  });

  it("db.duplicate carries the violated constraint and its detail", async () => {
    const swap = sampleSubmarine();
    await insertSwap(t.db, swap, {});
    const err = await failure(insertSwap(t.db, swap, {}));
    expect(err.code).toBe("db.duplicate");
    expect(err.message).toMatch(
      /exists already: duplicate key value violates unique constraint "swaps_pkey" \(Key \(id\)=\(swap_[0-9a-f]+\) already exists\.\) \[SQLSTATE 23505\]$/,
    );
  });

  it("a search_path that does not point at the schema is refused before migrating", async () => {
    const err = await failure(migrateToLatest(database.db, `${t.schema}`));
    expect(isGatewayError(err, "db.invalid_config")).toBe(true);
    expect(err.message).toContain(`does not point at schema "${t.schema}"`);
  });
});
