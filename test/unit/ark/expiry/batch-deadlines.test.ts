import { describe, expect, it } from "vitest";
import { BatchDeadlines } from "../../../../src/ark/expiry/index.js";
import type { CommitmentTxInfo, Vtxo } from "../../../../src/ark/client/index.js";
import type { ChainBlocksPort } from "../../../../src/chain/port.js";
import type { BlockSummary } from "../../../../src/chain/raw-block.js";

const C1 = "11".repeat(32);
const C2 = "22".repeat(32);
const ENDED = 1_764_000_000n;

/** arkd v0.9.15 on a block-typed server: expires_at = batch end + N "seconds" (1 s per block). */
function commitment(txid: string, endedAt: bigint, expiry: bigint): CommitmentTxInfo {
  return {
    txid,
    startedAt: endedAt - 10n,
    endedAt,
    batches: [{ vout: 0, totalOutputSats: 1000n, expiresAt: endedAt + expiry, swept: false }],
  };
}

function vtxo(commitmentTxids: string[], expiresAt: bigint): Vtxo {
  return {
    outpoint: { txid: "33".repeat(32), vout: 0 },
    amountSats: 1000n,
    script: `5120${"44".repeat(32)}`,
    createdAt: ENDED,
    expiresAt,
    flags: { preconfirmed: false, swept: false, unrolled: false, spent: false },
    spentBy: undefined,
    arkTxid: undefined,
    settledBy: undefined,
    commitmentTxids,
    depth: 0,
  };
}

class FakeChain implements ChainBlocksPort {
  reads = 0;
  constructor(readonly blocks: BlockSummary[]) {}
  async tipHeight() {
    return this.blocks.length - 1;
  }
  async blockAt(h: number) {
    this.reads++;
    return this.blocks[h]!;
  }
}

/** Blocks 0..tip, one every 10 min ending now-ish; `txAt` puts txids in blocks. */
function chain(tip: number, txAt: Record<number, string[]>): FakeChain {
  return new FakeChain(
    Array.from({ length: tip + 1 }, (_, h) => ({
      time: Number(ENDED) - (tip - h) * 600 + 300,
      txids: txAt[h] ?? [],
    })),
  );
}

const indexer = (infos: CommitmentTxInfo[]) => ({
  getCommitmentTx: async (txid: string) => {
    const i = infos.find((c) => c.txid === txid);
    if (i === undefined) throw new Error("not found");
    return i;
  },
});

describe("BatchDeadlines, block mode", () => {
  it("is the commitment's confirmation height + the tree expiry, not arkd's unix expires_at", async () => {
    const c = chain(620, { 600: [C1] });
    const d = new BatchDeadlines({
      mode: "blocks",
      indexer: indexer([commitment(C1, ENDED - 12_000n, 144n)]),
      chain: c,
    });
    expect(await d.deadlineOf(vtxo([C1], ENDED - 12_000n + 144n))).toBe(744n);
  });

  it("takes the earliest batch of a preconfirmed VTXO and caches confirmed heights", async () => {
    const c = chain(620, { 600: [C1], 610: [C2] });
    const d = new BatchDeadlines({
      mode: "blocks",
      indexer: indexer([commitment(C1, ENDED - 12_000n, 144n), commitment(C2, ENDED - 6_000n, 100n)]),
      chain: c,
    });
    expect(await d.deadlineOf(vtxo([C1, C2], 0n))).toBe(710n);
    const reads = c.reads;
    expect(await d.deadlineOf(vtxo([C2], 0n))).toBe(710n);
    expect(c.reads).toBe(reads);
  });

  it("counts an unconfirmed commitment as confirming in the next block", async () => {
    const d = new BatchDeadlines({
      mode: "blocks",
      indexer: indexer([commitment(C1, ENDED, 144n)]),
      chain: chain(620, {}),
    });
    expect(await d.deadlineOf(vtxo([C1], ENDED + 144n))).toBe(621n + 144n);
  });

  it("is unknown without a commitment txid or with a tree expiry that is not block-typed", async () => {
    const d = new BatchDeadlines({
      mode: "blocks",
      indexer: indexer([commitment(C1, ENDED, 86_400n)]),
      chain: chain(5, {}),
    });
    expect(await d.deadlineOf(vtxo([], ENDED))).toBeUndefined();
    expect(await d.deadlineOf(vtxo([C1], ENDED))).toBeUndefined();
  });
});

describe("BatchDeadlines, seconds mode", () => {
  it("is the earliest of the VTXO's and its batches' expires_at (never later than the sweep)", async () => {
    const d = new BatchDeadlines({
      mode: "seconds",
      indexer: indexer([commitment(C1, ENDED, 604_800n), commitment(C2, ENDED + 100n, 604_800n)]),
    });
    expect(await d.deadlineOf(vtxo([C1, C2], ENDED + 604_900n))).toBe(ENDED + 604_800n);
    expect(await d.deadlineOf(vtxo([C2], ENDED + 600_000n))).toBe(ENDED + 600_000n);
  });
});

describe("BatchDeadlines, block mode, many VTXOs at once", () => {
  it("shares one scan among concurrent lookups: each block is read once", async () => {
    const c = chain(300, { 290: [C1] });
    const d = new BatchDeadlines({
      mode: "blocks",
      indexer: indexer([commitment(C1, ENDED - 6_000n, 144n)]),
      chain: c,
    });
    const all = await Promise.all(Array.from({ length: 50 }, () => d.deadlineOf(vtxo([C1], 0n))));
    expect(new Set(all)).toEqual(new Set([434n]));
    // blocks 300..290 down to the commitment and 7 more requested ahead, not 50 × that
    expect(c.reads).toBe(18);
  });

  it("an unconfirmed commitment is not scanned again at the same tip; a new tip reads only the new blocks", async () => {
    const c = chain(300, {});
    const d = new BatchDeadlines({
      mode: "blocks",
      indexer: indexer([commitment(C1, ENDED + 10_000n, 144n)]),
      chain: c,
    });
    expect(await d.deadlineOf(vtxo([C1], 0n))).toBe(301n + 144n);
    const reads = c.reads;
    expect(await d.deadlineOf(vtxo([C1], 0n))).toBe(301n + 144n);
    expect(c.reads).toBe(reads);
    // two blocks later, the commitment confirms in the first of them
    c.blocks.push({ time: Number(ENDED) + 10_100, txids: [C1] }, { time: Number(ENDED) + 10_700, txids: [] });
    expect(await d.deadlineOf(vtxo([C1], 0n))).toBe(301n + 144n);
    expect(c.reads).toBe(reads + 2);
    // confirmed: cached from now on
    expect(await d.deadlineOf(vtxo([C1], 0n))).toBe(301n + 144n);
    expect(c.reads).toBe(reads + 2);
  });

  it("a block read that fails is read again next time", async () => {
    const c = chain(10, { 9: [C1] });
    let fail = true;
    const flaky: ChainBlocksPort = {
      tipHeight: () => c.tipHeight(),
      blockAt: async (h) => {
        if (fail && h === 10) {
          fail = false;
          throw new Error("lnd unavailable");
        }
        return c.blockAt(h);
      },
    };
    const d = new BatchDeadlines({
      mode: "blocks",
      indexer: indexer([commitment(C1, ENDED - 600n, 144n)]),
      chain: flaky,
    });
    await expect(d.deadlineOf(vtxo([C1], 0n))).rejects.toThrow("lnd unavailable");
    expect(await d.deadlineOf(vtxo([C1], 0n))).toBe(153n);
  });
});
