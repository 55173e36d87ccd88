import { hex } from "@scure/base";
import { beforeEach, describe, expect, it } from "vitest";
import { encodeNote, parseNote } from "../../../../src/ark/batch/index.js";
import type { ArkServerPort } from "../../../../src/ark/client/index.js";
import { recoverBatches } from "../../../../src/ark/wallet/batch-recovery.js";
import { redeemNotes, renew, type BatchServiceEnv } from "../../../../src/ark/wallet/batch-service.js";
import { createKeyRing } from "../../../../src/ark/wallet/keys.js";
import { SILENT_LOGGER } from "../../../../src/ark/wallet/logger.js";
import { buildWalletScript } from "../../../../src/ark/wallet/wallet-script.js";
import { MemoryWalletStore } from "../../../fakes/memory-wallet-store.js";
import { FAKE_BATCH_ARKD_INFO, FakeBatchArkd } from "../../../fakes/fake-batch-arkd.js";
import { memoryBatchStore } from "../../../fakes/memory-batch-store.js";

const SEED = hex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const INFO = FAKE_BATCH_ARKD_INFO;

const keys = createKeyRing(SEED);
const script = buildWalletScript(keys.walletKey.xOnly, INFO);
const note = (sats: bigint, fill = 1) => encodeNote(new Uint8Array(32).fill(fill), sats);
const OLD = `${"cd".repeat(32)}:0`;

let arkd: FakeBatchArkd;
let store: MemoryWalletStore;
let spentOutpoints: Set<string>;

