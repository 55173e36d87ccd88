import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../../migrations/index.js";
import { migrateDown, migrateToLatest, migrateToNothing } from "../../../src/db/migrator.js";
import { findSwap, insertSwap, transition } from "../../../src/db/swap-repository.js";
import { publicStatus } from "../../../src/domain/public-status.js";
import type { SubmarineSwap } from "../../../src/domain/swap-records.js";
import type { SubmarineStatus } from "../../../src/domain/swap-types.js";
import { sampleSubmarine } from "../../fixtures/sample-swaps.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

const OUR_TABLES = [
  "liquidity_boardings",
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
/** The tables the newest migration creates: stepping down once must remove exactly these. */
const NEWEST_MIGRATION_TABLES: string[] = ["liquidity_boardings"];

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

describe("migration 20251203000300_submarine_refunded_from", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("refunded_from");
  });
  afterAll(async () => t.destroy());

  /** A submarine swap walked through `path` (pairs of [to, event]) on the schema as it is. */
  async function walk(path: readonly (readonly [SubmarineStatus, string])[], failureReason?: string) {
    const { id } = await insertSwap(t.db, sampleSubmarine({ failureReason: failureReason ?? null }));
    let from: SubmarineStatus = "awaiting_funding";
    for (const [to, event] of path) {
      expect(await transition(t.db, { id, type: "submarine", from, to, event })).toMatchObject({
        status: to,
      });
      from = to;
    }
    return id;
  }

  it("backfills swaps refunded before it from their vhtlc_refunded event; the rest stay null and are inferred", async () => {
    // step down past the newer migrations to just before this one
    let down: string[] = [];
    for (let i = 0; i < 10 && !down.includes("20251203000300_submarine_refunded_from"); i++)
      down = [...(await migrateDown(t.db, t.schema)).executed];
    expect(down).toEqual(["20251203000300_submarine_refunded_from"]);
    const fromPayment = await walk([
      ["funded", "test_forced"],
      ["payment_failed", "payment_failed"],
      ["refunded", "vhtlc_refunded"],
    ]);
    const fromFunding = await walk([
      ["funding_detected", "vtxo_seen"],
      ["funding_rejected", "funding_refused"],
      ["refunded", "vhtlc_refunded"],
    ]);
    // refunded without a vhtlc_refunded event row: nothing to backfill from
    const noEvent = await walk([["refunded", "test_forced"]], "funding refused: underpaid");
    const stillFailed = await walk([
      ["funded", "test_forced"],
      ["payment_failed", "payment_failed"],
    ]);

    await migrateToLatest(t.db, t.schema);
    const read = async (id: string) => (await findSwap(t.db, id)) as SubmarineSwap;
    expect((await read(fromPayment)).refundedFrom).toBe("payment_failed");
    expect((await read(fromFunding)).refundedFrom).toBe("funding_rejected");
    expect((await read(noEvent)).refundedFrom).toBeNull();
    expect((await read(stillFailed)).refundedFrom).toBeNull();
    expect(publicStatus(await read(fromPayment))).toBe("invoice.failedToPay");
    expect(publicStatus(await read(fromFunding))).toBe("transaction.lockupFailed");
    expect(publicStatus(await read(noEvent))).toBe("transaction.lockupFailed"); // from its failure reason
    expect((await read(fromFunding)).status).toBe("refunded");
  });

  it("refuses a value that is not a refundable failure status", async () => {
    const id = await walk([]);
    await expect(
      sql`update submarine_swaps set refunded_from = 'claimed' where swap_id = ${id}`.execute(t.db),
    ).rejects.toThrow(/check constraint/);
  });
});
