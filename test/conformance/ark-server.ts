/**
 * Conformance of an ArkServerPort: the SAME cases run against the fake arkd
 * (test/unit/ark/conformance.test.ts) and against the real arkd v0.9.15 of the regtest network
 * (test/e2e/ark/conformance.test.ts), so a fake that drifts from arkd fails a test.
 *
 * The cases follow one VTXO's life: a batch settles it at the default VTXO script of a key the
 * test holds; it is spent offchain (SubmitTx + FinalizeTx, signed here with that key) to a second
 * key's script; the indexer must then report both the way arkd does; finally the offchain VTXO is
 * let run past its `expires_at` and SubmitTx must refuse it as VTXO_RECOVERABLE.
 */
import { randomBytes } from "node:crypto";
import { schnorr } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isGatewayError } from "../../src/domain/errors.js";
import type {
  ArkServerPort,
  ArkStream,
  ArkdInfo,
  SubmittedArkTx,
  SubscriptionStreamEvent,
  Vtxo,
} from "../../src/ark/client/index.js";
import { decodeClosure } from "../../src/ark/scripts/index.js";
import {
  buildOffchainTxs,
  createSchnorrSigner,
  parsePsbt,
  psbtBase64,
  signTapscriptInput,
} from "../../src/ark/tx/index.js";
import { buildWalletScript, type WalletScript } from "../../src/ark/wallet/index.js";
import { getPendingTxIntent } from "../../src/ark/wallet/pending-intent.js";
import { walletInput } from "../../src/ark/wallet/wallet-script.js";

/** The smallest unix time (below it a locktime is a block height). */
const UNIX_TIME_MIN = 500_000_000n;
/** What one test case may wait for the server's clock; beyond it the case cannot run. */
export const MAX_WAIT_SECONDS = 150n;

/** A peer to check, and the few actions the cases need that are not part of the port. */
export interface ArkConformanceWorld {
  readonly ark: ArkServerPort;
  /** GetInfo's network name on this peer. */
  readonly network: string;
  /**
   * Settles `amountSats` in a new batch into one VTXO at `script` (the default VTXO script, see
   * buildWalletScript, of `ownerPriv` under this server).
   * @returns the batch's commitment txid
   */
  fundSettled(ownerPriv: Uint8Array, script: WalletScript, amountSats: bigint): Promise<string>;
  /** The server's clock, unix seconds. */
  now(): Promise<bigint>;
  /**
   * Lets the server's clock pass `unixSeconds` (a fake moves its clock, a real server is waited
   * for). @returns false when that would take longer than MAX_WAIT_SECONDS (nothing happened)
   */
  passTime(unixSeconds: bigint): Promise<boolean>;
  /**
   * Brings the batch of `commitmentTxid` to its sweep and waits until the server swept it (a fake
   * sweeps at once; a real block-typed arkd is given blocks up to the confirmation height + the
   * tree expiry).
   */
  sweepBatch(commitmentTxid: string): Promise<void>;
  close(): Promise<void>;
}

interface Owner {
  readonly priv: Uint8Array;
  readonly script: WalletScript;
}

const outpointOf = (v: Vtxo) => `${v.outpoint.txid}:${v.outpoint.vout}`;

/**
 * Polls `read` until `ok` holds (the real indexer may lag FinalizeTx by a moment).
 * @returns the last value read, which the caller then asserts on
 */
async function settle<T>(read: () => Promise<T>, ok: (t: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 250));
    last = await read();
  }
  return last;
}

async function codeOf(p: Promise<unknown>): Promise<{ code: string; arkdName?: unknown } | "resolved"> {
  try {
    await p;
    return "resolved";
  } catch (err) {
    if (!isGatewayError(err)) throw err;
    const arkd = err.details?.arkdError as { name?: unknown } | undefined;
    return { code: err.code, ...(arkd === undefined ? {} : { arkdName: arkd.name }) };
  }
}

