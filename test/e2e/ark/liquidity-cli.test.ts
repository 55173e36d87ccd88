/**
 * `ark-ln-gateway liquidity status | board | offboard` run as an operator runs them: a child
 * process from the sources, on the real stack (alice's LND, the real arkd), with its own database
 * and seed. Checks the output (progress lines with elapsed time on stderr, results on stdout, one
 * line errors without stack traces, exit codes) and every sat: LND's onchain wallet and the
 * gateway's Ark balance (`ark-ln-gateway balance --json`) before and after.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, openSync, closeSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectLnd, type LndContext } from "../../../src/lightning/lnd/index.js";
import { getChannelLiquidity, getOnchainBalances } from "../../../src/lightning/lnd/get-onchain-balances.js";
import { getChainTransactions } from "../../../src/lightning/lnd/get-chain-transactions.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { REPO_DIR } from "../../../src/regtest/paths.js";
import { waitFor } from "../../../src/regtest/process.js";
import { arkOf } from "../helpers/ark.js";
import { btcdOf, mine } from "../helpers/chain.js";
import { loadNetwork } from "../helpers/network.js";

const MAIN = join(REPO_DIR, "src", "cli", "main.ts");
const BOARD_SATS = 40_000n;
const OFFBOARD_SATS = 15_000n;
const CRASH_SATS = 25_000n;

let net: NetworkFile;
let configFile: string;
let database: string;
let lnd: LndContext;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI to its end; `onStderr` sees stderr as it comes (to mine when the tx is out) and
 * may kill the process (SIGKILL: a crash).
 */
function cli(
  args: readonly string[],
  onStderr?: (text: string, kill: () => void) => void,
): Promise<Run & { readonly signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args, "--config", configFile], {
      cwd: REPO_DIR,
      env: { ...process.env, GATEWAY_LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, () => child.kill("SIGKILL"));
    });
    child.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function arkBalance(): bigint {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", MAIN, "balance", "--json", "--config", configFile],
    {
      cwd: REPO_DIR,
      encoding: "utf8",
    },
  );
  if (r.status !== 0) throw new Error(`balance failed: ${r.stderr}`);
  return BigInt((JSON.parse(r.stdout) as { ark: { spendableSats: number } }).ark.spendableSats);
}

async function lndOnchain(): Promise<bigint> {
  const b = await getOnchainBalances(lnd);
  return b.confirmedSats + b.pendingSats;
}

/** Progress lines: `[+1.2s 13:02:11] …`. */
const PROGRESS = /^\[\+\d+\.\ds \d\d:\d\d:\d\d\] /;

