import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isGatewayError } from "../../../src/domain/errors.js";
import { findPreimage, markPreimageSettled, savePreimage } from "../../../src/db/preimage-repository.js";
import { insertSwap } from "../../../src/db/swap-repository.js";
import { findVtxo, insertVtxo, listVtxos, updateVtxoState } from "../../../src/db/vtxo-repository.js";
import {
  allocateWalletKey,
  findWalletKeyByPublicKey,
  findWalletKeyBySwap,
} from "../../../src/db/wallet-key-repository.js";
import { preimagePair, sampleSubmarine } from "../../fixtures/sample-swaps.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

/** A deterministic stand-in for BIP-32 derivation: unique per index. */
const fakeDerive = (index: bigint) => `03${createHash("sha256").update(`key-${index}`).digest("hex")}`;

describe("wallet keys", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("keys");
  });
  afterAll(async () => t.destroy());

  it("hands out consecutive indexes from 0, each once, even when allocated concurrently", async () => {
    const keys = await Promise.all(
      Array.from({ length: 10 }, () =>
        allocateWalletKey(t.db, { purpose: "wallet", derivePublicKey: fakeDerive }),
      ),
    );
    expect(keys.map((k) => k.derivationIndex).sort((a, b) => (a < b ? -1 : 1))).toEqual(
      Array.from({ length: 10 }, (_, i) => BigInt(i)),
    );
    expect(await findWalletKeyByPublicKey(t.db, fakeDerive(3n))).toMatchObject({
      derivationIndex: 3n,
      swapId: null,
    });
  });

  it("allocates a swap's key before the swap row in one transaction (deferred foreign key)", async () => {
    const swap = sampleSubmarine();
    await t.db.transaction().execute(async (tx) => {
      const key = await allocateWalletKey(tx, {
        purpose: "swap",
        swapId: swap.id,
        derivePublicKey: fakeDerive,
      });
      await insertSwap(tx, { ...swap, receiverPubkey: key.publicKey });
    });
    const key = await findWalletKeyBySwap(t.db, swap.id);
    expect(key).toMatchObject({ purpose: "swap", swapId: swap.id });
    await expect(
      allocateWalletKey(t.db, { purpose: "swap", swapId: swap.id, derivePublicKey: fakeDerive }),
    ).rejects.toSatisfy((e) => isGatewayError(e, "db.duplicate"));
  });

  it("refuses a key for a swap that never gets inserted (commit fails, nothing stays)", async () => {
    await expect(
      t.db.transaction().execute(async (tx) => {
        await allocateWalletKey(tx, { purpose: "swap", swapId: "ghost", derivePublicKey: fakeDerive });
      }),
    ).rejects.toThrow(/foreign key/);
    expect(await findWalletKeyBySwap(t.db, "ghost")).toBeUndefined();
  });
});

describe("wallet VTXOs", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("vtxos");
  });
  afterAll(async () => t.destroy());

  const outpoint = (n: number) => `${n.toString(16).padStart(64, "0")}:0`;

  it("records a VTXO once and keeps its bigint amount", async () => {
    const amountSats = 2n ** 60n;
    expect(
      await insertVtxo(t.db, {
        outpoint: outpoint(1),
        amountSats,
        script: `5120${"11".repeat(32)}`,
        state: "spendable",
        batchExpiry: 140n,
      }),
    ).toBe(true);
    expect(
      await insertVtxo(t.db, { outpoint: outpoint(1), amountSats: 1n, script: "x", state: "pending" }),
    ).toBe(false);
    expect(await findVtxo(t.db, outpoint(1))).toMatchObject({
      amountSats,
      state: "spendable",
      batchExpiry: 140n,
      commitmentTxids: [],
    });
  });

  it("reserves a VTXO for exactly one of several concurrent claimants", async () => {
    await insertVtxo(t.db, { outpoint: outpoint(2), amountSats: 5_000n, script: "s", state: "spendable" });
    const results = await Promise.all(
      ["a", "b", "c", "d"].map((who) =>
        updateVtxoState(t.db, { outpoint: outpoint(2), from: "spendable", to: "reserved", reservedFor: who }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(
      await updateVtxoState(t.db, {
        outpoint: outpoint(2),
        from: "reserved",
        to: "spent",
        spentBy: "ff".repeat(32),
      }),
    ).toBe(true);
    expect(await findVtxo(t.db, outpoint(2))).toMatchObject({ state: "spent", spentBy: "ff".repeat(32) });
    expect((await listVtxos(t.db, ["spendable"])).map((v) => v.outpoint)).toEqual([outpoint(1)]);
  });
});

describe("preimages", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase("preimages");
  });
  afterAll(async () => t.destroy());

  it("stores a matching preimage idempotently and marks it settled once", async () => {
    const { preimage, paymentHash } = preimagePair();
    expect(await savePreimage(t.db, paymentHash, preimage)).toBe(true);
    expect(await savePreimage(t.db, paymentHash, preimage)).toBe(false);
    expect(await findPreimage(t.db, paymentHash)).toMatchObject({ preimage, settledAt: null });
    expect(await markPreimageSettled(t.db, paymentHash)).toBe(true);
    expect(await markPreimageSettled(t.db, paymentHash)).toBe(false);
    expect((await findPreimage(t.db, paymentHash))?.settledAt).toBeInstanceOf(Date);
  });

  it("refuses a preimage whose sha256 is not the payment hash (invariant 2, enforced by the database)", async () => {
    const a = preimagePair();
    const b = preimagePair();
    await expect(savePreimage(t.db, a.paymentHash, b.preimage)).rejects.toSatisfy((e) =>
      isGatewayError(e, "db.invalid_argument"),
    );
    expect(await findPreimage(t.db, a.paymentHash)).toBeUndefined();
  });
});
