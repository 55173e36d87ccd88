/**
 * A PostgreSQL server the gateway runs itself, from the machine's own binaries (Debian's
 * `postgresql` package: initdb, pg_ctl, postgres). Two uses:
 *
 * - embedded (`ark-ln-gateway start` without a database URL): a persistent cluster in
 *   `<dataDir>/postgres`, initialized once with a generated password (scram), started on a free
 *   loopback port and stopped on shutdown. A cluster already running there (another command of
 *   the same gateway) is reused and left running.
 * - throwaway (the integration tests): a temp dir, trust auth, fsync off, deleted on stop.
 *
 * Postgres refuses to run as root, so as root the server runs as the `postgres` OS user (or
 * `nobody`), which must own the cluster dir and be able to reach it.
 */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { errorFactory } from "../domain/errors.js";

export const EMBEDDED_POSTGRES_ERRORS = {
  /** initdb, pg_ctl or postgres is not installed. */
  "db.postgres_binaries_missing": { httpStatus: 500, retryable: false },
  /** initdb or pg_ctl failed; details.log holds the end of the server log. */
  "db.embedded_start_failed": { httpStatus: 500, retryable: false },
  /** Running as root: the postgres OS user cannot reach the cluster directory. */
  "db.embedded_dir_inaccessible": { httpStatus: 500, retryable: false },
} as const;

const embeddedError = errorFactory(EMBEDDED_POSTGRES_ERRORS);

/** Never hand out the regtest network's fixed Postgres port. */
const REGTEST_POSTGRES_PORT = 25432;
const BINARIES = ["initdb", "pg_ctl", "postgres"] as const;
const ROLE = "gateway";

export interface EmbeddedPostgres {
  /** `postgres://gateway[:password]@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  /** The cluster directory (holds `data/`, `postgres.log`). */
  readonly dir: string;
  /** False when the server was already running and is left running by stop(). */
  readonly owned: boolean;
  /** Stops the server if this process started it (throwaway: also deletes its files). Idempotent. */
  stop(): void;
}

/**
 * The folder holding initdb, pg_ctl and postgres.
 * @throws GatewayError `db.postgres_binaries_missing` naming the package to install
 */
export function findPostgresBinDir(): string {
  const versioned = existsSync("/usr/lib/postgresql")
    ? readdirSync("/usr/lib/postgresql")
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  const pathDirs = (process.env.PATH ?? "").split(":").filter((d) => d !== "");
  const candidates = ["/usr/local/bin", ...versioned, ...pathDirs];
  const found = candidates.find((dir) => BINARIES.every((b) => existsSync(join(dir, b))));
  if (found === undefined) {
    throw embeddedError(
      "db.postgres_binaries_missing",
      "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in /usr/local/bin, " +
        "/usr/lib/postgresql/*/bin or PATH: install them (apt-get install -y postgresql) or give a database URL",
    );
  }
  return found;
}

/** uid/gid to run Postgres as: ourselves, unless we are root (Postgres refuses root). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync("/etc/passwd", "utf8").split("\n");
  for (const name of ["postgres", "nobody"]) {
    const fields = passwd.find((line) => line.startsWith(`${name}:`))?.split(":");
    if (fields !== undefined && fields.length > 3) return { uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw embeddedError(
    "db.embedded_dir_inaccessible",
    "running as root, but there is neither a `postgres` nor a `nobody` user to run Postgres as",
  );
}

/** A free loopback TCP port (never the regtest network's). */
export async function freeLoopbackPort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolvePort, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolvePort(typeof address === "object" && address !== null ? address.port : 0));
      });
    });
    if (port !== 0 && port !== REGTEST_POSTGRES_PORT) return port;
  }
}

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8").slice(-2000) : "";
}

/** The server log's last FATAL/PANIC/ERROR line: why pg_ctl "could not start server". */
function lastServerError(log: string): string | undefined {
  const lines = log.split("\n").filter((l) => /\b(FATAL|PANIC|ERROR):/.test(l));
  return lines
    .at(-1)
    ?.replace(/^.*?\b(FATAL|PANIC|ERROR):\s*/, "$1: ")
    .trim();
}

function run(bin: string, args: string[], opts: SpawnSyncOptions, what: string, logFile: string): void {
  const logBefore = existsSync(logFile) ? statSync(logFile).size : 0;
  const result = spawnSync(bin, args, { ...opts, encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) {
    const output = `${String(result.stdout ?? "")}${String(result.stderr ?? "")}`.trim();
    const log = tail(logFile);
    // Only what this command wrote: the log of a persistent cluster keeps older runs' errors.
    const written = existsSync(logFile) ? readFileSync(logFile).subarray(logBefore).toString("utf8") : "";
    const serverSaid = lastServerError(written);
    throw embeddedError(
      "db.embedded_start_failed",
      `${what} failed (exit ${String(result.status)}${result.error ? `, ${result.error.message}` : ""})` +
        (output === "" ? "" : `: ${output.split("\n").slice(-3).join(" | ")}`) +
        (serverSaid === undefined || output.includes(serverSaid) ? "" : `; server log: ${serverSaid}`),
      { log },
      result.error,
    );
  }
}

interface Cluster {
  readonly binDir: string;
  readonly dir: string;
  readonly dataDir: string;
  readonly logFile: string;
  readonly opts: SpawnSyncOptions;
}

function prepareCluster(dir: string): Cluster {
  const binDir = findPostgresBinDir();
  const user = serverUser();
  // Parents get the usual mode (the server user must traverse them); the cluster dir is private.
  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user !== undefined) {
    chownSync(dir, user.uid, user.gid);
    const probe = spawnSync("/bin/sh", ["-c", 'test -x "$0" && test -w "$0"', dir], user);
    if (probe.status !== 0) {
      throw embeddedError(
        "db.embedded_dir_inaccessible",
        `running as root, Postgres runs as uid ${user.uid}, which cannot reach ${dir} (a parent directory ` +
          "is private): choose a data dir it can traverse (--data-dir) or give a database URL (--database-url)",
        { dir },
      );
    }
  }
  return {
    binDir,
    dir,
    dataDir: join(dir, "data"),
    logFile: join(dir, "postgres.log"),
    opts: {
      ...(user ?? {}),
      cwd: dir,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, LC_ALL: "C" },
    },
  };
}

