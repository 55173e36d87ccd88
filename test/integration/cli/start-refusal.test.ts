/**
 * `start` as a real process (through tsx): refusing an unreachable LND or arkd with one line and
 * exit code 1, before serving anything.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../src/cli/docs/repo-root.js";
import { createFreshDatabase, type FreshDatabase } from "./fresh-database.js";

let fresh: FreshDatabase;
const dir = mkdtempSync(join(tmpdir(), "gateway-cli-"));

beforeAll(async () => {
  fresh = await createFreshDatabase("start");
  writeFileSync(join(dir, "admin.macaroon"), Buffer.from("0201036c6e64", "hex"));
  // a real (self-signed) certificate: the gateway refuses one that is no X.509 before connecting
  writeFileSync(
    join(dir, "tls.cert"),
    readFileSync(new URL("../../fixtures/lnd/test-tls.cert", import.meta.url)),
  );
});

afterAll(() => fresh.drop());

function start(args: string[]) {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "src/cli/main.ts"), "start", ...args],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? "", HOME: dir, GATEWAY_LOG_LEVEL: "silent" },
    },
  );
  return { code: result.status, stderr: result.stderr, stdout: result.stdout };
}

const common = () => [
  "--network",
  "regtest",
  "--data-dir",
  dir,
  "--database-url",
  fresh.url,
  "--lnd-cert",
  join(dir, "tls.cert"),
  "--lnd-macaroon",
  join(dir, "admin.macaroon"),
  "--listen",
  "127.0.0.1:0",
];

describe("start refuses unreachable peers", () => {
  it("LND: one line naming the socket and what to check, exit 1", () => {
    const r = start([...common(), "--lnd-socket", "127.0.0.1:1", "--arkd-url", "http://127.0.0.1:1"]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      "error: cannot use LND: nothing answers at 127.0.0.1:1 (ln.unavailable): check --lnd-socket, --lnd-cert and --lnd-macaroon (GATEWAY_LND_*) and that LND is running and unlocked",
    );
    expect(r.stdout).toBe("");
  });

  it("bad usage exits 2 before touching anything", () => {
    const r = start(["--listen", "x:y:z"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--listen must be host:port or port");
  });
});
