/**
 * The swap e2e world on the real regtest network: a gateway (createGateway) on alice's LND, the
 * real arkd and the network's Postgres (a schema of its own per test file); a client wallet of
 * our own Ark core (its own seed and schema) playing the user; bob's LND paying and being paid.
 * Ark funds come from arkd admin notes each wallet redeems in a real batch (our own batch
 * client). `balances()` reads every party, so each test checks every sat.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGateway, configFromSettings, type Gateway } from "../../../src/gateway/create-gateway.js";
import { createGatewayLogger } from "../../../src/gateway/logger.js";
import {
  openClientWallet,
  waitForBalance,
  type ClientWallet,
} from "../../../src/cli/sandbox/client-wallet.js";
import { GatewayApi, type CreatedSubmarineWire } from "../../../src/cli/sandbox/http-client.js";
import type { EngineKnobs } from "../../../src/swaps/settings.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { waitFor } from "../../../src/regtest/process.js";
import { arkOf } from "../helpers/ark.js";
import { btcdOf } from "../helpers/chain.js";
import { regtestChainBlocks } from "../../../src/regtest/btcd-chain-blocks.js";
import { minFundingBatchExpiry } from "../../../src/domain/timeout-chain.js";
import { channelBalanceMsat, lightningSettled } from "../helpers/lightning.js";
import { arkHoldings } from "./client-side.js";
import { ArkdAdminClient } from "../../../src/regtest/ark/admin-client.js";
import pg from "pg";

export interface Balances {
  /** The client's Ark holdings (unspent, unswept VTXOs at its script, per arkd's indexer). */
  readonly client: bigint;
  /** The gateway's Ark holdings, the same way. */
  readonly gateway: bigint;
  /** Local channel balances, in msat (routing fees are msat amounts). */
  readonly alice: bigint;
  readonly bob: bigint;
  readonly carol: bigint;
}

