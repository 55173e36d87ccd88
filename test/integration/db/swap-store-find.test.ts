/**
 * The Postgres swap store's `find`: a swap whose type the store has seen is read in one joined
 * statement, any other in two; both give the same swap, and a swap without its per-type row is
 * still reported as corrupt.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { isGatewayError } from "../../../src/domain/errors.js";
import { createSwapStore } from "../../../src/db/swap-store.js";
import { findSwap } from "../../../src/db/swap-repository.js";
import { sampleReverse, sampleSubmarine } from "../../fixtures/sample-swaps.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("swap_store_find");
});
afterAll(async () => {
  await t.destroy();
});

/** Statements sent by `work` (pg's query calls through the pool's clients). */
async function statements(work: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const proto = (await import("pg")).default.Client.prototype as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    n += 1;
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    proto.query = original;
  }
  return n;
}

describe("Postgres swap store find", () => {
  it("reads a swap of a known type in one statement, an unknown one in two, the same swap both ways", async () => {
    const store = createSwapStore(t.db);
    for (const input of [sampleSubmarine(), sampleReverse()]) {
      const inserted = await store.insert(input);
      let found: unknown;
      expect(await statements(async () => (found = await store.find(input.id)))).toBe(1);
      expect(found).toEqual(inserted);
      expect(found).toEqual(await findSwap(t.db, input.id));
      // a store that has not seen the swap (another process, a restart)
      const fresh = createSwapStore(t.db);
      let first: unknown;
      expect(await statements(async () => (first = await fresh.find(input.id)))).toBe(2);
      expect(first).toEqual(inserted);
      expect(await statements(async () => (first = await fresh.find(input.id)))).toBe(1);
      expect(first).toEqual(inserted);
    }
    expect(await store.find("swap_missing")).toBeUndefined();
  });

  it("still reports a known swap that lost its per-type row as corrupt", async () => {
    const store = createSwapStore(t.db);
    const input = sampleReverse();
    await store.insert(input);
    await sql`delete from reverse_swaps where swap_id = ${input.id}`.execute(t.db);
    await expect(store.find(input.id)).rejects.toSatisfy((e) => isGatewayError(e, "db.corrupt_row"));
  });
});
