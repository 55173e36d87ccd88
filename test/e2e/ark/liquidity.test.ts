/**
 * Liquidity on the REAL stack (arkd v0.9.15, LND alice = the gateway's node): boarding from LND's
 * onchain wallet into Ark (boarding address → confirmation → a batch with the boarding UTXO as
 * an intent input, our signature on the commitment tx), and the collaborative exit from Ark to an
 * LND onchain address (a batch intent with an onchain output). Every sat is accounted for: LND's
 * onchain debit = amount + the chain fee LND reports, the Ark credit = amount − arkd's intent fee
 * (EstimateIntentFee, 0 with this regtest arkd's empty fee programs), and back.
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrpcArkClient, type ArkServerPort, type ArkdInfo } from "../../../src/ark/client/index.js";
import { ArkWallet, createPgBatchStore, createPgWalletStore } from "../../../src/ark/wallet/index.js";
import { createDatabase, type Database } from "../../../src/db/client.js";
import { migrateToLatest } from "../../../src/db/migrator.js";
import { connectLnd, type LndContext } from "../../../src/lightning/lnd/index.js";
import { getOnchainBalances } from "../../../src/lightning/lnd/get-onchain-balances.js";
import { createLndOnchainWallet } from "../../../src/lightning/lnd/lnd-onchain.js";
import { boardFromLnd, type BoardFlowDeps } from "../../../src/liquidity/board-flow.js";
import { createPgBoardingStore } from "../../../src/db/boarding-store.js";
import type { BoardingStore, OnchainWalletPort } from "../../../src/liquidity/ports.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { waitFor } from "../../../src/regtest/process.js";
import { arkOf, vtxosAt } from "../helpers/ark.js";
import { btcdOf, mine } from "../helpers/chain.js";
import { loadNetwork } from "../helpers/network.js";

const BOARD_SATS = 50_000n;
const OFFBOARD_SATS = 20_000n;
const SCHEMA = `e2e_liquidity_${process.pid}_${Date.now().toString(36)}`;

let net: NetworkFile;
let ark: ArkServerPort;
let db: Database;
let info: ArkdInfo;
let wallet: ArkWallet;
let script: string;
let lnd: LndContext;
let onchain: OnchainWalletPort;
let boardings: BoardingStore;

/** The fee we expect from GetInfo's intent fee programs: none on this regtest arkd. */
function expectedFeeSats(): bigint {
  const p = info.fees?.intentFee;
  const programs = [p?.offchainInput, p?.offchainOutput, p?.onchainInput, p?.onchainOutput];
  if (!programs.every((x) => x === undefined || x === "" || x === "0"))
    throw new Error(`arkd now has intent fee programs ${JSON.stringify(p)}: extend this test`);
  return 0n;
}

/** LND's confirmed + unconfirmed onchain balance. */
async function lndOnchainSats(): Promise<bigint> {
  const b = await getOnchainBalances(lnd);
  return b.confirmedSats + b.pendingSats;
}

async function indexerAt(): Promise<[string, bigint][]> {
  return (await vtxosAt(net, script)).map((v) => [`${v.txid}:${v.vout}`, BigInt(v.value)]);
}

/** Mines one block as soon as `txid` is in btcd's mempool (LND broadcast it). */
async function mineWhenInMempool(txid: () => string | undefined): Promise<void> {
  const btcd = btcdOf(net);
  await waitFor(
    "the boarding tx in the mempool",
    60_000,
    async () => {
      const id = txid();
      if (id === undefined) return undefined;
      const pool = await btcd.call<string[]>("getrawmempool");
      return pool.includes(id) ? true : undefined;
    },
    200,
  );
  await mine(net, 1);
}

