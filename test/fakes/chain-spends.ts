/**
 * The fake of the chain port (ChainSpendPort): a small chain simulator held to LND's behaviour by
 * the conformance cases of test/conformance/chain-spends.ts. Transactions go to a mempool
 * (`publish`, or `broadcast`/`pay` for other parties), the shared FakeChain's `mine()` puts them in
 * a block at its height, and a watch reports a confirmed spend / confirmation once, from its
 * height hint on (also one that confirmed before the subscription), then ends. Never a mempool
 * spend. Publish checks what btcd would refuse: inputs missing or already spent (in the mempool
 * or a block), outputs above the inputs, key-path P2TR signatures (script-path witnesses are not
 * checked); the errors are the adapter's (`ln.invalid_argument` for non-hex, else `ln.unexpected`).
 * No reorgs.
 *
 * Unit tests may also drive it by hand: every subscription is in `requests` / `streams` and
 * `confirmationRequests` / `confirmationStreams` (push, end or fail them), every tx handed to
 * publish is in `published`, and `{ publish: "record" }` makes publish only record (for steps
 * whose signer is a stub that returns placeholder bytes).
 */
import { createHash, randomBytes } from "node:crypto";
import { schnorr } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import type { GatewayError } from "../../src/domain/errors.js";
import { PushStream } from "../../src/lib/event-stream.js";
import { isHex, isHex32 } from "../../src/lib/hex.js";
import { lnError } from "../../src/lightning/errors.js";
import type {
  ChainSpendPort,
  OutpointRef,
  OutputSpend,
  SpendWatchRequest,
} from "../../src/swaps/ports/chain-spends.js";
import { FakeChain } from "./fake-chain.js";

export interface FakeChainSpendsOptions {
  /** The engine's shared chain tip: blocks are mined with its `mine()`. Default: a chain of its own. */
  readonly chain?: FakeChain;
  /** "simulate" (default): publish checks the tx and adds it to the mempool; "record": it only records it. */
  readonly publish?: "simulate" | "record";
}

export interface ConfirmationWatchRequest {
  readonly txid: string;
  readonly pkScript: string;
  readonly heightHint: number;
}

interface KnownTx {
  readonly txid: string;
  readonly rawTx: string;
  readonly tx: Transaction;
  /** Its block's height; undefined while in the mempool. */
  height: number | undefined;
}

interface Coin {
  readonly script: string;
  readonly sats: bigint;
}

interface Spender {
  readonly txid: string;
  readonly inputIndex: number;
}

const PARSE = {
  allowUnknownOutputs: true,
  allowUnknownInputs: true,
  allowUnknownVersion: true,
  disableScriptCheck: true,
} as const;

const keyOf = (o: OutpointRef): string => `${o.txid.toLowerCase()}:${o.vout}`;

const rejected = (reason: string): GatewayError =>
  lnError("ln.unexpected", `publishTransaction: ${reason}`, {
    operation: "publishTransaction",
  });

function checkWatch(txid: string, pkScript: string, heightHint: number): void {
  if (!isHex32(txid))
    throw lnError("ln.invalid_argument", "txid: expected 32 bytes of hex", { field: "txid" });
  if (!isHex(pkScript)) throw lnError("ln.invalid_argument", "pkScript must be hex", {});
  if (!Number.isInteger(heightHint) || heightHint < 1)
    throw lnError("ln.invalid_argument", "heightHint must be an integer ≥ 1", { heightHint });
}

export class FakeChainSpends implements ChainSpendPort {
  readonly requests: SpendWatchRequest[] = [];
  readonly streams: PushStream<OutputSpend>[] = [];
  readonly confirmationRequests: ConfirmationWatchRequest[] = [];
  readonly confirmationStreams: PushStream<{ readonly height: number }>[] = [];
  /** Every tx handed to publish, accepted or not. */
  readonly published: string[] = [];
  /** The scripts newWalletScript gave, in order. */
  readonly walletScripts: string[] = [];
  feeRate = 2n;
  readonly chain: FakeChain;

  private readonly mode: "simulate" | "record";
  private readonly txs = new Map<string, KnownTx>();
  private readonly coins = new Map<string, Coin>();
  private readonly spenders = new Map<string, Spender>();
  private readonly spendWatches = new Set<{ req: SpendWatchRequest; stream: PushStream<OutputSpend> }>();
  private readonly confirmationWatches = new Set<{
    req: ConfirmationWatchRequest;
    stream: PushStream<{ readonly height: number }>;
  }>();

