import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import { describe, expect, it } from "vitest";
import type { BoardingScript } from "../../../src/ark/wallet/index.js";
import {
  BOARDING_LABEL_PREFIX,
  boardFromLnd,
  boardingVout,
  resumeBoardings,
  type BoardFlowDeps,
} from "../../../src/liquidity/board-flow.js";
import type {
  ArkLiquidityPort,
  BoardingRecord,
  BoardingStore,
  OnchainTx,
  OnchainWalletPort,
} from "../../../src/liquidity/ports.js";

const SCRIPT = new Uint8Array([0x51, 0x20, ...new Uint8Array(32).fill(9)]);
const OTHER = new Uint8Array([0x00, 0x14, ...new Uint8Array(20).fill(1)]);
const ADDRESS = "bcrt1p-boarding";

/** A raw tx paying `amount` to the boarding script at output 1 (change at 0). */
function rawTx(amount: bigint): { hex: string; txid: string } {
  const tx = new Transaction({ allowUnknownOutputs: true });
  tx.addInput({ txid: "aa".repeat(32), index: 0 });
  tx.addOutput({ script: OTHER, amount: 12_345n });
  tx.addOutput({ script: SCRIPT, amount });
  return { hex: hex.encode(tx.unsignedTx), txid: tx.id };
}

class MemoryStore implements BoardingStore {
  rows = new Map<string, BoardingRecord>();
  private set(id: string, patch: Partial<BoardingRecord>, from?: readonly string[]) {
    const r = this.rows.get(id);
    if (r === undefined || (from !== undefined && !from.includes(r.status))) return;
    this.rows.set(id, { ...r, ...patch });
  }
  async create(r: { id: string; amountSats: bigint; address: string }) {
    this.rows.set(r.id, {
      ...r,
      status: "sending",
      txid: undefined,
      vout: undefined,
      commitmentTxid: undefined,
      vtxoOutpoint: undefined,
      vtxoSats: undefined,
      feeSats: undefined,
      lastError: undefined,
      createdAt: new Date(this.rows.size),
    });
  }
  async markSent(id: string, txid: string) {
    this.set(id, { status: "sent", txid }, ["sending"]);
  }
  async noteCommitment(id: string, commitmentTxid: string) {
    this.set(id, { commitmentTxid }, ["sent"]);
  }
  async setVout(id: string, vout: number) {
    this.set(id, { vout });
  }
  async markBoarded(
    id: string,
    r: { commitmentTxid: string; vtxoOutpoint: string; vtxoSats: bigint; feeSats: bigint },
  ) {
    this.set(id, { status: "boarded", ...r, lastError: undefined }, ["sent"]);
  }
  async markFailed(id: string, reason: string) {
    this.set(id, { status: "failed", lastError: reason }, ["sending"]);
  }
  async noteError(id: string, reason: string) {
    this.set(id, { lastError: reason });
  }
  async get(id: string) {
    return this.rows.get(id);
  }
  async open() {
    return [...this.rows.values()].filter((r) => r.status === "sending" || r.status === "sent");
  }
}

function world(
  opts: {
    crashAfterSend?: boolean;
    batchFails?: number;
    crashAfterSigning?: boolean;
    finalized?: boolean;
  } = {},
) {
  const store = new MemoryStore();
  const txs: OnchainTx[] = [];
  let batchFails = opts.batchFails ?? 0;
  const boarded: string[] = [];
  const onchain: OnchainWalletPort = {
    async send(req) {
      const raw = rawTx(req.amountSats);
      txs.push({ txid: raw.txid, label: req.label, confirmations: 1, feeSats: 141n, rawHex: raw.hex });
      if (opts.crashAfterSend === true) throw new Error("crash: the answer is lost");
      return raw.txid;
    },
    transactions: async () => txs,
    newAddress: async () => "bcrt1q-new",
  };
  const ark: ArkLiquidityPort = {
    boardingScript: async () =>
      ({ address: ADDRESS, script: { pkScriptHex: hex.encode(SCRIPT) } }) as unknown as BoardingScript,
    async board(utxos, _onStep, onSigning) {
      if (batchFails-- > 0) throw Object.assign(new Error("arkd failed the batch"), { code: "batch.failed" });
      if (opts.crashAfterSigning === true) {
        opts.crashAfterSigning = false;
        await onSigning?.("ee".repeat(32));
        throw new Error("crash: after our commitment tx signature");
      }
      const u = utxos[0] as { outpoint: string; amountSats: bigint };
      boarded.push(u.outpoint);
      return {
        commitmentTxid: "cc".repeat(32),
        outpoint: `${"dd".repeat(32)}:0`,
        amountSats: u.amountSats - 7n,
        feeSats: 7n,
      };
    },
    batchOutputVtxo: async (txid) =>
      opts.finalized === true && txid === "ee".repeat(32)
        ? { outpoint: `${"ff".repeat(32)}:2`, amountSats: 29_990n }
        : undefined,
    offboard: async () => {
      throw new Error("not here");
    },
  };
  const deps: BoardFlowDeps = {
    onchain,
    ark,
    store,
    confirmationTimeoutMs: 5_000,
    pollMs: 1,
    sleep: async () => {},
  };
  return { store, txs, boarded, deps };
}