export interface SwapWorld {
  readonly net: NetworkFile;
  readonly gateway: Gateway;
  readonly api: GatewayApi;
  readonly client: ClientWallet;
  balances(): Promise<Balances>;
  /**
   * Redeems a fresh arkd admin note of `sats` into the gateway's and the client's wallets (our own
   * batch client). arkd refuses offchain spends of a VTXO past its expires_at, which on the
   * block-typed regtest arkd is its batch's end + 144 s: tests that run longer top up first.
   */
  freshFunds(sats: number): Promise<void>;
  /**
   * The `minBatchExpiry` with which the client funds a submarine VHTLC, as a careful wallet does:
   * only coins whose batch (sweep deadline, in the gateway's locktime unit) outlives the swap's
   * refund locktime by the gateway's margin. The gateway refuses any other funding
   * (`batch_expiry_too_soon`), and a world's first coins are old once a test file has mined
   * ~70 blocks (e.g. onchain-watcher.test.ts).
   */
  minBatchExpiry(created: Pick<CreatedSubmarineWire, "timeoutBlockHeights">): bigint;
  /**
   * What the gateway knows of a swap, for a failure message: status, failure reason, its last
   * events (from the gateway's own event log), and the chain tip.
   */
  swapReport(id: string): Promise<string>;
  /**
   * `waitFor` that, when it times out, says where the swap stands (swapReport): a CI log then
   * tells why, with no gateway log.
   */
  waitForSwap<T>(
    id: string,
    what: string,
    timeoutMs: number,
    check: () => Promise<T | undefined | false | null>,
    intervalMs?: number,
  ): Promise<T>;
  /** Restarts the gateway process-equivalent (stop + a new createGateway on the same schema and seed). */
  restartGateway(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

export interface WorldOptions {
  /** Extra gateway settings (config file keys), e.g. `{ reverseInvoiceExpirySeconds: 60 }`. */
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly engine?: Partial<EngineKnobs>;
  /** Another arkd than the network's (e.g. the seconds-typed one of seconds-arkd.ts). */
  readonly ark?: { readonly arkdUrl: string; readonly arkdAdminUrl: string };
}

/**
 * @param net the network under test
 * @param fundSats Ark funds for the gateway and for the client each
 */
export async function openSwapWorld(
  net: NetworkFile,
  fundSats: number,
  opts: WorldOptions = {},
): Promise<SwapWorld> {
  const ark = opts.ark ?? arkOf(net);
  const tag = `e2e_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const gatewaySchema = `${tag}_gateway`;
  const dir = mkdtempSync(join(tmpdir(), "swap-e2e-"));
  const config = configFromSettings({
    network: "regtest",
    dataDir: dir,
    logLevel: "warn",
    listen: { host: "127.0.0.1", port: 0 },
    arkd: { url: ark.arkdUrl },
    lnd: {
      socket: net.lnd.alice.grpcSocket,
      certPath: net.lnd.alice.tlsCertPath,
      macaroonPath: net.lnd.alice.adminMacaroonPath,
    },
    database: { url: net.postgres.url },
    seed: { file: join(dir, "gateway.seed") },
    ...opts.settings,
  });
  const start = async (): Promise<Gateway> => {
    const g = createGateway({
      config,
      logger: createGatewayLogger((process.env["E2E_GATEWAY_LOG"] ?? "warn") as "warn"),
      database: { schema: gatewaySchema },
      engine: { reconcileIntervalMs: 2_000, ...opts.engine },
    });
    await g.start();
    return g;
  };
  let gateway = await start();
  // The client knows its coins' real batch deadlines, as the gateway does (minBatchExpiry)
  const client = await openClientWallet(
    ark.arkdUrl,
    net.postgres.url,
    join(dir, "client.seed"),
    `${tag}_client`,
    {
      deadlines: { mode: config.timeouts.mode, chain: regtestChainBlocks(net.dataDir) },
    },
  );

  const world: SwapWorld = {
    net,
    get gateway() {
      return gateway;
    },
    get api() {
      return new GatewayApi(gateway.http!.url);
    },
    client,
    async balances() {
      await lightningSettled(net);
      const [c, g, a, b, k] = await Promise.all([
        arkHoldings(client.wallet),
        arkHoldings(gateway.wallet!),
        channelBalanceMsat(net, "alice"),
        channelBalanceMsat(net, "bob"),
        channelBalanceMsat(net, "carol"),
      ]);
      return {
        client: c,
        gateway: g,
        alice: a,
        bob: b,
        carol: k,
      };
    },
    async freshFunds(sats) {
      const admin = new ArkdAdminClient(ark.arkdAdminUrl);
      for (const wallet of [gateway.wallet!, client.wallet]) {
        const [note] = await admin.createNotes(sats, 1);
        await wallet.redeemNotes([note!]);
        await waitForBalance(wallet, BigInt(sats));
      }
    },
    minBatchExpiry(created) {
      return minFundingBatchExpiry(BigInt(created.timeoutBlockHeights.refund), config.timeouts);
    },
    async swapReport(id) {
      return swapReport(net, gateway, gatewaySchema, id);
    },
    async waitForSwap(id, what, timeoutMs, check, intervalMs) {
      try {
        return await waitFor(what, timeoutMs, check, intervalMs);
      } catch (err) {
        const report = await world.swapReport(id).catch((e: unknown) => `no report: ${String(e)}`);
        throw new Error(`${(err as Error).message}\n${report}`, { cause: err });
      }
    },
    async restartGateway() {
      await gateway.stop();
      gateway = await start();
    },
    async close() {
      await client.close().catch(() => undefined);
      await gateway.stop().catch(() => undefined);
    },
  };
  // Both wallets redeem an arkd admin note in a real batch (our own batch client), on whichever
  // arkd the world uses.
  await world.freshFunds(fundSats);
  return world;
}

/** Most events a swap report lists (the last ones). */
const REPORT_EVENTS = 12;

async function swapReport(net: NetworkFile, gateway: Gateway, schema: string, id: string): Promise<string> {
  const swap = await gateway.service.get(id);
  const tip = await btcdOf(net)
    .height()
    .catch(() => undefined);
  const db = new pg.Client({ connectionString: net.postgres.url });
  await db.connect();
  try {
    const { rows } = await db.query<{
      created_at: Date;
      from_status: string | null;
      to_status: string;
      event: string;
      data: unknown;
    }>(
      `select created_at, from_status, to_status, event, data from "${schema}".swap_events
        where swap_id = $1 order by id desc limit ${REPORT_EVENTS}`,
      [id],
    );
    const events = rows
      .reverse()
      .map(
        (e) =>
          `  ${e.created_at.toISOString()} ${e.from_status ?? "-"} → ${e.to_status} (${e.event}) ${JSON.stringify(e.data)}`,
      );
    return [
      `swap ${id} (${swap.type}): status ${swap.status}, failure reason ${swap.failureReason ?? "none"}, chain tip ${tip ?? "?"}`,
      `its last events (gateway schema ${schema}):`,
      ...events,
    ].join("\n");
  } finally {
    await db.end();
  }
}
