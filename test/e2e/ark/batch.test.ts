/**
 * Batch participation of the gateway's own Ark wallet on the REAL arkd (v0.9.15), with the
 * wallet's real Postgres stores (a throwaway schema on the network's Postgres): redeem admin notes
 * through our batch client (RegisterIntent, MuSig2 co-signing of the VTXO tree, no forfeit for a
 * note), renew VTXOs (a forfeit per VTXO on the connector tree), and check arkd's indexer shows
 * exactly the amounts we computed: Σ inputs − the intent fee. The regtest arkd's GetInfo has
 * empty intent fee programs, so the fee we must compute (and EstimateIntentFee must agree) is 0.
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrpcArkClient, type ArkServerPort, type ArkdInfo } from "../../../src/ark/client/index.js";
import {
  ArkWallet,
  createPgBatchStore,
  createPgWalletStore,
  type BatchJoinResult,
} from "../../../src/ark/wallet/index.js";
import { createDatabase, type Database } from "../../../src/db/client.js";
import { migrateToLatest } from "../../../src/db/migrator.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { arkAdmin, arkOf, createArkWallet, fundWithNote, vtxosAt, waitForVtxo } from "../helpers/ark.js";
import { loadNetwork } from "../helpers/network.js";

const NOTE_SATS = 21_000;
const SCHEMA = `e2e_batch_${process.pid}_${Date.now().toString(36)}`;

let net: NetworkFile;
let ark: ArkServerPort;
let db: Database;
let info: ArkdInfo;
let seed: Uint8Array;
let wallet: ArkWallet;
let script: string;

function openWallet(port: ArkServerPort = ark): ArkWallet {
  return new ArkWallet({
    ark: port,
    store: createPgWalletStore(db.db),
    batchStore: createPgBatchStore(db.db),
    seed,
    options: { maintenanceIntervalMs: 0, batchTimeoutMs: 120_000 },
  });
}

/** The fee we expect from GetInfo's intent fee programs: none on this regtest arkd. */
function expectedFeeSats(): bigint {
  const p = info.fees?.intentFee;
  const programs = [p?.offchainInput, p?.offchainOutput, p?.onchainInput, p?.onchainOutput];
  if (!programs.every((x) => x === undefined || x === "" || x === "0"))
    throw new Error(`arkd now has intent fee programs ${JSON.stringify(p)}: extend this test`);
  return 0n;
}

const rowOf = (outpoint: string) =>
  db.db
    .selectFrom("wallet_vtxos")
    .select(["state", "amount_sats", "spent_by", "reserved_for"])
    .where("outpoint", "=", outpoint)
    .executeTakeFirst();

async function indexerAt(): Promise<[string, bigint][]> {
  return (await vtxosAt(net, script)).map((v) => [`${v.txid}:${v.vout}`, BigInt(v.value)]);
}