beforeAll(async () => {
  net = loadNetwork();
  ark = createGrpcArkClient({ address: arkOf(net).arkdUrl.replace(/^https?:\/\//, "") });
  info = await ark.getInfo();
  db = createDatabase({ connectionString: net.postgres.url, schema: SCHEMA, maxConnections: 5 });
  await migrateToLatest(db.db, SCHEMA);
  wallet = new ArkWallet({
    ark,
    store: createPgWalletStore(db.db),
    batchStore: createPgBatchStore(db.db),
    seed: Uint8Array.from(randomBytes(32)),
    options: { maintenanceIntervalMs: 0, batchTimeoutMs: 120_000 },
  });
  await wallet.start();
  script = (await wallet.walletInfo()).script;
  const alice = net.lnd.alice;
  lnd = connectLnd({ socket: alice.grpcSocket, cert: alice.tlsCertPath, macaroon: alice.adminMacaroonPath });
  onchain = createLndOnchainWallet(lnd);
  boardings = createPgBoardingStore(db.db);
});

afterAll(async () => {
  await wallet?.stop();
  ark?.close();
  if (db !== undefined) {
    await sql`drop schema if exists ${sql.id(SCHEMA)} cascade`.execute(db.db);
    await db.close();
  }
});

describe("liquidity between LND's onchain wallet and Ark (real arkd, real LND)", () => {
  let boardedVtxoSats = 0n;

  it("boards X sats: LND onchain −(X + its chain fee), Ark +(X − intent fee), the record boarded", async () => {
    const lndBefore = await lndOnchainSats();
    const arkBefore = (await wallet.balance()).spendableSats;
    let sentTxid: string | undefined;
    const lines: string[] = [];
    const deps: BoardFlowDeps = {
      onchain: {
        ...onchain,
        send: async (req) => {
          sentTxid = await onchain.send(req);
          return sentTxid;
        },
      },
      ark: wallet,
      store: boardings,
      confirmationTimeoutMs: 120_000,
      pollMs: 500,
      progress: (m) => lines.push(m),
    };
    const [record] = await Promise.all([boardFromLnd(deps, BOARD_SATS), mineWhenInMempool(() => sentTxid)]);

    // LND: exactly the amount plus the chain fee it reports for that tx
    const tx = (await onchain.transactions()).find((t) => t.txid === sentTxid);
    expect(tx?.confirmations).toBeGreaterThan(0);
    expect(tx?.feeSats).toBeGreaterThan(0n);
    expect(lndBefore - (await lndOnchainSats())).toBe(BOARD_SATS + (tx?.feeSats ?? 0n));

    // Ark: the amount minus arkd's intent fee, as a settled VTXO at our script
    expect(record.status).toBe("boarded");
    expect(record.txid).toBe(sentTxid);
    expect(record.feeSats).toBe(expectedFeeSats());
    expect(record.vtxoSats).toBe(BOARD_SATS - expectedFeeSats());
    boardedVtxoSats = record.vtxoSats ?? 0n;
    expect(await indexerAt()).toEqual([[record.vtxoOutpoint, boardedVtxoSats]]);
    expect((await wallet.balance()).spendableSats - arkBefore).toBe(BOARD_SATS - expectedFeeSats());

    // the commitment tx spends the boarding output (our signature on its input was accepted)
    const commitment = await btcdOf(net).call<{ vin: { txid: string; vout: number }[] }>(
      "getrawtransaction",
      [record.commitmentTxid, 1],
    );
    expect(commitment.vin).toContainEqual(expect.objectContaining({ txid: sentTxid, vout: record.vout }));
    expect(lines.some((l) => l.includes("batch finalized"))).toBe(true);
  });

  it("offboards Y sats to an LND address: LND onchain +Y exactly, Ark −(Y + intent fee), change back", async () => {
    const address = await onchain.newAddress();
    const lndBefore = await lndOnchainSats();
    const arkBefore = (await wallet.balance()).spendableSats;
    expect(arkBefore).toBe(boardedVtxoSats);
    const res = await wallet.offboard({ amountSats: OFFBOARD_SATS, address });
    expect(res.amountSats).toBe(OFFBOARD_SATS);
    expect(res.feeSats).toBe(expectedFeeSats());
    expect(res.change?.amountSats).toBe(arkBefore - OFFBOARD_SATS - expectedFeeSats());

    // Ark: only the change is left, at our script, and the wallet's balance agrees
    expect(await indexerAt()).toEqual([[res.change?.outpoint, res.change?.amountSats]]);
    expect(arkBefore - (await wallet.balance()).spendableSats).toBe(OFFBOARD_SATS + expectedFeeSats());

    // LND: the commitment tx pays it Y; once mined, LND's onchain balance is up by exactly Y
    const commitment = await btcdOf(net).call<{
      vout: { value: number; scriptPubKey: { address?: string } }[];
    }>("getrawtransaction", [res.commitmentTxid, 1]);
    const paid = commitment.vout.filter((o) => o.scriptPubKey.address === address);
    expect(paid.map((o) => Math.round(o.value * 1e8))).toEqual([Number(OFFBOARD_SATS)]);
    await mine(net, 1);
    const after = await waitFor(
      "LND to see the offboard",
      30_000,
      async () => {
        const b = await getOnchainBalances(lnd);
        return b.pendingSats === 0n && b.confirmedSats + b.pendingSats !== lndBefore ? b : undefined;
      },
      500,
    );
    expect(after.confirmedSats - lndBefore).toBe(OFFBOARD_SATS);
  });
});
