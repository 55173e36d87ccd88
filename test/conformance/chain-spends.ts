/**
 * Conformance of the chain port (ChainSpendPort, src/swaps/ports/chain-spends.ts): the SAME cases
 * run against the chain simulator of the unit tests (test/fakes/chain-spends.ts, runner
 * test/unit/swaps/chain-spends-conformance.test.ts) and against our LND adapter on alice of the
 * regtest network (test/e2e/chain-spends-conformance.test.ts), so a fake that drifts from LND
 * fails a test.
 *
 * Every case works on outputs the test pays to fresh key-path P2TR keys it holds and spends with
 * transactions it signs itself: spends watched before and after they confirm (never while in the
 * mempool), confirmations of a tx, what publish accepts and what it refuses, the node's wallet
 * scripts and its fee estimate. The cases assert what LND 0.20.1 over btcd does (see
 * docs/onchain-watcher.md, "The chain port's conformance").
 */
import { secp256k1, schnorr } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import { SigHash, Transaction, p2tr } from "@scure/btc-signer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isGatewayError } from "../../src/domain/errors.js";
import { codeOf } from "./error-code.js";
import type { EventStream } from "../../src/lib/event-stream.js";
import type { ChainSpendPort, OutpointRef, OutputSpend } from "../../src/swaps/ports/chain-spends.js";

/** A peer to check, and the few actions the cases need that are not part of the port. */
export interface ChainSpendsConformanceWorld {
  readonly port: ChainSpendPort;
  /** The chain tip's height. */
  tip(): Promise<number>;
  /** Another party pays `sats` to `pkScript` (hex) in a new tx, left unconfirmed. @returns the output */
  pay(pkScript: string, sats: bigint): Promise<OutpointRef>;
  /** Another party broadcasts a signed tx (not through the port). */
  broadcast(rawTx: string): Promise<void>;
  /**
   * Mines `blocks` blocks, the mempool into the first, and waits until the port's node is at the
   * new tip. @returns the new tip's height
   */
  mine(blocks?: number): Promise<number>;
  /**
   * Gives the node the time to report what it would report now (a real node: a few seconds; a
   * simulator: its pending callbacks). Used only to check that something is NOT reported.
   */
  idle(): Promise<void>;
  /** The sats of `outpoint` if the node's onchain wallet holds it (confirmed or not), else undefined. */
  walletHolds(outpoint: OutpointRef): Promise<bigint | undefined>;
  close(): Promise<void>;
}

/** An output at a key-path-only P2TR script of a key the test holds. */
export interface FundedOutput {
  readonly outpoint: OutpointRef;
  /** The output's scriptPubKey, hex. */
  readonly pkScript: string;
  readonly sats: bigint;
  readonly key: Uint8Array;
}

/** A signed tx: its id and raw hex (witnesses included). */
export interface SignedTx {
  readonly txid: string;
  readonly rawTx: string;
}

/** A fresh key-path-only P2TR script (hex) and its key. */
export function freshP2tr(): { pkScript: string; key: Uint8Array } {
  const key = secp256k1.utils.randomSecretKey();
  return { key, pkScript: hex.encode(p2tr(schnorr.getPublicKey(key)).script) };
}

/** Pays `sats` to a fresh key of the test, unconfirmed. */
export async function fundP2tr(world: ChainSpendsConformanceWorld, sats: bigint): Promise<FundedOutput> {
  const { key, pkScript } = freshP2tr();
  const outpoint = await world.pay(pkScript, sats);
  return { outpoint, pkScript, sats, key };
}

/**
 * Spends `inputs` (key path, SIGHASH_DEFAULT) to one output of their sum less `feeSats`.
 * @param to the output's script (hex); a fresh key's script by default
 */
export function spendTx(
  inputs: readonly FundedOutput[],
  feeSats = 500n,
  to = freshP2tr().pkScript,
): SignedTx {
  const tx = new Transaction();
  for (const input of inputs)
    tx.addInput({
      txid: input.outpoint.txid,
      index: input.outpoint.vout,
      witnessUtxo: { script: hex.decode(input.pkScript), amount: input.sats },
      tapInternalKey: schnorr.getPublicKey(input.key),
    });
  tx.addOutput({ script: hex.decode(to), amount: inputs.reduce((s, i) => s + i.sats, 0n) - feeSats });
  inputs.forEach((input, i) => tx.signIdx(input.key, i));
  tx.finalize();
  return { txid: tx.id, rawTx: tx.hex };
}

/** `tx` with one bit of input 0's key-path signature flipped. */
function withBadSignature(tx: SignedTx): string {
  const parsed = Transaction.fromRaw(hex.decode(tx.rawTx));
  const sig = Uint8Array.from(parsed.getInput(0).finalScriptWitness?.[0] ?? []);
  sig[10] = (sig[10] ?? 0) ^ 1;
  parsed.updateInput(0, { finalScriptWitness: [sig] }, true);
  return parsed.hex;
}

/**
 * A spend of `out` paying 1,000 sats more than it holds, validly signed: SIGHASH_NONE does not
 * commit to the outputs, so the output's amount is raised after signing.
 */
