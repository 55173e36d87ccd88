/**
 * arkd-shaped batch trees for unit tests, built the way arkd v0.9.15's pkg/ark-lib/tree/builder.go
 * does (radix 2 for the VTXO tree, each tx v3 with one input, a P2A anchor last, `cosigner`
 * PSBT fields on input 0 in arkd's encoding).
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { Transaction } from "@scure/btc-signer";
import { aggregateTreeKeys } from "../../../../src/ark/batch/index.js";
import type { TreeTxEvent } from "../../../../src/ark/batch/index.js";
import { ARK_TX_OPTS, P2A_SCRIPT, psbtBase64 } from "../../../../src/ark/tx/index.js";
import { p2trScript } from "../../../../src/ark/tx/crypto.js";

export interface Out {
  readonly script: Uint8Array;
  readonly amount: bigint;
}

interface Node {
  readonly cosigners: Uint8Array[];
  readonly outputs?: Out[];
  readonly children?: Node[];
}

export function key(): { priv: Uint8Array; pub: Uint8Array } {
  const priv = secp256k1.utils.randomSecretKey();
  return { priv, pub: secp256k1.getPublicKey(priv, true) };
}

function amountOf(n: Node): bigint {
  if (n.outputs !== undefined) return n.outputs.reduce((s, o) => s + o.amount, 0n);
  return (n.children ?? []).reduce((s, c) => s + amountOf(c), 0n);
}

/** arkd's `cosigner` field: key `0xDE || "cosigner" || index (uint32 BE)`, value the 33-byte key. */
export function cosignerField(
  index: number,
  pub: Uint8Array,
): [{ type: number; key: Uint8Array }, Uint8Array] {
  const key = new Uint8Array(12);
  key.set(new TextEncoder().encode("cosigner"), 0);
  new DataView(key.buffer).setUint32(8, index, false);
  return [{ type: 0xde, key }, pub];
}

function unique(keys: Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = Buffer.from(k).toString("hex");
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function inputScript(n: Node, root: Uint8Array | undefined): Uint8Array {
  if (root === undefined) return p2trScript(n.cosigners[0]?.subarray(1) as Uint8Array);
  return p2trScript(aggregateTreeKeys(n.cosigners, root).finalKey);
}

function emit(
  n: Node,
  input: { txid: string; vout: number },
  root: Uint8Array | undefined,
  events: TreeTxEvent[],
): string {
  const tx = new Transaction({ ...ARK_TX_OPTS, version: 3, lockTime: 0 });
  tx.addInput({ txid: input.txid, index: input.vout, sequence: 0xffffffff });
  const outs: Out[] =
    n.outputs ?? (n.children ?? []).map((c) => ({ script: inputScript(c, root), amount: amountOf(c) }));
  for (const o of outs) tx.addOutput({ script: o.script, amount: o.amount });
  tx.addOutput({ script: P2A_SCRIPT, amount: 0n });
  tx.updateInput(0, { unknown: n.cosigners.map((k, i) => cosignerField(i, k)) }, true);
  const txid = tx.id;
  const children = new Map<number, string>();
  (n.children ?? []).forEach((c, i) => children.set(i, emit(c, { txid, vout: i }, root, events)));
  events.push({ txid, tx: psbtBase64(tx), children });
  return txid;
}

/** Groups leaves pairwise upward (arkd's radix-2 createUpperLevel, odd node carried up). */
function levels(nodes: Node[], radix: number): Node {
  while (nodes.length > 1) {
    const next: Node[] = [];
    const r = nodes.length < radix ? nodes.length : radix; // fewer than radix: one group
    const full = nodes.length - (nodes.length % r);
    for (let i = 0; i < full; i += r) {
      const children = nodes.slice(i, i + r);
      next.push({ cosigners: unique(children.flatMap((c) => c.cosigners)), children });
    }
    next.push(...nodes.slice(full));
    nodes = next;
  }
  return nodes[0] as Node;
}

export interface BatchFixture {
  readonly commitmentTx: Transaction;
  readonly commitmentPsbt: string;
  readonly vtxoTree: TreeTxEvent[];
  readonly connectorTree: TreeTxEvent[];
  readonly batchOutput: Out;
}

/**
 * A commitment tx with a VTXO tree (output 0) and a connector tree (output 1, one connector of
 * 1,000 sats per forfeit).
 */
export function buildBatch(p: {
  readonly leaves: readonly { outputs: Out[]; cosigners: Uint8Array[] }[];
  readonly sweepRoot: Uint8Array;
  readonly connectors: number;
  readonly connectorKey: Uint8Array;
}): BatchFixture {
  const vtxoRoot = levels(
    p.leaves.map((l) => ({ cosigners: unique(l.cosigners), outputs: l.outputs })),
    2,
  );
  const connectorLeaves: Node[] = Array.from({ length: p.connectors }, () => ({
    cosigners: [p.connectorKey],
    outputs: [{ script: p2trScript(p.connectorKey.subarray(1)), amount: 1_000n }],
  }));
  const connectorRoot = p.connectors > 0 ? levels(connectorLeaves, 4) : undefined;
  const batchOutput = { script: inputScript(vtxoRoot, p.sweepRoot), amount: amountOf(vtxoRoot) };
  const commitmentTx = new Transaction({ ...ARK_TX_OPTS, version: 2, lockTime: 0 });
  commitmentTx.addInput({ txid: "11".repeat(32), index: 0, sequence: 0xffffffff });
  commitmentTx.addOutput({ script: batchOutput.script, amount: batchOutput.amount });
  if (connectorRoot !== undefined)
    commitmentTx.addOutput({
      script: inputScript(connectorRoot, undefined),
      amount: amountOf(connectorRoot),
    });
  const vtxoTree: TreeTxEvent[] = [];
  emit(vtxoRoot, { txid: commitmentTx.id, vout: 0 }, p.sweepRoot, vtxoTree);
  const connectorTree: TreeTxEvent[] = [];
  if (connectorRoot !== undefined)
    emit(connectorRoot, { txid: commitmentTx.id, vout: 1 }, undefined, connectorTree);
  return { commitmentTx, commitmentPsbt: psbtBase64(commitmentTx), vtxoTree, connectorTree, batchOutput };
}
