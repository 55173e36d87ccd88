/**
 * Batch joins on the real Postgres store: the batch reservation store's CAS semantics, and a
 * renewal against the scripted arkd with both Postgres stores (reserved durably before
 * RegisterIntent, spent + new VTXO in one transaction after batch_finalized, released on failure,
 * kept and then recovered when the outcome is unknown).
 */
import { hex } from "@scure/base";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ArkServerPort } from "../../../src/ark/client/index.js";
import { recoverBatches } from "../../../src/ark/wallet/batch-recovery.js";
import { renew, type BatchServiceEnv } from "../../../src/ark/wallet/batch-service.js";
import { createKeyRing, createPgBatchStore, createPgWalletStore } from "../../../src/ark/wallet/index.js";
import { SILENT_LOGGER } from "../../../src/ark/wallet/logger.js";
import { buildWalletScript } from "../../../src/ark/wallet/wallet-script.js";
import { FAKE_BATCH_ARKD_INFO, FakeBatchArkd } from "../../fakes/fake-batch-arkd.js";
import { createTestDatabase, type TestDatabase } from "../db/test-database.js";

const SEED = hex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const INFO = FAKE_BATCH_ARKD_INFO;
const keys = createKeyRing(SEED);
const script = buildWalletScript(keys.walletKey.xOnly, INFO);
const A = `${"a1".repeat(32)}:0`;
const B = `${"b2".repeat(32)}:1`;

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("batch");
});
afterAll(async () => t.destroy());
afterEach(async () => {
  await sql`truncate wallet_spends, wallet_vtxos cascade`.execute(t.db);
});

async function seedVtxos(): Promise<void> {
  await createPgWalletStore(t.db).observeVtxos(
    [A, B].map((outpoint, i) => ({
      outpoint,
      amountSats: BigInt(10_000 * (i + 1)),
      script: script.pkScriptHex,
      spent: false,
      swept: false,
      spentBy: undefined,
      expiresAt: undefined,
    })),
  );
}

const stateOf = async (outpoint: string) =>
  t.db
    .selectFrom("wallet_vtxos")
    .select(["state", "reserved_for", "spent_by"])
    .where("outpoint", "=", outpoint)
    .executeTakeFirst();

function env(
  arkd: FakeBatchArkd,
  spent: Set<string> = new Set(),
  over: Partial<BatchServiceEnv> = {},
): BatchServiceEnv {
  const ark = Object.assign(arkd, {
    getVtxos: async (q: { outpoints: { txid: string; vout: number }[] }) => ({
      vtxos: q.outpoints.map((o) => ({
        outpoint: o,
        flags: { spent: spent.has(`${o.txid}:${o.vout}`) },
        settledBy: "ee".repeat(32),
      })),
      page: undefined,
    }),
  }) as unknown as ArkServerPort;
  return {
    ark,
    store: createPgWalletStore(t.db),
    batchStore: createPgBatchStore(t.db),
    keys,
    serverInfo: async () => INFO,
    walletScript: () => script,
    log: SILENT_LOGGER,
    maxInputs: 8,
    batchTimeoutMs: 5_000,
    batchAttempts: 1,
    withSelectionLock: (work) => work(),
    activeBatches: new Set(),
    ...over,
  };
}

describe("batch reservations on Postgres", () => {
  it("reserves all or nothing, releases and settles idempotently, lists open batches", async () => {
    await seedVtxos();
    const bs = createPgBatchStore(t.db);
    expect(await bs.reserveForBatch("batch:1", [A])).toBe(true);
    expect(await bs.reserveForBatch("batch:2", [B, A])).toBe(false);
    expect(await stateOf(B)).toMatchObject({ state: "spendable", reserved_for: null });
    expect(await bs.openBatches()).toEqual([{ batchKey: "batch:1", outpoints: [A] }]);
    await bs.releaseBatch("batch:1");
    await bs.releaseBatch("batch:1");
    expect(await stateOf(A)).toMatchObject({ state: "spendable", reserved_for: null });
    expect(await bs.reserveForBatch("batch:3", [A, B])).toBe(true);
    const out = { outpoint: `${"c3".repeat(32)}:0`, amountSats: 30_000n, script: script.pkScriptHex };
    await bs.settleBatch("batch:3", "dd".repeat(32), out);
    await bs.settleBatch("batch:3", "dd".repeat(32), out);
    expect(await stateOf(A)).toMatchObject({ state: "spent", spent_by: "dd".repeat(32) });
    expect(await stateOf(B)).toMatchObject({ state: "spent", spent_by: "dd".repeat(32) });
    expect(await stateOf(out.outpoint)).toMatchObject({ state: "spendable" });
    expect(await bs.openBatches()).toEqual([]);
  });

  it("renews both VTXOs through the scripted arkd: spent + new VTXO only after finalization", async () => {
    await seedVtxos();
    const arkd = new FakeBatchArkd();
    const res = await renew(env(arkd));
    expect(res.amountSats).toBe(30_000n);
    expect(arkd.calls).toContain("submitSignedForfeitTxs:2");
    expect(await stateOf(A)).toMatchObject({ state: "spent", spent_by: res.commitmentTxid });
    expect(await stateOf(res.outpoint)).toMatchObject({ state: "spendable" });
    expect(await createPgWalletStore(t.db).spendableVtxos()).toEqual([
      expect.objectContaining({ outpoint: res.outpoint, amountSats: 30_000n }),
    ]);
  });

  it("a failed batch releases; an unknown outcome keeps the reservation until recovery", async () => {
    await seedVtxos();
    const failing = new FakeBatchArkd();
    failing.failBatches = 1;
    await expect(renew(env(failing), [A])).rejects.toMatchObject({ code: "batch.failed" });
    expect(await stateOf(A)).toMatchObject({ state: "spendable", reserved_for: null });

    const hanging = new FakeBatchArkd();
    hanging.breakAfterForfeits = true;
    await expect(renew(env(hanging, new Set(), { batchTimeoutMs: 60_000 }), [A])).rejects.toMatchObject({
      code: "batch.outcome_unknown",
    });
    expect((await stateOf(A))?.state).toBe("reserved");
    // a restart: arkd did finalize (the indexer shows A spent)
    expect(await recoverBatches(env(new FakeBatchArkd(), new Set([A])))).toEqual({ settled: 1, released: 0 });
    expect(await stateOf(A)).toMatchObject({ state: "spent", spent_by: "ee".repeat(32) });
  });
});
