import { describe, expect, it } from "vitest";
import { ChainIndex, outpointKey } from "../../../../src/regtest/nbxplorer/chain-index.js";

const A = "aa".repeat(32);
const B = "bb".repeat(32);
const C = "cc".repeat(32);
const S1 = "5120" + "11".repeat(32);
const S2 = "5120" + "22".repeat(32);
const mempool = { confirmed: false as const, firstSeen: 100 };
const inBlock = (height: number, hash = `h${height}`) => ({
  confirmed: true as const,
  height,
  blockHash: hash,
  time: 1000 + height,
});

describe("ChainIndex", () => {
  it("indexes outputs by script and marks the script used", () => {
    const idx = new ChainIndex();
    expect(idx.isScriptUsed(S1)).toBe(false);
    expect(idx.addTx(A, [], [{ vout: 0, scriptPubKey: S1, valueSats: 5000n }], inBlock(0), 1, true)).toBe(
      "new",
    );
    idx.connectBlock(0, "h0");
    expect(idx.isScriptUsed(S1)).toBe(true);
    expect(idx.outputsForScript(S1)).toEqual([{ txid: A, vout: 0, scriptPubKey: S1, valueSats: 5000n }]);
    expect(idx.confirmations(A)).toBe(1);
    expect(idx.getTx(A)?.coinbase).toBe(true);
  });

  it("tracks a mempool spend, then its confirmation", () => {
    const idx = new ChainIndex();
    idx.addTx(A, [], [{ vout: 0, scriptPubKey: S1, valueSats: 5000n }], inBlock(0), 1);
    idx.connectBlock(0, "h0");
    expect(
      idx.addTx(B, [{ txid: A, vout: 0 }], [{ vout: 0, scriptPubKey: S2, valueSats: 4000n }], mempool, 2),
    ).toBe("new");
    expect(idx.spenderOf(outpointKey(A, 0))).toBe(B);
    expect(idx.mempoolTxids()).toEqual([B]);
    expect(idx.confirmations(B)).toBe(0);
    expect(
      idx.addTx(B, [{ txid: A, vout: 0 }], [{ vout: 0, scriptPubKey: S2, valueSats: 4000n }], inBlock(1), 3),
    ).toBe("confirmed");
    idx.connectBlock(1, "h1");
    expect(idx.mempoolTxids()).toEqual([]);
    expect(idx.confirmations(B)).toBe(1);
    expect(idx.confirmations(A)).toBe(2);
    expect(idx.getTx(B)?.firstSeen).toBe(2);
  });

  it("drops a stale mempool transaction and frees what it spent", () => {
    const idx = new ChainIndex();
    idx.addTx(A, [], [{ vout: 0, scriptPubKey: S1, valueSats: 5000n }], inBlock(0), 1);
    idx.connectBlock(0, "h0");
    idx.addTx(B, [{ txid: A, vout: 0 }], [{ vout: 0, scriptPubKey: S2, valueSats: 4000n }], mempool, 2);
    expect(idx.staleMempool(new Set())).toEqual([B]);
    idx.removeTx(B);
    expect(idx.spenderOf(outpointKey(A, 0))).toBeUndefined();
    expect(idx.isScriptUsed(S2)).toBe(false);
  });

  it("lets a mined double spend win over the mempool one", () => {
    const idx = new ChainIndex();
    idx.addTx(A, [], [{ vout: 0, scriptPubKey: S1, valueSats: 5000n }], inBlock(0), 1);
    idx.connectBlock(0, "h0");
    idx.addTx(B, [{ txid: A, vout: 0 }], [], mempool, 2);
    idx.addTx(C, [{ txid: A, vout: 0 }], [], inBlock(1), 3);
    idx.connectBlock(1, "h1");
    expect(idx.spenderOf(outpointKey(A, 0))).toBe(C);
    idx.removeTx(B); // evicted: must not clear C's claim
    expect(idx.spenderOf(outpointKey(A, 0))).toBe(C);
  });

  it("disconnects the tip block on a reorg", () => {
    const idx = new ChainIndex();
    idx.addTx(A, [], [{ vout: 0, scriptPubKey: S1, valueSats: 5000n }], inBlock(0), 1);
    idx.connectBlock(0, "h0");
    idx.addTx(B, [{ txid: A, vout: 0 }], [{ vout: 0, scriptPubKey: S2, valueSats: 1n }], inBlock(1), 2);
    idx.connectBlock(1, "h1");
    expect(idx.disconnectTip()).toEqual([B]);
    expect(idx.height).toBe(0);
    expect(idx.blockHashAt(1)).toBeUndefined();
    expect(idx.getTx(B)).toBeUndefined();
    expect(idx.spenderOf(outpointKey(A, 0))).toBeUndefined();
  });

  it("refuses to connect a block out of order", () => {
    const idx = new ChainIndex();
    expect(() => idx.connectBlock(1, "h1")).toThrow(/tip is -1/);
  });
});
