/**
 * Several gateways in one database, one schema each (e.g. the sandbox's `sandbox_gateway` next to
 * a gateway on the default schema): every schema migrates, in any order or at once, and sees only
 * its own rows. Each case gets a database of its own, since "the default schema" is shared.
 */
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../../migrations/index.js";
import { createDatabase, type Database } from "../../../src/db/client.js";
import { ensureDatabase, migrateToLatest } from "../../../src/db/migrator.js";
import { findSwap, insertSwap } from "../../../src/db/swap-repository.js";
import { isGatewayError } from "../../../src/domain/errors.js";
import { createFreshDatabase, type FreshDatabase } from "../cli/fresh-database.js";
import { sampleReverse, sampleSubmarine } from "../../fixtures/sample-swaps.js";

const NAMES = Object.keys(MIGRATIONS);
const opened: Database[] = [];
const databases: FreshDatabase[] = [];

afterEach(async () => {
  for (const d of opened.splice(0)) await d.close();
  for (const f of databases.splice(0)) await f.drop();
});

async function freshUrl(label: string): Promise<string> {
  const fresh = await createFreshDatabase(label);
  databases.push(fresh);
  return fresh.url;
}

async function open(url: string, schema?: string): Promise<Database> {
  const database = await ensureDatabase({
    connectionString: url,
    ...(schema === undefined ? {} : { schema }),
  });
  opened.push(database);
  return database;
}

async function bookkeepingSchemas(db: Database): Promise<string[]> {
  const { rows } = await sql<{ schema: string }>`
    select table_schema as schema from information_schema.tables
    where table_name = 'kysely_migration' order by table_schema`.execute(db.db);
  return rows.map((r) => r.schema);
}

describe("several schemas in one database", () => {
  it("the default schema migrates after another schema got the gateway's tables (the sandbox case)", async () => {
    const url = await freshUrl("sbx");
    const sandbox = await open(url, "sandbox_gateway");
    const plain = await open(url);
    expect(await bookkeepingSchemas(plain)).toEqual(["public", "sandbox_gateway"]);

    const inSandbox = await insertSwap(sandbox.db, sampleSubmarine(), {});
    const inPublic = await insertSwap(plain.db, sampleReverse(), {});
    expect(await findSwap(sandbox.db, inPublic.id)).toBeUndefined();
    expect(await findSwap(plain.db, inSandbox.id)).toBeUndefined();
    expect((await findSwap(plain.db, inPublic.id))?.type).toBe("reverse");

    // Reopening either is a no-op migration.
    expect((await migrateToLatest(plain.db)).executed).toEqual([]);
    expect((await migrateToLatest(sandbox.db, "sandbox_gateway")).executed).toEqual([]);
  });

  it("a named schema migrates after the default schema got the tables", async () => {
    const url = await freshUrl("pub");
    const plain = await open(url);
    const other = await open(url, "other_gateway");
    const swap = await insertSwap(other.db, sampleSubmarine(), {});
    expect(await findSwap(plain.db, swap.id)).toBeUndefined();
    expect(await bookkeepingSchemas(plain)).toEqual(["other_gateway", "public"]);
  });

  it("three schemas migrating at the same time each run every migration once", async () => {
    const url = await freshUrl("par");
    const pools = ["a_gateway", "b_gateway", undefined].map((schema) =>
      createDatabase({ connectionString: url, ...(schema === undefined ? {} : { schema }) }),
    );
    opened.push(...pools);
    const reports = await Promise.all(pools.map((p) => migrateToLatest(p.db, p.schema)));
    for (const r of reports) expect(r.executed).toEqual(NAMES);
  });

  it("the default schema is the first one of the search_path that exists", async () => {
    const url = await freshUrl("path");
    const admin = createDatabase({ connectionString: url });
    opened.push(admin);
    await sql`create schema app`.execute(admin.db);
    const pooled = createDatabase({ connectionString: url });
    opened.push(pooled);
    pooled.pool.on("connect", (client) => void client.query("set search_path = missing, app, public"));
    expect((await migrateToLatest(pooled.db)).executed).toEqual(NAMES);
    expect(await bookkeepingSchemas(admin)).toEqual(["app"]);
  });

  it("a search_path naming no existing schema is refused with what to fix", async () => {
    const url = await freshUrl("none");
    const pooled = createDatabase({ connectionString: url });
    opened.push(pooled);
    pooled.pool.on("connect", (client) => void client.query("set search_path = missing"));
    await expect(migrateToLatest(pooled.db)).rejects.toSatisfy(
      (e) => isGatewayError(e, "db.invalid_config") && /search_path/.test(e.message),
    );
  });
});
