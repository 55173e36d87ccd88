/**
 * Swept VTXOs in the Postgres batch reservation store: a batch candidate with its deadlines,
 * reserved atomically with spendable ones, restored to swept (not spendable) on release and by
 * crash recovery's release, turned spent by a settled batch or by the indexer's "swept and spent".
 */
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPgBatchStore, createPgWalletStore } from "../../../src/ark/wallet/index.js";
import { createTestDatabase, type TestDatabase } from "../db/test-database.js";

const SCRIPT = `5120${"11".repeat(32)}`;
const SWEPT = `${"c3".repeat(32)}:0`;
const LIVE = `${"d4".repeat(32)}:2`;

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("batchswept");
});
afterAll(async () => t.destroy());
afterEach(async () => {
  await sql`truncate wallet_spends, wallet_vtxos cascade`.execute(t.db);
});

async function seed(): Promise<void> {
  await createPgWalletStore(t.db).observeVtxos([
    {
      outpoint: SWEPT,
      amountSats: 7_000n,
      script: SCRIPT,
      spent: false,
      swept: true,
      spentBy: undefined,
      expiresAt: 300n,
      offchainUntil: 1_700_000_000n,
    },
    {
      outpoint: LIVE,
      amountSats: 3_000n,
      script: SCRIPT,
      spent: false,
      swept: false,
      spentBy: undefined,
      expiresAt: 450n,
      offchainUntil: 1_800_000_000n,
    },
  ]);
}

const row = (outpoint: string) =>
  t.db
    .selectFrom("wallet_vtxos")
    .select(["state", "reserved_for", "spent_by"])
    .where("outpoint", "=", outpoint)
    .executeTakeFirstOrThrow();

describe("swept VTXOs in the Postgres batch store", () => {
  it("lists spendable and swept VTXOs as candidates with their deadlines; only the live one is spendable", async () => {
    await seed();
    const bs = createPgBatchStore(t.db);
    expect(await bs.batchCandidates()).toEqual([
      { outpoint: SWEPT, amountSats: 7_000n, expiresAt: 300n, offchainUntil: 1_700_000_000n, swept: true },
      { outpoint: LIVE, amountSats: 3_000n, expiresAt: 450n, offchainUntil: 1_800_000_000n, swept: false },
    ]);
    expect((await createPgWalletStore(t.db).spendableVtxos()).map((c) => c.outpoint)).toEqual([LIVE]);
  });

  it("reserves both under one key, and a release gives each its own state back", async () => {
    await seed();
    const bs = createPgBatchStore(t.db);
    expect(await bs.reserveForBatch("batch:k1", [SWEPT, LIVE])).toBe(true);
    expect(await bs.reserveForBatch("batch:k2", [SWEPT])).toBe(false);
    expect(await bs.openBatches()).toEqual([{ batchKey: "batch:k1", outpoints: [SWEPT, LIVE] }]);
    expect(await bs.batchCandidates()).toEqual([]);
    await bs.releaseBatch("batch:k1");
    expect(await row(SWEPT)).toEqual({ state: "swept", reserved_for: null, spent_by: null });
    expect(await row(LIVE)).toEqual({ state: "spendable", reserved_for: null, spent_by: null });
  });

  it("a settled batch spends both and records the new VTXO", async () => {
    await seed();
    const bs = createPgBatchStore(t.db);
    expect(await bs.reserveForBatch("batch:k3", [SWEPT, LIVE])).toBe(true);
    const commitment = "ef".repeat(32);
    await bs.settleBatch("batch:k3", commitment, {
      outpoint: `${"aa".repeat(32)}:0`,
      amountSats: 10_000n,
      script: SCRIPT,
    });
    expect(await row(SWEPT)).toEqual({ state: "spent", reserved_for: null, spent_by: commitment });
    expect(await row(LIVE)).toEqual({ state: "spent", reserved_for: null, spent_by: commitment });
    expect((await bs.batchCandidates()).map((c) => [c.outpoint, c.amountSats])).toEqual([
      [`${"aa".repeat(32)}:0`, 10_000n],
    ]);
  });

  it("the indexer reporting a swept VTXO spent (recovered elsewhere) turns it spent", async () => {
    await seed();
    await createPgWalletStore(t.db).observeVtxos([
      {
        outpoint: SWEPT,
        amountSats: 7_000n,
        script: SCRIPT,
        spent: true,
        swept: true,
        spentBy: "bb".repeat(32),
        expiresAt: 300n,
      },
    ]);
    expect(await row(SWEPT)).toEqual({ state: "spent", reserved_for: null, spent_by: "bb".repeat(32) });
  });
});
