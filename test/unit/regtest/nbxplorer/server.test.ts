/**
 * The NBXplorer-compatible service end to end over HTTP + WebSocket against a fake btcd: every
 * request is made the way arkd-wallet's nbxplorer client makes it (paths, PathEscape'd schemes,
 * octet-stream broadcast, JSON-RPC proxy) and every answer is checked for the fields it decodes.
 */
import { hexToBytes } from "@noble/hashes/utils.js";
import { HDKey } from "@scure/bip32";
import { p2tr } from "@scure/btc-signer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { REGTEST, addressToScript } from "../../../../src/regtest/nbxplorer/derivation.js";
import { startNbxplorerServer, type RunningNbxplorer } from "../../../../src/regtest/nbxplorer/server.js";
import type { ExplorerEvent, UtxosResponse } from "../../../../src/regtest/nbxplorer/types.js";
import { FakeBtcd, makeTx } from "../../../fakes/fake-btcd.js";

const TPUB = HDKey.fromMasterSeed(new Uint8Array(32).fill(5), REGTEST.bip32).derive(
  "m/86'/1'/0'",
).publicExtendedKey;
const SCHEME = `${TPUB}-[taproot]`;
/** Go's url.PathEscape of the scheme, as arkd-wallet sends it. */
const ESCAPED = encodeURIComponent(SCHEME);
/** A P2TR address with the generator's x coordinate as output key: someone else's boarding address. */
const WATCHED = p2tr(
  hexToBytes("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
  undefined,
  { bech32: "bcrt", pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef },
).address as string;

describe("NBXplorer-compatible server (fake btcd)", () => {
  const btcd = new FakeBtcd();
  let nbx: RunningNbxplorer;
  let base: string;
  let ws: WebSocket;
  const events: ExplorerEvent[] = [];
  let groupId = "";
  let coinbaseTxid = "";
  let depositScript = "";

  const get = async (path: string): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${base}${path}`, { headers: { accept: "application/json" } });
    const text = await res.text();
    return { status: res.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
  };
  const post = async (path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
  };
  const rpc = async (method: string, params: unknown[]): Promise<{ result: unknown; error: unknown }> =>
    (await post("/v1/cryptos/BTC/rpc", { jsonrpc: "1.0", id: 7, method, params })).body as {
      result: unknown;
      error: unknown;
    };
  const waitEvent = async (pred: (e: ExplorerEvent) => boolean): Promise<ExplorerEvent> => {
    for (let i = 0; i < 100; i++) {
      const found = events.find(pred);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("event not received");
  };

  beforeAll(async () => {
    await btcd.listen();
    nbx = await startNbxplorerServer({
      port: 0,
      btcd: { rpcHost: btcd.rpcHost, rpcUser: "u", rpcPass: "p" },
      pollMs: 50,
    });
    base = nbx.url;
    ws = new WebSocket(`${base.replace("http", "ws")}/v1/cryptos/connect`);
    ws.on("message", (m: Buffer) => events.push(JSON.parse(m.toString("utf8")) as ExplorerEvent));
    await new Promise((r) => ws.once("open", r));
  });

  afterAll(async () => {
    ws.close();
    await nbx.close();
    await btcd.close();
  });

  it("answers /status with the fields arkd-wallet reads", async () => {
    const { status, body } = await get("/v1/cryptos/BTC/status");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      bitcoinStatus: { blocks: 0, headers: 0, isSynched: true, minRelayTxFee: 1, incrementalRelayFee: 1 },
      isFullySynched: true,
      syncHeight: 0,
      networkType: "Regtest",
      cryptoCode: "BTC",
    });
    const info = await rpc("getblockchaininfo", []);
    expect(info.error).toBeNull();
    expect(info.result).toMatchObject({ blocks: 0, chain: "regtest" });
    expect(typeof (info.result as { mediantime: number }).mediantime).toBe("number");
  });

  it("tracks a scheme (POST, PathEscape'd) and hands out Deposit/Change addresses", async () => {
    expect((await post(`/v1/cryptos/BTC/derivations/${ESCAPED}`)).status).toBe(200);
    const dep = await get(
      `/v1/cryptos/BTC/derivations/${ESCAPED}/addresses/unused?autoTrack=true&feature=Deposit`,
    );
    expect(dep.status).toBe(200);
    expect(dep.body).toMatchObject({
      feature: "Deposit",
      keyPath: "0/0",
      index: 0,
      derivationStrategy: SCHEME,
    });
    const info = dep.body as { address: string; scriptPubKey: string };
    expect(info.address.startsWith("bcrt1p")).toBe(true);
    expect(addressToScript(info.address)).toBe(info.scriptPubKey);
    depositScript = info.scriptPubKey;
    const skip = await get(
      `/v1/cryptos/BTC/derivations/${ESCAPED}/addresses/unused?autoTrack=true&feature=Deposit&skip=2`,
    );
    expect(skip.body).toMatchObject({ keyPath: "0/2", index: 2 });
    const change = await get(
      `/v1/cryptos/BTC/derivations/${ESCAPED}/addresses/unused?autoTrack=true&feature=Change`,
    );
    expect(change.body).toMatchObject({ feature: "Change", keyPath: "1/0" });
    const script = await get(`/v1/cryptos/BTC/derivations/${ESCAPED}/scripts/${depositScript}`);
    expect(script.body).toMatchObject({ keyPath: "0/0", scriptPubKey: depositScript });
    expect((await get(`/v1/cryptos/BTC/derivations/${ESCAPED}/scripts/5120${"00".repeat(32)}`)).status).toBe(
      404,
    );
    expect((await get(`/v1/cryptos/BTC/derivations/xpubbad/utxos`)).status).toBe(404);
    expect((await post(`/v1/cryptos/BTC/derivations/xpubbad`)).status).toBe(400);
  });

  it("lists a matured coinbase as a confirmed UTXO with key path and confirmations", async () => {
    coinbaseTxid = btcd.mine([], depositScript).txs[0]?.txid ?? "";
    for (let i = 0; i < 98; i++) btcd.mine();
    const immature = (await get(`/v1/cryptos/BTC/derivations/${ESCAPED}/utxos`)).body as UtxosResponse;
    expect(immature.confirmed.utxOs).toEqual([]);
    btcd.mine();
    const { body } = await get(`/v1/cryptos/BTC/derivations/${ESCAPED}/utxos`);
    const utxos = body as UtxosResponse;
    expect(utxos.currentHeight).toBe(100);
    expect(utxos.confirmed.utxOs).toEqual([
      expect.objectContaining({
        outpoint: `${coinbaseTxid}-0`,
        transactionHash: coinbaseTxid,
        index: 0,
        value: 5_000_000_000,
        scriptPubKey: depositScript,
        keyPath: "0/0",
        keyIndex: 0,
        feature: "Deposit",
        confirmations: 100,
      }),
    ]);
    // Used now: the next unused Deposit address moves on.
    const dep = await get(`/v1/cryptos/BTC/derivations/${ESCAPED}/addresses/unused?feature=Deposit`);
    expect(dep.body).toMatchObject({ keyPath: "0/1" });
    expect(await (await fetch(`${base}/blocks/tip/height`)).text()).toBe("100");
  });

  it("creates a group, watches an address and announces its incoming transaction", async () => {
    const created = await post("/v1/groups");
    groupId = (created.body as { groupId: string }).groupId;
    expect(created.body).toMatchObject({ trackedSource: `GROUP:${groupId}`, children: [] });
    const added = await post(`/v1/cryptos/BTC/groups/${groupId}/addresses`, [WATCHED]);
    expect(added.body).toMatchObject({
      children: [{ trackedSource: `ADDRESS:${WATCHED}`, cryptoCode: "BTC" }],
    });
    expect((await post(`/v1/cryptos/BTC/groups/${groupId}/addresses`, ["nonsense"])).status).toBe(400);
  });

  it("broadcasts raw bytes, then shows the mempool spend and the new outputs", async () => {
    const change = (await get(`/v1/cryptos/BTC/derivations/${ESCAPED}/addresses/unused?feature=Change`))
      .body as {
      scriptPubKey: string;
    };
    const tx = makeTx(
      [{ txid: coinbaseTxid, vout: 0 }],
      [
        { script: addressToScript(WATCHED), sats: 100_000n },
        { script: change.scriptPubKey, sats: 4_899_000_000n },
      ],
    );
    const res = await fetch(`${base}/v1/cryptos/BTC/transactions`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: Buffer.from(tx.hex, "hex"),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });

    const utxos = (await get(`/v1/cryptos/BTC/derivations/${ESCAPED}/utxos`)).body as UtxosResponse;
    expect(utxos.unconfirmed.spentOutpoints).toEqual([`${coinbaseTxid}-0`]);
    expect(utxos.unconfirmed.utxOs).toEqual([
      expect.objectContaining({
        outpoint: `${tx.txid}-1`,
        keyPath: "1/0",
        confirmations: 0,
        value: 4_899_000_000,
      }),
    ]);

    const event = await waitEvent(
      (e) => e.type === "newtransaction" && e.data.trackedSource === `GROUP:${groupId}`,
    );
    expect(event).toMatchObject({
      type: "newtransaction",
      data: {
        trackedSource: `GROUP:${groupId}`,
        cryptoCode: "BTC",
        outputs: [{ index: 0, value: 100_000, address: WATCHED, scriptPubKey: addressToScript(WATCHED) }],
        transactionData: { transactionHash: tx.txid, confirmations: 0 },
      },
    });
    expect(typeof event.eventId).toBe("number");
    const groupUtxos = (await get(`/v1/cryptos/BTC/groups/${groupId}/utxos`)).body as UtxosResponse;
    expect(groupUtxos.unconfirmed.utxOs.map((u) => u.outpoint)).toEqual([`${tx.txid}-0`]);

    // gettxout follows Core: an output spent in the mempool is gone.
    const spent = await rpc("gettxout", [coinbaseTxid, 0]);
    expect(spent).toMatchObject({ result: null, error: null });
    const tx1 = await get(`/v1/cryptos/BTC/transactions/${tx.txid}`);
    expect(tx1.body).toMatchObject({ transactionId: tx.txid, transaction: tx.hex, confirmations: 0 });

    btcd.mine();
    const mined = await waitEvent(
      (e) =>
        e.type === "newtransaction" &&
        e.data.transactionData.transactionHash === tx.txid &&
        e.data.blockId !== undefined,
    );
    expect(mined.type === "newtransaction" && mined.data.transactionData).toMatchObject({
      confirmations: 1,
      height: 101,
    });
    const after = (await get(`/v1/cryptos/BTC/derivations/${ESCAPED}/utxos`)).body as UtxosResponse;
    expect(after.confirmed.utxOs.map((u) => u.outpoint)).toEqual([`${tx.txid}-1`]);
    expect(after.unconfirmed).toEqual({ utxOs: [], spentOutpoints: [] });
    const confirmed = await get(`/v1/cryptos/BTC/transactions/${tx.txid}`);
    expect(confirmed.body).toMatchObject({
      confirmations: 1,
      height: 101,
      blockHash: btcd.blocks[101]?.hash,
    });
    expect((await get(`/v1/cryptos/BTC/transactions/${"ee".repeat(32)}`)).status).toBe(404);
  });

  it("reports a rejected broadcast as success=false with the RPC error", async () => {
    const tx = makeTx([{ txid: "ab".repeat(32), vout: 0 }], [{ script: "6a", sats: 0n }]);
    btcd.reject.set(tx.txid, "missing inputs");
    const res = await fetch(`${base}/v1/cryptos/BTC/transactions`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: Buffer.from(tx.hex, "hex"),
    });
    expect(await res.json()).toEqual({
      success: false,
      rpcCode: -26,
      rpcCodeMessage: "RPC_VERIFY_REJECTED",
      rpcMessage: "missing inputs",
    });
  });

  it("emulates submitpackage with Core's result shape, and rejects with -26", async () => {
    const parent = makeTx(
      [{ txid: "cd".repeat(32), vout: 1 }],
      [
        { script: "51024e73", sats: 0n },
        { script: "6a01ff", sats: 0n },
      ],
    );
    const child = makeTx([{ txid: parent.txid, vout: 0 }], [{ script: "6a01aa", sats: 0n }]);
    const ok = await rpc("submitpackage", [[parent.hex, child.hex]]);
    expect(ok.error).toBeNull();
    expect(ok.result).toMatchObject({ package_msg: "success", "replaced-transactions": [] });
    const results = Object.values(
      (ok.result as { "tx-results": Record<string, { txid: string }> })["tx-results"],
    );
    expect(results.map((r) => r.txid)).toEqual([parent.txid, child.txid]);
    expect(btcd.mempool.has(child.txid)).toBe(true);

    const bad = makeTx([{ txid: "ef".repeat(32), vout: 0 }], [{ script: "6a", sats: 0n }]);
    btcd.reject.set(bad.txid, "bad-txns-inputs-missingorspent");
    const rejected = await rpc("submitpackage", [[bad.hex, child.hex]]);
    expect(rejected).toMatchObject({ result: null, error: { code: -26 } });
    expect(JSON.stringify(rejected.error)).toContain("bad-txns-inputs-missingorspent");
    expect((await rpc("nosuchmethod", [])).error).toMatchObject({ code: -32601 });
  });

  it("re-announces a watched UTXO on rescan-utxos", async () => {
    const before = events.length;
    const tx = btcd.blocks[101]?.txs.find((t) =>
      t.outputs.some((o) => o.script === addressToScript(WATCHED)),
    );
    expect((await post("/v1/cryptos/BTC/rescan-utxos", { UTXOs: [`${tx?.txid ?? ""}-0`] })).status).toBe(200);
    const again = await waitEvent((e) => events.indexOf(e) >= before && e.type === "newtransaction");
    expect(again.type === "newtransaction" && again.data.outputs[0]?.address).toBe(WATCHED);
    expect((await post("/v1/cryptos/BTC/rescan-utxos", { UTXOs: ["nope"] })).status).toBe(400);
  });

  it("stops watching removed group children and deletes groups", async () => {
    const res = await fetch(`${base}/v1/groups/${groupId}/children`, {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ trackedSource: `ADDRESS:${WATCHED}`, cryptoCode: "BTC" }]),
    });
    expect(await res.json()).toMatchObject({ children: [] });
    expect((await fetch(`${base}/v1/groups/${groupId}`, { method: "DELETE" })).status).toBe(200);
    expect((await get(`/v1/groups/${groupId}`)).status).toBe(404);
  });

  it("scans the UTXO set and reports Complete with the highest index found", async () => {
    expect((await post(`/v1/cryptos/BTC/derivations/${ESCAPED}/utxos/scan?gapLimit=30`)).status).toBe(200);
    let status: { status: string; progress?: { overallProgress: number; highestKeyIndexFound: unknown } } = {
      status: "",
    };
    for (let i = 0; i < 100 && status.status !== "Complete"; i++) {
      status = (await get(`/v1/cryptos/BTC/derivations/${ESCAPED}/utxos/scan/status`)).body as typeof status;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(status.status).toBe("Complete");
    expect(status.progress).toMatchObject({
      overallProgress: 100,
      highestKeyIndexFound: { deposit: 0, change: 0 },
    });
  });

  it("undoes a reorged block", async () => {
    const tx = makeTx([], [{ script: depositScript, sats: 1234n }]);
    btcd.mine([tx]);
    await nbx.explorer.sync.refresh();
    expect(nbx.explorer.index.getTx(tx.txid)?.status.confirmed).toBe(true);
    btcd.reorgTip();
    btcd.mempool.clear(); // the fake's "coinbase-like" tx cannot go back to a mempool
    await nbx.explorer.sync.refresh();
    expect(nbx.explorer.index.getTx(tx.txid)).toBeUndefined();
    expect(nbx.explorer.index.blockHashAt(102)).toBe(btcd.blocks[102]?.hash);
  });

  it("answers fees in sat/vB and 404 for other cryptos", async () => {
    expect((await get("/v1/cryptos/BTC/fees/1")).body).toEqual({ feeRate: 1, blockCount: 1 });
    expect((await get("/v1/cryptos/LTC/status")).status).toBe(404);
  });
});
