import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isGatewayError } from "../../../src/domain/errors.js";
import type { ReverseSwap, SubmarineSwap } from "../../../src/domain/swap-records.js";
import {
  findSwap,
  findSwapByPaymentHash,
  insertSwap,
  listOpenSwaps,
  listSwapEvents,
  listSwapsByStatus,
  transition,
} from "../../../src/db/swap-repository.js";
import { sampleReverse, sampleSubmarine } from "../../fixtures/sample-swaps.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

describe("swap repository", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("swaps");
  });
  afterAll(async () => t.destroy());

  it("inserts a submarine swap in its initial status with a creation event, and reads it back", async () => {
    const input = sampleSubmarine();
    const swap = (await insertSwap(t.db, input, { source: "test" })) as SubmarineSwap;
    expect(swap).toMatchObject({ ...input, status: "awaiting_funding", version: 0, fundingOutpoints: [] });
    expect(swap.receivedAmountSats).toBeNull();
    expect(await findSwap(t.db, input.id)).toEqual(swap);
    expect(await findSwapByPaymentHash(t.db, input.paymentHash)).toEqual(swap);
    const events = await listSwapEvents(t.db, input.id);
    expect(events).toMatchObject([
      { fromStatus: null, toStatus: "awaiting_funding", event: "created", data: { source: "test" } },
    ]);
  });

  it("inserts a reverse swap and maps every column back", async () => {
    const input = sampleReverse();
    const swap = (await insertSwap(t.db, input)) as ReverseSwap;
    expect(swap).toMatchObject({
      ...input,
      status: "invoice_created",
      htlcExpiryHeight: null,
      fundingTxid: null,
    });
  });

  it("refuses a second swap with the same payment hash (db.duplicate) and writes nothing", async () => {
    const first = await insertSwap(t.db, sampleSubmarine());
    const again = sampleReverse({ paymentHash: first.paymentHash });
    await expect(insertSwap(t.db, again)).rejects.toSatisfy((e) => isGatewayError(e, "db.duplicate"));
    expect(await findSwap(t.db, again.id)).toBeUndefined();
    expect(await listSwapEvents(t.db, again.id)).toEqual([]);
  });

  it("applies a CAS transition once: status, version, patch and event; a stale repeat changes nothing", async () => {
    const { id } = await insertSwap(t.db, sampleSubmarine());
    const move = {
      id,
      type: "submarine",
      from: "awaiting_funding",
      to: "funding_detected",
      event: "vtxo_seen",
      data: { outpoint: `${"ab".repeat(32)}:0`, amountSats: 10_100n },
      patch: { receivedAmountSats: 10_100n, fundingOutpoints: [`${"ab".repeat(32)}:0`] },
    } as const;
    const written = await transition(t.db, move);
    const after = (await findSwap(t.db, id)) as SubmarineSwap;
    expect(after).toMatchObject({ status: "funding_detected", version: 1, receivedAmountSats: 10_100n });
    expect(after.fundingOutpoints).toEqual(move.patch.fundingOutpoints);
    // the transition answers with the swap as a read finds it afterwards
    expect(written).toEqual(after);

    expect(await transition(t.db, { ...move, patch: { receivedAmountSats: 1n } })).toBeUndefined();
    expect(await findSwap(t.db, id)).toEqual(after);
    const events = await listSwapEvents(t.db, id);
    expect(events.map((e) => [e.fromStatus, e.toStatus, e.event])).toEqual([
      [null, "awaiting_funding", "created"],
      ["awaiting_funding", "funding_detected", "vtxo_seen"],
    ]);
    expect(events[1]?.data).toEqual({ outpoint: move.data.outpoint, amountSats: "10100" });
  });

  it("honours expectedVersion: a matching status with a stale version changes nothing", async () => {
    const { id } = await insertSwap(t.db, sampleReverse());
    const base = { id, type: "reverse", event: "htlc_accepted" } as const;
    expect(
      await transition(t.db, { ...base, from: "invoice_created", to: "invoice_held", expectedVersion: 5 }),
    ).toBeUndefined();
    expect(
      await transition(t.db, { ...base, from: "invoice_created", to: "invoice_held", expectedVersion: 0 }),
    ).toMatchObject({ status: "invoice_held", version: 1 });
    expect((await findSwap(t.db, id))?.version).toBe(1);
  });

  it("answers with the swap as written: shared and per-type patch columns, or none", async () => {
    const { id } = await insertSwap(t.db, sampleReverse());
    const bare = await transition(t.db, {
      id,
      type: "reverse",
      from: "invoice_created",
      to: "invoice_held",
      event: "htlc_accepted",
    });
    expect(bare).toEqual(await findSwap(t.db, id));
    expect(bare).toMatchObject({ status: "invoice_held", version: 1, htlcExpiryHeight: null });
    const patched = await transition(t.db, {
      id,
      type: "reverse",
      from: "invoice_held",
      to: "funding",
      event: "funding_started",
      patch: { htlcExpiryHeight: 812n, failureReason: "not really", expiresAt: new Date(1_700_000_000_000) },
      data: { note: 1 },
    });
    expect(patched).toEqual(await findSwap(t.db, id));
    expect(patched).toMatchObject({
      status: "funding",
      version: 2,
      htlcExpiryHeight: 812n,
      failureReason: "not really",
      expiresAt: new Date(1_700_000_000_000),
    });
    const events = await listSwapEvents(t.db, id);
    expect(events.map((e) => [e.fromStatus, e.toStatus, e.event, e.data])).toEqual([
      [null, "invoice_created", "created", {}],
      ["invoice_created", "invoice_held", "htlc_accepted", {}],
      ["invoice_held", "funding", "funding_started", { note: 1 }],
    ]);
  });

  it("does not move a swap of the other type, nor an unknown id", async () => {
    const { id } = await insertSwap(t.db, sampleReverse());
    expect(
      await transition(t.db, {
        id: "nope",
        type: "reverse",
        from: "invoice_created",
        to: "invoice_held",
        event: "x",
      }),
    ).toBeUndefined();
    await expect(
      // @ts-expect-error a reverse status is not a submarine status
      transition(t.db, { id, type: "submarine", from: "invoice_created", to: "invoice_held", event: "x" }),
    ).rejects.toSatisfy((e) => isGatewayError(e, "db.invalid_argument"));
    expect((await findSwap(t.db, id))?.status).toBe("invoice_created");
  });

  it.each([1, 2, 3, 4, 5])(
    "lets exactly one of N concurrent transitions win, with one event (round %i)",
    async () => {
      const { id } = await insertSwap(t.db, sampleSubmarine());
      const N = 12;
      const targets = ["funding_detected", "expired"] as const;
      const results = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          transition(t.db, {
            id,
            type: "submarine",
            from: "awaiting_funding",
            to: targets[i % 2] ?? "expired",
            event: `racer_${i}`,
            data: { racer: i },
          }),
        ),
      );
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      const winner = results.findIndex((r) => r !== undefined);
      const swap = await findSwap(t.db, id);
      expect(swap).toMatchObject({ status: targets[winner % 2], version: 1 });
      const events = (await listSwapEvents(t.db, id)).filter((e) => e.event !== "created");
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ event: `racer_${winner}`, data: { racer: winner } });
    },
  );

  it("keeps int8 values above 2^53 exact (bigint round trip)", async () => {
    const huge = 2n ** 62n + 12_345n;
    const input = sampleSubmarine({
      invoiceAmountMsat: huge,
      maxTimeoutHeight: huge - 1n,
      refundLocktime: 2n ** 53n + 1n,
    });
    const swap = (await insertSwap(t.db, input)) as SubmarineSwap;
    expect(swap.invoiceAmountMsat).toBe(huge);
    expect(swap.maxTimeoutHeight).toBe(huge - 1n);
    expect(swap.refundLocktime).toBe(2n ** 53n + 1n);
    expect(typeof swap.feeSats).toBe("bigint");
    const { rows } = await sql<{ v: bigint }>`select ${huge}::int8 + 1 as v`.execute(t.db);
    expect(rows[0]?.v).toBe(huge + 1n);
  });

  it("leaves nothing behind when the surrounding transaction rolls back", async () => {
    const input = sampleReverse();
    const rollback = new Error("rollback");
    await expect(
      t.db.transaction().execute(async (tx) => {
        await insertSwap(tx, input);
        expect(
          await transition(tx, {
            id: input.id,
            type: "reverse",
            from: "invoice_created",
            to: "invoice_held",
            event: "held",
          }),
        ).toMatchObject({ status: "invoice_held" });
        expect((await findSwap(tx, input.id))?.status).toBe("invoice_held");
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await findSwap(t.db, input.id)).toBeUndefined();
    expect(await listSwapEvents(t.db, input.id)).toEqual([]);
    const { rows } = await sql<{
      n: bigint;
    }>`select count(*) as n from reverse_swaps where swap_id = ${input.id}`.execute(t.db);
    expect(rows[0]?.n).toBe(0n);
  });

  it("refuses to update an event row (append-only)", async () => {
    const { id } = await insertSwap(t.db, sampleSubmarine());
    await expect(
      sql`update swap_events set event = 'forged' where swap_id = ${id}`.execute(t.db),
    ).rejects.toThrow(/append-only/);
  });

  it("lists swaps by status and the open (non-terminal) ones", async () => {
    const open = await insertSwap(t.db, sampleSubmarine());
    const done = await insertSwap(t.db, sampleSubmarine());
    expect(
      await transition(t.db, {
        id: done.id,
        type: "submarine",
        from: "awaiting_funding",
        to: "expired",
        event: "timeout",
      }),
    ).toMatchObject({ status: "expired" });
    const openIds = (await listOpenSwaps(t.db, "submarine")).map((s) => s.id);
    expect(openIds).toContain(open.id);
    expect(openIds).not.toContain(done.id);
    const expired = await listSwapsByStatus(t.db, "submarine", ["expired"]);
    expect(expired.map((s) => s.id)).toContain(done.id);
    expect(await listSwapsByStatus(t.db, "submarine", [])).toEqual([]);
  });
});