beforeAll(async () => {
  net = loadNetwork();
  const dir = mkdtempSync(join(tmpdir(), "liquidity-cli-"));
  database = `liquidity_cli_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: net.postgres.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const url = new URL(net.postgres.url);
  url.pathname = `/${database}`;
  const seedFile = join(dir, "gateway.seed");
  const fd = openSync(seedFile, "wx", 0o600);
  writeSync(fd, randomBytes(32));
  closeSync(fd);
  configFile = join(dir, "gateway.json");
  const alice = net.lnd.alice;
  const fdc = openSync(configFile, "wx", 0o600);
  writeSync(
    fdc,
    JSON.stringify({
      network: "regtest",
      dataDir: dir,
      arkd: { url: arkOf(net).arkdUrl },
      lnd: { socket: alice.grpcSocket, certPath: alice.tlsCertPath, macaroonPath: alice.adminMacaroonPath },
      database: { url: url.toString() },
      seed: { file: seedFile },
    }),
  );
  closeSync(fdc);
  lnd = connectLnd({ socket: alice.grpcSocket, cert: alice.tlsCertPath, macaroon: alice.adminMacaroonPath });
});

afterAll(async () => {
  if (database === undefined) return;
  const admin = new pg.Client({ connectionString: net.postgres.url });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
});

describe("ark-ln-gateway liquidity (child process, real stack)", () => {
  it("refuses malformed amounts with a usage error (exit 2), before touching anything", async () => {
    // the full table of refused amounts is a unit test (test/unit/cli/liquidity-args.test.ts)
    for (const [bad, message] of [
      ["1.5", '<sats> must be a positive whole number of sats, got "1.5"'],
      ["0", '<sats> must be a positive whole number of sats, got "0"'],
      ["-3", "Unknown option '-3'"],
    ]) {
      const r = await cli(["liquidity", "board", bad as string]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`error: ${message as string}`);
      expect(r.stderr).toContain("Usage: ark-ln-gateway liquidity board");
    }
    const none = await cli(["liquidity", "offboard"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("error: missing <sats>");
    const group = await cli(["liquidity", "sideways"]);
    expect(group.code).toBe(2);
    expect(group.stderr).toContain('unknown command "liquidity sideways"');
  });

  it("board <sats>: progress lines, then LND −(sats + chain fee) and Ark +(sats − intent fee)", async () => {
    const lndBefore = await lndOnchain();
    const arkBefore = arkBalance();
    let mined = false;
    const btcd = btcdOf(net);
    const r = await cli(["liquidity", "board", BOARD_SATS.toString(), "--json"], (stderr) => {
      const m = /sent in ([0-9a-f]{64})/.exec(stderr);
      if (m !== null && !mined) {
        mined = true;
        void waitFor("the boarding tx in btcd's mempool", 30_000, async () =>
          (await btcd.call<string[]>("getrawmempool")).includes(m[1] as string) ? true : undefined,
        ).then(() => mine(net, 1));
      }
    });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines.every((l) => PROGRESS.test(l))).toBe(true);
    expect(lines.some((l) => l.includes("confirmed; joining the next batch"))).toBe(true);
    expect(lines.some((l) => l.includes("batch finalized"))).toBe(true);
    const out = JSON.parse(r.stdout) as {
      status: string;
      txid: string;
      amountSats: number;
      vtxoSats: number;
      feeSats: number;
      lndChainFeeSats: number;
    };
    expect(out.status).toBe("boarded");
    expect(BigInt(out.amountSats)).toBe(BOARD_SATS);
    const tx = (await getChainTransactions(lnd)).find((t) => t.txid === out.txid);
    expect(BigInt(out.lndChainFeeSats)).toBe(tx?.feeSats);
    expect(lndBefore - (await lndOnchain())).toBe(BOARD_SATS + BigInt(out.lndChainFeeSats));
    expect(BigInt(out.vtxoSats)).toBe(BOARD_SATS - BigInt(out.feeSats));
    expect(arkBalance() - arkBefore).toBe(BigInt(out.vtxoSats));
  });

  it("status: Ark by expiry bucket, LND onchain and channels both ways, swap capacities", async () => {
    const ark = arkBalance();
    const channels = await getChannelLiquidity(lnd);
    const onchain = await getOnchainBalances(lnd);
    const r = await cli(["liquidity", "status", "--json"]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as {
      ark: {
        usableSats: number;
        notUsableSats: number;
        underHourSats: number;
        underDaySats: number;
        laterSats: number;
        boardingAddress: string;
      };
      lnd: { onchain: { confirmedSats: number }; channels: { localSats: number; remoteSats: number } };
      swaps: { submarine: { maxInvoiceSats: number }; reverse: { maxInvoiceSats: number } };
      unfinishedBoardings: unknown[];
    };
    // regtest VTXOs are usable for 144 s after their batch (arkd's expires_at): all in < 1 h
    expect(BigInt(s.ark.usableSats)).toBe(ark);
    expect(BigInt(s.ark.underHourSats)).toBe(ark);
    expect(s.ark.underDaySats + s.ark.laterSats + s.ark.notUsableSats).toBe(0);
    expect(s.ark.boardingAddress).toMatch(/^bcrt1p/);
    expect(BigInt(s.lnd.channels.localSats)).toBe(channels.localSats);
    expect(BigInt(s.lnd.channels.remoteSats)).toBe(channels.remoteSats);
    expect(BigInt(s.lnd.onchain.confirmedSats)).toBe(onchain.confirmedSats);
    expect(s.swaps.submarine.maxInvoiceSats).toBeGreaterThan(0);
    expect(s.unfinishedBoardings).toEqual([]);
    const text = await cli(["liquidity", "status"]);
    expect(text.code).toBe(0);
    for (const label of [
      "expires < 1 h",
      "expires < 1 day",
      "not usable offchain",
      "LND onchain",
      "LND channels",
      "submarine Ark→LN",
      "reverse LN→Ark",
    ])
      expect(text.stdout).toContain(label);
  });

  it("offboard <sats>: LND onchain +sats exactly once mined, Ark −(sats + intent fee)", async () => {
    const lndBefore = await lndOnchain();
    const arkBefore = arkBalance();
    const r = await cli(["liquidity", "offboard", OFFBOARD_SATS.toString(), "--json"]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    expect(
      r.stderr
        .trim()
        .split("\n")
        .every((l) => PROGRESS.test(l)),
    ).toBe(true);
    const out = JSON.parse(r.stdout) as {
      amountSats: number;
      feeSats: number;
      change?: { amountSats: number };
    };
    expect(BigInt(out.amountSats)).toBe(OFFBOARD_SATS);
    expect(BigInt(out.change?.amountSats ?? 0)).toBe(arkBefore - OFFBOARD_SATS - BigInt(out.feeSats));
    expect(arkBefore - arkBalance()).toBe(OFFBOARD_SATS + BigInt(out.feeSats));
    await mine(net, 1);
    const after = await waitFor(
      "LND to see the offboard",
      30_000,
      async () => {
        const b = await getOnchainBalances(lnd);
        return b.pendingSats === 0n && b.confirmedSats !== lndBefore ? b.confirmedSats : undefined;
      },
      500,
    );
    expect(after - lndBefore).toBe(OFFBOARD_SATS);
  });

  it("a crash right after LND sent: status lists the boarding, --resume boards it, not a sat lost", async () => {
    const lndBefore = await lndOnchain();
    const arkBefore = arkBalance();
    let txid: string | undefined;
    const crashed = await cli(["liquidity", "board", CRASH_SATS.toString()], (stderr, kill) => {
      const m = /sent in ([0-9a-f]{64})/.exec(stderr);
      if (m !== null && txid === undefined) {
        txid = m[1];
        kill();
      }
    });
    expect(crashed.signal).toBe("SIGKILL");
    expect(txid).toMatch(/^[0-9a-f]{64}$/);
    const status = await cli(["liquidity", "status", "--json"]);
    const open = (
      JSON.parse(status.stdout) as {
        unfinishedBoardings: { status: string; txid: string; amountSats: number }[];
      }
    ).unfinishedBoardings;
    expect(open).toEqual([expect.objectContaining({ status: "sent", txid, amountSats: Number(CRASH_SATS) })]);
    // resume waits for the confirmation: mine once it runs (arkd takes a boarding output only
    // within the boarding exit delay of its block time, 30 s on this block-typed regtest arkd)
    let mined = false;
    const resumed = await cli(["liquidity", "board", "--resume", "--json"], (stderr) => {
      if (stderr.includes("resuming (sent") && !mined) {
        mined = true;
        void mine(net, 1);
      }
    });
    expect(resumed.stderr).not.toMatch(/\n\s+at /);
    expect(resumed.code).toBe(0);
    const [record] = JSON.parse(resumed.stdout) as {
      status: string;
      txid: string;
      vtxoSats: number;
      feeSats: number;
    }[];
    expect(record).toMatchObject({ status: "boarded", txid });
    const fee = (await getChainTransactions(lnd)).find((t) => t.txid === txid)?.feeSats ?? -1n;
    expect(lndBefore - (await lndOnchain())).toBe(CRASH_SATS + fee);
    expect(BigInt(record?.vtxoSats ?? 0)).toBe(CRASH_SATS - BigInt(record?.feeSats ?? 0));
    expect(arkBalance() - arkBefore).toBe(BigInt(record?.vtxoSats ?? 0));
    const again = await cli(["liquidity", "board", "--resume"]);
    expect(again.stdout.trim()).toBe("no unfinished boarding");
  });

  it("offboarding more than the wallet holds fails in one line with its code (exit 1)", async () => {
    const r = await cli(["liquidity", "offboard", "900000000"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: .*\(wallet\.insufficient_funds\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
