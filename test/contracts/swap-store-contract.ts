/**
 * The swap store port's contract (src/swaps/ports/swap-store.ts), run against every
 * implementation: Postgres (test/integration/db/swap-store-contract.test.ts) and memory
 * (test/unit/swaps/memory-swap-store.test.ts). Only the port is used, so both must agree.
 */
import { createHash, randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { isGatewayError } from "../../src/domain/errors.js";
import type { ReverseSwap, SubmarineSwap } from "../../src/domain/swap-records.js";
import type { SwapStore } from "../../src/swaps/ports/swap-store.js";
import { preimagePair, sampleReverse, sampleSubmarine } from "../fixtures/sample-swaps.js";

export function describeSwapStoreContract(label: string, makeStore: () => Promise<SwapStore>): void {
  describe(`swap store contract: ${label}`, () => {
    let store: SwapStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it("inserts in the initial status at version 0 with a creation event, and finds it by id and hash", async () => {
      const input = sampleSubmarine();
      const swap = (await store.insert(input, { source: "test", amount: 5n })) as SubmarineSwap;
      expect(swap).toMatchObject({ ...input, status: "awaiting_funding", version: 0, fundingOutpoints: [] });
      expect(swap.receivedAmountSats).toBeNull();
      expect(swap.claimTxid).toBeNull();
      expect(await store.find(input.id)).toEqual(swap);
      expect(await store.findByPaymentHash(input.paymentHash)).toEqual(swap);
      expect(await store.events(input.id)).toMatchObject([
        {
          fromStatus: null,
          toStatus: "awaiting_funding",
          event: "created",
          data: { source: "test", amount: "5" },
        },
      ]);
      expect(await store.find("swap_missing")).toBeUndefined();
    });

    it("inserts a reverse swap with its optional columns empty", async () => {
      const input = sampleReverse();
      const swap = (await store.insert(input)) as ReverseSwap;
      expect(swap).toMatchObject({ ...input, status: "invoice_created", version: 0 });
      expect([swap.htlcExpiryHeight, swap.fundingTxid, swap.fundingOutpoint, swap.claimTxid]).toEqual([
        null,
        null,
        null,
        null,
      ]);
    });

    it("refuses a duplicate id, payment hash or lockup address (db.duplicate) and writes nothing", async () => {
      const first = await store.insert(sampleSubmarine());
      for (const again of [
        sampleReverse({ paymentHash: first.paymentHash }),
        sampleReverse({ lockupAddress: first.lockupAddress }),
        sampleSubmarine({ id: first.id }),
      ]) {
        await expect(store.insert(again)).rejects.toSatisfy((e) => isGatewayError(e, "db.duplicate"));
        if (again.id !== first.id) {
          expect(await store.find(again.id)).toBeUndefined();
          expect(await store.events(again.id)).toEqual([]);
        }
      }
      expect(await store.events(first.id)).toHaveLength(1);
    });

    it("applies a transition once (status, version, patch, event); a stale repeat changes nothing", async () => {
      const swap = await store.insert(sampleSubmarine());
      const t = {
        id: swap.id,
        type: "submarine" as const,
        from: "awaiting_funding" as const,
        to: "funding_detected" as const,
        event: "vtxo_seen",
        data: { vtxos: 1 },
        patch: { receivedAmountSats: 10_100n, fundingOutpoints: [`${"ab".repeat(32)}:0`] },
      };
      const written = await store.transition(t);
      expect(await store.transition(t)).toBeUndefined();
      const after = (await store.find(swap.id)) as SubmarineSwap;
      // the transition answers with the swap as a read finds it afterwards
      expect(written).toEqual(after);
      expect(after).toMatchObject({
        status: "funding_detected",
        version: 1,
        receivedAmountSats: 10_100n,
        fundingOutpoints: [`${"ab".repeat(32)}:0`],
      });
      expect((await store.events(swap.id)).map((e) => [e.fromStatus, e.toStatus, e.event, e.data])).toEqual([
        [null, "awaiting_funding", "created", {}],
        ["awaiting_funding", "funding_detected", "vtxo_seen", { vtxos: 1 }],
      ]);
    });

    it("honours expectedVersion: the right status at a stale version changes nothing", async () => {
      const swap = await store.insert(sampleReverse());
      const base = {
        id: swap.id,
        type: "reverse" as const,
        from: "invoice_created" as const,
        event: "htlc_held",
      };
      expect(await store.transition({ ...base, to: "invoice_held", expectedVersion: 7 })).toBeUndefined();
      expect((await store.find(swap.id))?.status).toBe("invoice_created");
      expect(await store.transition({ ...base, to: "invoice_held", expectedVersion: 0 })).toEqual(
        await store.find(swap.id),
      );
      expect((await store.find(swap.id))?.version).toBe(1);
    });

    it("refuses statuses of another type (db.invalid_argument)", async () => {
      const swap = await store.insert(sampleReverse());
      await expect(
        store.transition({
          id: swap.id,
          type: "reverse",
          from: "invoice_created",
          to: "claimed" as never,
          event: "x",
        }),
      ).rejects.toSatisfy((e) => isGatewayError(e, "db.invalid_argument"));
    });

    it("lets exactly one of concurrent transitions from one status win", async () => {
      const swap = await store.insert(sampleSubmarine());
      const results = await Promise.all(
        (["funding_detected", "expired", "funding_detected", "expired"] as const).map((to) =>
          store.transition({
            id: swap.id,
            type: "submarine",
            from: "awaiting_funding",
            to,
            event: `to_${to}`,
          }),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.events(swap.id)).toHaveLength(2);
    });

    it("lists open swaps (both types) and filters lists by type, openness, key and limit, newest first", async () => {
      const key = `03${randomBytes(32).toString("hex")}`;
      const open = await store.insert(sampleSubmarine({ senderPubkey: key }));
      const done = await store.insert(sampleSubmarine({ receiverPubkey: key }));
      await store.transition({
        id: done.id,
        type: "submarine",
        from: "awaiting_funding",
        to: "expired",
        event: "e",
      });
      const reverse = await store.insert(sampleReverse({ senderPubkey: key }));
      const openIds = (await store.listOpen()).map((s) => s.id);
      expect(openIds).toEqual(expect.arrayContaining([open.id, reverse.id]));
      expect(openIds).not.toContain(done.id);
      expect(openIds.indexOf(open.id)).toBeLessThan(openIds.indexOf(reverse.id));
      expect((await store.list({ pubkey: key })).map((s) => s.id)).toEqual([reverse.id, done.id, open.id]);
      expect((await store.list({ pubkey: key, type: "submarine" })).map((s) => s.id)).toEqual([
        done.id,
        open.id,
      ]);
      expect((await store.list({ pubkey: key, openOnly: true })).map((s) => s.id)).toEqual([
        reverse.id,
        open.id,
      ]);
      expect((await store.list({ pubkey: key, limit: 1 })).map((s) => s.id)).toEqual([reverse.id]);
    });

    it("stores a preimage once, finds it, refuses one that does not hash to the payment hash", async () => {
      const { preimage, paymentHash } = preimagePair();
      await store.savePreimage(paymentHash, preimage);
      await store.savePreimage(paymentHash, preimage);
      expect(await store.findPreimage(paymentHash)).toBe(preimage);
      await store.markPreimageSettled(paymentHash);
      expect(await store.findPreimage(paymentHash)).toBe(preimage);
      const other = preimagePair();
      const wrong = createHash("sha256").update("not it").digest("hex");
      await expect(store.savePreimage(other.paymentHash, wrong)).rejects.toSatisfy((e) =>
        isGatewayError(e, "db.invalid_argument"),
      );
      expect(await store.findPreimage(other.paymentHash)).toBeUndefined();
    });
  });
}