  constructor(opts: FakeChainSpendsOptions = {}) {
    this.chain = opts.chain ?? new FakeChain();
    this.mode = opts.publish ?? "simulate";
    this.chain.onBlock(() => this.block());
  }

  /** The last script newWalletScript gave. @throws when it gave none yet */
  get walletScript(): string {
    const last = this.walletScripts.at(-1);
    if (last === undefined) throw new Error("FakeChainSpends: newWalletScript was not called");
    return last;
  }

  watchSpend(req: SpendWatchRequest): PushStream<OutputSpend> {
    checkWatch(req.outpoint.txid, req.pkScript, req.heightHint);
    if (!Number.isInteger(req.outpoint.vout) || req.outpoint.vout < 0)
      throw lnError("ln.invalid_argument", "outpoint.vout must be an integer ≥ 0", {
        vout: req.outpoint.vout,
      });
    this.requests.push(req);
    const watch = { req, stream: new PushStream<OutputSpend>(() => this.spendWatches.delete(watch)) };
    this.streams.push(watch.stream);
    this.spendWatches.add(watch);
    this.reportSpend(watch);
    return watch.stream;
  }

  watchConfirmation(req: ConfirmationWatchRequest): PushStream<{ readonly height: number }> {
    checkWatch(req.txid, req.pkScript, req.heightHint);
    this.confirmationRequests.push(req);
    const watch = {
      req,
      stream: new PushStream<{ readonly height: number }>(() => this.confirmationWatches.delete(watch)),
    };
    this.confirmationStreams.push(watch.stream);
    this.confirmationWatches.add(watch);
    this.reportConfirmation(watch);
    return watch.stream;
  }

  async publish(rawTx: string): Promise<void> {
    this.published.push(rawTx);
    if (this.mode === "record") return;
    this.accept(rawTx);
  }

  async newWalletScript(): Promise<string> {
    const seed = createHash("sha256").update(`fake-wallet:${this.walletScripts.length}`).digest();
    const script = `5120${hex.encode(schnorr.getPublicKey(seed))}`;
    this.walletScripts.push(script);
    return script;
  }

  async feeRateSatPerVbyte(): Promise<bigint> {
    return this.feeRate;
  }

  /** Another party broadcasts a tx: the checks of publish, not recorded in `published`. */
  broadcast(rawTx: string): void {
    this.accept(rawTx);
  }

  /** Another party pays `sats` to `pkScript` (hex) from coins outside the simulation; unconfirmed. */
  pay(pkScript: string, sats: bigint): OutpointRef {
    const tx = new Transaction(PARSE);
    tx.addInput({ txid: randomBytes(32), index: 0 });
    tx.addOutput({ script: hex.decode(pkScript), amount: sats });
    tx.updateInput(0, { finalScriptWitness: [randomBytes(32)] }, true);
    this.add(tx, tx.hex);
    return { txid: tx.id, vout: 0 };
  }

  /** Mines `blocks` blocks on the shared chain, the mempool into the first. @returns the new tip */
  mine(blocks = 1): number {
    this.chain.mine(blocks);
    return this.chain.height;
  }

  /** The sats of `outpoint` if it pays one of the wallet's scripts and is unspent (in blocks and mempool). */
  walletHolds(outpoint: OutpointRef): bigint | undefined {
    const key = keyOf(outpoint);
    const coin = this.coins.get(key);
    if (coin === undefined || this.spenders.has(key) || !this.walletScripts.includes(coin.script))
      return undefined;
    return coin.sats;
  }

  /** The mempool's txids. */
  mempool(): string[] {
    return [...this.txs.values()].filter((t) => t.height === undefined).map((t) => t.txid);
  }

