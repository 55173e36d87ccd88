/**
 * Swept VTXOs through the batch service (scripted arkd): reserved like spendable ones, settled
 * into the new VTXO without a forfeit, and back to swept (not spendable) when the batch fails or
 * a crash leaves the reservation to recovery.
 */
import { hex } from "@scure/base";
import { beforeEach, describe, expect, it } from "vitest";
import type { ArkServerPort } from "../../../../src/ark/client/index.js";
import { recoverBatches } from "../../../../src/ark/wallet/batch-recovery.js";
import { renew, type BatchServiceEnv } from "../../../../src/ark/wallet/batch-service.js";
import { createKeyRing } from "../../../../src/ark/wallet/keys.js";
import { SILENT_LOGGER } from "../../../../src/ark/wallet/logger.js";
import { buildWalletScript } from "../../../../src/ark/wallet/wallet-script.js";
import { MemoryWalletStore } from "../../../fakes/memory-wallet-store.js";
import { FAKE_BATCH_ARKD_INFO, FakeBatchArkd } from "../../../fakes/fake-batch-arkd.js";
import { memoryBatchStore } from "../../../fakes/memory-batch-store.js";

const SEED = hex.decode("1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100");
const INFO = FAKE_BATCH_ARKD_INFO;
const keys = createKeyRing(SEED);
const script = buildWalletScript(keys.walletKey.xOnly, INFO);
const SWEPT = `${"ab".repeat(32)}:1`;
const LIVE = `${"ac".repeat(32)}:0`;

let arkd: FakeBatchArkd;
let store: MemoryWalletStore;
let spent: Set<string>;

function env(over: Partial<BatchServiceEnv> = {}): BatchServiceEnv {
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
    store,
    batchStore: memoryBatchStore(store),
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

const observed = (outpoint: string, amountSats: bigint, swept: boolean) => ({
  outpoint,
  amountSats,
  script: script.pkScriptHex,
  spent: false,
  swept,
  spentBy: undefined,
  expiresAt: 200n,
});

beforeEach(async () => {
  arkd = new FakeBatchArkd();
  store = new MemoryWalletStore();
  spent = new Set();
  await store.observeVtxos([observed(SWEPT, 7_000n, true), observed(LIVE, 3_000n, false)]);
  arkd.expired.add(SWEPT); // arkd makes no connector for a swept VTXO
});

describe("recovering swept VTXOs in a batch", () => {
  it("a swept VTXO is a batch candidate, never an offchain one", async () => {
    expect((await store.spendableVtxos()).map((c) => c.outpoint)).toEqual([LIVE]);
    const candidates = await memoryBatchStore(store).batchCandidates();
    expect(candidates.map((c) => [c.outpoint, c.swept])).toEqual([
      [SWEPT, true],
      [LIVE, false],
    ]);
  });

  it("a coin unrolled onchain (offchainUntil 0) is never picked for a batch: a renewal of everything takes the others", async () => {
    const UNROLLED = `${"ad".repeat(32)}:0`;
    await store.observeVtxos([{ ...observed(UNROLLED, 5_000n, false), offchainUntil: 0n }]);
    const res = await renew(env());
    expect(res.amountSats).toBe(3_000n);
    expect(store.vtxos.get(UNROLLED)).toMatchObject({ state: "spendable" });
    expect(arkd.calls).toContain("submitSignedForfeitTxs:1");
  });

  it("settles swept + live into one VTXO of the exact sum, forfeiting only the live one", async () => {
    const res = await renew(env(), [SWEPT, LIVE]);
    expect(res.amountSats).toBe(10_000n);
    expect(arkd.calls).toContain("submitSignedForfeitTxs:1");
    expect(store.vtxos.get(SWEPT)).toMatchObject({ state: "spent", spentBy: res.commitmentTxid });
    expect(store.vtxos.get(LIVE)).toMatchObject({ state: "spent", spentBy: res.commitmentTxid });
    expect(store.vtxos.get(res.outpoint)).toMatchObject({ state: "spendable", amountSats: 10_000n });
  });

  it("a swept VTXO alone needs no forfeit at all", async () => {
    const res = await renew(env(), [SWEPT]);
    expect(res.amountSats).toBe(7_000n);
    expect(arkd.calls.some((c) => c.startsWith("submitSignedForfeitTxs"))).toBe(false);
  });

  it("a failed batch gives each VTXO its state back: swept stays swept, live is spendable", async () => {
    arkd.failBatches = 5;
    await expect(renew(env(), [SWEPT, LIVE])).rejects.toMatchObject({ code: "batch.failed" });
    expect(store.vtxos.get(SWEPT)).toMatchObject({ state: "swept", reservedFor: null });
    expect(store.vtxos.get(LIVE)).toMatchObject({ state: "spendable", reservedFor: null });
  });

  it("a crash mid-batch: recovery releases (to swept) or settles (spent) from the indexer", async () => {
    const bs = memoryBatchStore(store);
    expect(await bs.reserveForBatch("batch:crashed", [SWEPT, LIVE])).toBe(true);
    expect(await bs.openBatches()).toEqual([{ batchKey: "batch:crashed", outpoints: [SWEPT, LIVE] }]);
    expect(await recoverBatches(env())).toEqual({ settled: 0, released: 1 });
    expect(store.vtxos.get(SWEPT)?.state).toBe("swept");
    expect(await bs.reserveForBatch("batch:again", [SWEPT])).toBe(true);
    spent.add(SWEPT);
    expect(await recoverBatches(env())).toEqual({ settled: 1, released: 0 });
    expect(store.vtxos.get(SWEPT)).toMatchObject({ state: "spent", spentBy: "ee".repeat(32) });
  });

  it("the indexer's 'swept and spent' (recovered) turns a swept row spent", async () => {
    await store.observeVtxos([{ ...observed(SWEPT, 7_000n, true), spent: true, spentBy: "cc".repeat(32) }]);
    expect(store.vtxos.get(SWEPT)).toMatchObject({ state: "spent", spentBy: "cc".repeat(32) });
  });
});
