/**
 * A unilateral exit on regtest, as any wallet (or anyone) can do it: read the VTXO's chain from
 * arkd's indexer (GetVtxoChain, GetVirtualTxs through the SDK's REST indexer), finalize each
 * presigned virtual tx (src/ark/tx/unroll.ts) and broadcast it to btcd, parents first, mining a
 * block after each so every tx is confirmed. btcd takes these zero-fee v3 txs only because the
 * regtest btcd runs with --minrelaytxfee=0 (docs/onchain-watcher.md).
 */
import { RestIndexerProvider } from "@arkade-os/sdk";
import { finalizeVirtualTx, unrollOrder, type ChainedTx } from "../../../src/ark/tx/index.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { arkOf } from "./ark.js";
import { btcdOf } from "./chain.js";

const KIND: Readonly<Record<string, ChainedTx["kind"]>> = {
  INDEXER_CHAINED_TX_TYPE_COMMITMENT: "commitment",
  INDEXER_CHAINED_TX_TYPE_TREE: "tree",
  INDEXER_CHAINED_TX_TYPE_CHECKPOINT: "checkpoint",
  INDEXER_CHAINED_TX_TYPE_ARK: "ark",
};

/** Whether btcd knows the tx (mempool or chain). */
async function known(net: NetworkFile, txid: string): Promise<boolean> {
  try {
    await btcdOf(net).call("getrawtransaction", [txid, 0]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Puts the VTXO `txid:vout` onchain. Txs already onchain are skipped (idempotent).
 * @returns the txids broadcast, in order
 */
export async function unrollVtxo(
  net: NetworkFile,
  outpoint: { txid: string; vout: number },
): Promise<string[]> {
  const indexer = new RestIndexerProvider(arkOf(net).arkdUrl);
  const { chain } = await indexer.getVtxoChain(outpoint);
  const ordered = unrollOrder(
    chain.map((c: { txid: string; type: string }) => {
      const kind = KIND[c.type];
      if (kind === undefined) throw new Error(`unknown chained tx type ${c.type}`);
      return { txid: c.txid, kind };
    }),
  );
  const sent: string[] = [];
  for (const c of ordered) {
    if (await known(net, c.txid)) continue;
    const { txs } = await indexer.getVirtualTxs([c.txid]);
    if (txs[0] === undefined) throw new Error(`arkd has no virtual tx ${c.txid}`);
    const tx = finalizeVirtualTx(txs[0], c.kind as Exclude<ChainedTx["kind"], "commitment">, c.txid);
    await btcdOf(net).call("sendrawtransaction", [tx.hex]);
    await btcdOf(net).mine(1);
    sent.push(tx.txid);
  }
  return sent;
}

/** Confirmation height of a tx in btcd (undefined while unconfirmed or unknown). */
export async function confirmedHeight(net: NetworkFile, txid: string): Promise<number | undefined> {
  try {
    const tx = await btcdOf(net).call<{ blockhash?: string }>("getrawtransaction", [txid, 1]);
    if (tx.blockhash === undefined) return undefined;
    return (await btcdOf(net).call<{ height: number }>("getblockheader", [tx.blockhash, true])).height;
  } catch {
    return undefined;
  }
}