  /** @throws GatewayError as the LND adapter does for what btcd refuses */
  private accept(rawTx: string): void {
    if (!isHex(rawTx)) throw lnError("ln.invalid_argument", "rawTx must be hex", {});
    let tx: Transaction;
    try {
      tx = Transaction.fromRaw(hex.decode(rawTx), PARSE);
    } catch {
      throw rejected("ExpectedTransactionHexStringToBroadcastToPeers");
    }
    if (this.txs.has(tx.id)) return; // already known: not an error
    const prevouts: Coin[] = [];
    for (let i = 0; i < tx.inputsLength; i++) {
      const key = keyOf(this.prevoutOf(tx, i));
      const coin = this.coins.get(key);
      if (coin === undefined || this.spenders.has(key))
        throw rejected("transaction rejected: output already spent");
      prevouts.push(coin);
    }
    const inSats = prevouts.reduce((s, c) => s + c.sats, 0n);
    let outSats = 0n;
    for (let i = 0; i < tx.outputsLength; i++) outSats += tx.getOutput(i).amount ?? 0n;
    if (outSats > inSats)
      throw rejected(
        `total value of all transaction inputs is ${inSats} which is less than the amount spent of ${outSats}`,
      );
    prevouts.forEach((_, i) => {
      if (!this.keyPathSignatureValid(tx, i, prevouts))
        throw rejected(`failed to validate input ${tx.id}:${i}`);
    });
    this.add(tx, rawTx.toLowerCase());
  }

  /** A P2TR input spent by key path (witness = one signature) must carry a valid signature. */
  private keyPathSignatureValid(tx: Transaction, index: number, prevouts: readonly Coin[]): boolean {
    const prevout = prevouts[index];
    const witness = tx.getInput(index).finalScriptWitness ?? [];
    if (prevout === undefined || !/^5120[0-9a-f]{64}$/.test(prevout.script) || witness.length !== 1)
      return true;
    const sig = witness[0] as Uint8Array;
    if (sig.length !== 64 && sig.length !== 65) return false;
    const hashType = sig.length === 65 ? (sig[64] as number) : 0;
    const message = tx.preimageWitnessV1(
      index,
      prevouts.map((p) => hex.decode(p.script)),
      hashType,
      prevouts.map((p) => p.sats),
    );
    return schnorr.verify(sig.subarray(0, 64), message, hex.decode(prevout.script.slice(4)));
  }

  private prevoutOf(tx: Transaction, index: number): OutpointRef {
    const input = tx.getInput(index);
    return { txid: hex.encode(input.txid ?? new Uint8Array()), vout: input.index ?? 0 };
  }

  private add(tx: Transaction, rawTx: string): void {
    const known: KnownTx = { txid: tx.id, rawTx, tx, height: undefined };
    this.txs.set(known.txid, known);
    for (let i = 0; i < tx.inputsLength; i++)
      this.spenders.set(keyOf(this.prevoutOf(tx, i)), { txid: known.txid, inputIndex: i });
    for (let vout = 0; vout < tx.outputsLength; vout++) {
      const out = tx.getOutput(vout);
      this.coins.set(keyOf({ txid: known.txid, vout }), {
        script: hex.encode(out.script ?? new Uint8Array()),
        sats: out.amount ?? 0n,
      });
    }
  }

  /** A block at the chain's new height: the whole mempool, then what the watches waited for. */
  private block(): void {
    for (const t of this.txs.values()) if (t.height === undefined) t.height = this.chain.height;
    for (const watch of [...this.spendWatches]) this.reportSpend(watch);
    for (const watch of [...this.confirmationWatches]) this.reportConfirmation(watch);
  }

  private reportSpend(watch: { req: SpendWatchRequest; stream: PushStream<OutputSpend> }): void {
    const spender = this.spenders.get(keyOf(watch.req.outpoint));
    const tx = spender === undefined ? undefined : this.txs.get(spender.txid);
    if (spender === undefined || tx?.height === undefined || tx.height < watch.req.heightHint) return;
    watch.stream.push({
      spendingTxid: tx.txid,
      rawTx: tx.rawTx,
      inputIndex: spender.inputIndex,
      height: tx.height,
    });
    watch.stream.end();
  }

  private reportConfirmation(watch: {
    req: ConfirmationWatchRequest;
    stream: PushStream<{ readonly height: number }>;
  }): void {
    const tx = this.txs.get(watch.req.txid.toLowerCase());
    if (tx?.height === undefined || tx.height < watch.req.heightHint) return;
    const script = watch.req.pkScript.toLowerCase();
    for (let vout = 0; vout < tx.tx.outputsLength; vout++)
      if (this.coins.get(keyOf({ txid: tx.txid, vout }))?.script === script) {
        watch.stream.push({ height: tx.height });
        watch.stream.end();
        return;
      }
  }
}
