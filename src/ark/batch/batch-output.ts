/**
 * Checks of the VTXO tree against the commitment tx (client-lib's validateVtxoTree, reduced to
 * what protects us): the root spends the commitment tx's output 0 (the batch output) and spends
 * all of it, and our requested output sits in a leaf tx with the exact script and amount.
 */
import type { Transaction } from "@scure/btc-signer";
import { equalBytes } from "../tx/bytes.js";
import { parsePsbt } from "../tx/index.js";
import { batchError } from "./errors.js";
import { outputSum, type TxTree } from "./tx-tree.js";
import { formatOutpoint } from "../../domain/outpoint.js";

export interface BatchOutput {
  readonly script: Uint8Array;
  readonly amountSats: bigint;
}

/** The commitment tx's batch output (output 0). @throws GatewayError `batch.invalid_tree` */
export function batchOutputOf(commitmentTx: Transaction | string): BatchOutput {
  const tx = typeof commitmentTx === "string" ? parsePsbt(commitmentTx) : commitmentTx;
  const out = tx.outputsLength > 0 ? tx.getOutput(0) : undefined;
  if (out?.script === undefined || out.amount === undefined)
    throw batchError("batch.invalid_tree", "commitment tx has no batch output");
  return { script: out.script, amountSats: out.amount };
}

/**
 * Checks that the VTXO tree hangs off the commitment tx's output 0 and spends all of it.
 * @returns the batch output
 * @throws GatewayError `batch.invalid_tree`
 */
export function checkTreeRoot(tree: TxTree, commitmentTx: Transaction): BatchOutput {
  const batchOut = batchOutputOf(commitmentTx);
  if (tree.root.input.txid !== commitmentTx.id || tree.root.input.vout !== 0)
    throw batchError("batch.invalid_tree", "VTXO tree root does not spend the commitment tx's output 0", {
      rootInput: formatOutpoint(tree.root.input),
      commitmentTxid: commitmentTx.id,
    });
  if (outputSum(tree.root.tx) !== batchOut.amountSats)
    throw batchError("batch.invalid_tree", "VTXO tree root does not spend the whole batch output");
  return batchOut;
}

/**
 * Finds the leaf output paying `script` exactly `amountSats`.
 * @returns its outpoint
 * @throws GatewayError `batch.output_missing`
 */
export function findLeafOutput(
  tree: TxTree,
  script: Uint8Array,
  amountSats: bigint,
): { txid: string; vout: number } {
  for (const leaf of tree.leaves) {
    for (let i = 0; i < leaf.tx.outputsLength; i++) {
      const out = leaf.tx.getOutput(i);
      if (out.script !== undefined && out.amount === amountSats && equalBytes(out.script, script))
        return { txid: leaf.txid, vout: i };
    }
  }
  throw batchError("batch.output_missing", `no VTXO tree leaf pays ${amountSats} sats to our script`, {
    amountSats: amountSats.toString(),
  });
}
