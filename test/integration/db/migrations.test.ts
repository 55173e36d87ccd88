import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../../migrations/index.js";
import { migrateDown, migrateToLatest, migrateToNothing } from "../../../src/db/migrator.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

const OUR_TABLES = [
  "preimages",
  "reverse_swaps",
  "submarine_swaps",
  "swap_events",
  "swaps",
  "wallet_keys",
  "wallet_spends",
  "wallet_swap_keys",
  "wallet_vtxos",
];
/** The tables the newest migration creates: stepping down once must remove exactly these (20251203000200 only adds wallet_vtxos.offchain_until). */
const NEWEST_MIGRATION_TABLES: string[] = [];

async function tablesIn(t: TestDatabase): Promise<string[]> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = ${t.schema} and table_name not like 'kysely_%' order by table_name`.execute(t.db);
  return rows.map((r) => r.table_name);
}

describe("migrations", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("migrations", { migrate: false });
  });
  afterAll(async () => t.destroy());

  it("go up, all the way down, and up again", async () => {
    const names = Object.keys(MIGRATIONS);
    expect((await migrateToLatest(t.db, t.schema)).executed).toEqual(names);
    expect(await tablesIn(t)).toEqual(OUR_TABLES);

    expect((await migrateToNothing(t.db, t.schema)).executed).toEqual([...names].reverse());
    expect(await tablesIn(t)).toEqual([]);

    expect((await migrateToLatest(t.db, t.schema)).executed).toEqual(names);
    expect(await tablesIn(t)).toEqual(OUR_TABLES);
  });

  it("is idempotent: a second migrateToLatest runs nothing", async () => {
    expect((await migrateToLatest(t.db, t.schema)).executed).toEqual([]);
  });

  it("steps down one migration at a time", async () => {
    const names = Object.keys(MIGRATIONS);
    expect((await migrateDown(t.db, t.schema)).executed).toEqual([names.at(-1)]);
    expect(await tablesIn(t)).toEqual(OUR_TABLES.filter((n) => !NEWEST_MIGRATION_TABLES.includes(n)));
    await migrateToLatest(t.db, t.schema);
    expect(await tablesIn(t)).toEqual(OUR_TABLES);
  });

  it("keeps the migration bookkeeping inside the suite's schema", async () => {
    const { rows } = await sql<{ table_schema: string }>`
      select table_schema from information_schema.tables where table_name = 'kysely_migration'`.execute(t.db);
    expect(rows.map((r) => r.table_schema)).toContain(t.schema);
    expect(rows.map((r) => r.table_schema)).not.toContain("public");
  });
});
