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
import { GatewayApi } from "../../../src/cli/sandbox/http-client.js";
import type { EngineKnobs } from "../../../src/swaps/settings.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { arkOf } from "../helpers/ark.js";
import { channelBalanceMsat, lightningSettled } from "../helpers/lightning.js";
import { arkHoldings } from "./client-side.js";
import { ArkdAdminClient } from "../../../src/regtest/ark/admin-client.js";

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
      database: { schema: `${tag}_gateway` },
      engine: { reconcileIntervalMs: 2_000, ...opts.engine },
    });
    await g.start();
    return g;
  };
  let gateway = await start();
  const client = await openClientWallet(
    ark.arkdUrl,
    net.postgres.url,
    join(dir, "client.seed"),
    `${tag}_client`,
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
