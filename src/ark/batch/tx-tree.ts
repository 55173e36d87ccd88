/**
 * arkd's trees of transactions (VTXO tree: batch_index 0, connector tree: batch_index 1)
 * rebuilt from the `tree_tx` events of a batch, pure. arkd sends every tx whose topics match
 * ours, so a tree may be partial (a branch): a child txid that never arrived is allowed, a tx
 * that arrived but hangs off nothing is not. Every tx is checked the way arkd's
 * `TxTree.Validate` does: version 3, one input, each child spends its parent's output at the
 * child's index, and the child's outputs sum to that output's amount.
 */
import type { Transaction } from "@scure/btc-signer";
import { toHex } from "../tx/bytes.js";
import { parsePsbt } from "../tx/index.js";
import { batchError } from "./errors.js";

/** One tree tx as a `tree_tx` event carries it. */
export interface TreeTxEvent {
  /** May be empty (arkd v0.9.15 does not fill it): the tx's own txid is used. */
  readonly txid: string;
  /** Base64 PSBT. */
  readonly tx: string;
  /** Output index -> child txid. */
  readonly children: ReadonlyMap<number, string>;
  /** arkd's topics of the tx (cosigner keys; for a connector leaf, the VTXO it is for). */
  readonly topics?: readonly string[];
}

export interface TreeNode {
  readonly txid: string;
  readonly tx: Transaction;
  readonly children: ReadonlyMap<number, string>;
  readonly topics: readonly string[];
  /** The outpoint the tx spends: `txid:vout`. */
  readonly input: { readonly txid: string; readonly vout: number };
}

export interface TxTree {
  readonly root: TreeNode;
  /** Every node, by txid. */
  readonly nodes: ReadonlyMap<string, TreeNode>;
  /** Nodes without children (VTXO leaves; connector leaves), sorted by txid. */
  readonly leaves: readonly TreeNode[];
  /** The parent txid and the output index a node spends; undefined for the root. */
  parentOf(txid: string): { txid: string; vout: number } | undefined;
  /** Txids from the root down to `txid` (both included). */
  pathTo(txid: string): string[];
  /** The output a node spends: the parent's output, or `rootPrevout` for the root. */
  prevoutOf(
    txid: string,
    rootPrevout: { script: Uint8Array; amountSats: bigint },
  ): {
    script: Uint8Array;
    amountSats: bigint;
  };
}

const fail = (msg: string, details?: Record<string, unknown>) =>
  batchError("batch.invalid_tree", msg, details);

function parseNode(ev: TreeTxEvent): TreeNode {
  const tx = parsePsbt(ev.tx);
  // arkd v0.9.15 leaves TreeTxEvent.txid empty: the txid is the tx's own; a given one must match
  if (ev.txid !== "" && tx.id !== ev.txid)
    throw fail(`tree tx ${ev.txid} has txid ${tx.id}`, { txid: ev.txid });
  if (tx.version !== 3) throw fail(`tree tx ${ev.txid} has version ${tx.version}`, { txid: ev.txid });
  if (tx.inputsLength !== 1) throw fail(`tree tx ${ev.txid} must have one input`, { txid: ev.txid });
  const input = tx.getInput(0);
  if (input.txid === undefined || input.index === undefined)
    throw fail(`tree tx ${ev.txid} input has no outpoint`, { txid: ev.txid });
  return {
    txid: tx.id,
    tx,
    children: ev.children,
    topics: ev.topics ?? [],
    input: { txid: toHex(input.txid), vout: input.index },
  };
}

function outputSum(tx: Transaction): bigint {
  let sum = 0n;
  for (let i = 0; i < tx.outputsLength; i++) sum += tx.getOutput(i).amount ?? 0n;
  return sum;
}

/**
 * Rebuilds and validates a (possibly partial) tree from its tree_tx events.
 * @throws GatewayError `batch.invalid_tree` (no txs, bad PSBT, txid mismatch, several roots,
 *   a child not spending its parent, amounts that do not add up, a tx reachable from no root)
 */
export function buildTxTree(events: readonly TreeTxEvent[]): TxTree {
  if (events.length === 0) throw fail("no tree txs received");
  const nodes = new Map<string, TreeNode>();
  for (const ev of events) {
    const node = parseNode(ev);
    if (nodes.has(node.txid)) throw fail(`tree tx ${node.txid} received twice`, { txid: node.txid });
    nodes.set(node.txid, node);
  }
  const parentOf = new Map<string, { parent: TreeNode; vout: number }>();
  for (const node of nodes.values()) {
    for (const [vout, childTxid] of node.children) {
      const child = nodes.get(childTxid);
      if (child === undefined) continue; // a branch arkd did not send us
      if (parentOf.has(childTxid)) throw fail(`tree tx ${childTxid} has two parents`, { txid: childTxid });
      if (child.input.txid !== node.txid || child.input.vout !== vout)
        throw fail(`tree tx ${childTxid} does not spend ${node.txid}:${vout}`, { txid: childTxid });
      const out = vout < node.tx.outputsLength ? node.tx.getOutput(vout) : undefined;
      if (out?.amount === undefined) throw fail(`tree tx ${node.txid} has no output ${vout}`);
      if (outputSum(child.tx) !== out.amount)
        throw fail(`tree tx ${childTxid} outputs do not sum to its input`, { txid: childTxid });
      parentOf.set(childTxid, { parent: node, vout });
    }
  }
  const roots = [...nodes.values()].filter((n) => !parentOf.has(n.txid));
  if (roots.length !== 1) throw fail(`tree has ${roots.length} roots`, { roots: roots.map((r) => r.txid) });
  const root = roots[0] as TreeNode;
  const leaves = [...nodes.values()]
    .filter((n) => n.children.size === 0)
    .sort((a, b) => (a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : 0));
  const parentOfTx = (txid: string) => {
    const p = parentOf.get(txid);
    return p === undefined ? undefined : { txid: p.parent.txid, vout: p.vout };
  };
  return {
    root,
    nodes,
    leaves,
    parentOf: parentOfTx,
    pathTo(txid) {
      if (!nodes.has(txid)) throw fail(`tree tx ${txid} is not in the tree`, { txid });
      const path = [txid];
      for (let p = parentOfTx(txid); p !== undefined; p = parentOfTx(p.txid)) path.unshift(p.txid);
      return path;
    },
    prevoutOf(txid, rootPrevout) {
      if (txid === root.txid) return rootPrevout;
      const p = parentOf.get(txid);
      if (p === undefined) throw fail(`tree tx ${txid} is not in the tree`, { txid });
      const out = p.parent.tx.getOutput(p.vout);
      if (out.script === undefined || out.amount === undefined) throw fail(`tree tx ${p.parent.txid} output`);
      return { script: out.script, amountSats: out.amount };
    },
  };
}

/** Sum of a tx's output amounts (sats). */
export { outputSum };
