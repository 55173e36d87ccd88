/**
 * The NBXplorer-compatible service against a real btcd v0.24.2 (skipped when no btcd binary is
 * built): sync from genesis, a taproot key-path spend of a coinbase broadcast through the
 * service, mempool → block transitions, gettxout's mempool semantics, the submitpackage emulation
 * and the websocket events, all as btcd really answers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { HDKey } from "@scure/bip32";
import { hex } from "@scure/base";
import { Transaction, p2tr } from "@scure/btc-signer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { BtcdRpc } from "../../../../src/regtest/nbxplorer/btcd-rpc.js";
import { REGTEST, addressToScript } from "../../../../src/regtest/nbxplorer/derivation.js";
import { startNbxplorerServer, type RunningNbxplorer } from "../../../../src/regtest/nbxplorer/server.js";
import type { ExplorerEvent, UtxosResponse } from "../../../../src/regtest/nbxplorer/types.js";

const CACHE = process.env.ARK_LN_GATEWAY_CACHE ?? join(homedir(), ".cache", "ark-ln-gateway");
const BTCD = [process.env.BTCD_BIN, join(CACHE, "bin", "btcd-v0.24.2", "btcd"), "/tmp/warm/bin/btcd"].find(
  (p): p is string => p !== undefined && existsSync(p),
);
const NET = { bech32: "bcrt", pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef };
const ACCOUNT = HDKey.fromMasterSeed(new Uint8Array(32).fill(11), REGTEST.bip32).derive("m/86'/1'/0'");
const SCHEME = `${ACCOUNT.publicExtendedKey}-[taproot]`;
const ESCAPED = encodeURIComponent(SCHEME);
const KEY0 = ACCOUNT.derive("m/0/0");
const ADDR0 = p2tr((KEY0.publicKey ?? new Uint8Array(33)).slice(1), undefined, NET).address as string;
const WATCHED = p2tr(
  hex.decode("c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5"),
  undefined,
  NET,
).address as string;

describe.skipIf(BTCD === undefined)("NBXplorer-compatible service on a real btcd", () => {
  const dir = mkdtempSync(join(tmpdir(), "nbx-btcd-"));
  const port = 30_000 + Math.floor(Math.random() * 5000);
  let btcd: ChildProcess;
  let rpc: BtcdRpc;
  let nbx: RunningNbxplorer;
  let ws: WebSocket;
  const events: ExplorerEvent[] = [];

  const api = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(`${nbx.url}${path}`, init);
    if (!res.ok) throw new Error(`${path}: HTTP ${String(res.status)} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const rpcProxy = (method: string, params: unknown[]): Promise<{ result: unknown; error: unknown }> =>
    api("/v1/cryptos/BTC/rpc", {
      method: "POST",
      body: JSON.stringify({ jsonrpc: "1.0", id: 1, method, params }),
    });

  beforeAll(async () => {
    writeFileSync(join(dir, "btcd.conf"), "");
    btcd = spawn(
      BTCD as string,
      [
        `--configfile=${join(dir, "btcd.conf")}`,
        "--regtest",
        `--datadir=${join(dir, "data")}`,
        `--logdir=${join(dir, "logs")}`,
        "--rpcuser=u",
        "--rpcpass=p",
        `--rpclisten=127.0.0.1:${String(port)}`,
        "--nolisten",
        "--txindex",
        `--miningaddr=${ADDR0}`,
        `--rpccert=${join(dir, "rpc.cert")}`,
        `--rpckey=${join(dir, "rpc.key")}`,
      ],
      { env: { ...process.env, HOME: dir }, stdio: "ignore" },
    );
    for (let i = 0; ; i++) {
      try {
        await new Promise((r) => setTimeout(r, 200));
        if (!existsSync(join(dir, "rpc.cert"))) continue;
        rpc = new BtcdRpc({
          rpcHost: `127.0.0.1:${String(port)}`,
          rpcUser: "u",
          rpcPass: "p",
          rpcCertPath: join(dir, "rpc.cert"),
        });
        await rpc.getBlockCount();
        break;
      } catch (err) {
        if (i > 100) throw err;
      }
    }
    // btcd activates taproot on regtest by BIP9 signalling: active from height 432.
    await rpc.call("generate", [440]);
    nbx = await startNbxplorerServer({
      port: 0,
      btcd: {
        rpcHost: `127.0.0.1:${String(port)}`,
        rpcUser: "u",
        rpcPass: "p",
        rpcCertPath: join(dir, "rpc.cert"),
      },
      pollMs: 100,
    });
    ws = new WebSocket(`${nbx.url.replace("http", "ws")}/v1/cryptos/connect`);
    ws.on("message", (m: Buffer) => events.push(JSON.parse(m.toString("utf8")) as ExplorerEvent));
    await new Promise((r) => ws.once("open", r));
  }, 120_000);

  afterAll(async () => {
    ws?.close();
    await nbx?.close();
    btcd?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  });

  it("syncs the chain and lists the mature coinbases of the tracked scheme", async () => {
    const status = await api<{ bitcoinStatus: { blocks: number }; isFullySynched: boolean }>(
      "/v1/cryptos/BTC/status",
    );
    expect(status).toMatchObject({ bitcoinStatus: { blocks: 440 }, isFullySynched: true });
    await api(`/v1/cryptos/BTC/derivations/${ESCAPED}`, { method: "POST" });
    const utxos = await api<UtxosResponse>(`/v1/cryptos/BTC/derivations/${ESCAPED}/utxos`);
    // Coinbases of heights 1..341 have ≥ 100 confirmations at tip 440.
    expect(utxos.confirmed.utxOs).toHaveLength(341);
    expect(utxos.confirmed.utxOs.every((u) => u.address === ADDR0 && u.keyPath === "0/0")).toBe(true);
    expect(await (await fetch(`${nbx.url}/blocks/tip/height`)).text()).toBe("440");
    const info = await rpcProxy("getblockchaininfo", []);
    expect(info.result).toMatchObject({ chain: "regtest", blocks: 440 });
  });

  it("broadcasts a taproot key-path spend, announces it and follows it into a block", async () => {
    const group = await api<{ groupId: string }>("/v1/groups", { method: "POST" });
    await api(`/v1/cryptos/BTC/groups/${group.groupId}/addresses`, {
      method: "POST",
      body: JSON.stringify([WATCHED]),
    });
    const change = await api<{ scriptPubKey: string; keyPath: string }>(
      `/v1/cryptos/BTC/derivations/${ESCAPED}/addresses/unused?feature=Change&autoTrack=true`,
    );
    const utxos = await api<UtxosResponse>(`/v1/cryptos/BTC/derivations/${ESCAPED}/utxos`);
    const coin = utxos.confirmed.utxOs[0];
    if (!coin) throw new Error("no coin");
    const tx = new Transaction();
    tx.addInput({
      txid: coin.transactionHash,
      index: coin.index,
      witnessUtxo: { script: hex.decode(coin.scriptPubKey), amount: BigInt(coin.value) },
      tapInternalKey: (KEY0.publicKey ?? new Uint8Array(33)).slice(1),
    });
    tx.addOutput({ script: hex.decode(addressToScript(WATCHED)), amount: 100_000n });
    tx.addOutput({ script: hex.decode(change.scriptPubKey), amount: BigInt(coin.value) - 100_000n - 1_000n });
    tx.sign(KEY0.privateKey ?? new Uint8Array(32));
    tx.finalize();
    const res = await fetch(`${nbx.url}/v1/cryptos/BTC/transactions`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: Buffer.from(tx.extract()),
    });
    expect(await res.json()).toEqual({ success: true });

    const after = await api<UtxosResponse>(`/v1/cryptos/BTC/derivations/${ESCAPED}/utxos`);
    expect(after.unconfirmed.spentOutpoints).toEqual([coin.outpoint]);
    expect(after.unconfirmed.utxOs.map((u) => [u.outpoint, u.keyPath])).toEqual([
      [`${tx.id}-1`, change.keyPath],
    ]);
    expect(await rpcProxy("gettxout", [coin.transactionHash, coin.index])).toMatchObject({
      result: null,
      error: null,
    });
    const event = events.find(
      (e) => e.type === "newtransaction" && e.data.trackedSource === `GROUP:${group.groupId}`,
    );
    expect(event?.data).toMatchObject({ outputs: [{ address: WATCHED, value: 100_000, index: 0 }] });

    await rpc.call("generate", [1]);
    await nbx.explorer.sync.refresh();
    const tx1 = await api<{ confirmations: number; height: number }>(`/v1/cryptos/BTC/transactions/${tx.id}`);
    expect(tx1).toMatchObject({ confirmations: 1, height: 441 });
    const mined = await api<UtxosResponse>(`/v1/cryptos/BTC/derivations/${ESCAPED}/utxos`);
    expect(mined.unconfirmed.spentOutpoints).toEqual([]);
    expect(mined.confirmed.utxOs.some((u) => u.outpoint === `${tx.id}-1` && u.confirmations === 1)).toBe(
      true,
    );
    expect(mined.confirmed.utxOs.some((u) => u.outpoint === coin.outpoint)).toBe(false);
  });

  it("emulates submitpackage on btcd (parent then child, both land in the mempool)", async () => {
    const utxos = await api<UtxosResponse>(`/v1/cryptos/BTC/derivations/${ESCAPED}/utxos`);
    const coin = utxos.confirmed.utxOs.find((u) => u.keyPath === "0/0");
    if (!coin) throw new Error("no coin");
    const internal = (KEY0.publicKey ?? new Uint8Array(33)).slice(1);
    const parent = new Transaction();
    parent.addInput({
      txid: coin.transactionHash,
      index: coin.index,
      witnessUtxo: { script: hex.decode(coin.scriptPubKey), amount: BigInt(coin.value) },
      tapInternalKey: internal,
    });
    parent.addOutput({ script: hex.decode(coin.scriptPubKey), amount: BigInt(coin.value) - 1_000n });
    parent.sign(KEY0.privateKey ?? new Uint8Array(32));
    parent.finalize();
    const child = new Transaction();
    child.addInput({
      txid: parent.id,
      index: 0,
      witnessUtxo: { script: hex.decode(coin.scriptPubKey), amount: BigInt(coin.value) - 1_000n },
      tapInternalKey: internal,
    });
    child.addOutput({ script: hex.decode(coin.scriptPubKey), amount: BigInt(coin.value) - 2_000n });
    child.sign(KEY0.privateKey ?? new Uint8Array(32));
    child.finalize();
    const res = await rpcProxy("submitpackage", [[parent.hex, child.hex]]);
    expect(res.error).toBeNull();
    expect(res.result).toMatchObject({ package_msg: "success" });
    const mempool = await rpc.getRawMempool();
    expect(mempool).toEqual(expect.arrayContaining([parent.id, child.id]));
    // Submitting the same package again is accepted (Core answers "already in mempool").
    expect((await rpcProxy("submitpackage", [[parent.hex, child.hex]])).error).toBeNull();
  });
});