function env(over: Partial<BatchServiceEnv> = {}): BatchServiceEnv {
  const ark = Object.assign(arkd, {
    getVtxos: async (q: { outpoints: { txid: string; vout: number }[] }) => ({
      vtxos: q.outpoints.map((o) => ({
        outpoint: o,
        flags: { spent: spentOutpoints.has(`${o.txid}:${o.vout}`) },
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
    batchAttempts: 2,
    withSelectionLock: (work) => work(),
    activeBatches: new Set(),
    ...over,
  };
}

beforeEach(() => {
  arkd = new FakeBatchArkd();
  store = new MemoryWalletStore();
  spentOutpoints = new Set();
});

async function withOldVtxo(): Promise<void> {
  await store.observeVtxos([
    {
      outpoint: OLD,
      amountSats: 40_000n,
      script: script.pkScriptHex,
      spent: false,
      swept: false,
      spentBy: undefined,
      expiresAt: undefined,
    },
  ]);
}

describe("redeemNotes (scripted arkd)", () => {
  it("joins a batch with notes only: co-signs the tree, sends no forfeit, records the new VTXO", async () => {
    const res = await redeemNotes(env(), [note(12_000n), note(3_000n, 2)]);
    expect(res.amountSats).toBe(15_000n);
    expect(res.feeSats).toBe(0n);
    expect(res.commitmentTxid).toBe(arkd.commitmentTxid);
    expect(res.inputs).toEqual([parseNote(note(12_000n)).outpoint, parseNote(note(3_000n, 2)).outpoint]);
    expect(arkd.calls).toEqual([
      "stream:3",
      "registerIntent",
      "confirmRegistration",
      "submitTreeNonces",
      "submitTreeSignatures",
    ]);
    expect(store.vtxos.get(res.outpoint)).toMatchObject({ state: "spendable", amountSats: 15_000n });
  });

  it("pays the fee arkd estimates for the intent", async () => {
    arkd.feeSats = 250n;
    const res = await redeemNotes(env(), [note(12_000n)]);
    expect([res.feeSats, res.amountSats]).toEqual([250n, 11_750n]);
    arkd.feeSats = 11_800n;
    await expect(redeemNotes(env(), [note(12_000n)])).rejects.toMatchObject({
      code: "batch.amount_too_small",
    });
  });

  it("refuses bad input before talking to arkd", async () => {
    await expect(redeemNotes(env(), [])).rejects.toMatchObject({ code: "wallet.invalid_request" });
    await expect(redeemNotes(env(), ["arknote123"])).rejects.toMatchObject({ code: "batch.invalid_note" });
    await expect(redeemNotes(env(), [note(5n), note(5n)])).rejects.toMatchObject({
      code: "wallet.invalid_request",
    });
    expect(arkd.calls).toEqual([]);
  });

  it("after a failed batch deletes the intent and joins the next one", async () => {
    arkd.failBatches = 1;
    const res = await redeemNotes(env(), [note(9_000n)]);
    expect(res.amountSats).toBe(9_000n);
    expect(arkd.calls.filter((c) => c === "registerIntent")).toHaveLength(2);
    expect(arkd.calls).toContain("deleteIntent");
    expect(JSON.parse(arkd.deleted[0]?.message as string)).toMatchObject({ type: "delete" });
  });

  it("refuses to co-sign a tree whose branch to our VTXO does not need our key", async () => {
    arkd.ourKeyOnOtherLeaf = true;
    await expect(redeemNotes(env(), [note(9_000n)])).rejects.toMatchObject({ code: "batch.invalid_tree" });
    expect(arkd.calls).not.toContain("submitTreeNonces");
    expect(arkd.calls).toContain("deleteIntent");
  });

  it("raises batch.failed once the attempts are used up", async () => {
    arkd.failBatches = 5;
    await expect(redeemNotes(env(), [note(9_000n)])).rejects.toMatchObject({
      code: "batch.failed",
      retryable: true,
    });
    expect(arkd.calls.filter((c) => c === "registerIntent")).toHaveLength(2);
  });
});

describe("renew (scripted arkd)", () => {
  it("forfeits the old VTXO with a connector; old spent, new spendable only after finalization", async () => {
    await withOldVtxo();
    const res = await renew(env(), [OLD]);
    expect(res.amountSats).toBe(40_000n);
    expect(arkd.calls).toContain("submitSignedForfeitTxs:1");
    expect(store.vtxos.get(OLD)).toMatchObject({ state: "spent", spentBy: res.commitmentTxid });
    expect(store.vtxos.get(res.outpoint)).toMatchObject({ state: "spendable", amountSats: 40_000n });
  });

  it("forfeits only the VTXOs arkd made connectors for (an expired one needs none)", async () => {
    await withOldVtxo();
    const other = `${"ef".repeat(32)}:2`;
    await store.observeVtxos([
      {
        outpoint: other,
        amountSats: 5_000n,
        script: script.pkScriptHex,
        spent: false,
        swept: false,
        spentBy: undefined,
        expiresAt: undefined,
      },
    ]);
    arkd.expired.add(OLD);
    const res = await renew(env(), [OLD, other]);
    expect(res.amountSats).toBe(45_000n);
    expect(arkd.calls).toContain("submitSignedForfeitTxs:1");
    expect(store.vtxos.get(OLD)?.state).toBe("spent");
    expect(store.vtxos.get(other)?.state).toBe("spent");
  });

  it("renews every spendable VTXO when none is named", async () => {
    await withOldVtxo();
    const res = await renew(env());
    expect(res.inputs).toEqual([OLD]);
  });

  it("a failed renewal gives the VTXO back (spendable again)", async () => {
    await withOldVtxo();
    arkd.failBatches = 5;
    await expect(renew(env(), [OLD])).rejects.toMatchObject({ code: "batch.failed" });
    expect(store.vtxos.get(OLD)).toMatchObject({ state: "spendable", reservedFor: null });
  });

  it("keeps the reservation when the forfeits are out and the outcome is unknown; recovery settles it", async () => {
    await withOldVtxo();
    arkd.breakAfterForfeits = true;
    // the stream breaks right after the forfeits: no timeout involved (a busy machine is fine)
    await expect(renew(env({ batchTimeoutMs: 60_000 }), [OLD])).rejects.toMatchObject({
      code: "batch.outcome_unknown",
    });
    expect(store.vtxos.get(OLD)?.state).toBe("reserved");
    // not spent at arkd: released
    expect(await recoverBatches(env())).toEqual({ settled: 0, released: 1 });
    expect(store.vtxos.get(OLD)?.state).toBe("spendable");
  });

  it("recovery marks a reservation spent when the indexer shows the VTXO spent", async () => {
    await withOldVtxo();
    const bs = memoryBatchStore(store);
    expect(await bs.reserveForBatch("batch:x", [OLD])).toBe(true);
    expect(await bs.reserveForBatch("batch:y", [OLD])).toBe(false);
    spentOutpoints.add(OLD);
    expect(await recoverBatches(env())).toEqual({ settled: 1, released: 0 });
    expect(store.vtxos.get(OLD)).toMatchObject({ state: "spent", spentBy: "ee".repeat(32) });
  });

  it("recovery leaves a renewal running in this process alone", async () => {
    await withOldVtxo();
    expect(await memoryBatchStore(store).reserveForBatch("batch:live", [OLD])).toBe(true);
    expect(await recoverBatches(env({ activeBatches: new Set(["batch:live"]) }))).toEqual({
      settled: 0,
      released: 0,
    });
    expect(store.vtxos.get(OLD)?.state).toBe("reserved");
  });

  it("refuses unknown or reserved outpoints and an empty wallet", async () => {
    await expect(renew(env())).rejects.toMatchObject({ code: "wallet.insufficient_funds" });
    await expect(renew(env(), [OLD])).rejects.toMatchObject({ code: "wallet.invalid_request" });
    await expect(renew(env({ batchStore: undefined }), [OLD])).rejects.toMatchObject({
      code: "wallet.invalid_request",
    });
    expect(arkd.calls).toEqual([]);
  });
});