/**
 * Registers the conformance cases of an ArkServerPort.
 * @param name the peer's name in the test titles
 * @param makeWorld called once, before the cases
 */
export function describeArkServerConformance(
  name: string,
  makeWorld: () => Promise<ArkConformanceWorld>,
): void {
  describe(`ArkServerPort conformance: ${name}`, () => {
    const AMOUNT = 20_000n;
    let world: ArkConformanceWorld;
    let info: ArkdInfo;
    let alice: Owner;
    let bob: Owner;
    let commitmentTxid: string;
    let settled: Vtxo;
    let spend: SubmittedArkTx & { checkpointTxids: string[] };
    let offchain: Vtxo;
    /** The newest unspent VTXO of the chain of spends, and its owner. */
    let latest: { owner: Owner; vtxo: Vtxo };
    /** What a subscription to alice's and bob's scripts delivered, from before the funding on. */
    const events: Extract<SubscriptionStreamEvent, { type: "tx" }>[] = [];
    let stream: ArkStream<SubscriptionStreamEvent> | undefined;
    let streamError: unknown;
    const eventOf = async (txid: string) =>
      (await settle(
        async () => events.find((e) => e.txid === txid),
        (e) => e !== undefined,
      )) ?? expect.fail(`no subscription event for ${txid} (stream error: ${String(streamError)})`);

    const owner = (): Owner => {
      const priv = Uint8Array.from(randomBytes(32));
      return { priv, script: buildWalletScript(schnorr.getPublicKey(priv), info) };
    };

    /** SubmitTx of `from`'s VTXO, all of it to `to`'s script (not finalized). */
    const submitAll = async (from: Owner, vtxo: Vtxo, to: Owner) => {
      const txs = buildOffchainTxs({
        inputs: [walletInput(from.script, outpointOf(vtxo), vtxo.amountSats)],
        outputs: [{ amountSats: vtxo.amountSats, pkScript: to.script.pkScript }],
        checkpointTapscript: hex.decode(info.checkpointTapscript),
        policy: { dustSats: info.dustSats },
      });
      const signer = createSchnorrSigner(from.priv);
      signTapscriptInput(txs.arkTx, 0, signer);
      const answer = await world.ark.submitTx({
        signedArkTx: psbtBase64(txs.arkTx),
        checkpointTxs: txs.checkpoints.map(psbtBase64),
      });
      return { ...answer, signer, checkpoints: txs.checkpoints.map(psbtBase64) };
    };

    /** FinalizeTx of a submitted spend, its checkpoints signed. */
    const finalize = async (submitted: Awaited<ReturnType<typeof submitAll>>) => {
      const { signer, ...answer } = submitted;
      const finals = answer.signedCheckpointTxs.map((c) => {
        const cp = parsePsbt(c);
        signTapscriptInput(cp, 0, signer);
        return psbtBase64(cp);
      });
      await world.ark.finalizeTx({ arkTxid: answer.arkTxid, finalCheckpointTxs: finals });
      return { ...answer, checkpointTxids: answer.checkpoints.map((c) => parsePsbt(c).id) };
    };

    /** SubmitTx + FinalizeTx of `from`'s VTXO, all of it to `to`'s script. */
    const spendAll = async (from: Owner, vtxo: Vtxo, to: Owner) => finalize(await submitAll(from, vtxo, to));

    beforeAll(async () => {
      world = await makeWorld();
      info = await world.ark.getInfo();
      alice = owner();
      bob = owner();
      const subscription = await world.ark.subscribeForScripts([
        alice.script.pkScriptHex,
        bob.script.pkScriptHex,
      ]);
      stream = world.ark.streamSubscription(subscription);
      const open = stream;
      void (async () => {
        try {
          for await (const ev of open) if (ev.type === "tx") events.push(ev);
        } catch (err) {
          streamError = err;
        }
      })();
      // arkd sends nothing on attach: give the stream a moment to reach it before anything happens
      await new Promise((r) => setTimeout(r, 2_000));
      commitmentTxid = await world.fundSettled(alice.priv, alice.script, AMOUNT);
    });

    afterAll(async () => {
      stream?.close();
      await world?.close();
    });

    it("GetInfo: signer and forfeit keys, network, dust, a checkpoint tapscript of the forfeit key, delays", () => {
      expect(info.signerPubkey).toMatch(/^0[23][0-9a-f]{64}$/);
      expect(info.forfeitPubkey).toMatch(/^0[23][0-9a-f]{64}$/);
      expect(info.network).toBe(world.network);
      expect(info.dustSats).toBe(330n);
      const cp = decodeClosure(hex.decode(info.checkpointTapscript));
      expect(cp.type).toBe("csv-multisig");
      if (cp.type !== "csv-multisig") return;
      expect(cp.pubkeys.map((k) => hex.encode(k))).toEqual([info.forfeitPubkey.slice(2)]);
      expect(cp.timelock.value).toBeGreaterThan(0n);
      expect(info.unilateralExitDelay).toBeGreaterThan(0n);
      expect(info.boardingExitDelay).toBeGreaterThan(info.unilateralExitDelay);
      expect(info.sessionDurationSeconds).toBeGreaterThan(0n);
    });

    it("a settled VTXO: not preconfirmed, its batch in commitment_txids, expires_at a unix time = its batch's", async () => {
      const { vtxos } = await world.ark.getVtxos({ scripts: [alice.script.pkScriptHex] });
      expect(vtxos).toHaveLength(1);
      settled = vtxos[0] as Vtxo;
      expect(settled.amountSats).toBe(AMOUNT);
      expect(settled.script).toBe(alice.script.pkScriptHex);
      expect(settled.flags).toEqual({ preconfirmed: false, swept: false, unrolled: false, spent: false });
      expect(settled.depth).toBe(0);
      expect(settled.commitmentTxids).toEqual([commitmentTxid]);
      expect(settled.outpoint.txid).not.toBe(commitmentTxid); // a leaf of the batch's VTXO tree
      expect(settled.spentBy).toBeUndefined();
      expect(settled.arkTxid).toBeUndefined();
      expect(settled.expiresAt).toBeGreaterThanOrEqual(UNIX_TIME_MIN);
      expect(settled.expiresAt).toBeGreaterThan(await world.now());

      const batch = await world.ark.getCommitmentTx(commitmentTxid);
      expect(batch.txid).toBe(commitmentTxid);
      expect(batch.batches).toHaveLength(1);
      const [out] = batch.batches;
      expect(out).toMatchObject({ vout: 0, expiresAt: settled.expiresAt, swept: false });
      expect(out?.totalOutputSats).toBeGreaterThanOrEqual(AMOUNT);
      expect(batch.startedAt).toBeLessThanOrEqual(batch.endedAt);
      expect(batch.endedAt).toBeGreaterThanOrEqual(UNIX_TIME_MIN);
      expect(batch.endedAt).toBeLessThan(settled.expiresAt);
      expect(settled.createdAt).toBeGreaterThanOrEqual(batch.startedAt);
      expect(settled.createdAt).toBeLessThan(settled.expiresAt);
    });

    it("GetCommitmentTx of an unknown txid is ark.not_found", async () => {
      expect(await codeOf(world.ark.getCommitmentTx(hex.encode(randomBytes(32))))).toEqual({
        code: "ark.not_found",
      });
    });

    it("an offchain spend: the input is spent (ark_txid, spent_by = its checkpoint), the output preconfirmed with the input's expires_at and batches", async () => {
      spend = await spendAll(alice, settled, bob);
      const [old] = (
        await settle(
          () => world.ark.getVtxos({ outpoints: [settled.outpoint] }),
          (p) => p.vtxos[0]?.flags.spent === true,
        )
      ).vtxos;
      expect(old).toMatchObject({
        outpoint: settled.outpoint,
        amountSats: AMOUNT,
        flags: { preconfirmed: false, swept: false, unrolled: false, spent: true },
        arkTxid: spend.arkTxid,
        spentBy: spend.checkpointTxids[0],
        expiresAt: settled.expiresAt,
      });

      const { vtxos } = await settle(
        () => world.ark.getVtxos({ scripts: [bob.script.pkScriptHex] }),
        (p) => p.vtxos.length > 0,
      );
      expect(vtxos).toHaveLength(1);
      offchain = vtxos[0] as Vtxo;
      expect(offchain).toMatchObject({
        outpoint: { txid: spend.arkTxid, vout: 0 },
        amountSats: AMOUNT,
        script: bob.script.pkScriptHex,
        flags: { preconfirmed: true, swept: false, unrolled: false, spent: false },
        expiresAt: settled.expiresAt,
        commitmentTxids: [commitmentTxid],
        spentBy: undefined,
        arkTxid: undefined,
      });
      expect(offchain.createdAt).toBeGreaterThanOrEqual(settled.createdAt);
      expect(offchain.depth).toBe(1); // offchain txs since the last batch
      latest = { owner: bob, vtxo: offchain };
      // an ark txid is no batch
      expect(await codeOf(world.ark.getCommitmentTx(spend.arkTxid))).toEqual({ code: "ark.not_found" });
    });

    it("GetVtxos: by outpoint and by script both report a spent VTXO; spendable_only drops it, spent_only keeps it", async () => {
      const byOutpoint = await world.ark.getVtxos({ outpoints: [settled.outpoint, offchain.outpoint] });
      expect(byOutpoint.vtxos.map((v) => [outpointOf(v), v.flags.spent]).sort()).toEqual(
        [
          [outpointOf(settled), true],
          [outpointOf(offchain), false],
        ].sort(),
      );
      const all = await world.ark.getVtxos({ scripts: [alice.script.pkScriptHex] });
      expect(all.vtxos.map(outpointOf)).toEqual([outpointOf(settled)]);
      const spendable = await world.ark.getVtxos({
        scripts: [alice.script.pkScriptHex],
        status: "spendable",
      });
      expect(spendable.vtxos).toEqual([]);
      const spent = await world.ark.getVtxos({ scripts: [alice.script.pkScriptHex], status: "spent" });
      expect(spent.vtxos.map(outpointOf)).toEqual([outpointOf(settled)]);
      const bobs = await world.ark.getVtxos({ scripts: [bob.script.pkScriptHex], status: "spendable" });
      expect(bobs.vtxos.map(outpointOf)).toEqual([outpointOf(offchain)]);
      const both = await world.ark.getVtxos({
        scripts: [alice.script.pkScriptHex, bob.script.pkScriptHex],
        status: "spendable",
      });
      expect(both.vtxos.map(outpointOf)).toEqual([outpointOf(offchain)]);
    });

    it("the subscription: the batch's event (commitment txid) brings the settled VTXO, the spend's (ark txid) the spent and the new one with the checkpoint", async () => {
      const batch = await eventOf(commitmentTxid);
      expect(batch.scripts).toEqual([alice.script.pkScriptHex]);
      expect(batch.newVtxos.map(outpointOf)).toEqual([outpointOf(settled)]);
      expect(batch.newVtxos[0]).toMatchObject({
        amountSats: AMOUNT,
        expiresAt: settled.expiresAt,
        commitmentTxids: [commitmentTxid],
        flags: { preconfirmed: false, spent: false },
      });
      expect(batch.spentVtxos).toEqual([]);
      expect(batch.sweptVtxos).toEqual([]);

      const ev = await eventOf(spend.arkTxid);
      expect([...ev.scripts].sort()).toEqual([alice.script.pkScriptHex, bob.script.pkScriptHex].sort());
      expect(ev.newVtxos.map(outpointOf)).toEqual([outpointOf(offchain)]);
      expect(ev.newVtxos[0]).toMatchObject({
        expiresAt: settled.expiresAt,
        commitmentTxids: [commitmentTxid],
        flags: { preconfirmed: true, spent: false },
      });
      expect(ev.spentVtxos.map(outpointOf)).toEqual([outpointOf(settled)]);
      expect(ev.spentVtxos[0]).toMatchObject({
        arkTxid: spend.arkTxid,
        spentBy: spend.checkpointTxids[0],
        flags: { spent: true },
      });
      expect(ev.tx === undefined ? undefined : parsePsbt(ev.tx).id).toBe(spend.arkTxid);
      expect([...ev.checkpointTxs.keys()]).toEqual([outpointOf(settled)]);
      const cp = ev.checkpointTxs.get(outpointOf(settled));
      expect(cp?.txid).toBe(spend.checkpointTxids[0]);
      expect(cp === undefined ? undefined : parsePsbt(cp.tx).id).toBe(spend.checkpointTxids[0]);
    });

    it("SubscribeForScripts refuses a P2TR script whose key is not on the curve", async () => {
      expect(await codeOf(world.ark.subscribeForScripts([`5120${"11".repeat(32)}`]))).toEqual({
        code: "ark.invalid_argument",
      });
    });

    it("SubmitTx of a spent VTXO is refused: VTXO_ALREADY_SPENT (ark.invalid_argument); of an unknown one VTXO_NOT_FOUND (ark.not_found)", async () => {
      expect(await codeOf(spendAll(alice, settled, owner()))).toEqual({
        code: "ark.invalid_argument",
        arkdName: "VTXO_ALREADY_SPENT",
      });
      const [old] = (await world.ark.getVtxos({ outpoints: [settled.outpoint] })).vtxos;
      expect(old).toMatchObject({ arkTxid: spend.arkTxid, flags: { spent: true } });
      const unknown = { ...settled, outpoint: { txid: hex.encode(randomBytes(32)), vout: 0 } };
      expect(await codeOf(spendAll(alice, unknown, owner()))).toEqual({
        code: "ark.not_found",
        arkdName: "VTXO_NOT_FOUND",
      });
    });

    it("a submitted, unfinalized spend: GetPendingTx returns it, the indexer calls its input pending, a second spend of it is VTXO_ALREADY_SPENT; FinalizeTx completes it", async () => {
      const carol = owner();
      const submitted = await submitAll(bob, offchain, carol);
      const intent = getPendingTxIntent(submitted.checkpoints, submitted.signer);
      const pendingTxs = await world.ark.getPendingTxs(intent);
      expect(pendingTxs.map((t) => t.arkTxid)).toEqual([submitted.arkTxid]);
      const pendingVtxos = await world.ark.getVtxos({ scripts: [bob.script.pkScriptHex], status: "pending" });
      expect(pendingVtxos.vtxos.map(outpointOf)).toEqual([outpointOf(offchain)]);
      expect(await codeOf(spendAll(bob, offchain, owner()))).toEqual({
        code: "ark.invalid_argument",
        arkdName: "VTXO_ALREADY_SPENT",
      });
      // Before FinalizeTx the indexer already lists the input spent by this ark tx, and the
      // output not at all: "spent by our ark tx" alone does not mean finalized.
      const [spentEarly] = (await world.ark.getVtxos({ outpoints: [offchain.outpoint] })).vtxos;
      expect(spentEarly).toMatchObject({ arkTxid: submitted.arkTxid, flags: { spent: true } });
      expect((await world.ark.getVtxos({ scripts: [carol.script.pkScriptHex] })).vtxos).toEqual([]);

      await finalize(submitted);
      // arkd drops the tx from its pending cache a moment after FinalizeTx answers
      expect(
        await settle(
          () => world.ark.getPendingTxs(intent),
          (t) => t.length === 0,
        ),
      ).toEqual([]);
      const { vtxos } = await settle(
        () => world.ark.getVtxos({ scripts: [carol.script.pkScriptHex] }),
        (p) => p.vtxos.length > 0,
      );
      expect(vtxos).toHaveLength(1);
      expect(vtxos[0]).toMatchObject({
        outpoint: { txid: submitted.arkTxid, vout: 0 },
        expiresAt: settled.expiresAt,
        commitmentTxids: [commitmentTxid],
        flags: { preconfirmed: true, spent: false },
      });
      expect(vtxos[0]?.depth).toBe(2);
      const [spentNow] = (await world.ark.getVtxos({ outpoints: [offchain.outpoint] })).vtxos;
      expect(spentNow).toMatchObject({ arkTxid: submitted.arkTxid, flags: { spent: true } });
      latest = { owner: carol, vtxo: vtxos[0] as Vtxo };
    });

    it(
      "past its expires_at a VTXO is refused offchain (VTXO_RECOVERABLE), yet the indexer still calls it spendable and now recoverable",
      async (ctx) => {
        const recoverableBefore = await world.ark.getVtxos({
          scripts: [latest.owner.script.pkScriptHex],
          status: "recoverable",
        });
        expect(recoverableBefore.vtxos).toEqual([]);
        const passed = await world.passTime(latest.vtxo.expiresAt + 1n);
        if (!passed) ctx.skip(`expires_at ${latest.vtxo.expiresAt} is more than ${MAX_WAIT_SECONDS} s away`);
        expect(await world.now()).toBeGreaterThan(latest.vtxo.expiresAt);

        const dave = owner();
        expect(await codeOf(spendAll(latest.owner, latest.vtxo, dave))).toEqual({
          code: "ark.invalid_argument",
          arkdName: "VTXO_RECOVERABLE",
        });
        const [still] = (await world.ark.getVtxos({ outpoints: [latest.vtxo.outpoint] })).vtxos;
        expect(still?.flags).toEqual({ preconfirmed: true, swept: false, unrolled: false, spent: false });
        expect((await world.ark.getVtxos({ scripts: [dave.script.pkScriptHex] })).vtxos).toEqual([]);
        // arkd's indexer does not read the clock for spendable_only; recoverable_only does
        const spendable = await world.ark.getVtxos({
          scripts: [latest.owner.script.pkScriptHex],
          status: "spendable",
        });
        expect(spendable.vtxos.map(outpointOf)).toEqual([outpointOf(latest.vtxo)]);
        const recoverable = await world.ark.getVtxos({
          scripts: [latest.owner.script.pkScriptHex],
          status: "recoverable",
        });
        expect(recoverable.vtxos.map(outpointOf)).toEqual([outpointOf(latest.vtxo)]);
      },
      (Number(MAX_WAIT_SECONDS) + 60) * 1000,
    );

    it("a swept batch: its VTXO is swept (not spent), no longer spendable, recoverable, and GetCommitmentTx says swept", async () => {
      const erin = owner();
      const commitmentTxid = await world.fundSettled(erin.priv, erin.script, AMOUNT);
      const [vtxo] = (await world.ark.getVtxos({ scripts: [erin.script.pkScriptHex] })).vtxos;
      expect(vtxo).toBeDefined();
      expect((await world.ark.getCommitmentTx(commitmentTxid)).batches[0]?.swept).toBe(false);
      await world.sweepBatch(commitmentTxid);
      const [swept] = (await world.ark.getVtxos({ outpoints: [vtxo!.outpoint] })).vtxos;
      expect(swept?.flags).toMatchObject({ swept: true, spent: false });
      const byStatus = async (status: "spendable" | "recoverable") =>
        (await world.ark.getVtxos({ scripts: [erin.script.pkScriptHex], status })).vtxos.map(outpointOf);
      expect(await byStatus("spendable")).toEqual([]);
      expect(await byStatus("recoverable")).toEqual([outpointOf(vtxo!)]);
      expect((await world.ark.getCommitmentTx(commitmentTxid)).batches[0]?.swept).toBe(true);
    });
  });
}