function overspending(out: FundedOutput): string {
  const tx = new Transaction();
  tx.addInput({
    txid: out.outpoint.txid,
    index: out.outpoint.vout,
    witnessUtxo: { script: hex.decode(out.pkScript), amount: out.sats },
    tapInternalKey: schnorr.getPublicKey(out.key),
    sighashType: SigHash.NONE,
  });
  tx.addOutput({ script: hex.decode(freshP2tr().pkScript), amount: out.sats - 500n });
  tx.signIdx(out.key, 0, [SigHash.NONE]);
  tx.finalize();
  const raised = Transaction.fromRaw(tx.toBytes(true, true));
  raised.updateOutput(0, { amount: out.sats + 1_000n }, true);
  return raised.hex;
}

/** The outpoint input `index` of `rawTx` spends. */
function spentBy(rawTx: string, index: number): OutpointRef {
  const input = Transaction.fromRaw(hex.decode(rawTx)).getInput(index);
  return { txid: hex.encode(input.txid ?? new Uint8Array()), vout: input.index ?? -1 };
}

function syncCodeOf(f: () => EventStream<unknown>): string {
  try {
    f().close();
    return "returned";
  } catch (err) {
    if (!isGatewayError(err)) throw err;
    return err.code;
  }
}

/** `p`, failing after `ms`. */
async function within<T>(p: Promise<T>, what: string, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it gives a value, failing after `ms`. */
async function eventually<T>(check: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Registers the conformance cases of a ChainSpendPort.
 * @param name the peer's name in the test titles
 * @param makeWorld called once, before the cases
 */
export function describeChainSpendsConformance(
  name: string,
  makeWorld: () => Promise<ChainSpendsConformanceWorld>,
): void {
  describe(`ChainSpendPort conformance: ${name}`, () => {
    let world: ChainSpendsConformanceWorld;

    /** Whether `pending` settles while the node idles. */
    const reportedWhileIdle = async (pending: Promise<unknown>): Promise<boolean> =>
      Promise.race([pending.then(() => true), world.idle().then(() => false)]);

    const watch = (out: FundedOutput, heightHint: number): EventStream<OutputSpend> =>
      world.port.watchSpend({ outpoint: out.outpoint, pkScript: out.pkScript, heightHint });

    beforeAll(async () => {
      world = await makeWorld();
    });

    afterAll(async () => {
      await world?.close();
    });

    it("watchSpend before the spend: nothing while the spend is unconfirmed; once mined, the spend once (txid, raw tx, the spending input's index, the block's height), then the stream ends", async () => {
      const other = await fundP2tr(world, 30_000n);
      const watched = await fundP2tr(world, 20_000n);
      const fundedAt = await world.mine();
      const spends = watch(watched, fundedAt)[Symbol.asyncIterator]();
      const first = spends.next();
      const spend = spendTx([other, watched]); // the watched output is input 1
      await world.broadcast(spend.rawTx);
      expect(await reportedWhileIdle(first)).toBe(false);

      const spentAt = await world.mine();
      expect((await within(first, "the spend")).value).toEqual({
        spendingTxid: spend.txid,
        rawTx: spend.rawTx,
        inputIndex: 1,
        height: spentAt,
      });
      expect(spentBy(spend.rawTx, 1)).toEqual(watched.outpoint);
      expect((await within(spends.next(), "the end of the stream")).done).toBe(true);
    });

    it("watchSpend after the spend confirmed (heightHint at or below its block): reported right away, to every subscription, then the stream ends", async () => {
      const watched = await fundP2tr(world, 25_000n);
      const fundedAt = await world.mine();
      const spend = spendTx([watched]);
      await world.broadcast(spend.rawTx);
      const spentAt = await world.mine();
      await world.mine(2);
      const expected = { spendingTxid: spend.txid, rawTx: spend.rawTx, inputIndex: 0, height: spentAt };
      for (const hint of [fundedAt, spentAt]) {
        const spends = watch(watched, hint)[Symbol.asyncIterator]();
        expect((await within(spends.next(), `the spend (hint ${hint})`)).value).toEqual(expected);
        expect((await within(spends.next(), "the end of the stream")).done).toBe(true);
      }
    });

    it("watchSpend of an unspent output reports nothing; close() ends the stream", async () => {
      const watched = await fundP2tr(world, 10_000n);
      const fundedAt = await world.mine();
      const stream = watch(watched, fundedAt);
      const first = stream[Symbol.asyncIterator]().next();
      expect(await reportedWhileIdle(first)).toBe(false);
      stream.close();
      stream.close(); // idempotent
      expect((await within(first, "the end of the stream")).done).toBe(true);
    });

    it("watchConfirmation: nothing while the tx is unconfirmed; then its block's height once and the end; subscribed later, the same height", async () => {
      const out = await fundP2tr(world, 15_000n);
      const req = { txid: out.outpoint.txid, pkScript: out.pkScript, heightHint: await world.tip() };
      const confs = world.port.watchConfirmation(req)[Symbol.asyncIterator]();
      const first = confs.next();
      expect(await reportedWhileIdle(first)).toBe(false);
      const confirmedAt = await world.mine();
      expect((await within(first, "the confirmation")).value).toEqual({ height: confirmedAt });
      expect((await within(confs.next(), "the end of the stream")).done).toBe(true);

      await world.mine(3);
      for (const hint of [req.heightHint, confirmedAt]) {
        const later = world.port.watchConfirmation({ ...req, heightHint: hint })[Symbol.asyncIterator]();
        expect((await within(later.next(), `the confirmation (hint ${hint})`)).value).toEqual({
          height: confirmedAt,
        });
        expect((await within(later.next(), "the end of the stream")).done).toBe(true);
      }
    });

    it("publish: a valid tx is relayed and mined; publishing it again, unconfirmed or mined, is not an error", async () => {
      const out = await fundP2tr(world, 40_000n);
      const fundedAt = await world.mine();
      const dest = freshP2tr().pkScript;
      const tx = spendTx([out], 700n, dest);
      await world.port.publish(tx.rawTx);
      await world.port.publish(tx.rawTx);
      const conf = world.port.watchConfirmation({ txid: tx.txid, pkScript: dest, heightHint: fundedAt });
      const spends = watch(out, fundedAt)[Symbol.asyncIterator]();
      const minedAt = await world.mine();
      expect((await within(conf[Symbol.asyncIterator]().next(), "the confirmation")).value).toEqual({
        height: minedAt,
      });
      expect((await within(spends.next(), "the spend")).value).toMatchObject({
        spendingTxid: tx.txid,
        height: minedAt,
      });
      await world.port.publish(tx.rawTx);
    });

    it("publish refuses: non-hex (ln.invalid_argument); bytes that are no tx, a bad signature, a conflicting spend (unconfirmed or mined), a missing input, outputs above the inputs (ln.unexpected)", async () => {
      const out = await fundP2tr(world, 30_000n);
      const other = await fundP2tr(world, 30_000n);
      await world.mine();
      expect(await codeOf(world.port.publish("not hex"))).toBe("ln.invalid_argument");
      expect(await codeOf(world.port.publish("0200000000"))).toBe("ln.unexpected");
      expect(await codeOf(world.port.publish(withBadSignature(spendTx([out]))))).toBe("ln.unexpected");
      expect(await codeOf(world.port.publish(overspending(out)))).toBe("ln.unexpected");
      const missing = { ...out, outpoint: { txid: "11".repeat(32), vout: 0 } };
      expect(await codeOf(world.port.publish(spendTx([missing]).rawTx))).toBe("ln.unexpected");

      await world.port.publish(spendTx([out], 500n).rawTx);
      expect(await codeOf(world.port.publish(spendTx([out], 900n).rawTx))).toBe("ln.unexpected");
      await world.broadcast(spendTx([other], 500n).rawTx);
      await world.mine();
      expect(await codeOf(world.port.publish(spendTx([other], 900n).rawTx))).toBe("ln.unexpected");
      expect(await codeOf(world.port.publish(spendTx([out], 900n).rawTx))).toBe("ln.unexpected");
    });

    it("watch requests that are malformed throw ln.invalid_argument synchronously", () => {
      const ok = {
        outpoint: { txid: "ab".repeat(32), vout: 0 },
        pkScript: `5120${"cd".repeat(32)}`,
        heightHint: 1,
      };
      const spend = (over: object) => () => world.port.watchSpend({ ...ok, ...over });
      const conf = (over: object) => () =>
        world.port.watchConfirmation({
          txid: ok.outpoint.txid,
          pkScript: ok.pkScript,
          heightHint: 1,
          ...over,
        });
      for (const bad of [
        spend({ outpoint: { txid: "zz", vout: 0 } }),
        spend({ outpoint: { txid: ok.outpoint.txid, vout: -1 } }),
        spend({ pkScript: "not hex" }),
        spend({ heightHint: 0 }),
        conf({ txid: "ab" }),
        conf({ pkScript: "not hex" }),
        conf({ heightHint: 0 }),
      ])
        expect(syncCodeOf(bad)).toBe("ln.invalid_argument");
    });

    it("newWalletScript: a fresh P2TR script each call, of the node's wallet: coins paid there are its own", async () => {
      const first = await world.port.newWalletScript();
      const second = await world.port.newWalletScript();
      expect(first).toMatch(/^5120[0-9a-f]{64}$/);
      expect(second).toMatch(/^5120[0-9a-f]{64}$/);
      expect(second).not.toBe(first);
      const paid = await world.pay(first, 12_345n);
      await world.mine();
      expect(await eventually(() => world.walletHolds(paid), "the wallet's coin")).toBe(12_345n);
      const foreign = await fundP2tr(world, 12_345n);
      await world.mine();
      expect(await world.walletHolds(foreign.outpoint)).toBeUndefined();
    });

    it("feeRateSatPerVbyte: a whole number of sat/vB, at least 1", async () => {
      const rate = await world.port.feeRateSatPerVbyte();
      expect(typeof rate).toBe("bigint");
      expect(rate).toBeGreaterThanOrEqual(1n);
    });
  });
}
