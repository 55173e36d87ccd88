/**
 * The Ark half of the regtest network (see ark-stack-contract.ts): the NBXplorer-compatible
 * service over btcd, arkd-wallet and arkd (light mode), arkd's wallet initialized, unlocked,
 * synced and funded. Idempotent: reuses what runs and answers, (re)starts the rest.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  ARK_PROCESS_NAMES,
  type ArkStackContext,
  type ArkStackResult,
  type ComponentHealth,
} from "./ark-stack-contract.js";
import { ArkdAdminClient, btcStringToSats } from "./ark/admin-client.js";
import {
  ARKD_ADMIN_URL,
  ARKD_URL,
  ARKD_WALLET_ADDR,
  NBXPLORER_URL,
  arkDirs,
  arkdProcess,
  arkdWalletProcess,
  nbxplorerProcess,
} from "./ark/processes.js";
import { runningPid, startProcess, stopProcess, waitFor, waitForPort } from "./process.js";
import { ARKD_WALLET_PASSWORD, PORTS } from "./settings.js";

/** arkd's on-chain liquidity target: fund when its available balance is below the minimum. */
export const ARKD_FUNDING = { minSats: 200_000_000n, outputs: 4, outputSats: 250_000_000n } as const;
/** Confirmations of the funding transaction before arkd may use it. */
export const ARKD_FUNDING_CONFIRMATIONS = 3;

interface ArkInfo {
  readonly signerPubkey: string;
  readonly network: string;
  readonly version?: string;
}

/**
 * Starts (or reuses) nbxplorer → arkd-wallet → arkd, initializes and funds arkd's wallet.
 * @returns the `ark` and `nbxplorer` sections of network.json and the process names.
 * @throws when a binary is missing (with the build command) or a component does not come up.
 */
export async function startArkStack(ctx: ArkStackContext): Promise<ArkStackResult> {
  for (const bin of ["arkd", "arkd-wallet"]) {
    if (!existsSync(join(ctx.arkdBinDir, bin)))
      throw new Error(
        `${join(ctx.arkdBinDir, bin)} is missing: build it with \`npm run regtest:build -- arkd\``,
      );
  }
  const dirs = arkDirs(ctx.dataDir);
  for (const dir of [dirs.root, dirs.walletDatadir, dirs.arkdDatadir]) mkdirSync(dir, { recursive: true });

  if (!(await nbxplorerHealthy())) {
    await stopProcess(ctx.runDir, ARK_PROCESS_NAMES.nbxplorer);
    startProcess(nbxplorerProcess(ctx, dirs));
    ctx.log("nbxplorer: starting (btcd-backed NBXplorer-compatible service)");
    await waitFor("nbxplorer synced", 120_000, () => nbxplorerHealthy(), 500);
  }
  ctx.log(`nbxplorer: ready at ${NBXPLORER_URL}`);

  if (runningPid(ctx.runDir, ARK_PROCESS_NAMES.arkdWallet) === undefined) {
    startProcess(arkdWalletProcess(ctx, dirs));
    ctx.log("arkd-wallet: starting");
  }
  await waitForPort(PORTS.arkdWallet, 60_000);

  const admin = new ArkdAdminClient(ARKD_ADMIN_URL);
  if (runningPid(ctx.runDir, ARK_PROCESS_NAMES.arkd) === undefined) {
    startProcess(arkdProcess(ctx, dirs));
    ctx.log("arkd: starting");
  }
  await waitFor("arkd admin API", 120_000, () => admin.walletStatus(), 500);

  await initWallet(admin, ctx.log);
  await fundArkd(admin, ctx);
  const info = await waitFor("arkd GetInfo", 120_000, () => getInfo(), 1000);
  ctx.log(`arkd: ready at ${ARKD_URL} (signer ${info.signerPubkey}, ${info.network})`);

  return {
    ark: {
      arkdUrl: ARKD_URL,
      arkdAdminUrl: ARKD_ADMIN_URL,
      arkdWalletAddr: ARKD_WALLET_ADDR,
      signerPubkey: info.signerPubkey,
      network: info.network,
    },
    nbxplorer: { url: NBXPLORER_URL },
    processes: [ARK_PROCESS_NAMES.nbxplorer, ARK_PROCESS_NAMES.arkdWallet, ARK_PROCESS_NAMES.arkd],
  };
}

