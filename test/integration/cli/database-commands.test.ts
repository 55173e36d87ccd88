import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/main.js";
import { createDatabase, type Database } from "../../../src/db/client.js";
import { insertSwap, transition } from "../../../src/db/swap-repository.js";
import { MIGRATIONS } from "../../../migrations/index.js";
import { memoryIo } from "../../unit/cli/helpers.js";
import { sampleReverse, sampleSubmarine } from "../../fixtures/sample-swaps.js";
import { createFreshDatabase, type FreshDatabase } from "./fresh-database.js";

let fresh: FreshDatabase;
let database: Database;

beforeAll(async () => {
  fresh = await createFreshDatabase("db");
  database = createDatabase({ connectionString: fresh.url });
});

afterAll(async () => {
  await database.close();
  await fresh.drop();
});

describe("migrate, swaps list, swaps show on a real Postgres", () => {
  it("swaps list refuses a database without the gateway's tables", async () => {
    const io = memoryIo();
    expect(await runCli(["swaps", "list", "--database-url", fresh.url], io)).toBe(1);
    expect(io.stderr.join("\n")).toContain("run `ark-ln-gateway migrate` first");
  });

  it("migrate applies every migration once, then reports the database up to date", async () => {
    const io = memoryIo();
    expect(await runCli(["migrate", "--database-url", fresh.url], io)).toBe(0);
    const total = Object.keys(MIGRATIONS).length;
    expect(io.stdout[0]).toBe(`applied ${total} migration${total === 1 ? "" : "s"}:`);
    expect(io.stdout.at(-1)).toBe(`database is up to date (${total} migrations)`);
    const again = memoryIo({ GATEWAY_DATABASE_URL: fresh.url });
    expect(await runCli(["migrate", "--json"], again)).toBe(0);
    expect(JSON.parse(again.stdout.join(""))).toEqual({ applied: [], total });
  });

  it("swaps list and show read real rows", async () => {
    const sub = await insertSwap(database.db, sampleSubmarine({ invoiceAmountSats: 1_234_567n }), {
      source: "test",
    });
    await transition(database.db, {
      id: sub.id,
      type: "submarine",
      from: "awaiting_funding",
      to: "funding_detected",
      event: "vtxo_seen",
      data: { outpoint: "ab:0" },
    });
    const rev = await insertSwap(database.db, sampleReverse(), {});

    const table = memoryIo();
    expect(await runCli(["swaps", "list", "--database-url", fresh.url], table)).toBe(0);
    const text = table.stdout.join("\n");
    expect(text).toMatch(new RegExp(`${sub.id}\\s+submarine\\s+funding_detected\\s+1,234,567 sat`));
    expect(text).toMatch(new RegExp(`${rev.id}\\s+reverse\\s+invoice_created\\s+20,000 sat`));
    expect(text).toContain("2 swaps");

    const json = memoryIo();
    expect(
      await runCli(["swaps", "list", "--type", "reverse", "--json", "--database-url", fresh.url], json),
    ).toBe(0);
    const listed = JSON.parse(json.stdout.join("")) as { swaps: { id: string; onchainAmountSats: number }[] };
    expect(listed.swaps.map((s) => s.id)).toEqual([rev.id]);
    expect(listed.swaps[0]?.onchainAmountSats).toBe(19_950);

    const show = memoryIo();
    expect(await runCli(["swaps", "show", sub.id, "--database-url", fresh.url], show)).toBe(0);
    const detail = show.stdout.join("\n");
    expect(detail).toContain(`Swap ${sub.id} (submarine)`);
    expect(detail).toMatch(/created\s+-\s+awaiting_funding\s+\{"source":"test"\}/);
    expect(detail).toMatch(/vtxo_seen\s+awaiting_funding\s+funding_detected\s+\{"outpoint":"ab:0"\}/);

    const showJson = memoryIo();
    expect(await runCli(["swaps", "show", sub.id, "--json", "--database-url", fresh.url], showJson)).toBe(0);
    const shown = JSON.parse(showJson.stdout.join("")) as {
      swap: { status: string };
      events: { event: string }[];
    };
    expect(shown.swap.status).toBe("funding_detected");
    expect(shown.events.map((e) => e.event)).toEqual(["created", "vtxo_seen"]);

    const open = memoryIo();
    expect(await runCli(["swaps", "list", "--open", "--json", "--database-url", fresh.url], open)).toBe(0);
    expect((JSON.parse(open.stdout.join("")) as { swaps: unknown[] }).swaps).toHaveLength(2);
  });

  it("swaps show of an unknown id exits 1", async () => {
    const io = memoryIo();
    expect(await runCli(["swaps", "show", "nope", "--database-url", fresh.url], io)).toBe(1);
    expect(io.stderr).toEqual(['error: no swap with id "nope"']);
  });

  it("an unreachable database is a one-line failure", async () => {
    const io = memoryIo();
    expect(await runCli(["swaps", "list", "--database-url", "postgres://gateway@127.0.0.1:1/x"], io)).toBe(1);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^error: cannot reach the database: .*\(db\.unavailable\)$/);
  });
});