/** The port of a cluster pg_ctl reports running (postmaster.pid line 4), else undefined. */
function runningPort(c: Cluster): number | undefined {
  const status = spawnSync(join(c.binDir, "pg_ctl"), ["-D", c.dataDir, "status"], {
    ...c.opts,
    encoding: "utf8",
  });
  if (status.status !== 0) return undefined;
  const port = Number(readFileSync(join(c.dataDir, "postmaster.pid"), "utf8").split("\n")[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

function startCluster(c: Cluster, port: number, extra: string): void {
  // Unix sockets off: a data dir path may exceed the 107-byte socket path limit; TCP is enough.
  const serverOpts = `-h 127.0.0.1 -p ${port} -k '' ${extra}`.trim();
  run(
    join(c.binDir, "pg_ctl"),
    ["-D", c.dataDir, "-l", c.logFile, "-w", "-t", "60", "-o", serverOpts, "start"],
    c.opts,
    "pg_ctl start",
    c.logFile,
  );
}

function stopCluster(c: Cluster, mode: "fast" | "immediate"): void {
  run(
    join(c.binDir, "pg_ctl"),
    ["-D", c.dataDir, "-m", mode, "-w", "stop"],
    c.opts,
    "pg_ctl stop",
    c.logFile,
  );
}

/**
 * Starts (initializing once) the gateway's persistent cluster in `dir`, or reuses it when it
 * is already running.
 * @param dir cluster directory, e.g. `<dataDir>/postgres`
 * @throws GatewayError `db.postgres_binaries_missing`, `db.embedded_dir_inaccessible`,
 *   `db.embedded_start_failed`
 */
export async function startEmbeddedPostgres(dir: string): Promise<EmbeddedPostgres> {
  const c = prepareCluster(resolve(dir));
  const passwordFile = join(c.dir, "gateway.password");
  if (!existsSync(join(c.dataDir, "PG_VERSION"))) {
    writeFileSync(passwordFile, `${randomBytes(24).toString("hex")}\n`, { mode: 0o600 });
    const uid = typeof c.opts.uid === "number" ? c.opts.uid : undefined;
    if (uid !== undefined && typeof c.opts.gid === "number") chownSync(passwordFile, uid, c.opts.gid);
    const initArgs = ["-D", c.dataDir, "-U", ROLE, "--auth=scram-sha-256", `--pwfile=${passwordFile}`];
    run(join(c.binDir, "initdb"), [...initArgs, "-E", "UTF8", "--locale=C"], c.opts, "initdb", c.logFile);
  }
  const password = readFileSync(passwordFile, "utf8").trim();
  const urlOf = (port: number) => `postgres://${ROLE}:${password}@127.0.0.1:${port}/postgres`;
  const existing = runningPort(c);
  if (existing !== undefined)
    return { url: urlOf(existing), port: existing, dir: c.dir, owned: false, stop: () => {} };
  const port = await freeLoopbackPort();
  startCluster(c, port, "");
  let stopped = false;
  return {
    url: urlOf(port),
    port,
    dir: c.dir,
    owned: true,
    stop() {
      if (stopped) return;
      stopped = true;
      stopCluster(c, "fast");
    },
  };
}

/**
 * A throwaway server for tests: temp dir, trust auth for `gateway`, fsync off; stop() deletes it.
 * @throws GatewayError as {@link startEmbeddedPostgres}
 */
export async function startThrowawayPostgres(): Promise<EmbeddedPostgres> {
  const dir = mkdtempSync(join(tmpdir(), "gateway-pg-"));
  let cluster: Cluster | undefined;
  try {
    const c = prepareCluster(dir);
    cluster = c;
    const initArgs = ["-D", c.dataDir, "-U", ROLE, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"];
    run(join(c.binDir, "initdb"), initArgs, c.opts, "initdb", c.logFile);
    const port = await freeLoopbackPort();
    startCluster(c, port, "-F -c full_page_writes=off -c synchronous_commit=off -c max_connections=200");
    let stopped = false;
    return {
      url: `postgres://${ROLE}@127.0.0.1:${port}/postgres`,
      port,
      dir,
      owned: true,
      stop() {
        if (stopped) return;
        stopped = true;
        try {
          stopCluster(c, "fast");
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    if (cluster !== undefined)
      spawnSync(
        join(cluster.binDir, "pg_ctl"),
        ["-D", cluster.dataDir, "-m", "immediate", "stop"],
        cluster.opts,
      );
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
