/**
 * Batch participation of the gateway's own Ark wallet on the REAL arkd (v0.9.15): redeem an admin
 * note through our batch client (RegisterIntent, MuSig2 tree co-signing, no forfeit for a note),
 * then renew the resulting VTXO (forfeit + connector), and check arkd's indexer shows exactly the
 * amounts we computed (Σ inputs − EstimateIntentFee, which evaluates GetInfo's intent fee programs).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrpcArkClient, type ArkServerPort } from "../../../src/ark/client/index.js";
import { ArkWallet } from "../../../src/ark/wallet/index.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { memoryBatchStore } from "../../unit/ark/batch/memory-batch-store.js";
import { MemoryWalletStore } from "../../unit/ark/wallet/memory-store.js";
import { arkAdmin, arkOf, vtxosAt } from "../helpers/ark.js";
import { loadNetwork } from "../helpers/network.js";

const NOTE_SATS = 21_000;

let net: NetworkFile;
let ark: ArkServerPort;
let store: MemoryWalletStore;
let wallet: ArkWallet;
let script: string;

beforeAll(async () => {
  net = loadNetwork();
  ark = createGrpcArkClient({ address: arkOf(net).arkdUrl.replace(/^https?:\/\//, "") });
  store = new MemoryWalletStore();
  wallet = new ArkWallet({
    ark,
    store,
    batchStore: memoryBatchStore(store),
    seed: Uint8Array.from(randomBytes(32)),
    options: { maintenanceIntervalMs: 0, batchTimeoutMs: 120_000 },
  });
  await wallet.start();
  script = (await wallet.walletInfo()).script;
});

afterAll(async () => {
  await wallet?.stop();
  ark?.close();
});

describe("batches through our own Ark core (real arkd)", () => {
  let noteVtxo: string;
  let noteAmount: bigint;

  it("redeems a note of N sats: the indexer shows exactly N − fee settled at our script", async () => {
    const info = await ark.getInfo();
    const [note] = await arkAdmin(net).createNotes(NOTE_SATS, 1);
    const res = await wallet.redeemNotes([note as string]);
    expect(res.commitmentTxid).toMatch(/^[0-9a-f]{64}$/);
    // regtest arkd has no intent fee programs: the fee we computed through EstimateIntentFee is 0
    const programs = info.fees?.intentFee;
    const noFees = [programs?.offchainInput, programs?.offchainOutput].every(
      (p) => p === undefined || p === "" || p === "0",
    );
    if (noFees) expect(res.feeSats).toBe(0n);
    expect(res.amountSats).toBe(BigInt(NOTE_SATS) - res.feeSats);
    const vtxos = await vtxosAt(net, script);
    expect(vtxos.map((v) => [`${v.txid}:${v.vout}`, BigInt(v.value)])).toEqual([
      [res.outpoint, res.amountSats],
    ]);
    expect(vtxos[0]?.virtualStatus.commitmentTxIds).toContain(res.commitmentTxid);
    expect(vtxos[0]?.virtualStatus.state).toBe("settled");
    expect((await wallet.balance()).spendableSats).toBe(res.amountSats);
    noteVtxo = res.outpoint;
    noteAmount = res.amountSats;
  });

  it("renews that VTXO: forfeited into a new batch output of the same amount minus the fee", async () => {
    const res = await wallet.renew([noteVtxo]);
    expect(res.inputs).toEqual([noteVtxo]);
    expect(res.amountSats).toBe(noteAmount - res.feeSats);
    const spendable = await vtxosAt(net, script);
    expect(spendable.map((v) => [`${v.txid}:${v.vout}`, BigInt(v.value)])).toEqual([
      [res.outpoint, res.amountSats],
    ]);
    expect(spendable[0]?.virtualStatus.commitmentTxIds).toContain(res.commitmentTxid);
    const old = (await vtxosAt(net, script, true)).find((v) => `${v.txid}:${v.vout}` === noteVtxo);
    expect(old?.isSpent).toBe(true);
    expect(store.vtxos.get(noteVtxo)?.state).toBe("spent");
    expect(store.vtxos.get(res.outpoint)?.state).toBe("spendable");
    expect((await wallet.balance()).spendableSats).toBe(res.amountSats);
  });
});
