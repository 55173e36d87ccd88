/**
 * The regtest faucet: btcd mines to a fixed key we hold (`--miningaddr`), and we pay anyone from
 * its mature coinbase outputs with transactions signed here (@scure/btc-signer).
 *
 * Why this and not "mine straight to each LND's address": btcd takes its mining address on the
 * command line, so paying a new wallet would mean restarting btcd, and every later funding (Ark
 * wallets, arkd, tests) would need the same dance. A key we hold makes funding one RPC
 * (`sendrawtransaction`) that any component or test can do at any time. The key is derived from a
 * fixed label: it only ever holds regtest coins.
 */
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { Address, OutScript, Transaction, p2wpkh } from "@scure/btc-signer";
import type { FaucetOutput } from "./ark-stack-contract.js";
import type { BtcdCall } from "./btcd-rpc.js";

export const REGTEST_NETWORK = { bech32: "bcrt", pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef } as const;

const MINING_KEY = sha256(new TextEncoder().encode("ark-ln-gateway/regtest/mining-key/v1"));
const MINING_PAYMENT = p2wpkh(secp256k1.getPublicKey(MINING_KEY, true), REGTEST_NETWORK);
/** P2WPKH address of the mining key: btcd's `--miningaddr`. */
export const MINING_ADDRESS: string = MINING_PAYMENT.address ?? "";

const COINBASE_MATURITY = 100;
const FEE_RATE_SAT_PER_VB = 5n;

interface TxOut {
  readonly value: number;
  readonly confirmations: number;
  readonly coinbase: boolean;
  readonly scriptPubKey: { readonly hex: string };
}

interface Coin {
  readonly txid: string;
  readonly sats: bigint;
}

/**
 * A faucet bound to one btcd. `send` is serialized within the process; across processes a
 * coinbase picked twice is rejected by btcd as a double spend and the caller retries.
 */
export function createFaucet(call: BtcdCall): { send(outputs: readonly FaucetOutput[]): Promise<string> } {
  let queue: Promise<unknown> = Promise.resolve();
  let nextHeight = 1;
  const script = MINING_PAYMENT.script;

  async function nextCoins(neededSats: bigint): Promise<Coin[]> {
    const tip = await call<number>("getblockcount");
    const coins: Coin[] = [];
    let total = 0n;
    for (; nextHeight <= tip - COINBASE_MATURITY && total < neededSats; nextHeight++) {
      const hash = await call<string>("getblockhash", [nextHeight]);
      const block = await call<{ tx: string[] }>("getblock", [hash, 1]);
      const txid = block.tx[0];
      if (txid === undefined) continue;
      const out = await call<TxOut | null>("gettxout", [txid, 0, true]);
      if (out === null || !out.coinbase || out.scriptPubKey.hex !== hex(script)) continue;
      const sats = BigInt(Math.round(out.value * 1e8));
      coins.push({ txid, sats });
      total += sats;
    }
    if (total < neededSats)
      throw new Error(
        `faucet: mature coinbase outputs hold ${total} sat, ${neededSats} needed (tip ${tip}); mine more blocks`,
      );
    return coins;
  }

  async function sendNow(outputs: readonly FaucetOutput[]): Promise<string> {
    if (outputs.length === 0) throw new Error("faucet: no outputs");
    for (const o of outputs)
      if (o.sats <= 0n) throw new Error(`faucet: amount must be positive (${o.address})`);
    const wanted = outputs.reduce((s, o) => s + o.sats, 0n);
    const fee = (11n + 68n * 4n + 43n * BigInt(outputs.length + 1)) * FEE_RATE_SAT_PER_VB;
    const coins = await nextCoins(wanted + fee * 2n);
    const fullFee =
      (11n + 68n * BigInt(coins.length) + 43n * BigInt(outputs.length + 1)) * FEE_RATE_SAT_PER_VB;
    const tx = new Transaction();
    for (const c of coins) tx.addInput({ txid: c.txid, index: 0, witnessUtxo: { script, amount: c.sats } });
    for (const o of outputs) tx.addOutput({ script: outputScript(o.address), amount: o.sats });
    const change = coins.reduce((s, c) => s + c.sats, 0n) - wanted - fullFee;
    if (change > 1000n) tx.addOutput({ script, amount: change });
    tx.sign(MINING_KEY);
    tx.finalize();
    return call<string>("sendrawtransaction", [tx.hex]);
  }

  return {
    send(outputs) {
      const result = queue.then(() => sendNow(outputs));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}

/** The output script of a regtest address (P2PKH, P2SH, P2WPKH, P2WSH or P2TR). */
export function outputScript(address: string): Uint8Array {
  return OutScript.encode(Address(REGTEST_NETWORK).decode(address));
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
