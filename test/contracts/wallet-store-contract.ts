/**
 * The wallet store's contract (src/ark/wallet/store.ts) for what the indexer reports and what a
 * finalized spend records, run against Postgres (test/integration/wallet/pg-wallet-store-contract.test.ts)
 * and memory (test/unit/ark/wallet/memory-wallet-store.test.ts). Only the port is used.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { ObservedVtxo, WalletStore } from "../../src/ark/wallet/store.js";

const SCRIPT = `5120${"77".repeat(32)}`;
const outpoint = (n: number) => `${n.toString(16).padStart(2, "0").repeat(32)}:0`;
const txid = (n: number) => n.toString(16).padStart(2, "0").repeat(32);

function seen(n: number, over: Partial<ObservedVtxo> = {}): ObservedVtxo {
  return {
    outpoint: outpoint(n),
    amountSats: 1_000n * BigInt(n),
    script: SCRIPT,
    spent: false,
    swept: false,
    spentBy: undefined,
    expiresAt: undefined,
    ...over,
  };
}

export function describeWalletStoreContract(label: string, makeStore: () => Promise<WalletStore>): void {
  describe(`wallet store contract: ${label}`, () => {
    let store: WalletStore;
    const spendable = async () =>
      Object.fromEntries((await store.spendableVtxos()).map((c) => [c.outpoint, c]));
    beforeEach(async () => {
      store = await makeStore();
    });

    it("records unknown VTXOs as reported: only unspent, unswept ones are spendable, with their deadlines", async () => {
      await store.observeVtxos([
        seen(1, { expiresAt: 900n, offchainUntil: 1_700_000_000n }),
        seen(2, { spent: true, spentBy: txid(9) }),
        seen(3, { swept: true }),
        seen(4, { spent: true, swept: true }),
      ]);
      expect(await spendable()).toEqual({
        [outpoint(1)]: {
          outpoint: outpoint(1),
          amountSats: 1_000n,
          expiresAt: 900n,
          offchainUntil: 1_700_000_000n,
        },
      });
    });

    it("moves a known spendable VTXO to spent or swept, never back; leaves a reserved one to its spend", async () => {
      await store.observeVtxos([seen(1), seen(2), seen(3)]);
      await store.observeVtxos([seen(1, { spent: true, spentBy: txid(9) }), seen(2, { swept: true })]);
      expect(Object.keys(await spendable())).toEqual([outpoint(3)]);
      await store.observeVtxos([seen(1), seen(2)]); // a stale report does not revive them
      expect(Object.keys(await spendable())).toEqual([outpoint(3)]);
      expect(
        await store.createSpend({
          id: "s1",
          kind: "fund",
          request: "r",
          arkTxid: txid(8),
          signedArkTx: "tx",
          checkpointTxs: ["cp"],
          inputOutpoints: [outpoint(3)],
          reservedOutpoints: [outpoint(3)],
          swapKeyIndex: null,
          resultOutpoint: `${txid(8)}:0`,
        }),
      ).toBe("created");
      await store.observeVtxos([seen(3, { spent: true, spentBy: txid(7) })]);
      await store.failSpend("s1", "released");
      // the report did not touch the reserved coin: released, it is spendable again
      expect(Object.keys(await spendable())).toEqual([outpoint(3)]);
    });

    it("takes arkd's expires_at when reported, the batch expiry only while none is known", async () => {
      await store.observeVtxos([seen(1)]);
      await store.observeVtxos([seen(1, { expiresAt: 500n, offchainUntil: 1_700_000_000n })]);
      await store.observeVtxos([seen(1, { expiresAt: 600n })]);
      expect((await spendable())[outpoint(1)]).toMatchObject({
        expiresAt: 500n,
        offchainUntil: 1_700_000_000n,
      });
      await store.observeVtxos([seen(1, { offchainUntil: 0n })]);
      expect((await spendable())[outpoint(1)]).toMatchObject({ expiresAt: 500n, offchainUntil: 0n });
    });

    it("applies two reports of one outpoint in one call in order", async () => {
      await store.observeVtxos([seen(1), seen(1, { spent: true, spentBy: txid(9) }), seen(2)]);
      expect(Object.keys(await spendable())).toEqual([outpoint(2)]);
    });

    it("finalizes a spend once: inputs spent, our outputs spendable, the finalized record returned", async () => {
      await store.observeVtxos([seen(1), seen(2)]);
      const record = {
        id: "fund-1",
        kind: "fund" as const,
        request: "fund:x:1",
        arkTxid: txid(5),
        signedArkTx: "signed",
        checkpointTxs: ["cp1", "cp2"],
        inputOutpoints: [outpoint(1), outpoint(2)],
        reservedOutpoints: [outpoint(1), outpoint(2)],
        swapKeyIndex: null,
        resultOutpoint: `${txid(5)}:0`,
      };
      expect(await store.createSpend(record)).toBe("created");
      const change = { outpoint: `${txid(5)}:1`, amountSats: 2_500n, script: SCRIPT };
      const done = await store.finalizeSpend(record.id, [change]);
      expect(done).toEqual({
        ...record,
        state: "finalized",
        serverArkTx: null,
        serverCheckpointTxs: null,
        failureReason: null,
      });
      expect(await store.getSpend(record.id)).toEqual(done);
      expect(await spendable()).toEqual({
        [change.outpoint]: {
          outpoint: change.outpoint,
          amountSats: 2_500n,
          expiresAt: undefined,
          offchainUntil: undefined,
        },
      });
      // a repeat changes nothing and answers the same record
      expect(await store.finalizeSpend(record.id, [{ ...change, amountSats: 1n }])).toEqual(done);
      expect((await spendable())[change.outpoint]?.amountSats).toBe(2_500n);
      await expect(store.finalizeSpend("nope", [])).rejects.toThrow();
    });
  });
}
