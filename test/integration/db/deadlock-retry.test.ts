/**
 * Deadlocks on the real Postgres: a transaction of our own that Postgres aborts as the deadlock
 * victim is run again (inTransaction, retryingConflicts), and the race the real arkd showed — a
 * batch settling (inputs locked, then its output inserted) while the indexer's observation of
 * the same rows (the output inserted, then the inputs) is in flight — ends with both committed.
 *
 * Which side Postgres aborts is the side whose deadlock check runs first: the one that started
 * waiting first (each waits deadlock_timeout, 1 s by default, before checking). The tests make
 * our side wait first and only then close the cycle, so our side is the victim every time.
 */
import { sql, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyRing, createPgBatchStore, createPgWalletStore } from "../../../src/ark/wallet/index.js";
import { buildWalletScript } from "../../../src/ark/wallet/wallet-script.js";
import type { DB } from "../../../src/db/schema.js";
import { inTransaction, isRetryableConflict, retryingConflicts } from "../../../src/db/transaction.js";
import { FAKE_BATCH_ARKD_INFO } from "../../fakes/fake-batch-arkd.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase("deadlock");
  await sql`create table probe (id int primary key, n int not null)`.execute(t.db);
});
afterAll(async () => t.destroy());

/** Resolves once `count` backends of this database wait for a lock. */
async function lockWaiters(count: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(t.db);
    if ((rows[0]?.n ?? 0) >= count) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${count} backend(s) waiting for a lock after 5 s`);
}

/** A transaction the test drives step by step; `release()` lets it go on to commit. */
function heldTransaction(
  db: Kysely<DB>,
  first: (tx: Kysely<DB>) => Promise<void>,
  then: (tx: Kysely<DB>) => Promise<void>,
) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const done = db.transaction().execute(async (tx) => {
    await first(tx);
    started();
    await released;
    await then(tx);
  });
  return { ready, release, done };
}

describe("deadlock victims are run again", () => {
  it("classifies Postgres' deadlock and serialization failures only", () => {
    expect(isRetryableConflict(Object.assign(new Error("deadlock detected"), { code: "40P01" }))).toBe(true);
    expect(isRetryableConflict(Object.assign(new Error("could not serialize"), { code: "40001" }))).toBe(
      true,
    );
    expect(isRetryableConflict(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isRetryableConflict(new Error("socket hang up"))).toBe(false);
  });

  it("gives up after the attempts it is given and throws the last conflict as it is", async () => {
    let calls = 0;
    const conflict = Object.assign(new Error("deadlock detected"), { code: "40P01" });
    await expect(
      retryingConflicts(async () => {
        calls++;
        throw conflict;
      }, 3),
    ).rejects.toBe(conflict);
    expect(calls).toBe(3);
  });

  it("inTransaction: the victim of a real deadlock is rolled back, run again and committed", async () => {
    await sql`insert into probe values (1, 0), (2, 0)`.execute(t.db);
    // the other transaction holds row 2 first
    const other = heldTransaction(
      t.db,
      async (tx) => void (await sql`update probe set n = n + 10 where id = 2`.execute(tx)),
      async (tx) => void (await sql`update probe set n = n + 10 where id = 1`.execute(tx)),
    );
    await other.ready;
    let attempts = 0;
    const ours = inTransaction(t.db, async (tx) => {
      attempts++;
      await sql`update probe set n = n + 1 where id = 1`.execute(tx);
      await sql`update probe set n = n + 1 where id = 2`.execute(tx); // waits for the other
    });
    await lockWaiters(1); // ours waits first...
    other.release(); // ...then the other closes the cycle: ours is the victim
    await Promise.all([ours, other.done]);
    expect(attempts).toBe(2);
    const { rows } = await sql<{ id: number; n: number }>`select id, n from probe order by id`.execute(t.db);
    expect(rows).toEqual([
      { id: 1, n: 11 },
      { id: 2, n: 11 },
    ]);
  });

  it("a batch settling while the indexer's observation of its rows is in flight: both commit", async () => {
    const keys = createKeyRing(new Uint8Array(32).fill(7));
    const script = buildWalletScript(keys.walletKey.xOnly, FAKE_BATCH_ARKD_INFO).pkScriptHex;
    const input = `${"a1".repeat(32)}:0`;
    const output = { outpoint: `${"c3".repeat(32)}:0`, amountSats: 30_000n, script };
    const commitment = "dd".repeat(32);
    const observed = (outpoint: string, amountSats: bigint, spent: boolean) => ({
      outpoint,
      amountSats,
      script,
      spent,
      swept: false,
      spentBy: spent ? commitment : undefined,
      expiresAt: undefined,
    });
    await createPgWalletStore(t.db).observeVtxos([observed(input, 30_000n, false)]);
    const batches = createPgBatchStore(t.db);
    expect(await batches.reserveForBatch("batch:1", [input])).toBe(true);

    // the observation: the new output first (uncommitted), later the input it spent
    const observation = heldTransaction(
      t.db,
      async (tx) => createPgWalletStore(tx).observeVtxos([observed(output.outpoint, 30_000n, false)]),
      async (tx) => createPgWalletStore(tx).observeVtxos([observed(input, 30_000n, true)]),
    );
    await observation.ready;
    const settling = batches.settleBatch("batch:1", commitment, output); // locks the input, waits on the output
    await lockWaiters(1);
    observation.release(); // the observation now waits on the input: a cycle, the settlement is the victim
    await Promise.all([settling, observation.done]);

    const rows = await t.db
      .selectFrom("wallet_vtxos")
      .select(["outpoint", "state", "spent_by", "amount_sats"])
      .orderBy("outpoint")
      .execute();
    expect(rows).toEqual([
      { outpoint: input, state: "spent", spent_by: commitment, amount_sats: 30_000n },
      { outpoint: output.outpoint, state: "spendable", spent_by: null, amount_sats: 30_000n },
    ]);
    expect(await batches.openBatches()).toEqual([]);
  });
});
