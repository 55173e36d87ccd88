/** Shared set-up of the wallet tests: a fake arkd, a store, a wallet, swap VHTLCs and counterparties. */
import { randomBytes } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import { buildVhtlc, relativeTimelockFromNumber, type Vhtlc } from "../../../../src/ark/scripts/index.js";
import { ArkWallet, type ArkWalletDeps } from "../../../../src/ark/wallet/index.js";
import type { WalletStore } from "../../../../src/ark/wallet/store.js";
import type { SwapVhtlc } from "../../../../src/swaps/ports/ark.js";
import { FakeArkd } from "../../../fakes/fake-arkd.js";
import { MemoryWalletStore } from "../../../fakes/memory-wallet-store.js";

export const SEED = hex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

export interface Party {
  readonly priv: Uint8Array;
  /** 33-byte compressed hex. */
  readonly pub: string;
  readonly xOnly: Uint8Array;
}

export function party(): Party {
  const priv = secp256k1.utils.randomSecretKey();
  const pub = secp256k1.getPublicKey(priv, true);
  return { priv, pub: hex.encode(pub), xOnly: pub.slice(1) };
}

export function preimagePair(): { preimage: Uint8Array; paymentHash: string } {
  const preimage = Uint8Array.from(randomBytes(32));
  return { preimage, paymentHash: hex.encode(sha256(preimage)) };
}

/** A swap's VHTLC under the fake server (refund locktime 150, the fake's tip is 100). */
export function swapVhtlc(p: {
  sender: string;
  receiver: string;
  server: string;
  preimage: Uint8Array;
}): SwapVhtlc {
  return {
    senderPubkey: p.sender,
    receiverPubkey: p.receiver,
    serverPubkey: p.server,
    preimageHash160: hex.encode(ripemd160(sha256(p.preimage))),
    refundLocktime: 150n,
    unilateralClaimDelay: 20n,
    unilateralRefundDelay: 30n,
    unilateralRefundWithoutReceiverDelay: 40n,
  };
}

export function scriptsOf(v: SwapVhtlc): Vhtlc {
  const x = (k: string) => hex.decode(k).slice(1);
  return buildVhtlc({
    sender: x(v.senderPubkey),
    receiver: x(v.receiverPubkey),
    server: x(v.serverPubkey),
    preimageHash: hex.decode(v.preimageHash160),
    refundLocktime: v.refundLocktime,
    unilateralClaimDelay: relativeTimelockFromNumber(v.unilateralClaimDelay),
    unilateralRefundDelay: relativeTimelockFromNumber(v.unilateralRefundDelay),
    unilateralRefundWithoutReceiverDelay: relativeTimelockFromNumber(v.unilateralRefundWithoutReceiverDelay),
  });
}

export interface Harness {
  readonly arkd: FakeArkd;
  readonly store: WalletStore;
  readonly wallet: ArkWallet;
  readonly walletScript: string;
  /** A second wallet process on the same store and seed (a restart). */
  restart(): Promise<ArkWallet>;
}

/** Starts a wallet on a fake arkd; `amounts` are minted to the wallet script first. */
export async function startHarness(
  opts: {
    amounts?: readonly bigint[];
    store?: WalletStore;
    arkd?: FakeArkd;
    deps?: Partial<ArkWalletDeps>;
  } = {},
): Promise<Harness> {
  const arkd = opts.arkd ?? new FakeArkd();
  const store = opts.store ?? new MemoryWalletStore();
  const make = () =>
    new ArkWallet({
      ark: arkd.withDeadlines(),
      store,
      seed: SEED,
      options: {
        maintenanceIntervalMs: 0,
        tracker: { initialBackoffMs: 5, maxBackoffMs: 20, streamIdleTimeoutMs: 60_000 },
      },
      ...opts.deps,
    });
  const probe = make();
  await probe.start();
  const walletScript = (await probe.walletInfo()).script;
  for (const a of opts.amounts ?? []) arkd.mint(walletScript, a);
  await probe.rescan();
  const wallets: ArkWallet[] = [probe];
  return {
    arkd,
    store,
    wallet: probe,
    walletScript,
    async restart() {
      const w = make();
      wallets.push(w);
      await w.start();
      return w;
    },
  };
}

/** Stops every wallet a harness started (call in afterEach). */
export async function stopAll(...wallets: ArkWallet[]): Promise<void> {
  await Promise.all(wallets.map((w) => w.stop()));
}
