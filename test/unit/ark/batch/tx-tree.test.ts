import { TxTree as SdkTxTree } from "@arkade-os/sdk";
import { describe, expect, it } from "vitest";
import {
  buildTxTree,
  checkTreeRoot,
  findLeafOutput,
  type TreeTxEvent,
} from "../../../../src/ark/batch/index.js";
import { p2trScript } from "../../../../src/ark/tx/crypto.js";
import { buildBatch, key } from "./tree-fixture.js";

const ROOT = new Uint8Array(32).fill(9);
const server = key();
const alice = key();
const bob = key();
const carol = key();
const out = (k: { pub: Uint8Array }, amount: bigint) => ({ script: p2trScript(k.pub.subarray(1)), amount });

function threeLeafBatch() {
  return buildBatch({
    leaves: [
      { outputs: [out(alice, 10_000n)], cosigners: [alice.pub, server.pub] },
      { outputs: [out(bob, 20_000n)], cosigners: [bob.pub, server.pub] },
      { outputs: [out(carol, 30_000n)], cosigners: [carol.pub, server.pub] },
    ],
    sweepRoot: ROOT,
    connectors: 0,
    connectorKey: server.pub,
  });
}

describe("tree reconstruction from tree_tx events", () => {
  it("rebuilds the full tree whatever the event order, like @arkade-os/sdk's TxTree", () => {
    const b = threeLeafBatch();
    const shuffled = [...b.vtxoTree].reverse();
    const tree = buildTxTree(shuffled);
    expect(tree.nodes.size).toBe(b.vtxoTree.length);
    const sdk = SdkTxTree.create(
      b.vtxoTree.map((e) => ({ txid: e.txid, tx: e.tx, children: Object.fromEntries(e.children) })),
    );
    expect(tree.root.txid).toBe(sdk.txid);
    expect(tree.leaves.map((l) => l.txid).sort()).toEqual(
      sdk
        .leaves()
        .map((l: { id: string }) => l.id)
        .sort(),
    );
    expect(checkTreeRoot(tree, b.commitmentTx).amountSats).toBe(60_000n);
    const found = findLeafOutput(tree, out(bob, 20_000n).script, 20_000n);
    expect(tree.nodes.get(found.txid)?.tx.getOutput(found.vout).amount).toBe(20_000n);
  });

  it("accepts a partial tree (a branch): children arkd did not send are absent", () => {
    const b = threeLeafBatch();
    const full = buildTxTree(b.vtxoTree);
    const aliceLeaf = findLeafOutput(full, out(alice, 10_000n).script, 10_000n).txid;
    // keep the branch root → alice's leaf only
    const branch: TreeTxEvent[] = [];
    let txid: string | undefined = aliceLeaf;
    const parent = new Map<string, string>();
    for (const e of b.vtxoTree) for (const c of e.children.values()) parent.set(c, e.txid);
    while (txid !== undefined) {
      branch.push(b.vtxoTree.find((e) => e.txid === txid) as TreeTxEvent);
      txid = parent.get(txid);
    }
    const tree = buildTxTree(branch);
    expect(tree.root.txid).toBe(full.root.txid);
    expect(tree.leaves.map((l) => l.txid)).toEqual([aliceLeaf]);
    expect(() => findLeafOutput(tree, out(bob, 20_000n).script, 20_000n)).toThrow(
      expect.objectContaining({ code: "batch.output_missing" }),
    );
  });

  it("finds our output only with the exact amount", () => {
    const tree = buildTxTree(threeLeafBatch().vtxoTree);
    expect(() => findLeafOutput(tree, out(alice, 10_000n).script, 9_999n)).toThrow(
      expect.objectContaining({ code: "batch.output_missing" }),
    );
  });

  it.each([
    ["no events", () => []],
    [
      "a txid that is not the tx's",
      (ev: TreeTxEvent[]) => [{ ...(ev[0] as TreeTxEvent), txid: "ab".repeat(32) }],
    ],
    ["a duplicate", (ev: TreeTxEvent[]) => [...ev, ev[0] as TreeTxEvent]],
    ["two roots (a tx hanging off nothing)", (ev: TreeTxEvent[]) => ev.filter((e) => e.children.size === 0)],
    ["not a PSBT", (ev: TreeTxEvent[]) => [{ ...(ev[0] as TreeTxEvent), tx: "bm90IGEgcHNidA==" }]],
  ])("refuses %s with batch.invalid_tree or arktx.invalid_psbt", (_name, mutate) => {
    const events = mutate(threeLeafBatch().vtxoTree);
    expect(() => buildTxTree(events)).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^(batch\.invalid_tree|arktx\.invalid_psbt)$/) }),
    );
  });

  it("refuses a child that does not spend the parent output it is listed under", () => {
    const ev = threeLeafBatch().vtxoTree;
    const root = ev.find((e) => e.children.size === 2) as TreeTxEvent;
    const swapped = new Map([
      [0, root.children.get(1) as string],
      [1, root.children.get(0) as string],
    ]);
    const events = ev.map((e) => (e === root ? { ...e, children: swapped } : e));
    expect(() => buildTxTree(events)).toThrow(expect.objectContaining({ code: "batch.invalid_tree" }));
  });

  it("refuses a root that does not spend the commitment tx's output 0", () => {
    const a = threeLeafBatch();
    const b = buildBatch({
      leaves: [{ outputs: [out(alice, 10_000n)], cosigners: [alice.pub, server.pub] }],
      sweepRoot: ROOT,
      connectors: 0,
      connectorKey: server.pub,
    });
    expect(() => checkTreeRoot(buildTxTree(a.vtxoTree), b.commitmentTx)).toThrow(
      expect.objectContaining({ code: "batch.invalid_tree" }),
    );
  });
});
