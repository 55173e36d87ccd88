/**
 * Chain status routes: NBXplorer `/status` and `/fees/{blocks}`, and the esplora-style
 * `/blocks/tip/height` (plain text) arkd's block scheduler polls every 10 s.
 */
import type { Explorer } from "../explorer.js";
import { HttpError, requireBtc, sendJson, sendText, type Router } from "../http.js";
import type { FeeRateResponse, StatusResponse } from "../types.js";

/** btcd's default minimum relay fee: 1000 sat/kvB = 1 sat/vB. */
export const MIN_RELAY_SAT_PER_VB = 1;

/** Registers the status routes. */
export function registerStatusRoutes(router: Router, explorer: Explorer): void {
  router.on("GET", "/v1/cryptos/:crypto/status", async (ctx) => {
    requireBtc(ctx);
    await explorer.sync.refresh().catch(() => undefined);
    const nodeHeight = explorer.sync.nodeHeight;
    const synced =
      explorer.sync.error === undefined && nodeHeight >= 0 && explorer.index.height === nodeHeight;
    const body: StatusResponse = {
      bitcoinStatus: {
        blocks: Math.max(nodeHeight, 0),
        headers: Math.max(nodeHeight, 0),
        verificationProgress: 1,
        isSynched: synced,
        incrementalRelayFee: MIN_RELAY_SAT_PER_VB,
        minRelayTxFee: MIN_RELAY_SAT_PER_VB,
        capabilities: {
          canScanTxoutSet: true,
          canSupportSegwit: true,
          canSupportTaproot: true,
          canSupportTransactionCheck: true,
        },
      },
      isFullySynched: synced,
      syncHeight: explorer.index.height,
      networkType: explorer.network.nbxNetworkType,
      cryptoCode: "BTC",
      instanceName: "ark-ln-gateway regtest nbxplorer (btcd)",
      version: "2.5.0-btcd",
    };
    sendJson(ctx.res, 200, body);
  });

  router.on("GET", "/v1/cryptos/:crypto/fees/:blocks", async (ctx) => {
    requireBtc(ctx);
    const blocks = Number.parseInt(ctx.params.blocks ?? "", 10);
    if (!Number.isInteger(blocks) || blocks < 1)
      throw new HttpError(400, "invalid-blocks", "blocks must be ≥ 1");
    const body: FeeRateResponse = { feeRate: await estimateSatPerVb(explorer, blocks), blockCount: blocks };
    sendJson(ctx.res, 200, body);
  });

  router.on("GET", "/blocks/tip/height", async (ctx) => {
    sendText(ctx.res, 200, String(await explorer.rpc.getBlockCount()));
  });

  router.on("GET", "/blocks/tip/hash", async (ctx) => {
    const height = await explorer.rpc.getBlockCount();
    sendText(ctx.res, 200, await explorer.rpc.getBlockHash(height));
  });
}

/**
 * btcd's `estimatefee` (BTC/kB) in sat/vB; btcd answers 0 or -1 without enough fee data
 * (always on a fresh regtest chain), then the minimum relay fee is the honest estimate.
 */
async function estimateSatPerVb(explorer: Explorer, blocks: number): Promise<number> {
  try {
    const btcPerKb = await explorer.rpc.call<number>("estimatefee", [blocks]);
    if (btcPerKb > 0) return Math.max(MIN_RELAY_SAT_PER_VB, (btcPerKb * 1e8) / 1000);
  } catch {
    // fall through to the floor
  }
  return MIN_RELAY_SAT_PER_VB;
}
