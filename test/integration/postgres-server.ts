/**
 * A throwaway PostgreSQL server for the integration tests, from the distribution's binaries:
 * initdb into a temp dir, start on a free loopback port (never the regtest network's 25432),
 * trust auth for a `gateway` superuser, fsync off. Postgres refuses to run as root, so as root
 * the server runs as the `postgres` OS user (or `nobody`), owning the temp dir.
 */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REGTEST_POSTGRES_PORT = 25432;
const BINARIES = ["initdb", "pg_ctl", "postgres"] as const;

export interface PostgresServer {
  /** `postgres://gateway@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  stop(): void;
}

/** The folder holding initdb, pg_ctl and postgres. @throws Error naming the package to install */
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
    throw new Error(
      "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in /usr/local/bin, " +
        "/usr/lib/postgresql/*/bin or PATH. Install them: apt-get install -y postgresql",
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
  throw new Error(
    "running as root, but there is neither a `postgres` nor a `nobody` user to run Postgres as",
  );
}

async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
      });
    });
    if (port !== 0 && port !== REGTEST_POSTGRES_PORT) return port;
  }
}

function run(bin: string, args: string[], opts: SpawnSyncOptions, what: string, logFile?: string): void {
  const result = spawnSync(bin, args, { ...opts, encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) {
    const log =
      logFile !== undefined && existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-2000) : "";
    throw new Error(
      `${what} failed (exit ${result.status}, ${result.error?.message ?? "no spawn error"}):\n` +
        `${String(result.stdout)}\n${String(result.stderr)}\n${log}`,
    );
  }
}

/** Initializes and starts a server; call `stop()` to end it and delete its files. */
export async function startPostgres(): Promise<PostgresServer> {
  const binDir = findPostgresBinDir();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), "gateway-pg-"));
  if (user !== undefined) chownSync(dir, user.uid, user.gid);
  const dataDir = join(dir, "data");
  const logFile = join(dir, "postgres.log");
  const opts: SpawnSyncOptions = {
    ...(user ?? {}),
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, LC_ALL: "C" },
  };
  const pgCtl = join(binDir, "pg_ctl");
  try {
    const initArgs = [
      "-D",
      dataDir,
      "-U",
      "gateway",
      "--auth=trust",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ];
    run(join(binDir, "initdb"), initArgs, opts, "initdb");
    const port = await freePort();
    const serverOpts = `-h 127.0.0.1 -p ${port} -k ${dir} -F -c full_page_writes=off -c synchronous_commit=off -c max_connections=200`;
    run(
      pgCtl,
      ["-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", serverOpts, "start"],
      opts,
      "pg_ctl start",
      logFile,
    );
    let stopped = false;
    return {
      url: `postgres://gateway@127.0.0.1:${port}/postgres`,
      port,
      dir,
      stop() {
        if (stopped) return;
        stopped = true;
        try {
          run(pgCtl, ["-D", dataDir, "-m", "fast", "-w", "stop"], opts, "pg_ctl stop", logFile);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    spawnSync(pgCtl, ["-D", dataDir, "-m", "immediate", "stop"], opts);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
