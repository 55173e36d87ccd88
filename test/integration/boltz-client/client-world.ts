/**
 * One world for the client-compatibility tests: the gateway built by `createGateway` on the real
 * engine, the real Postgres of the integration project and the HTTP API on 127.0.0.1:0, with
 * the engine's fake LND (behind real BOLT11 strings) and the faithful fake arkd as `arkServer`
 * (so the gateway's own Ark wallet, tx core and VHTLC code run); and on the other side a wallet
 * as a user has it: the SDK's `Wallet` on the same fake arkd, driven through
 * `@arkade-os/boltz-swap` (`ArkadeLightning` + `BoltzSwapProvider` pointed at our API).
 */
import { ArkAddress, SingleKey, Wallet } from "@arkade-os/sdk";
import { ArkadeLightning, BoltzSwapProvider, setLogger } from "@arkade-os/boltz-swap";
import { hex } from "@scure/base";
import { p2tr } from "@scure/btc-signer";
import { WebSocket as NodeWebSocket } from "ws";
import { createGateway, type Gateway } from "../../../src/gateway/create-gateway.js";
import { createGatewayLogger } from "../../../src/gateway/logger.js";
import { FakeArkd } from "../../fakes/fake-arkd.js";
import { FakeChain } from "../../fakes/fake-chain.js";
import { FakeLightning } from "../../fakes/fake-lightning.js";
import { fakeSettings } from "../gateway/fake-world.js";
import { Bolt11Lightning } from "./bolt11-lightning.js";
import { noOnchainProvider, sdkArkProvider, sdkIndexerProvider } from "./sdk-over-fake-arkd.js";

/** Fees and limits the tests assert on the wire (percent of the amount + a flat fee). */
export const FEES = {
  submarine: { percent: "0.1", baseSats: 5 },
  reverse: { percent: "0.25", baseSats: 7 },
} as const;
export const LIMITS = { minSats: 1_000, maxSats: 1_000_000 } as const;

/** Batch expiry of minted VTXOs: a height far beyond every VHTLC refund locktime. */
const BATCH_EXPIRY = 100_000n;
export const WALLET_START_SATS = 300_000n;
export const GATEWAY_START_SATS = 2_000_000n;

const REGTEST = { bech32: "bcrt", pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef };

export interface ClientWorld {
  readonly gateway: Gateway;
  readonly chain: FakeChain;
  readonly ln: Bolt11Lightning;
  readonly arkd: FakeArkd;
  readonly wallet: Wallet;
  readonly walletKey: SingleKey;
  readonly swapProvider: BoltzSwapProvider;
  readonly lightning: ArkadeLightning;
  /** The wallet's spendable sats at its own address (as arkd sees them). */
  walletSats(): Promise<bigint>;
  /** Spendable sats at an Ark address. */
  satsAt(address: string): Promise<bigint>;
  stop(): Promise<void>;
}

export function scriptOf(address: string): string {
  return hex.encode(ArkAddress.decode(address).pkScript);
}

/** The client uses the platform WebSocket (global on Node ≥ 22); on Node 20 `ws` stands in. */
function ensureGlobalWebSocket(): void {
  const g = globalThis as { WebSocket?: unknown };
  if (g.WebSocket === undefined) g.WebSocket = NodeWebSocket;
}

export async function startClientWorld(databaseUrl: string, schema: string): Promise<ClientWorld> {
  ensureGlobalWebSocket();
  setLogger({ log: () => undefined, warn: () => undefined, error: () => undefined });
  const chain = new FakeChain();
  const ln = new Bolt11Lightning(new FakeLightning(chain));
  const arkd = new FakeArkd();
  // The SDK's Wallet parses the forfeit address: give the fake a real regtest one.
  arkd.info = { ...arkd.info, forfeitAddress: p2tr(arkd.serverXOnly, undefined, REGTEST).address as string };

  const gateway = createGateway({
    config: {
      settings: {
        ...fakeSettings(databaseUrl),
        fees: { submarine: FEES.submarine, reverse: FEES.reverse },
        limits: { submarine: LIMITS, reverse: LIMITS },
      },
      env: { GATEWAY_SEED: "5a".repeat(32) },
    },
    logger: createGatewayLogger("silent"),
    // as main.ts wires a real arkd: VTXOs carry their batch's sweep deadline (see FakeArkd.mint)
    ports: { lightning: ln, arkServer: arkd.withDeadlines() },
    database: { schema },
    engine: { reconcileIntervalMs: 1_000 },
  });
  await gateway.start();
  const http = gateway.http;
  if (http === undefined) throw new Error("the gateway has no HTTP API");
  // The gateway's liquidity for reverse swaps: a VTXO at its own Ark address.
  const { address: gatewayAddress } = await gateway.walletSummary();
  if (gatewayAddress === undefined) throw new Error("the gateway has no Ark wallet");
  arkd.mint(scriptOf(gatewayAddress), GATEWAY_START_SATS, BATCH_EXPIRY);

  const arkProvider = sdkArkProvider(arkd);
  const indexerProvider = sdkIndexerProvider(arkd);
  const walletKey = SingleKey.fromHex("7b".repeat(32));
  const wallet = await Wallet.create({
    identity: walletKey,
    arkProvider,
    indexerProvider,
    onchainProvider: noOnchainProvider(),
    arkServerUrl: "http://fake-arkd.invalid",
  });
  arkd.mint(scriptOf(await wallet.getAddress()), WALLET_START_SATS, BATCH_EXPIRY);

  const swapProvider = new BoltzSwapProvider({ apiUrl: http.url, network: "regtest" });
  const lightning = new ArkadeLightning({ wallet, swapProvider, arkProvider, indexerProvider });

  const satsAt = async (address: string): Promise<bigint> => {
    const { vtxos } = await arkd.getVtxos({ scripts: [scriptOf(address)], status: "spendable" });
    return vtxos.reduce((s, v) => s + v.amountSats, 0n);
  };
  return {
    gateway,
    chain,
    ln,
    arkd,
    wallet,
    walletKey,
    swapProvider,
    lightning,
    satsAt,
    walletSats: async () => satsAt(await wallet.getAddress()),
    stop: async () => {
      await lightning.dispose();
      await gateway.stop();
    },
  };
}
