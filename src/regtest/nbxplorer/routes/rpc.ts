/**
 * The node RPC proxy (`POST /v1/cryptos/BTC/rpc`), JSON-RPC 1.0 in and out, always HTTP 200 with
 * `error` filled on failure (arkd-wallet reads `error`). Everything is forwarded to btcd except
 * what btcd v0.24.2 lacks or does differently from Bitcoin Core:
 * - `gettxout` with include_mempool (default true): btcd still returns an output that a mempool
 *   transaction spends; Core returns null. We return null when our index sees a mempool spend.
 * - `submitpackage`: btcd has no package relay. Emulated as `sendrawtransaction` of each
 *   transaction in order (parents first, as Core requires); a transaction btcd already has counts
 *   as accepted; the first rejection aborts with RPC error -26 naming the transaction. The result
 *   has Core's shape (`package_msg`, `tx-results` keyed by wtxid, `replaced-transactions`).
 *   Limits: no package feerate (a zero-fee parent must pass btcd's own relay policy alone, which
 *   btcd allows on regtest for high-priority inputs), no package RBF.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { BtcdRpcError } from "../btcd-rpc.js";
import { outpointKey } from "../chain-index.js";
import type { Explorer } from "../explorer.js";
import { HttpError, jsonBody, requireBtc, sendJson, type Router } from "../http.js";
import type { RpcRequest, RpcResponse } from "../types.js";

/** Registers the RPC proxy route. */
export function registerRpcRoutes(router: Router, explorer: Explorer): void {
  router.on("POST", "/v1/cryptos/:crypto/rpc", async (ctx) => {
    requireBtc(ctx);
    const req = await jsonBody<RpcRequest>(ctx);
    if (!req || typeof req.method !== "string")
      throw new HttpError(400, "invalid-rpc", "expected a JSON-RPC request");
    const id = req.id ?? null;
    const params = Array.isArray(req.params) ? req.params : [];
    let response: RpcResponse;
    try {
      response = { result: await dispatch(explorer, req.method, params), error: null, id };
    } catch (err) {
      if (!(err instanceof BtcdRpcError)) throw err;
      response = { result: null, error: { code: err.code, message: err.rpcMessage }, id };
    }
    sendJson(ctx.res, 200, response);
  });
}

async function dispatch(explorer: Explorer, method: string, params: unknown[]): Promise<unknown> {
  switch (method) {
    case "gettxout":
      return getTxOut(explorer, params);
    case "submitpackage":
      return submitPackage(explorer, params);
    case "sendrawtransaction": {
      const txid = await explorer.rpc.call<string>("sendrawtransaction", params.slice(0, 1));
      await explorer.sync.refresh().catch(() => undefined);
      return txid;
    }
    default:
      return explorer.rpc.call(method, params);
  }
}

async function getTxOut(explorer: Explorer, params: unknown[]): Promise<unknown> {
  const [txid, vout, includeMempool = true] = params;
  if (typeof txid !== "string" || typeof vout !== "number")
    throw new BtcdRpcError("gettxout", -8, "gettxout expects (txid, n[, include_mempool])");
  const result = await explorer.rpc.call<unknown>("gettxout", [txid, vout, includeMempool !== false]);
  if (result === null || includeMempool === false) return result;
  await explorer.sync.refresh();
  const spender = explorer.index.spenderOf(outpointKey(txid.toLowerCase(), vout));
  if (spender !== undefined && explorer.index.getTx(spender)?.status.confirmed === false) return null;
  return result;
}

/** Core's submitpackage result, emulated with sequential sendrawtransaction. */
export async function submitPackage(explorer: Explorer, params: unknown[]): Promise<unknown> {
  const [txs] = params;
  if (
    !Array.isArray(txs) ||
    txs.length === 0 ||
    !txs.every((t) => typeof t === "string" && /^[0-9a-fA-F]+$/.test(t))
  )
    throw new BtcdRpcError(
      "submitpackage",
      -8,
      "submitpackage expects an array of raw transaction hex strings",
    );
  const results: Record<string, { txid: string }> = {};
  for (const [i, rawHex] of (txs as string[]).entries()) {
    let txid: string;
    try {
      txid = await explorer.rpc.sendRawTransaction(rawHex);
    } catch (err) {
      if (!(err instanceof BtcdRpcError)) throw err;
      const known = await alreadyKnown(explorer, rawHex);
      if (known === undefined) {
        await explorer.sync.refresh().catch(() => undefined);
        throw new BtcdRpcError("submitpackage", -26, `package tx ${i} rejected: ${err.rpcMessage}`);
      }
      txid = known;
    }
    results[wtxid(rawHex)] = { txid };
  }
  await explorer.sync.refresh().catch(() => undefined);
  return { package_msg: "success", "tx-results": results, "replaced-transactions": [] };
}

/** The txid of a raw transaction btcd already has (mempool or chain), else undefined. */
async function alreadyKnown(explorer: Explorer, rawHex: string): Promise<string | undefined> {
  const txid = txidOf(rawHex);
  try {
    await explorer.rpc.getRawTransaction(txid);
    return txid;
  } catch {
    return undefined;
  }
}

/** wtxid: double SHA-256 of the full serialization, byte-reversed. */
export function wtxid(rawHex: string): string {
  return hex.encode(sha256(sha256(hex.decode(rawHex.toLowerCase()))).reverse());
}

/** txid: double SHA-256 of the serialization without witness data, byte-reversed. */
export function txidOf(rawHex: string): string {
  return hex.encode(sha256(sha256(stripWitness(hex.decode(rawHex.toLowerCase())))).reverse());
}

/** Removes the segwit marker, flag and witnesses (BIP144) from a serialized transaction. */
export function stripWitness(tx: Uint8Array): Uint8Array {
  if (tx.length < 10 || tx[4] !== 0x00 || tx[5] !== 0x01) return tx;
  let pos = 6;
  const readVarInt = (): number => {
    const first = tx[pos++] as number;
    if (first < 0xfd) return first;
    const len = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
    let n = 0;
    for (let i = 0; i < len; i++) n += (tx[pos + i] as number) * 2 ** (8 * i);
    pos += len;
    return n;
  };
  const inCount = readVarInt();
  // `pos += readVarInt()` would read pos before readVarInt advances it: split the statements.
  for (let i = 0; i < inCount; i++) {
    pos += 36;
    const scriptSigLength = readVarInt();
    pos += scriptSigLength + 4;
  }
  const outCount = readVarInt();
  for (let i = 0; i < outCount; i++) {
    pos += 8;
    const scriptLength = readVarInt();
    pos += scriptLength;
  }
  const ioEnd = pos;
  const out = new Uint8Array(4 + (ioEnd - 6) + 4);
  out.set(tx.subarray(0, 4), 0);
  out.set(tx.subarray(6, ioEnd), 4);
  out.set(tx.subarray(tx.length - 4), 4 + (ioEnd - 6));
  return out;
}
