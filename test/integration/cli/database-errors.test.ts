/**
 * The CLI on a database shared with another gateway's schema, and the one line it prints when
 * the database fails: what failed, what Postgres said (message + SQLSTATE) and the code.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../../migrations/index.js";
import { REPO_ROOT } from "../../../src/cli/docs/repo-root.js";
import { runCli } from "../../../src/cli/main.js";
import { createDatabase, type Database } from "../../../src/db/client.js";
import { ensureDatabase } from "../../../src/db/migrator.js";
import { memoryIo } from "../../unit/cli/helpers.js";
import { createFreshDatabase, type FreshDatabase } from "./fresh-database.js";

const TOTAL = Object.keys(MIGRATIONS).length;
const dir = mkdtempSync(join(tmpdir(), "gateway-cli-db-"));
let shared: FreshDatabase;
let broken: FreshDatabase;
let sandbox: Database;
let brokenDb: Database;

beforeAll(async () => {
  // `shared`: the sandbox's schema holds the gateway's tables, the default schema nothing yet.
  shared = await createFreshDatabase("shared");
  sandbox = await ensureDatabase({ connectionString: shared.url, schema: "sandbox_gateway" });
  // `broken`: a foreign `swaps` table in the default schema makes the first migration fail.
  broken = await createFreshDatabase("broken");
  brokenDb = createDatabase({ connectionString: broken.url });
  await sql`create table swaps (id integer)`.execute(brokenDb.db);
  writeFileSync(join(dir, "admin.macaroon"), Buffer.from("0201036c6e64", "hex"));
  // a real (self-signed) certificate: the gateway refuses one that is no X.509 before connecting
  writeFileSync(
    join(dir, "tls.cert"),
    readFileSync(new URL("../../fixtures/lnd/test-tls.cert", import.meta.url)),
  );
});

afterAll(async () => {
  await sandbox.close();
  await brokenDb.close();
  await shared.drop();
  await broken.drop();
});

function start(url: string) {
  const result = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      join(REPO_ROOT, "src/cli/main.ts"),
      "start",
      ...["--network", "regtest", "--data-dir", dir, "--database-url", url],
      ...["--lnd-cert", join(dir, "tls.cert"), "--lnd-macaroon", join(dir, "admin.macaroon")],
      ...["--lnd-socket", "127.0.0.1:1", "--arkd-url", "http://127.0.0.1:1", "--listen", "127.0.0.1:0"],
    ],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? "", HOME: dir, GATEWAY_LOG_LEVEL: "silent" },
    },
  );
  return { code: result.status, lines: result.stderr.trim().split("\n") };
}

describe("a database another gateway's schema lives in", () => {
  it("migrate sets up the default schema next to sandbox_gateway, swaps list reads it", async () => {
    const io = memoryIo();
    expect(await runCli(["migrate", "--database-url", shared.url], io)).toBe(0);
    expect(io.stdout[0]).toBe(`applied ${TOTAL} migration${TOTAL === 1 ? "" : "s"}:`);
    expect(io.stderr).toEqual([]);
    const list = memoryIo();
    expect(await runCli(["swaps", "list", "--json", "--database-url", shared.url], list)).toBe(0);
    expect(JSON.parse(list.stdout.join(""))).toMatchObject({ swaps: [] });
  });

  it("start gets past the database (and stops at the unreachable LND)", () => {
    const r = start(shared.url);
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(
      /^error: cannot use LND: nothing answers at 127\.0\.0\.1:1 \(ln\.unavailable\)/,
    );
  });
});

describe("a failing database: one line with Postgres's words", () => {
  const postgresSaid = 'relation "swaps" already exists [SQLSTATE 42P07]';

  it("migrate", async () => {
    const io = memoryIo();
    expect(await runCli(["migrate", "--database-url", broken.url], io)).toBe(1);
    expect(io.stderr).toEqual([
      `error: migrating to latest failed at 20251120000100_swaps: ${postgresSaid} (db.migration_failed)`,
    ]);
  });

  it("start", () => {
    const r = start(broken.url);
    expect(r.code).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toContain(
      `error: cannot open the database at ${broken.url}: migrating to latest failed at 20251120000100_swaps: ${postgresSaid} (db.migration_failed); check --database-url`,
    );
  });

  it("swaps list on a database that does not exist", async () => {
    const url = new URL(broken.url);
    url.pathname = "/no_such_database";
    const io = memoryIo();
    expect(await runCli(["swaps", "list", "--database-url", url.toString()], io)).toBe(1);
    expect(io.stderr).toEqual([
      'error: cannot reach the database: database "no_such_database" does not exist [SQLSTATE 3D000] (db.unavailable)',
    ]);
  });
});
