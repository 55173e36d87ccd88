/**
 * Process management for the native regtest network: start a daemon detached with its output in
 * a log file and its pid in a pid file, wait until it answers, stop exactly what we started.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly pidFile: string;
}

export interface StartOptions {
  /** Component name; also names `<runDir>/<name>.log` and `<runDir>/<name>.pid`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Folder for the log and pid files. */
  readonly runDir: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/** Starts a detached daemon; its stdout+stderr go to `<runDir>/<name>.log`. */
export function startProcess(opts: StartOptions): ManagedProcess {
  mkdirSync(opts.runDir, { recursive: true });
  const logFile = join(opts.runDir, `${opts.name}.log`);
  const pidFile = join(opts.runDir, `${opts.name}.pid`);
  const fd = openSync(logFile, "a");
  const child = spawn(opts.command, [...opts.args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${opts.name} (${opts.command})`);
  child.unref();
  writeFileSync(pidFile, `${child.pid}\n`);
  return { name: opts.name, pid: child.pid, logFile, pidFile };
}

/** The pid recorded for `name` in `runDir`, if that process is still alive. */
export function runningPid(runDir: string, name: string): number | undefined {
  const pidFile = join(runDir, `${name}.pid`);
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").trim(), 10);
  return Number.isInteger(pid) && isAlive(pid) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the process recorded for `name` (SIGTERM, then SIGKILL after `graceMs`) and removes its
 * pid file. Only ever signals a pid that we recorded ourselves.
 */
export async function stopProcess(runDir: string, name: string, graceMs = 15_000): Promise<boolean> {
  const pidFile = join(runDir, `${name}.pid`);
  const pid = runningPid(runDir, name);
  if (pid === undefined) {
    rmSync(pidFile, { force: true });
    return false;
  }
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
  while (isAlive(pid)) await sleep(50);
  rmSync(pidFile, { force: true });
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once a TCP connection to host:port succeeds; throws after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number, host = "127.0.0.1"): Promise<void> {
  await waitFor(`port ${host}:${port}`, timeoutMs, () => canConnect(host, port));
}

/**
 * Polls `check` every `intervalMs` until it returns a truthy value (returned) or `timeoutMs`
 * passes (throws with `what` and the last error seen).
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined | false | null>,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false && value !== null) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await sleep(intervalMs);
  }
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
