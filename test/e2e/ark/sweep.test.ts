/**
 * The sweep deadline on the real arkd, against the gateway's derivation of it
 * (src/ark/expiry/batch-deadlines.ts): a VTXO of a block-typed batch is swept at the commitment
 * tx's confirmation height + the tree expiry (144), not at arkd's `expires_at`. We redeem a note
 * with our own wallet, derive the deadline through LND's chain, mine to one block before it (not
 * swept), then past it: arkd sweeps, the indexer reports the VTXO swept and no longer spendable.
 * Mines ~150 blocks: it runs in the sequential e2e-ark project, and later files fund afresh.
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrpcArkClient, type ArkServerPort } from "../../../src/ark/client/index.js";
import { BatchDeadlines } from "../../../src/ark/expiry/index.js";
import { ArkWallet, createPgWalletStore } from "../../../src/ark/wallet/index.js";
import { createDatabase, type Database } from "../../../src/db/client.js";
import { migrateToLatest } from "../../../src/db/migrator.js";
import { connectLnd } from "../../../src/lightning/lnd/index.js";
import type { LndContext } from "../../../src/lightning/lnd/context.js";
import { createLndChain } from "../../../src/lightning/lnd/lnd-chain.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { waitFor } from "../../../src/regtest/process.js";
import { arkAdmin, arkOf } from "../helpers/ark.js";
import { btcdOf, mine } from "../helpers/chain.js";
import { loadNetwork } from "../helpers/network.js";

const SCHEMA = `e2e_sweep_${process.pid}_${Date.now().toString(36)}`;

let net: NetworkFile;
let ark: ArkServerPort;
let db: Database;
let lnd: LndContext;
let wallet: ArkWallet;

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
  wallet = new ArkWallet({
    ark,
    store: createPgWalletStore(db.db),
    seed: Uint8Array.from(randomBytes(32)),
    options: { maintenanceIntervalMs: 0 },
  });
  await wallet.start();
});

afterAll(async () => {
  await wallet?.stop();
  ark?.close();
  lnd?.rpc.close();
  if (db !== undefined) {
    await sql`drop schema if exists ${sql.id(SCHEMA)} cascade`.execute(db.db);
    await db.close();
  }
});

describe("sweep deadline of a block-typed batch (real arkd)", () => {
  it("is the commitment's confirmation height + 144: not swept one block before, swept after", async () => {
    const [note] = await arkAdmin(net).createNotes(5_000, 1);
    const redeemed = await wallet.redeemNotes([note as string]);
    await mine(net, 1); // confirm the commitment tx
    const [txid, vout] = redeemed.outpoint.split(":");
    const read = async () =>
      (await ark.getVtxos({ outpoints: [{ txid: txid!, vout: Number(vout) }] })).vtxos[0];
    const vtxo = await waitFor("the VTXO in the indexer", 30_000, read);
    // arkd's own expires_at: a unix time, the batch's end + 144 "seconds".
    expect(vtxo.expiresAt).toBeGreaterThan(500_000_000n);
    const chain = createLndChain(lnd);
    const deadlines = new BatchDeadlines({ mode: "blocks", indexer: ark, chain });
    const tip = BigInt(await btcdOf(net).height());
    await waitFor("LND at the tip", 30_000, async () =>
      BigInt(await chain.tipHeight()) >= tip ? true : undefined,
    );
    const deadline = await deadlines.deadlineOf(vtxo);
    expect(deadline).toBe(tip + 144n); // confirmed in the block just mined

    await mine(net, Number(deadline! - tip) - 1);
    await new Promise((r) => setTimeout(r, 25_000)); // arkd polls the tip every 10 s
    expect((await read())?.flags.swept).toBe(false);

    await mine(net, 2);
    const swept = await waitFor("arkd's sweep", 120_000, async () => {
      const v = await read();
      return v?.flags.swept === true ? v : undefined;
    });
    expect(swept.flags.spent).toBe(false);
    const spendable = await ark.getVtxos({ scripts: [vtxo.script], status: "spendable" });
    expect(spendable.vtxos.map((v) => `${v.outpoint.txid}:${v.outpoint.vout}`)).not.toContain(
      redeemed.outpoint,
    );
  });
});
