/**
 * A private Postgres cluster for the network: initdb into `<dataDir>/postgres`, run the server
 * on 127.0.0.1 only (no unix socket), create database `gateway`. Postgres refuses to run as root,
 * so as root the server runs as the `postgres` system user (setpriv execs: the pid we record is
 * the postmaster's own).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { findPostgresBinDir } from "../db/embedded-postgres.js";
import type { ComponentHealth } from "./ark-stack-contract.js";
import { isAlive, runningPid, sleep, startProcess, stopProcess, waitFor } from "./process.js";
import { assertPortsFree } from "./ports.js";
import { PORTS } from "./settings.js";

export const POSTGRES_PROCESS = "postgres";
export const GATEWAY_DATABASE = "gateway";
const SUPERUSER = "postgres";

export function postgresDataDir(dataDir: string): string {
  return join(dataDir, "postgres");
}

/** postgres://postgres@127.0.0.1:<port>/<database> (trust auth on loopback). */
export function postgresUrl(database = GATEWAY_DATABASE): string {
  return `postgres://${SUPERUSER}@127.0.0.1:${PORTS.postgres}/${database}`;
}

/**
 * A Postgres server binary, from the one place that knows where they live
 * (src/db/embedded-postgres.ts: /usr/local/bin, Debian's /usr/lib/postgresql/<v>/bin, PATH).
 * @throws GatewayError `db.postgres_binaries_missing` saying how to install them
 */
export function pgBinary(name: "postgres" | "initdb"): string {
  return join(findPostgresBinDir(), name);
}

/** As root, run a Postgres command as the `postgres` user; otherwise as ourselves. */
function asPostgresUser(command: string, args: string[]): { command: string; args: string[] } {
  if (process.getuid?.() !== 0) return { command, args };
  return {
    command: "setpriv",
    args: ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", command, ...args],
  };
}

export async function startPostgres(
  dataDir: string,
  runDir: string,
  log: (l: string) => void,
): Promise<string> {
  const pgData = postgresDataDir(dataDir);
  if (runningPid(runDir, POSTGRES_PROCESS) === undefined) {
    await assertPortsFree(POSTGRES_PROCESS, [PORTS.postgres]);
    if (!existsSync(join(pgData, "PG_VERSION"))) {
      mkdirSync(pgData, { recursive: true });
      if (process.getuid?.() === 0) execFileSync("chown", ["-R", "postgres:postgres", pgData]);
      const init = asPostgresUser(pgBinary("initdb"), [
        "-D",
        pgData,
        "-U",
        SUPERUSER,
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-sync",
      ]);
      execFileSync(init.command, init.args, { stdio: "pipe" });
      log(`postgres: initialised ${pgData}`);
    }
    const server = asPostgresUser(pgBinary("postgres"), [
      "-D",
      pgData,
      "-p",
      String(PORTS.postgres),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "fsync=off",
      "-c",
      "max_connections=200",
    ]);
    const p = startProcess({ name: POSTGRES_PROCESS, runDir, command: server.command, args: server.args });
    log(`postgres: started (pid ${p.pid}, log ${p.logFile})`);
  } else {
    log("postgres: already running");
  }
  await waitFor(
    "postgres accepting connections",
    60_000,
    () => query("postgres", "SELECT 1").then(() => true),
    300,
  );
  const rows = await query("postgres", "SELECT 1 FROM pg_database WHERE datname = $1", [GATEWAY_DATABASE]);
  if (rows.length === 0) await query("postgres", `CREATE DATABASE ${GATEWAY_DATABASE}`);
  log(`postgres: ready (${postgresUrl()})`);
  return postgresUrl();
}

async function query(database: string, sql: string, params: unknown[] = []): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: postgresUrl(database), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Fast shutdown (SIGINT: disconnect clients, then stop), SIGKILL only as a last resort. */
export async function stopPostgres(runDir: string): Promise<boolean> {
  const pid = runningPid(runDir, POSTGRES_PROCESS);
  if (pid === undefined) return stopProcess(runDir, POSTGRES_PROCESS);
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  await stopProcess(runDir, POSTGRES_PROCESS);
  return true;
}

export async function postgresStatus(runDir: string): Promise<ComponentHealth> {
  const pid = runningPid(runDir, POSTGRES_PROCESS);
  if (pid === undefined) return { name: POSTGRES_PROCESS, healthy: false, detail: "not running" };
  try {
    await query(GATEWAY_DATABASE, "SELECT 1");
    return { name: POSTGRES_PROCESS, healthy: true, detail: postgresUrl(), pid };
  } catch (err) {
    return { name: POSTGRES_PROCESS, healthy: false, detail: (err as Error).message, pid };
  }
}
