import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ArkdAdminClient, btcStringToSats } from "../../../../src/regtest/ark/admin-client.js";
import {
  arkDirs,
  arkdProcess,
  arkdWalletProcess,
  nbxplorerProcess,
  signerKey,
} from "../../../../src/regtest/ark/processes.js";
import type { ArkStackContext } from "../../../../src/regtest/ark-stack-contract.js";
import { PORTS } from "../../../../src/regtest/settings.js";

const dataDir = mkdtempSync(join(tmpdir(), "ark-stack-"));
const ctx = {
  dataDir,
  runDir: join(dataDir, "run"),
  arkdBinDir: "/opt/arkd-bin",
  log: () => undefined,
  btcd: { rpcHost: "127.0.0.1:28334", rpcUser: "u", rpcPass: "p", rpcCertPath: "/x/rpc.cert" },
} as unknown as ArkStackContext;

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("Ark stack process definitions", () => {
  const dirs = arkDirs(dataDir);

  it("runs arkd in light mode against our wallet and our tip-height endpoint", () => {
    const p = arkdProcess(ctx, dirs);
    expect(p.command).toBe("/opt/arkd-bin/arkd");
    expect(p.env).toMatchObject({
      ARKD_DB_TYPE: "sqlite",
      ARKD_EVENT_DB_TYPE: "badger",
      ARKD_LIVE_STORE_TYPE: "inmemory",
      ARKD_VTXO_TREE_EXPIRY: "144",
      ARKD_PORT: String(PORTS.arkd),
      ARKD_ADMIN_PORT: String(PORTS.arkdAdmin),
      ARKD_WALLET_ADDR: `127.0.0.1:${String(PORTS.arkdWallet)}`,
      ARKD_ESPLORA_URL: `http://127.0.0.1:${String(PORTS.nbxplorer)}`,
      ARKD_DATADIR: join(dataDir, "ark", "arkd"),
    });
  });

  it("points arkd-wallet at the NBXplorer-compatible service with a persistent signer key", () => {
    const p = arkdWalletProcess(ctx, dirs);
    expect(p.env).toMatchObject({
      ARKD_WALLET_PORT: String(PORTS.arkdWallet),
      ARKD_WALLET_NETWORK: "regtest",
      ARKD_WALLET_NBXPLORER_URL: `http://127.0.0.1:${String(PORTS.nbxplorer)}`,
    });
    const key = p.env?.ARKD_WALLET_SIGNER_KEY ?? "";
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(signerKey(dirs)).toBe(key);
    expect(statSync(dirs.signerKeyFile).mode & 0o777).toBe(0o600);
  });

  it("starts the service with btcd's TLS credentials and a state file", () => {
    const p = nbxplorerProcess(ctx, dirs);
    expect(p.command).toBe(process.execPath);
    expect(p.args.slice(0, 2)).toEqual(["--import", "tsx"]);
    expect(p.args[2]).toMatch(/src\/regtest\/nbxplorer\/main\.ts$/);
    expect(p.env).toMatchObject({
      NBX_PORT: String(PORTS.nbxplorer),
      NBX_BTCD_RPC_HOST: "127.0.0.1:28334",
      NBX_BTCD_RPC_CERT: "/x/rpc.cert",
      NBX_STATE_FILE: join(dataDir, "ark", "nbxplorer-state.json"),
    });
  });
});

describe("arkd admin client", () => {
  it.each([
    ["0", 0n],
    ["15", 1_500_000_000n],
    ["0.00012345", 12_345n],
    ["2.5", 250_000_000n],
  ])("reads %s BTC as %s sat", (btc, sats) => {
    expect(btcStringToSats(btc)).toBe(sats);
  });

  it("rejects non-amounts", () => {
    expect(() => btcStringToSats("1e3")).toThrow();
    expect(() => btcStringToSats("0.123456789")).toThrow();
  });

  it("sends the request shapes of arkd's admin REST API", async () => {
    const seen: { method?: string; url?: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        seen.push({ method: req.method, url: req.url, body });
        res.setHeader("content-type", "application/json");
        if (req.url === "/v1/admin/note") res.end(JSON.stringify({ notes: ["arknote1", "arknote2"] }));
        else if (req.url === "/v1/admin/wallet/seed") res.end(JSON.stringify({ seed: "abandon x" }));
        else if (req.url === "/v1/admin/wallet/unlock") {
          res.statusCode = 500;
          res.end(JSON.stringify({ code: 2, message: "wallet is locked" }));
        } else res.end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const client = new ArkdAdminClient(`http://127.0.0.1:${String((server.address() as AddressInfo).port)}`);
    try {
      expect(await client.createNotes(21_000, 2)).toEqual(["arknote1", "arknote2"]);
      expect(await client.walletSeed()).toBe("abandon x");
      await client.createWallet("abandon x", "pw");
      await expect(client.unlockWallet("pw")).rejects.toThrow(/HTTP 500.*wallet is locked/);
      await expect(client.createNotes(0)).rejects.toThrow(RangeError);
    } finally {
      server.close();
    }
    expect(seen.map((s) => [s.method, s.url, s.body])).toEqual([
      ["POST", "/v1/admin/note", JSON.stringify({ amount: 21_000, quantity: 2 })],
      ["GET", "/v1/admin/wallet/seed", ""],
      ["POST", "/v1/admin/wallet/create", JSON.stringify({ seed: "abandon x", password: "pw" })],
      ["POST", "/v1/admin/wallet/unlock", JSON.stringify({ password: "pw" })],
    ]);
  });
});
