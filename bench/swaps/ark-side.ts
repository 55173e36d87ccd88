/**
 * The Ark side the benchmark drives: wallets of our own Ark core (a funder and the client
 * playing the users), funded from arkd admin notes redeemed in a real batch, and the raw Ark
 * steps timed on their own (an offchain SubmitTx + FinalizeTx, the indexer seeing the VTXO).
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { hex } from "@scure/base";
import { decodeArkAddress } from "../../src/ark/scripts/index.js";
import { openClientWallet, waitForBalance, type ClientWallet } from "../../src/cli/sandbox/client-wallet.js";
import { ArkdAdminClient } from "../../src/regtest/ark/admin-client.js";
import type { NetworkFile } from "../../src/regtest/network-file.js";

export const scriptOf = (address: string): string => hex.encode(decodeArkAddress(address).pkScript);

export function arkSection(net: NetworkFile): NonNullable<NetworkFile["ark"]> {
  if (net.ark === null) throw new Error("network.json has no Ark section (started with REGTEST_SKIP_ARK=1)");
  return net.ark;
}

/** A wallet of our own Ark core with its own seed and schema on the network's Postgres. */
export async function openWallet(net: NetworkFile, dir: string, name: string): Promise<ClientWallet> {
  const tag = `bench_${name}_${Date.now().toString(36)}`;
  return openClientWallet(arkSection(net).arkdUrl, net.postgres.url, join(dir, `${name}.seed`), tag);
}

/** Redeems one fresh admin note of `sats` into `wallet` (one real batch, ~ the session period). */
export async function redeemNote(
  net: NetworkFile,
  wallet: ClientWallet,
  sats: number,
  attempts = 4,
): Promise<void> {
  const admin = new ArkdAdminClient(arkSection(net).arkdAdminUrl);
  const before = (await wallet.wallet.balance()).spendableSats;
  // a loaded machine can miss arkd's 10 s signing session (SubmitTreeNonces: "signing session
  // not found"); arkd then bans that note's script for a while, so each attempt has a new note
  for (let attempt = 1; ; attempt++) {
    const [note] = await admin.createNotes(sats, 1);
    if (note === undefined) throw new Error("arkd minted no note");
    try {
      await wallet.wallet.redeemNotes([note]);
      break;
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
  await waitForBalance(wallet.wallet, before + BigInt(sats) / 2n);
}

/**
 * Pays `count` coins of `sats` from `funder` to `script`, one after the other: each is one
 * offchain Ark tx (SubmitTx + FinalizeTx), timed. @returns the latencies in ms
 */
export async function splitCoins(
  funder: ClientWallet,
  script: string,
  count: number,
  sats: bigint,
  onProgress?: (done: number) => void,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    for (let attempt = 1; ; attempt++) {
      const t = performance.now();
      try {
        await funder.wallet.fund({
          script,
          amountSats: sats,
          idempotencyKey: `bench-split-${randomBytes(8).toString("hex")}`,
        });
        latencies.push(performance.now() - t);
        break;
      } catch (err) {
        // a loaded arkd may not know the change of the previous payment yet (VTXO_NOT_FOUND)
        if (attempt >= 5 || !String((err as Error).message).includes("VTXO_NOT_FOUND")) throw err;
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
    onProgress?.(i + 1);
  }
  return latencies;
}

/**
 * The raw Ark steps, timed from `funder`: one offchain payment to a fresh script (SubmitTx +
 * FinalizeTx through our wallet), then the indexer answering with the new VTXO (polled every 5 ms).
 */
export async function rawArkSteps(
  funder: ClientWallet,
  otherScript: (i: number) => Promise<string>,
  samples: number,
): Promise<{ txMs: number[]; indexerMs: number[] }> {
  const txMs: number[] = [];
  const indexerMs: number[] = [];
  for (let i = 0; i < samples; i++) {
    const script = await otherScript(i);
    const t0 = performance.now();
    await funder.wallet.fund({
      script,
      amountSats: 1_000n,
      idempotencyKey: `bench-raw-${randomBytes(8).toString("hex")}`,
    });
    const t1 = performance.now();
    for (;;) {
      const vtxos = await funder.wallet.vtxosAt(script);
      if (vtxos.some((v) => !v.isSpent)) break;
      if (performance.now() - t1 > 30_000) throw new Error("the indexer did not show the VTXO in 30 s");
      await new Promise((r) => setTimeout(r, 5));
    }
    txMs.push(t1 - t0);
    indexerMs.push(performance.now() - t1);
  }
  return { txMs, indexerMs };
}
