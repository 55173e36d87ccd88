/**
 * The gateway as its own OS process (`ark-ln-gateway start --config <file>` from the sources), so
 * a test can kill it with SIGKILL (through the GATEWAY_TEST_CRASH_AFTER crash points) and start
 * it again on the same database and seed. Its Ark balance is read with `ark-ln-gateway balance`,
 * the operator's own read-only command.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { REPO_DIR } from "../../../src/regtest/paths.js";
import { waitFor } from "../../../src/regtest/process.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { arkOf } from "../helpers/ark.js";

const MAIN = join(REPO_DIR, "src", "cli", "main.ts");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a !== null ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class ChildGateway {
  private child: ChildProcess | undefined;
  private exit: Promise<Exit> | undefined;
  /** What the process wrote to stderr (the JSON log and the crash-point line). */
  log = "";

  private constructor(
    readonly configFile: string,
    readonly url: string,
  ) {}

  /** Writes the config (a database of its own on the network's Postgres, a seed of its own). */
  static async create(net: NetworkFile, name: string): Promise<ChildGateway> {
    const ark = arkOf(net);
    const dir = mkdtempSync(join(tmpdir(), `${name}-`));
    const database = `${name}_${Date.now().toString(36)}`.toLowerCase();
    const admin = new pg.Client({ connectionString: net.postgres.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
    const port = await freePort();
    const url = new URL(net.postgres.url);
    url.pathname = `/${database}`;
    const configFile = join(dir, "gateway.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        network: "regtest",
        dataDir: dir,
        logLevel: "info",
        listen: { host: "127.0.0.1", port },
        arkd: { url: ark.arkdUrl },
        lnd: {
          socket: net.lnd.alice.grpcSocket,
          certPath: net.lnd.alice.tlsCertPath,
          macaroonPath: net.lnd.alice.adminMacaroonPath,
        },
        database: { url: url.toString() },
        seed: { file: join(dir, "gateway.seed") },
      }),
    );
    return new ChildGateway(configFile, `http://127.0.0.1:${port}`);
  }

  /**
   * Starts the process (armed with crash points when given, with `env` added to its environment)
   * and waits until the API answers.
   */
  async start(crashAfter?: string, env: Readonly<Record<string, string>> = {}): Promise<void> {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, "start", "--config", this.configFile], {
      cwd: REPO_DIR,
      env: { ...process.env, ...env, ...(crashAfter ? { GATEWAY_TEST_CRASH_AFTER: crashAfter } : {}) },
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.child = child;
    child.stderr?.on("data", (d: Buffer) => (this.log += d.toString()));
    this.exit = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    await waitFor("the gateway's API", 60_000, async () => {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the gateway exited while starting:\n${this.log.slice(-2000)}`);
      return (await fetch(`${this.url}/v2/swap/submarine`).catch(() => undefined))?.ok === true
        ? true
        : undefined;
    });
  }

  /** Resolves when the process ends (e.g. killed at its crash point). */
  exited(timeoutMs = 120_000): Promise<Exit> {
    const exit = this.exit ?? Promise.resolve({ code: null, signal: null });
    return Promise.race([
      exit,
      new Promise<Exit>((_r, reject) =>
        setTimeout(() => reject(new Error(`the gateway did not exit:\n${this.log.slice(-2000)}`)), timeoutMs),
      ),
    ]);
  }

  /** The gateway's own database (its config's URL), for tests that read its tables. */
  databaseUrl(): string {
    const config = JSON.parse(readFileSync(this.configFile, "utf8")) as { database: { url: string } };
    return config.database.url;
  }

  /** SIGTERM, as an operator stops it. */
  async stop(): Promise<void> {
    if (this.child === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGTERM");
    await this.exited(30_000);
  }

  /** `ark-ln-gateway balance --json`: the Ark wallet's address and spendable sats. */
  balance(): { address: string; sats: bigint } {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", MAIN, "balance", "--json", "--config", this.configFile],
      {
        cwd: REPO_DIR,
        encoding: "utf8",
      },
    );
    if (r.status !== 0) throw new Error(`balance failed (${String(r.status)}): ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { ark: { address: string; spendableSats: number } };
    return { address: out.ark.address, sats: BigInt(out.ark.spendableSats) };
  }
}
