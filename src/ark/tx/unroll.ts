/**
 * Unilateral exit (unroll): the presigned virtual txs of a VTXO's chain made broadcastable.
 * arkd's indexer (GetVtxoChain) lists the chain from the VTXO's own tx back to the commitment tx;
 * each tx is a PSBT (GetVirtualTxs) that carries every signature it needs:
 * - tree txs: the cosigners' MuSig2 key-path signature (`tapKeySig`) → witness `[sig]`
 * - checkpoint and ark txs: tapscript signatures on the spending leaf (owner + server, and a
 *   VHTLC claim's condition witness) → finalized by btc-signer for that leaf
 * They are v3, pay no fee and carry a zero-value P2A anchor (see docs/onchain-watcher.md for what
 * a node must accept to relay them). Pure.
 */
import { hex } from "@scure/base";
import { TaprootControlBlock, type Transaction } from "@scure/btc-signer";
import { equalBytes } from "./bytes.js";
import { readLeaf } from "./leaf.js";
import { arkTxError } from "./errors.js";
import { getCondition } from "./psbt-fields.js";
import { parsePsbt } from "./transaction.js";

export type VirtualTxKind = "tree" | "checkpoint" | "ark";

/** One tx of a VTXO's chain, as arkd's GetVtxoChain lists it (leaf first, commitment last). */
export interface ChainedTx {
  readonly txid: string;
  readonly kind: VirtualTxKind | "commitment";
}

/** The chain's virtual txs in broadcast order: parents first, the commitment tx left out. */
export function unrollOrder(chain: readonly ChainedTx[]): ChainedTx[] {
  return [...chain].reverse().filter((c) => c.kind !== "commitment");
}

export interface BroadcastableTx {
  readonly txid: string;
  readonly hex: string;
}

/**
 * Finalizes one presigned virtual tx into raw network bytes.
 * @throws GatewayError `arktx.invalid_psbt`, `arktx.missing_signature` (a tree tx without its
 *   key-path signature, an ark/checkpoint tx btc-signer cannot finalize), `arktx.tx_mismatch`
 *   (the PSBT is not the txid the chain names)
 */
export function finalizeVirtualTx(
  psbt: string | Uint8Array,
  kind: VirtualTxKind,
  txid: string,
): BroadcastableTx {
  const tx = parsePsbt(psbt);
  if (tx.id !== txid.toLowerCase())
    throw arkTxError("arktx.tx_mismatch", "virtual tx is not the one the chain names", { txid, got: tx.id });
  if (kind === "tree") {
    for (let i = 0; i < tx.inputsLength; i++) {
      const sig = tx.getInput(i).tapKeySig;
      if (sig === undefined)
        throw arkTxError("arktx.missing_signature", "tree tx input has no key-path signature", {
          txid,
          input: i,
        });
      tx.updateInput(i, { finalScriptWitness: [sig] }, true);
    }
  } else {
    finalizeScriptPath(tx, txid);
  }
  return { txid: tx.id, hex: hex.encode(tx.toBytes(true, true)) };
}

/**
 * Tapscript witness for an Ark closure: `[sig(key_n) … sig(key_1), condition…, script, control
 * block]`. The leaf checks its condition first (the top items), then its keys in script order,
 * each CHECKSIG(VERIFY) popping the next signature.
 */
function finalizeScriptPath(tx: Transaction, txid: string): void {
  for (let i = 0; i < tx.inputsLength; i++) {
    const input = tx.getInput(i);
    const [cb, leafWithVersion] = input.tapLeafScript?.[0] ?? [];
    if (cb === undefined || leafWithVersion === undefined)
      throw arkTxError("arktx.missing_leaf_script", "virtual tx input has no leaf script", {
        txid,
        input: i,
      });
    const script = leafWithVersion.subarray(0, -1);
    const keys = readLeaf(script)?.pubkeys ?? [];
    const sigs = keys.map((key) => {
      const found = input.tapScriptSig?.find(([k]) => equalBytes(k.pubKey, key));
      if (found === undefined)
        throw arkTxError("arktx.missing_signature", "virtual tx input lacks a signature its leaf needs", {
          txid,
          input: i,
          key: hex.encode(key),
        });
      return found[1];
    });
    const condition = getCondition(tx, i) ?? [];
    tx.updateInput(
      i,
      { finalScriptWitness: [...sigs.reverse(), ...condition, script, TaprootControlBlock.encode(cb)] },
      true,
    );
  }
}
