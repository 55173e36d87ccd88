/**
 * Transaction routes: broadcast (raw bytes in, NBXplorer BroadcastResult out), get by txid
 * (btcd has --txindex), and rescan-utxos (re-announce known UTXOs of tracked sources).
 */
import { hex } from "@scure/base";
import { BtcdRpcError } from "../btcd-rpc.js";
import { outpointKey } from "../chain-index.js";
import { transactionEvents } from "../events.js";
import type { Explorer } from "../explorer.js";
import { HttpError, jsonBody, requireBtc, sendJson, type Router } from "../http.js";
import type { BroadcastResult, TransactionResponse } from "../types.js";
import { isLowerHex32 } from "../../../lib/hex.js";

/** Bitcoin Core RPC error codes → the names NBXplorer reports as `rpcCodeMessage`. */
const RPC_CODE_NAMES: Readonly<Record<number, string>> = {
  [-22]: "RPC_DESERIALIZATION_ERROR",
  [-25]: "RPC_VERIFY_ERROR",
  [-26]: "RPC_VERIFY_REJECTED",
  [-27]: "RPC_VERIFY_ALREADY_IN_CHAIN",
  [-8]: "RPC_INVALID_PARAMETER",
};

/** Registers the transaction routes. */
export function registerTransactionRoutes(router: Router, explorer: Explorer): void {
  router.on("POST", "/v1/cryptos/:crypto/transactions", async (ctx) => {
    requireBtc(ctx);
    const raw = await ctx.body();
    if (raw.length === 0) throw new HttpError(400, "empty-transaction", "no transaction in body");
    let result: BroadcastResult;
    try {
      await explorer.rpc.sendRawTransaction(hex.encode(raw));
      result = { success: true };
    } catch (err) {
      if (!(err instanceof BtcdRpcError)) throw err;
      result = {
        success: false,
        rpcCode: err.code,
        ...(RPC_CODE_NAMES[err.code] === undefined ? {} : { rpcCodeMessage: RPC_CODE_NAMES[err.code] }),
        rpcMessage: err.rpcMessage,
      };
    }
    // Make the new mempool state visible to the very next query.
    await explorer.sync.refresh().catch(() => undefined);
    sendJson(ctx.res, 200, result);
  });

  router.on("GET", "/v1/cryptos/:crypto/transactions/:txid", async (ctx) => {
    requireBtc(ctx);
    const txid = (ctx.params.txid ?? "").toLowerCase();
    if (!isLowerHex32(txid)) throw new HttpError(400, "invalid-txid", "txid must be 64 hex chars");
    let tx;
    try {
      tx = await explorer.rpc.getRawTransaction(txid);
    } catch (err) {
      if (err instanceof BtcdRpcError) throw new HttpError(404, "tx-not-found", err.rpcMessage);
      throw err;
    }
    const known = explorer.index.getTx(txid);
    const confirmed = tx.blockhash !== undefined && (tx.confirmations ?? 0) > 0;
    const body: TransactionResponse = {
      ...(confirmed ? { blockHash: tx.blockhash } : {}),
      confirmations: confirmed ? (tx.confirmations ?? 0) : 0,
      ...(confirmed && known?.status.confirmed ? { height: known.status.height } : {}),
      ...(confirmed && !known?.status.confirmed ? { height: await heightOf(explorer, tx.blockhash) } : {}),
      transactionId: txid,
      transaction: tx.hex,
      timestamp: confirmed ? (tx.blocktime ?? 0) : (known?.firstSeen ?? Math.floor(Date.now() / 1000)),
    };
    sendJson(ctx.res, 200, body);
  });

  router.on("POST", "/v1/cryptos/:crypto/rescan-utxos", async (ctx) => {
    requireBtc(ctx);
    const body = await jsonBody<{ UTXOs?: unknown; utxos?: unknown }>(ctx);
    const list = body?.UTXOs ?? body?.utxos;
    if (!Array.isArray(list) || !list.every((u) => typeof u === "string"))
      throw new HttpError(400, "invalid-utxos", 'expected {UTXOs: ["<txid>-<vout>"]}');
    await explorer.sync.refresh();
    const txids = new Set<string>();
    for (const outpoint of list as string[]) {
      const m = /^([0-9a-fA-F]{64})[-:](\d+)$/.exec(outpoint);
      if (!m?.[1] || !m[2]) throw new HttpError(400, "invalid-outpoint", `bad outpoint ${outpoint}`);
      const key = outpointKey(m[1].toLowerCase(), Number(m[2]));
      const out = explorer.index.getOutput(key);
      if (out && explorer.registry.ownersOf(out.scriptPubKey).length > 0) txids.add(out.txid);
    }
    for (const txid of txids) {
      const tx = explorer.index.getTx(txid);
      if (!tx) continue;
      const raw = await explorer.rpc.getRawTransaction(txid);
      for (const data of transactionEvents(tx, raw.hex, explorer.index, explorer.registry))
        explorer.hub.publishTransaction(data);
    }
    sendJson(ctx.res, 200, {});
  });
}

async function heightOf(explorer: Explorer, blockHash: string | undefined): Promise<number | undefined> {
  if (blockHash === undefined) return undefined;
  const header = await explorer.rpc.call<{ height: number }>("getblockheader", [blockHash, true]);
  return header.height;
}