beforeAll(async () => {
  net = loadNetwork();
  ark = createGrpcArkClient({ address: arkOf(net).arkdUrl.replace(/^https?:\/\//, "") });
  info = await ark.getInfo();
  db = createDatabase({ connectionString: net.postgres.url, schema: SCHEMA, maxConnections: 5 });
  await migrateToLatest(db.db, SCHEMA);
  seed = Uint8Array.from(randomBytes(32));
  wallet = openWallet();
  await wallet.start();
  script = (await wallet.walletInfo()).script;
});

afterAll(async () => {
  await wallet?.stop();
  ark?.close();
  if (db !== undefined) {
    await sql`drop schema if exists ${sql.id(SCHEMA)} cascade`.execute(db.db);
    await db.close();
  }
});

describe("batches through our own Ark core (real arkd, Postgres wallet)", () => {
  let first: BatchJoinResult;
  let renewed: BatchJoinResult;

  it("redeems a note of N sats: the indexer shows exactly N − fee settled at our script", async () => {
    const [note] = await arkAdmin(net).createNotes(NOTE_SATS, 1);
    first = await wallet.redeemNotes([note as string]);
    expect(first.commitmentTxid).toMatch(/^[0-9a-f]{64}$/);
    expect(first.feeSats).toBe(expectedFeeSats());
    expect(first.amountSats).toBe(BigInt(NOTE_SATS) - expectedFeeSats());
    expect(await indexerAt()).toEqual([[first.outpoint, first.amountSats]]);
    const [vtxo] = await vtxosAt(net, script);
    expect(vtxo?.virtualStatus.state).toBe("settled");
    expect(vtxo?.virtualStatus.commitmentTxIds).toContain(first.commitmentTxid);
    expect(await rowOf(first.outpoint)).toMatchObject({ state: "spendable", amount_sats: first.amountSats });
    expect(await wallet.balance()).toEqual({ spendableSats: first.amountSats, vtxoCount: 1 });
  });

  it("renews that VTXO: forfeited into a new batch output of the same amount minus the fee", async () => {
    renewed = await wallet.renew([first.outpoint]);
    expect(renewed.inputs).toEqual([first.outpoint]);
    expect(renewed.feeSats).toBe(expectedFeeSats());
    expect(renewed.amountSats).toBe(first.amountSats - expectedFeeSats());
    expect(renewed.commitmentTxid).not.toBe(first.commitmentTxid);
    expect(await indexerAt()).toEqual([[renewed.outpoint, renewed.amountSats]]);
    const old = (await vtxosAt(net, script, true)).find((v) => `${v.txid}:${v.vout}` === first.outpoint);
    expect(old?.isSpent).toBe(true);
    expect(await rowOf(first.outpoint)).toMatchObject({ state: "spent", spent_by: renewed.commitmentTxid });
    expect(await rowOf(renewed.outpoint)).toMatchObject({
      state: "spendable",
      amount_sats: renewed.amountSats,
    });
  });

  it("redeems two notes at once and renews two VTXOs at once (two forfeits, two connectors)", async () => {
    const notes = await arkAdmin(net).createNotes(5_000, 2);
    const both = await wallet.redeemNotes(notes);
    expect(both.amountSats).toBe(10_000n - expectedFeeSats());
    expect((await indexerAt()).sort()).toEqual(
      [
        [renewed.outpoint, renewed.amountSats],
        [both.outpoint, both.amountSats],
      ].sort(),
    );
    const all = await wallet.renew();
    expect([...all.inputs].sort()).toEqual([renewed.outpoint, both.outpoint].sort());
    const total = renewed.amountSats + both.amountSats;
    expect(all.amountSats).toBe(total - expectedFeeSats());
    expect(await indexerAt()).toEqual([[all.outpoint, all.amountSats]]);
    expect(await wallet.balance()).toEqual({ spendableSats: all.amountSats, vtxoCount: 1 });
  });

  it("a renewal that dies before ConfirmRegistration loses nothing; the next one works", async () => {
    const [before] = await indexerAt();
    await wallet.stop();
    // the process "dies" at ConfirmRegistration: arkd has our intent, we never confirm
    const crashing = new Proxy(ark, {
      get(target, prop, receiver) {
        if (prop === "confirmRegistration") return async () => Promise.reject(new Error("simulated crash"));
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    wallet = openWallet(crashing);
    await wallet.start();
    await expect(wallet.renew()).rejects.toThrow("simulated crash");
    expect(await indexerAt()).toEqual([before]);
    expect(await rowOf(before?.[0] as string)).toMatchObject({ state: "spendable", reserved_for: null });
    await wallet.stop();
    wallet = openWallet();
    await wallet.start();
    const again = await wallet.renew();
    expect(again.inputs).toEqual([before?.[0]]);
    expect(again.amountSats).toBe((before?.[1] as bigint) - expectedFeeSats());
    expect(await indexerAt()).toEqual([[again.outpoint, again.amountSats]]);
  });

  it("renews a preconfirmed VTXO received offchain (from an @arkade-os/sdk wallet)", async () => {
    const funder = await createArkWallet(net);
    await fundWithNote(net, funder, 30_000);
    const arkTxid = await funder.sendBitcoin({
      address: (await wallet.walletInfo()).address,
      amount: 12_345,
    });
    const received = await waitForVtxo(net, script, (v) => v.txid === arkTxid);
    expect(received.virtualStatus.state).toBe("preconfirmed");
    await wallet.rescan();
    const outpoint = `${received.txid}:${received.vout}`;
    const res = await wallet.renew([outpoint]);
    expect(res.amountSats).toBe(12_345n - expectedFeeSats());
    const settled = (await vtxosAt(net, script)).find((v) => `${v.txid}:${v.vout}` === res.outpoint);
    expect(settled?.virtualStatus.state).toBe("settled");
    expect(BigInt(settled?.value ?? 0)).toBe(res.amountSats);
    expect(await rowOf(outpoint)).toMatchObject({ state: "spent", spent_by: res.commitmentTxid });
  });

  it("renews a VTXO arkd takes as expired (past expires_at: no forfeit, no connector)", async () => {
    const [note] = await arkAdmin(net).createNotes(4_321, 1);
    const fresh = await wallet.redeemNotes([note as string]);
    const [txid, vout] = fresh.outpoint.split(":");
    const page = await ark.getVtxos({ outpoints: [{ txid: txid as string, vout: Number(vout) }] });
    const expiresAt = page.vtxos[0]?.expiresAt ?? 0n;
    // block-mode regtest: expires_at is the batch time + 144 *seconds* (PROTOCOL.md §5)
    const waitMs = Number(expiresAt) * 1000 - Date.now() + 2_000;
    expect(waitMs).toBeLessThan(200_000);
    if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
    const res = await wallet.renew([fresh.outpoint]);
    expect(res.amountSats).toBe(4_321n - expectedFeeSats());
    const settled = (await vtxosAt(net, script)).find((v) => `${v.txid}:${v.vout}` === res.outpoint);
    expect(settled?.virtualStatus.state).toBe("settled");
    expect(await rowOf(fresh.outpoint)).toMatchObject({ state: "spent", spent_by: res.commitmentTxid });
  });

  it("after a restart on the same database the wallet holds exactly its VTXOs", async () => {
    await wallet.stop();
    wallet = openWallet();
    await wallet.start();
    const indexer = (await indexerAt()).sort();
    const rows = await db.db
      .selectFrom("wallet_vtxos")
      .select(["outpoint", "amount_sats"])
      .where("state", "=", "spendable")
      .orderBy("outpoint")
      .execute();
    expect(rows.map((r) => [r.outpoint, r.amount_sats]).sort()).toEqual(indexer);
    const reserved = await db.db
      .selectFrom("wallet_vtxos")
      .select("outpoint")
      .where("state", "=", "reserved")
      .execute();
    expect(reserved).toEqual([]);
  });
});
