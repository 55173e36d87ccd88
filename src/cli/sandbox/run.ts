/**
 * The sandbox, step by step: preflight → regtest network → the gateway on alice's LND, arkd and
 * the network's Postgres → Ark funds for the gateway and for a client wallet (admin notes
 * redeemed in a batch by each wallet, our own Ark core) → one submarine and one reverse swap.
 */
import { join } from "node:path";
import { createGateway, type Gateway } from "../../gateway/create-gateway.js";
import { configFromSettings } from "../../gateway/create-gateway.js";
import { createGatewayLogger } from "../../gateway/logger.js";
import type { ArkWallet } from "../../ark/wallet/index.js";
import { openClientWallet, waitForBalance, type ClientWallet } from "./client-wallet.js";
import { GatewayApi } from "./http-client.js";
import { sat, type Progress } from "./progress.js";
import { loadRegtestTooling, preflight, type NetworkFile } from "./regtest.js";
import { runReverseSwap, runSubmarineSwap } from "./swaps.js";

export interface SandboxOptions {
  readonly listen: { readonly host: string; readonly port: number };
  /** Ark funds given to the gateway (it locks reverse swaps from them) and to the client. */
  readonly fundSats: number;
  readonly submarineSats: number;
  readonly reverseSats: number;
}

export interface RunningSandbox {
  readonly gateway: Gateway;
  readonly net: NetworkFile;
  stop(): Promise<void>;
}

/**
 * Runs every step; leaves the gateway running (stop() ends it, the network stays up).
 * @throws SandboxError with what to do, GatewayError from the gateway
 */
export async function runSandbox(opts: SandboxOptions, p: Progress): Promise<RunningSandbox> {
  const tooling = await loadRegtestTooling();
  preflight(tooling, p);

  p.step("regtest network: btcd, arkd, three LND nodes (alice = the gateway's), Postgres");
  const paths = tooling.paths.networkPaths();
  const net = await tooling.network.up(paths, (line) => p.info(line));
  if (net.ark === null) throw new Error("the regtest network came up without arkd");
  const dir = join(paths.dataDir, "sandbox");

  p.step("gateway: alice's LND + arkd + Postgres (schema sandbox_gateway)");
  const config = configFromSettings({
    network: "regtest",
    dataDir: dir,
    logLevel: "warn",
    listen: opts.listen,
    arkd: { url: net.ark.arkdUrl },
    lnd: {
      socket: net.lnd.alice.grpcSocket,
      certPath: net.lnd.alice.tlsCertPath,
      macaroonPath: net.lnd.alice.adminMacaroonPath,
    },
    database: { url: net.postgres.url },
    seed: { file: join(dir, "gateway.seed") },
  });
  const gateway = createGateway({
    config,
    logger: createGatewayLogger("warn"),
    database: { schema: "sandbox_gateway" },
  });
  await gateway.start();
  const http = gateway.http;
  if (http === undefined || gateway.wallet === undefined)
    throw new Error("the gateway started without HTTP or wallet");
  p.info(`API ${http.url}, wallet ${(await gateway.walletSummary()).address ?? "?"}`);
  let client: ClientWallet | undefined;
  try {
    p.step(`funding: ${sat(opts.fundSats)} each for the gateway and the client (arkd admin notes)`);
    const admin = new tooling.admin.ArkdAdminClient(net.ark.arkdAdminUrl);
    const gatewayWallet = gateway.wallet;
    const redeemed = await redeemNote(admin, gatewayWallet, opts.fundSats);
    p.info(`gateway: note redeemed in batch ${redeemed.commitmentTxid}: ${sat(redeemed.amountSats)}`);
    p.info(`gateway balance: ${sat(await waitForBalance(gatewayWallet, redeemed.amountSats))}`);
    // the client knows its coins' batch deadlines, so it funds a VHTLC only with coins the
    // gateway accepts (a coin of an earlier run, 67+ blocks old, would be refused)
    client = await openClientWallet(net.ark.arkdUrl, net.postgres.url, join(dir, "client.seed"), undefined, {
      deadlines: { mode: config.timeouts.mode, chain: tooling.chain.regtestChainBlocks(net.dataDir) },
    });
    const forClient = await redeemNote(admin, client.wallet, opts.fundSats);
    p.info(
      `client ${client.address.slice(0, 24)}…: note redeemed in batch ${forClient.commitmentTxid}: ${sat(forClient.amountSats)}`,
    );
    p.info(`client balance: ${sat(await waitForBalance(client.wallet, forClient.amountSats))}`);

    const bobLnd = tooling.ln.connectLnd(net.lnd.bob);
    const ln = tooling.ln.lnService();
    const bob = {
      createInvoice: (sats: number, description: string) =>
        ln.createInvoice({ lnd: bobLnd, tokens: sats, description }),
      pay: async (request: string) => ({
        feeSats: (await ln.pay({ lnd: bobLnd, request, max_fee: 1_000, pathfinding_timeout: 60_000 })).fee,
      }),
    };
    const driver = {
      api: new GatewayApi(http.url),
      client: client.wallet,
      bob,
      progress: p,
      batchExpiryMargin: config.timeouts.batchExpiryMargin,
    };
    await runSubmarineSwap(driver, opts.submarineSats);
    await runReverseSwap(driver, opts.reverseSats);
  } catch (err) {
    await client?.close().catch(() => undefined);
    await gateway.stop();
    throw err;
  }
  const opened = client;
  return {
    gateway,
    net,
    async stop() {
      await opened.close().catch(() => undefined);
      await gateway.stop();
    },
  };
}

/** Mints an arkd admin note of `sats` and redeems it into `wallet` in the next batch. */
async function redeemNote(
  admin: { createNotes(sats: number, quantity?: number): Promise<string[]> },
  wallet: ArkWallet,
  sats: number,
): Promise<{ commitmentTxid: string; amountSats: bigint }> {
  const [note] = await admin.createNotes(sats, 1);
  if (note === undefined) throw new Error("arkd minted no note");
  const r = await wallet.redeemNotes([note]);
  return { commitmentTxid: r.commitmentTxid, amountSats: r.amountSats };
}