describe("board flow", () => {
  it("records, sends, finds the output, boards it and records the VTXO", async () => {
    const w = world();
    const r = await boardFromLnd(w.deps, 50_000n);
    expect(r).toMatchObject({
      status: "boarded",
      amountSats: 50_000n,
      vout: 1,
      vtxoSats: 49_993n,
      feeSats: 7n,
    });
    expect(r.txid).toBe(w.txs[0]?.txid);
    expect(w.txs[0]?.label).toBe(`${BOARDING_LABEL_PREFIX}${r.id}`);
    expect(w.boarded).toEqual([`${r.txid}:1`]);
  });

  it("a crash between LND's send and its answer: resume finds the labelled tx and boards it", async () => {
    const w = world({ crashAfterSend: true });
    await expect(boardFromLnd(w.deps, 30_000n)).rejects.toThrow("crash");
    const [open] = await w.store.open();
    expect(open?.status).toBe("sending");
    const [res] = await resumeBoardings({ ...w.deps, onchain: { ...w.deps.onchain } });
    expect(res?.error).toBeUndefined();
    expect(res?.record).toMatchObject({ status: "boarded", txid: w.txs[0]?.txid, vout: 1 });
    expect(w.boarded).toHaveLength(1);
  });

  it("a record LND never sent is marked failed on resume, nothing boarded", async () => {
    const w = world();
    await w.store.create({ id: "0011", amountSats: 1_000n, address: ADDRESS });
    const [res] = await resumeBoardings(w.deps);
    expect(res?.record.status).toBe("failed");
    expect((res?.error as { code?: string }).code).toBe("liquidity.not_sent");
    expect(w.boarded).toEqual([]);
  });

  it("a failed batch leaves the boarding sent with its error; resume boards it once", async () => {
    const w = world({ batchFails: 1 });
    await expect(boardFromLnd(w.deps, 20_000n)).rejects.toThrow("arkd failed the batch");
    const [open] = await w.store.open();
    expect(open).toMatchObject({ status: "sent", vout: 1 });
    const results = await resumeBoardings(w.deps);
    expect(results.map((r) => r.record.status)).toEqual(["boarded"]);
    expect(await resumeBoardings(w.deps)).toEqual([]);
    expect(w.boarded).toHaveLength(1);
  });

  it.each([
    [true, "the batch went through: boarded from the indexer, no second join"],
    [false, "the batch failed: resume joins the next one"],
  ])("a crash after our commitment tx signature (finalized %s): %s", async (finalized) => {
    const w = world({ crashAfterSigning: true, finalized });
    await expect(boardFromLnd(w.deps, 30_000n)).rejects.toThrow("crash");
    const [open] = await w.store.open();
    expect(open).toMatchObject({ status: "sent", commitmentTxid: "ee".repeat(32) });
    const [res] = await resumeBoardings(w.deps);
    expect(res?.error).toBeUndefined();
    if (finalized) {
      expect(res?.record).toMatchObject({
        status: "boarded",
        commitmentTxid: "ee".repeat(32),
        vtxoOutpoint: `${"ff".repeat(32)}:2`,
        vtxoSats: 29_990n,
        feeSats: 10n,
      });
      expect(w.boarded).toEqual([]);
    } else {
      expect(res?.record).toMatchObject({
        status: "boarded",
        commitmentTxid: "cc".repeat(32),
        vtxoSats: 29_993n,
      });
      expect(w.boarded).toHaveLength(1);
    }
  });

  it("boardingVout finds the exact output and refuses a tx without it", () => {
    const raw = rawTx(777n);
    expect(boardingVout(raw.hex, hex.encode(SCRIPT), 777n, raw.txid)).toBe(1);
    expect(() => boardingVout(raw.hex, hex.encode(SCRIPT), 778n, raw.txid)).toThrow(
      expect.objectContaining({ code: "liquidity.output_missing" }),
    );
  });
});