/** Stops arkd, arkd-wallet, nbxplorer (reverse start order), each by its pid file only. */
export async function stopArkStack(ctx: Pick<ArkStackContext, "runDir" | "log">): Promise<void> {
  for (const name of [ARK_PROCESS_NAMES.arkd, ARK_PROCESS_NAMES.arkdWallet, ARK_PROCESS_NAMES.nbxplorer]) {
    if (await stopProcess(ctx.runDir, name)) ctx.log(`${name}: stopped`);
  }
}

/** One health row per Ark process, for `npm run regtest -- status`. */
export async function arkStackStatus(
  ctx: Pick<ArkStackContext, "dataDir" | "runDir">,
): Promise<ComponentHealth[]> {
  const row = (name: string, healthy: boolean, detail: string): ComponentHealth => {
    const pid = runningPid(ctx.runDir, name);
    return {
      name,
      healthy: healthy && pid !== undefined,
      detail: pid === undefined ? "not running" : detail,
      ...(pid === undefined ? {} : { pid }),
    };
  };
  const nbx = await fetchJson<{ syncHeight: number; isFullySynched: boolean }>(
    `${NBXPLORER_URL}/v1/cryptos/BTC/status`,
  );
  const walletUp = await waitForPort(PORTS.arkdWallet, 500).then(
    () => true,
    () => false,
  );
  const status = await new ArkdAdminClient(ARKD_ADMIN_URL, 3000).walletStatus().catch(() => undefined);
  const info = await getInfo().catch(() => undefined);
  const ready = status?.initialized === true && status.unlocked && status.synced;
  return [
    row(
      ARK_PROCESS_NAMES.nbxplorer,
      nbx?.isFullySynched === true,
      nbx ? `height ${String(nbx.syncHeight)}${nbx.isFullySynched ? "" : " (syncing)"}` : "not answering",
    ),
    row(ARK_PROCESS_NAMES.arkdWallet, walletUp, walletUp ? `gRPC on ${ARKD_WALLET_ADDR}` : "port closed"),
    row(
      ARK_PROCESS_NAMES.arkd,
      ready && info !== undefined,
      info
        ? `${info.network} ${info.version ?? ""} wallet ${ready ? "ready" : JSON.stringify(status)}`.trim()
        : "GetInfo not answering",
    ),
  ];
}

/** Creates (first boot) and unlocks arkd's wallet, then waits until it reports synced. */
export async function initWallet(admin: ArkdAdminClient, log: (l: string) => void): Promise<void> {
  const status = await admin.walletStatus();
  if (!status.initialized) {
    log("arkd: creating wallet");
    await admin.createWallet(await admin.walletSeed(), ARKD_WALLET_PASSWORD);
  }
  if (!status.unlocked) {
    log("arkd: unlocking wallet");
    await admin.unlockWallet(ARKD_WALLET_PASSWORD);
  }
  await waitFor(
    "arkd wallet initialized, unlocked and synced",
    120_000,
    async () => {
      const s = await admin.walletStatus();
      return s.initialized && s.unlocked && s.synced;
    },
    1000,
  );
}

/** Pays arkd's wallet from the faucet when it is below the liquidity target and confirms it. */
export async function fundArkd(admin: ArkdAdminClient, ctx: ArkStackContext): Promise<void> {
  const available = btcStringToSats((await admin.walletBalance()).mainAccount.available);
  if (available >= ARKD_FUNDING.minSats) {
    ctx.log(`arkd: wallet holds ${available} sat`);
    return;
  }
  const address = await admin.walletAddress();
  const outputs = Array.from({ length: ARKD_FUNDING.outputs }, () => ({
    address,
    sats: ARKD_FUNDING.outputSats,
  }));
  const txid = await ctx.btcd.send(outputs);
  await ctx.btcd.mine(ARKD_FUNDING_CONFIRMATIONS);
  ctx.log(`arkd: funded ${address} in ${txid}`);
  await waitFor(
    "arkd wallet balance",
    60_000,
    async () => btcStringToSats((await admin.walletBalance()).mainAccount.available) >= ARKD_FUNDING.minSats,
    500,
  );
}

async function nbxplorerHealthy(): Promise<boolean> {
  const status = await fetchJson<{ isFullySynched: boolean }>(`${NBXPLORER_URL}/v1/cryptos/BTC/status`);
  return status?.isFullySynched === true;
}

/** arkd's public GetInfo over REST (same port as gRPC). */
async function getInfo(): Promise<ArkInfo> {
  const info = await fetchJson<ArkInfo>(`${ARKD_URL}/v1/info`);
  if (!info?.signerPubkey) throw new Error("GetInfo has no signer pubkey yet");
  return info;
}

async function fetchJson<T>(url: string): Promise<T | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return res.ok ? ((await res.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}
