/**
 * How each process of the Ark stack is launched: command, arguments and environment (the exact
 * variable names come from arkd v0.9.15's `internal/config/config.go` and arkd-wallet's
 * `pkg/arkd-wallet/config/config.go`: viper with prefixes `ARKD_` and `ARKD_WALLET_`).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import type { ArkStackContext } from "../ark-stack-contract.js";
import type { StartOptions } from "../process.js";
import { ARK_PROCESS_NAMES } from "../ark-stack-contract.js";
import { ARKD_SETTINGS, PORTS } from "../settings.js";
import { isLowerHex32 } from "../../lib/hex.js";

/** State folders under `<dataDir>/ark/`. */
export interface ArkDirs {
  readonly root: string;
  readonly nbxplorerState: string;
  readonly walletDatadir: string;
  readonly arkdDatadir: string;
  readonly signerKeyFile: string;
}

export function arkDirs(dataDir: string): ArkDirs {
  const root = join(dataDir, "ark");
  return {
    root,
    nbxplorerState: join(root, "nbxplorer-state.json"),
    walletDatadir: join(root, "arkd-wallet"),
    arkdDatadir: join(root, "arkd"),
    signerKeyFile: join(root, "signer.key"),
  };
}

export const NBXPLORER_URL = `http://127.0.0.1:${String(PORTS.nbxplorer)}`;
export const ARKD_URL = `http://127.0.0.1:${String(PORTS.arkd)}`;
export const ARKD_ADMIN_URL = `http://127.0.0.1:${String(PORTS.arkdAdmin)}`;
export const ARKD_WALLET_ADDR = `127.0.0.1:${String(PORTS.arkdWallet)}`;

const REPO_DIR = fileURLToPath(new URL("../../../", import.meta.url));
/** Built (dist/, an installed package) this module is .js and so is the service; from the sources, .ts. */
const COMPILED = import.meta.url.endsWith(".js");
const NBXPLORER_MAIN = fileURLToPath(new URL(`../nbxplorer/main.${COMPILED ? "js" : "ts"}`, import.meta.url));

/**
 * The NBXplorer-compatible service, run by this node: compiled as it is, from the sources with
 * the tsx loader (present wherever the sources run, i.e. in a checkout).
 */
export function nbxplorerProcess(ctx: ArkStackContext, dirs: ArkDirs): StartOptions {
  return {
    name: ARK_PROCESS_NAMES.nbxplorer,
    command: process.execPath,
    args: COMPILED ? [NBXPLORER_MAIN] : ["--import", "tsx", NBXPLORER_MAIN],
    runDir: ctx.runDir,
    cwd: REPO_DIR,
    env: {
      NBX_PORT: String(PORTS.nbxplorer),
      NBX_BTCD_RPC_HOST: ctx.btcd.rpcHost,
      NBX_BTCD_RPC_USER: ctx.btcd.rpcUser,
      NBX_BTCD_RPC_PASS: ctx.btcd.rpcPass,
      NBX_BTCD_RPC_CERT: ctx.btcd.rpcCertPath,
      NBX_STATE_FILE: dirs.nbxplorerState,
    },
  };
}

/**
 * Which arkd: the network's own (block-typed, settings.ts) by default; a test may start a second
 * pair (e.g. seconds-typed, as mainnet runs) on other ports, names and settings.
 */
export interface ArkdProfile {
  readonly names: { readonly arkdWallet: string; readonly arkd: string };
  readonly ports: { readonly arkdWallet: number; readonly arkd: number; readonly arkdAdmin: number };
  readonly settings: Readonly<Record<string, string>>;
}

export const DEFAULT_ARKD_PROFILE: ArkdProfile = {
  names: { arkdWallet: ARK_PROCESS_NAMES.arkdWallet, arkd: ARK_PROCESS_NAMES.arkd },
  ports: { arkdWallet: PORTS.arkdWallet, arkd: PORTS.arkd, arkdAdmin: PORTS.arkdAdmin },
  settings: ARKD_SETTINGS,
};

/** arkd-wallet: the signer key is ours (stable across restarts), the chain backend is our service. */
export function arkdWalletProcess(
  ctx: ArkStackContext,
  dirs: ArkDirs,
  profile: ArkdProfile = DEFAULT_ARKD_PROFILE,
): StartOptions {
  return {
    name: profile.names.arkdWallet,
    command: join(ctx.arkdBinDir, "arkd-wallet"),
    args: [],
    runDir: ctx.runDir,
    cwd: dirs.walletDatadir,
    env: {
      ARKD_WALLET_PORT: String(profile.ports.arkdWallet),
      ARKD_WALLET_DATADIR: dirs.walletDatadir,
      ARKD_WALLET_NETWORK: "regtest",
      ARKD_WALLET_NBXPLORER_URL: NBXPLORER_URL,
      ARKD_WALLET_SIGNER_KEY: signerKey(dirs),
      ARKD_WALLET_LOG_LEVEL: "5",
    },
  };
}

/** arkd in light mode (sqlite, badger, in-memory live store) with settings.ts ARKD_SETTINGS. */
export function arkdProcess(
  ctx: ArkStackContext,
  dirs: ArkDirs,
  profile: ArkdProfile = DEFAULT_ARKD_PROFILE,
): StartOptions {
  return {
    name: profile.names.arkd,
    command: join(ctx.arkdBinDir, "arkd"),
    args: [],
    runDir: ctx.runDir,
    cwd: dirs.arkdDatadir,
    env: {
      ...profile.settings,
      ARKD_DATADIR: dirs.arkdDatadir,
      ARKD_PORT: String(profile.ports.arkd),
      ARKD_ADMIN_PORT: String(profile.ports.arkdAdmin),
      ARKD_WALLET_ADDR: `127.0.0.1:${String(profile.ports.arkdWallet)}`,
      // Block-typed tree expiry: arkd's scheduler polls <url>/blocks/tip/height (our service).
      ARKD_ESPLORA_URL: NBXPLORER_URL,
      ARKD_LOG_LEVEL: "5",
    },
  };
}

/**
 * The signer private key (hex): created once per data dir (mode 0600) so the signer pubkey, which
 * every VTXO script contains, survives restarts.
 */
export function signerKey(dirs: ArkDirs): string {
  if (existsSync(dirs.signerKeyFile)) {
    const key = readFileSync(dirs.signerKeyFile, "utf8").trim();
    if (!isLowerHex32(key)) throw new Error(`${dirs.signerKeyFile}: not a 32-byte hex key`);
    return key;
  }
  mkdirSync(dirs.root, { recursive: true });
  const key = hex.encode(secp256k1.utils.randomSecretKey());
  writeFileSync(dirs.signerKeyFile, `${key}\n`, { mode: 0o600 });
  chmodSync(dirs.signerKeyFile, 0o600);
  return key;
}
