/**
 * A second arkd (+ arkd-wallet) with **seconds-typed** settings, as mainnet and mutinynet run
 * (tree expiry 7 days, exit delays 86528 s: multiples of 512), on the network's btcd and
 * NBXplorer-compatible service but its own ports, data dir and signer key. The seconds-mode
 * happy paths run the gateway against it; the test stops it afterwards. Why a second arkd and not
 * a second network: see docs/real-arkd.md.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ArkdAdminClient } from "../../../src/regtest/ark/admin-client.js";
import {
  arkDirs,
  arkdProcess,
  arkdWalletProcess,
  type ArkdProfile,
} from "../../../src/regtest/ark/processes.js";
import { fundArkd, initWallet } from "../../../src/regtest/ark-stack.js";
import { btcdHandle } from "../../../src/regtest/btcd.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { binDir } from "../../../src/regtest/paths.js";
import { startProcess, stopProcess, waitFor, waitForPort } from "../../../src/regtest/process.js";
import { ARKD_SETTINGS, PORT_OFFSET } from "../../../src/regtest/settings.js";

export const SECONDS_PROFILE: ArkdProfile = {
  names: { arkdWallet: "arkd-wallet-seconds", arkd: "arkd-seconds" },
  ports: { arkdWallet: 26161 + PORT_OFFSET, arkd: 27170 + PORT_OFFSET, arkdAdmin: 27171 + PORT_OFFSET },
  settings: {
    ...ARKD_SETTINGS,
    ARKD_VTXO_TREE_EXPIRY: "604672",
    ARKD_UNILATERAL_EXIT_DELAY: "86528",
    ARKD_PUBLIC_UNILATERAL_EXIT_DELAY: "86528",
    ARKD_CHECKPOINT_EXIT_DELAY: "86528",
    ARKD_BOARDING_EXIT_DELAY: "172544",
  },
};

export interface SecondsArkd {
  readonly arkdUrl: string;
  readonly arkdAdminUrl: string;
  stop(): Promise<void>;
}

/** Starts the seconds-typed arkd pair, initializes and funds its wallet. */
export async function startSecondsArkd(net: NetworkFile, log: (l: string) => void): Promise<SecondsArkd> {
  if (net.nbxplorer === null) throw new Error("the network runs without the Ark stack");
  const root = mkdtempSync(join(tmpdir(), "arkd-seconds-"));
  const runDir = join(root, "run");
  const btcd = btcdHandle(net.dataDir);
  const ctx = { dataDir: root, runDir, arkdBinDir: binDir("arkd"), btcd, log };
  const dirs = arkDirs(root);
  const p = SECONDS_PROFILE;
  const stop = async (): Promise<void> => {
    await stopProcess(runDir, p.names.arkd);
    await stopProcess(runDir, p.names.arkdWallet);
  };
  try {
    for (const dir of [dirs.root, dirs.walletDatadir, dirs.arkdDatadir]) mkdirSync(dir, { recursive: true });
    startProcess(arkdWalletProcess(ctx, dirs, p));
    await waitForPort(p.ports.arkdWallet, 60_000);
    startProcess(arkdProcess(ctx, dirs, p));
    const arkdAdminUrl = `http://127.0.0.1:${String(p.ports.arkdAdmin)}`;
    const arkdUrl = `http://127.0.0.1:${String(p.ports.arkd)}`;
    const admin = new ArkdAdminClient(arkdAdminUrl);
    await waitFor("seconds arkd admin API", 120_000, () => admin.walletStatus(), 500);
    await initWallet(admin, log);
    await fundArkd(admin, ctx);
    await waitFor(
      "seconds arkd GetInfo",
      120_000,
      async () =>
        (await fetch(`${arkdUrl}/v1/info`).catch(() => undefined))?.ok === true ? true : undefined,
      1000,
    );
    return { arkdUrl, arkdAdminUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
