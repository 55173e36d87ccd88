/**
 * The benchmarked gateway as its own OS process (`ark-ln-gateway start` from the sources under
 * tsx, or with `dist` from the compiled build, with bench/swaps/probe preloaded), so its RSS, event-loop lag and restart are its own and not
 * the load generator's. A database of its own on the network's Postgres, a seed of its own.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, writeFileSync, type WriteStream } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { NetworkFile } from "../../src/regtest/network-file.js";
import { REPO_DIR } from "../../src/regtest/paths.js";
import type { ProbeRequest, ProbeSample } from "./probe.js";

const MAIN = join(REPO_DIR, "src", "cli", "main.ts");
const PROBE = join(REPO_DIR, "bench", "swaps", "probe.ts");
/** The build (`npm run build`): what `ark-ln-gateway` runs once built, without tsx in the process. */
const DIST_MAIN = join(REPO_DIR, "dist", "src", "cli", "main.js");
const DIST_PROBE = join(REPO_DIR, "dist", "bench", "swaps", "probe.js");

/**
 * The node arguments that run the gateway: from the TypeScript sources under tsx, or the
 * compiled build (`dist`: the sources must not be newer than the build, see src/cli/bin.mjs).
 * @throws Error when `dist` is asked for and not built
 */
function entryArgs(dist: boolean, probe: boolean): string[] {
  if (!dist) return ["--import", "tsx", ...(probe ? ["--import", PROBE] : []), MAIN];
  if (!existsSync(DIST_MAIN) || !existsSync(DIST_PROBE))
    throw new Error(`--dist: ${DIST_MAIN} is not built; run \`npm run build\` first`);
  return [...(probe ? ["--import", DIST_PROBE] : []), DIST_MAIN];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a !== null ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

export interface StartTiming {
  /** spawn → the API answers (the engine resumed every open swap before the API listens). */
  readonly readyMs: number;
  /** From the process's own start to its "swap engine started" log line (resume + reconcile). */
  readonly engineStartedMs: number | undefined;
}

export interface GatewayProcessOptions {
  /** Extra node flags for the gateway process, e.g. `--cpu-prof --cpu-prof-dir=DIR`. */
  readonly nodeArgs?: readonly string[];
  readonly logLevel?: "info" | "warn";
  /** Engine knobs as config keys (e.g. a reconcile interval); passed through the config file. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Run the compiled build (dist/) instead of the sources under tsx. */
  readonly dist?: boolean;
}

export class GatewayProcess {
  private child: ChildProcess | undefined;
  private exit: Promise<void> | undefined;
  private tail = "";
  private pending: ((msg: unknown) => void)[] = [];
  private marks = new Map<string, number>();
  private logFile: WriteStream | undefined;

  private constructor(
    readonly configFile: string,
    readonly url: string,
    readonly dataDir: string,
    private readonly opts: GatewayProcessOptions,
  ) {}

  /** Writes the config: a fresh database on the network's Postgres, a fresh seed, a free port. */
  static async create(net: NetworkFile, opts: GatewayProcessOptions = {}): Promise<GatewayProcess> {
    const dir = mkdtempSync(join(tmpdir(), "bench-gateway-"));
    const database = `bench_${Date.now().toString(36)}_${process.pid}`;
    const admin = new pg.Client({ connectionString: net.postgres.url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
    const port = await freePort();
    const dbUrl = new URL(net.postgres.url);
    dbUrl.pathname = `/${database}`;
    const ark = net.ark;
    if (ark === null) throw new Error("network.json has no Ark section (started with REGTEST_SKIP_ARK=1)");
    const configFile = join(dir, "gateway.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        network: "regtest",
        dataDir: dir,
        logLevel: opts.logLevel ?? "info",
        listen: { host: "127.0.0.1", port },
        arkd: { url: ark.arkdUrl },
        lnd: {
          socket: net.lnd.alice.grpcSocket,
          certPath: net.lnd.alice.tlsCertPath,
          macaroonPath: net.lnd.alice.adminMacaroonPath,
        },
        database: { url: dbUrl.toString() },
        seed: { file: join(dir, "gateway.seed") },
        ...opts.settings,
      }),
    );
    return new GatewayProcess(configFile, `http://127.0.0.1:${port}`, dir, opts);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process and waits until the API answers. @returns how long resuming took */
  async start(nodeArgs: readonly string[] = this.opts.nodeArgs ?? []): Promise<StartTiming> {
    this.marks.clear();
    const t0 = Date.now();
    const child = spawn(
      process.execPath,
      [...nodeArgs, ...entryArgs(this.opts.dist === true, true), "start", "--config", this.configFile],
      { cwd: REPO_DIR, env: process.env, stdio: ["ignore", "ignore", "pipe", "ipc"] },
    );
    this.child = child;
    // every log line of every start, for reading after the run (`<dataDir>/gateway.log`)
    this.logFile ??= createWriteStream(join(this.dataDir, "gateway.log"), { flags: "a" });
    const logFile = this.logFile;
    let buffered = "";
    child.stderr?.on("data", (d: Buffer) => {
      logFile.write(d);
      buffered += d.toString();
      let nl: number;
      while ((nl = buffered.indexOf("\n")) >= 0) {
        this.onLogLine(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
      }
    });
    child.on("message", (msg) => this.pending.shift()?.(msg));
    this.exit = new Promise((resolve) => child.on("exit", () => resolve()));
    const deadline = Date.now() + 300_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the gateway exited while starting:\n${this.tail}`);
      const ok = await fetch(`${this.url}/v2/swap/submarine`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`the gateway did not answer in time:\n${this.tail}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const readyMs = Date.now() - t0;
    const started = this.marks.get("swap engine started");
    return { readyMs, engineStartedMs: started === undefined ? undefined : started - t0 };
  }

  private onLogLine(line: string): void {
    this.tail = (this.tail + line + "\n").slice(-4000);
    if (!line.startsWith("{")) return;
    // only the few markers; a full parse of every line would load the generator for nothing
    if (line.includes('"swap engine started"')) this.mark("swap engine started", line);
  }

  private mark(name: string, line: string): void {
    if (this.marks.has(name)) return;
    try {
      const t = (JSON.parse(line) as { time?: number }).time;
      this.marks.set(name, typeof t === "number" ? t : Date.now());
    } catch {
      this.marks.set(name, Date.now());
    }
  }

  /** The gateway process's own figures (see probe.ts); `reset` starts a new lag window. */
  sample(reset = false): Promise<ProbeSample> {
    return this.request({ probe: "sample", reset }).then((m) => (m as { sample: ProbeSample }).sample);
  }

  /** Two full GCs in the gateway process, then its figures: what of its memory is live. */
  sampleAfterGc(): Promise<ProbeSample> {
    return this.request({ probe: "gc" }).then((m) => (m as { sample: ProbeSample }).sample);
  }

  /** Writes a heap snapshot in the gateway process. @returns its path */
  heapSnapshot(path: string): Promise<string> {
    return this.request({ probe: "heap-snapshot", path }).then((m) => (m as { path: string }).path);
  }

  private request(msg: ProbeRequest): Promise<unknown> {
    const child = this.child;
    if (child === undefined || !child.connected)
      return Promise.reject(new Error("the gateway is not running"));
    return new Promise((resolve) => {
      this.pending.push(resolve);
      child.send(msg);
    });
  }

  /** SIGTERM (graceful stop; a --cpu-prof profile is written then) or SIGKILL (a crash). */
  async stop(signal: "SIGTERM" | "SIGKILL" = "SIGTERM"): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await Promise.race([
      this.exit,
      new Promise((_r, reject) =>
        setTimeout(() => reject(new Error(`the gateway did not stop:\n${this.tail}`)), 60_000),
      ),
    ]);
    this.pending = [];
  }

  /** `ark-ln-gateway balance --json` (the operator's read-only command): address and spendable sats. */
  balance(): { address: string; sats: bigint } {
    const r = spawnSync(
      process.execPath,
      [...entryArgs(this.opts.dist === true, false), "balance", "--json", "--config", this.configFile],
      { cwd: REPO_DIR, encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`balance failed (${String(r.status)}): ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { ark: { address: string; spendableSats: number } };
    return { address: out.ark.address, sats: BigInt(out.ark.spendableSats) };
  }

  /** The last lines the process logged. */
  get logTail(): string {
    return this.tail;
  }
}
