/**
 * Recovery of a swept VTXO on the REAL arkd: our wallet redeems a note into a batch, we mine
 * past that batch's sweep deadline (confirmation height + 144, as sweep.test.ts proves), arkd
 * sweeps it (recoverable: swept, not spent), and the renewal scheduler, started only then,
 * settles it into a new batch by itself: no forfeit (arkd asks none for a swept VTXO), new
 * amount = old amount − the intent fee (0 on this regtest arkd, whose fee programs are empty).
 * Mines ~150 blocks: it runs in the sequential e2e-ark project, and later files fund afresh.
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrpcArkClient, type ArkServerPort } from "../../../src/ark/client/index.js";
import { BatchDeadlines, withBatchDeadlines } from "../../../src/ark/expiry/index.js";
import { RenewalScheduler } from "../../../src/ark/renewal/index.js";
import { ArkWallet, createPgBatchStore, createPgWalletStore } from "../../../src/ark/wallet/index.js";
import type { WalletLogger } from "../../../src/ark/wallet/logger.js";
import { createDatabase, type Database } from "../../../src/db/client.js";
import { migrateToLatest } from "../../../src/db/migrator.js";
import { connectLnd } from "../../../src/lightning/lnd/index.js";
import type { LndContext } from "../../../src/lightning/lnd/context.js";
import { createLndChain } from "../../../src/lightning/lnd/lnd-chain.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { waitFor } from "../../../src/regtest/process.js";
import { arkAdmin, arkOf, vtxosAt } from "../helpers/ark.js";
import { btcdOf, mine } from "../helpers/chain.js";
import { loadNetwork } from "../helpers/network.js";

const SCHEMA = `e2e_swept_${process.pid}_${Date.now().toString(36)}`;
const NOTE_SATS = 17_171;

interface Line {
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

function recorder(): WalletLogger & { lines: Line[] } {
  const lines: Line[] = [];
  const at = (fields: Record<string, unknown>, msg: string) => void lines.push({ msg, fields });
  return { lines, debug: at, info: at, warn: at, error: at };
}

let net: NetworkFile;
let ark: ArkServerPort;
let db: Database;
let lnd: LndContext;
let wallet: ArkWallet;
let scheduler: RenewalScheduler | undefined;
const walletLog = recorder();
const renewalLog = recorder();

beforeAll(async () => {
  net = loadNetwork();
  ark = createGrpcArkClient({ address: arkOf(net).arkdUrl.replace(/^https?:\/\//, "") });
  db = createDatabase({ connectionString: net.postgres.url, schema: SCHEMA, maxConnections: 4 });
  await migrateToLatest(db.db, SCHEMA);
  lnd = connectLnd({
    socket: net.lnd.alice.grpcSocket,
    cert: net.lnd.alice.tlsCertPath,
    macaroon: net.lnd.alice.adminMacaroonPath,
  });
  const chain = createLndChain(lnd);
  // as the gateway composes it: VTXOs carry their derived (block) sweep deadline
  wallet = new ArkWallet({
    ark: withBatchDeadlines(ark, new BatchDeadlines({ mode: "blocks", indexer: ark, chain })),
    store: createPgWalletStore(db.db),
    batchStore: createPgBatchStore(db.db),
    seed: Uint8Array.from(randomBytes(32)),
    log: walletLog,
    options: { maintenanceIntervalMs: 0, batchTimeoutMs: 120_000 },
  });
  await wallet.start();
});

afterAll(async () => {
  await scheduler?.stop();
  await wallet?.stop();
  ark?.close();
  lnd?.rpc.close();
  if (db !== undefined) {
    await sql`drop schema if exists ${sql.id(SCHEMA)} cascade`.execute(db.db);
    await db.close();
  }
});

const rowOf = (outpoint: string) =>
  db.db
    .selectFrom("wallet_vtxos")
    .select(["state", "amount_sats", "reserved_for"])
    .where("outpoint", "=", outpoint)
    .executeTakeFirst();

describe("a swept VTXO recovered through a batch by the renewal scheduler (real arkd)", () => {
  it("arkd sweeps it; the scheduler settles it into a new VTXO of the same sats minus the fee", async () => {
    const info = await ark.getInfo();
    const p = info.fees?.intentFee;
    expect([p?.offchainInput, p?.offchainOutput].every((x) => x === undefined || x === "" || x === "0")).toBe(
      true,
    );
    const fee = 0n;
    const [note] = await arkAdmin(net).createNotes(NOTE_SATS, 1);
    const redeemed = await wallet.redeemNotes([note as string]);
    expect(redeemed.amountSats).toBe(BigInt(NOTE_SATS) - fee);
    await mine(net, 1); // confirm the commitment tx
    const tip = BigInt(await btcdOf(net).height());
    await waitFor("LND at the tip", 30_000, async () =>
      BigInt(await createLndChain(lnd).tipHeight()) >= tip ? true : undefined,
    );
    await wallet.rescan();
    const [candidate] = await wallet.renewalCandidates();
    expect(candidate).toMatchObject({ outpoint: redeemed.outpoint, swept: false, sweepDeadline: tip + 144n });

    await mine(net, 145);
    const script = (await wallet.walletInfo()).script;
    await waitFor(
      "arkd's sweep",
      180_000,
      async () => {
        const v = (await vtxosAt(net, script, true)).find((c) => `${c.txid}:${c.vout}` === redeemed.outpoint);
        return v?.virtualStatus.state === "swept" && !v.isSpent ? v : undefined;
      },
      2_000,
    );
    await wallet.rescan();
    expect(await rowOf(redeemed.outpoint)).toMatchObject({ state: "swept", reserved_for: null });
    expect(await wallet.balance()).toEqual({ spendableSats: 0n, vtxoCount: 0 });

    scheduler = new RenewalScheduler({
      wallet,
      tipHeight: async () => BigInt(await createLndChain(lnd).tipHeight()),
      log: renewalLog,
      options: {
        margins: { offchainSeconds: 60n, sweepBlocks: 10n, sweepSeconds: 3_600n },
        intervalMs: 5_000,
        maxInputs: 8,
        stopGraceMs: 10_000,
      },
    });
    scheduler.start();
    const fresh = await waitFor(
      "the recovered VTXO",
      180_000,
      async () => {
        const unspent = await vtxosAt(net, script);
        return unspent.length === 1 && unspent[0]?.virtualStatus.state === "settled" ? unspent[0] : undefined;
      },
      2_000,
    );
    await scheduler.stop();
    const outpoint = `${fresh.txid}:${fresh.vout}`;
    expect(BigInt(fresh.value)).toBe(redeemed.amountSats - fee);
    const old = (await vtxosAt(net, script, true)).find((c) => `${c.txid}:${c.vout}` === redeemed.outpoint);
    expect(old?.isSpent).toBe(true);

    const done = renewalLog.lines.find((l) => l.msg === "VTXOs renewed");
    expect(done?.fields).toMatchObject({
      inputs: 1,
      inputSats: redeemed.amountSats.toString(),
      feeSats: fee.toString(),
      amountSats: (redeemed.amountSats - fee).toString(),
      outpoint,
      reasons: { swept: 1 },
    });
    // no forfeit: arkd made no connector for the swept input
    const forfeits = walletLog.lines.filter((l) => l.fields.step === "forfeits_sent");
    expect(forfeits.at(-1)?.fields.forfeits).toBe(0);
    expect(await rowOf(redeemed.outpoint)).toMatchObject({ state: "spent", reserved_for: null });
    expect(await rowOf(outpoint)).toMatchObject({
      state: "spendable",
      amount_sats: redeemed.amountSats - fee,
    });
    expect(await wallet.balance()).toEqual({ spendableSats: redeemed.amountSats - fee, vtxoCount: 1 });
  });
});
