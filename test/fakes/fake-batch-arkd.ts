/**
 * A scripted arkd for batch-session unit tests: it plays the server's side of arkd v0.9.15's
 * batch protocol (batch_started → tree txs → tree_signing_started → tree_nonces → checks our
 * partial signatures → connector tree + batch_finalization → checks our forfeits →
 * batch_finalized), building an arkd-shaped tree around the intent it received.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { hex } from "@scure/base";
import * as musig from "@scure/btc-signer/musig2.js";
import { schnorr } from "@noble/curves/secp256k1.js";
import {
  aggregateTreeKeys,
  buildTxTree,
  cosignerKeys,
  sweepTapRoot,
  sweepTapscript,
  treeTxSighash,
  type TxTree,
} from "../../src/ark/batch/index.js";
import {
  arkError,
  type ArkdInfo,
  type BatchStreamEvent,
  type IntentProof,
} from "../../src/ark/client/index.js";
import { parsePsbt, verifyTapscriptSignatures } from "../../src/ark/tx/index.js";
import { p2trScript } from "../../src/ark/tx/crypto.js";
import { FakeStream } from "./fake-ark-stream.js";
import { buildBatch, key, type BatchFixture } from "../unit/ark/batch/tree-fixture.js";

export const SERVER = key();
export const FORFEIT_PUBKEY = hex.encode(SERVER.pub);
export const BATCH_EXPIRY = 144n;

interface Registered {
  readonly id: string;
  readonly cosigner: Uint8Array;
  readonly output: { script: Uint8Array; amount: bigint };
  readonly forfeitOutpoints: string[];
}

export class FakeBatchArkd {
  readonly calls: string[] = [];
  readonly deleted: IntentProof[] = [];
  /** Fail the next N batches right after ConfirmRegistration. */
  failBatches = 0;
  /** Never finalize (the batch hangs after the forfeits). */
  /** After our forfeits arrive, the event stream breaks (arkd went away): the outcome is unknown to us. */
  breakAfterForfeits = false;
  feeSats = 0n;
  /** VTXOs arkd takes as expired (or swept): no connector, no forfeit expected. */
  readonly expired = new Set<string>();
  /** Put our cosigner key on the other user's leaf instead of ours (and send the whole tree). */
  ourKeyOnOtherLeaf = false;
  private stream: FakeStream<BatchStreamEvent> | undefined;
  private intent: Registered | undefined;
  private batch: (BatchFixture & { id: string; tree: TxTree; root: Uint8Array }) | undefined;
  private serverNonces = new Map<string, { secret: Uint8Array; public: Uint8Array }>();
  private ourNonces = new Map<string, string>();
  private batchCount = 0;

  streamBatchEvents(topics: readonly string[]) {
    this.calls.push(`stream:${topics.length}`);
    this.stream = new FakeStream<BatchStreamEvent>();
    this.stream.push({ type: "stream_started", streamId: "s1" });
    return this.stream;
  }

  async estimateIntentFee(): Promise<bigint> {
    return this.feeSats;
  }

  async deleteIntent(intent: IntentProof): Promise<void> {
    this.calls.push("deleteIntent");
    this.deleted.push(intent);
  }

  async registerIntent(intent: IntentProof): Promise<string> {
    this.calls.push("registerIntent");
    const msg = JSON.parse(intent.message) as { type: string; cosigners_public_keys: string[] };
    if (msg.type !== "register") throw new Error("not a register intent");
    const proof = parsePsbt(intent.proof);
    const out = proof.getOutput(0);
    const forfeitOutpoints: string[] = [];
    for (let i = 1; i < proof.inputsLength; i++) {
      const input = proof.getInput(i);
      const leaf = input.tapLeafScript?.[0]?.[1];
      if (leaf?.[0] === 0xa8) continue; // a note: no forfeit
      const outpoint = `${hex.encode(input.txid as Uint8Array)}:${input.index}`;
      if (!this.expired.has(outpoint)) forfeitOutpoints.push(outpoint);
    }
    this.intent = {
      id: `intent-${this.batchCount}`,
      cosigner: hex.decode(msg.cosigners_public_keys[0] as string),
      output: { script: out.script as Uint8Array, amount: out.amount as bigint },
      forfeitOutpoints,
    };
    const id = this.intent.id;
    setImmediate(() => {
      // someone else's batch first: must be ignored
      this.stream?.push({
        type: "batch_started",
        batchId: "other",
        intentIdHashes: ["00".repeat(32)],
        batchExpiry: 1n,
      });
      this.stream?.push({
        type: "batch_started",
        batchId: `batch-${this.batchCount}`,
        intentIdHashes: [hex.encode(sha256(new TextEncoder().encode(id)))],
        batchExpiry: BATCH_EXPIRY,
      });
    });
    return id;
  }

  async confirmRegistration(intentId: string): Promise<void> {
    this.calls.push("confirmRegistration");
    const intent = this.intent as Registered;
    if (intentId !== intent.id) throw new Error("wrong intent id");
    const id = `batch-${this.batchCount++}`;
    if (this.failBatches > 0) {
      this.failBatches--;
      setImmediate(() => this.stream?.push({ type: "batch_failed", batchId: id, reason: "a cosigner left" }));
      return;
    }
    const other = key();
    const root = sweepTapRoot(sweepTapscript(FORFEIT_PUBKEY, BATCH_EXPIRY));
    const fixture = buildBatch({
      leaves: [
        {
          outputs: [{ script: intent.output.script, amount: intent.output.amount }],
          cosigners: this.ourKeyOnOtherLeaf ? [SERVER.pub] : [intent.cosigner, SERVER.pub],
        },
        {
          outputs: [{ script: p2trScript(other.pub.subarray(1)), amount: 5_000n }],
          cosigners: this.ourKeyOnOtherLeaf ? [intent.cosigner, SERVER.pub] : [SERVER.pub],
        },
      ],
      sweepRoot: root,
      connectors: intent.forfeitOutpoints.length,
      connectorKey: SERVER.pub,
    });
    const tree = buildTxTree(fixture.vtxoTree);
    this.batch = { ...fixture, id, tree, root };
    setImmediate(() => {
      // a tree tx of another batch on the same stream must not be mixed into ours
      const stray = fixture.vtxoTree[0] as (typeof fixture.vtxoTree)[number];
      this.stream?.push({
        type: "tree_tx",
        batchId: "other",
        topics: [],
        batchIndex: 0,
        txid: "",
        tx: stray.tx,
        children: new Map(),
      });
      // arkd sends only the branch whose topics match ours, without txids (v0.9.15)
      for (const ev of fixture.vtxoTree) {
        const node = tree.nodes.get(ev.txid);
        const ours =
          node !== undefined &&
          cosignerKeys(node.tx).some((k) => hex.encode(k) === hex.encode(intent.cosigner));
        if (!ours && !this.ourKeyOnOtherLeaf) continue;
        this.stream?.push({
          type: "tree_tx",
          batchId: id,
          topics: [],
          batchIndex: 0,
          txid: "",
          tx: ev.tx,
          children: ev.children,
        });
      }
      this.stream?.push({
        type: "tree_signing_started",
        batchId: id,
        cosignerPubkeys: [hex.encode(intent.cosigner), FORFEIT_PUBKEY],
        unsignedCommitmentTx: fixture.commitmentPsbt,
      });
    });
  }

  async submitTreeNonces(req: { batchId: string; pubkey: string; treeNonces: ReadonlyMap<string, string> }) {
    this.calls.push("submitTreeNonces");
    const b = this.batch as NonNullable<typeof this.batch>;
    this.ourNonces = new Map(req.treeNonces);
    setImmediate(() => {
      for (const txid of req.treeNonces.keys()) {
        const n = musig.nonceGen(SERVER.pub, SERVER.priv);
        this.serverNonces.set(txid, n);
        this.stream?.push({
          type: "tree_nonces",
          batchId: b.id,
          topics: [],
          txid,
          nonces: new Map([[hex.encode(SERVER.pub.subarray(1)), hex.encode(n.public)]]),
        });
      }
    });
  }

  async submitTreeSignatures(req: {
    batchId: string;
    pubkey: string;
    treeSignatures: ReadonlyMap<string, string>;
  }) {
    this.calls.push("submitTreeSignatures");
    const b = this.batch as NonNullable<typeof this.batch>;
    const intent = this.intent as Registered;
    const batchOut = { script: b.batchOutput.script, amountSats: b.batchOutput.amount };
    for (const [txid, partial] of req.treeSignatures) {
      const node = b.tree.nodes.get(txid);
      if (node === undefined) throw new Error(`unknown tree tx ${txid}`);
      const { sorted, tweak } = aggregateTreeKeys(cosignerKeys(node.tx), b.root);
      const nonces = sorted.map((k) =>
        hex.encode(k) === hex.encode(intent.cosigner)
          ? hex.decode(this.ourNonces.get(txid) as string)
          : (this.serverNonces.get(txid)?.public as Uint8Array),
      );
      const msg = treeTxSighash(node.tx, b.tree.prevoutOf(txid, batchOut));
      const session = new musig.Session(musig.nonceAggregate(nonces), sorted, msg, [tweak], [true]);
      const i = sorted.findIndex((k) => hex.encode(k) === hex.encode(intent.cosigner));
      if (!session.partialSigVerify(hex.decode(partial), nonces, i))
        throw new Error(`bad partial signature on ${txid}`);
      const sigs = sorted.map((k) =>
        hex.encode(k) === hex.encode(intent.cosigner)
          ? hex.decode(partial)
          : session.sign(this.serverNonces.get(txid)?.secret as Uint8Array, SERVER.priv),
      );
      if (
        !schnorr.verify(session.partialSigAgg(sigs), msg, b.tree.prevoutOf(txid, batchOut).script.subarray(2))
      )
        throw new Error(`aggregate signature on ${txid} does not verify`);
    }
    setImmediate(() => {
      // like arkd, a connector leaf's topic is the VTXO it is for (assigned here in reverse order)
      const owners = [...intent.forfeitOutpoints].reverse();
      for (const ev of b.connectorTree)
        this.stream?.push({
          type: "tree_tx",
          batchId: b.id,
          topics: ev.children.size === 0 ? [owners.shift() as string] : [...intent.forfeitOutpoints],
          batchIndex: 1,
          txid: "",
          tx: ev.tx,
          children: ev.children,
        });
      this.stream?.push({ type: "batch_finalization", batchId: b.id, commitmentTx: b.commitmentPsbt });
      if (intent.forfeitOutpoints.length === 0) this.finalize();
    });
  }

  async submitSignedForfeitTxs(req: { signedForfeitTxs: readonly string[] }) {
    this.calls.push(`submitSignedForfeitTxs:${req.signedForfeitTxs.length}`);
    const intent = this.intent as Registered;
    const b = this.batch as NonNullable<typeof this.batch>;
    const connectorTxids = new Set(b.connectorTree.map((e) => parsePsbt(e.tx).id));
    const owner = new Map<string, string>();
    const owners = [...intent.forfeitOutpoints].reverse();
    for (const ev of b.connectorTree)
      if (ev.children.size === 0) owner.set(parsePsbt(ev.tx).id, owners.shift() as string);
    const spent = req.signedForfeitTxs.map((f) => {
      const tx = parsePsbt(f);
      const vtxo = `${hex.encode(tx.getInput(0).txid as Uint8Array)}:${tx.getInput(0).index}`;
      if (owner.get(hex.encode(tx.getInput(1).txid as Uint8Array)) !== vtxo)
        throw new Error("forfeit uses another VTXO's connector");
      if (verifyTapscriptSignatures(tx, 0).length !== 1) throw new Error("forfeit not signed");
      if (!connectorTxids.has(hex.encode(tx.getInput(1).txid as Uint8Array)))
        throw new Error("not our connector");
      return `${hex.encode(tx.getInput(0).txid as Uint8Array)}:${tx.getInput(0).index}`;
    });
    if (spent.sort().join() !== [...intent.forfeitOutpoints].sort().join())
      throw new Error("forfeits do not match");
    if (this.breakAfterForfeits)
      setImmediate(() =>
        this.stream?.fail(arkError("ark.stream_ended", "GetEventStream: the server ended the stream")),
      );
    else setImmediate(() => this.finalize());
  }

  private finalize(): void {
    const b = this.batch as NonNullable<typeof this.batch>;
    this.stream?.push({ type: "batch_finalized", batchId: b.id, commitmentTxid: b.commitmentTx.id });
  }

  /** The commitment txid of the last batch built. */
  get commitmentTxid(): string | undefined {
    return this.batch?.commitmentTx.id;
  }
}

/** GetInfo as this scripted arkd answers it (its signer, forfeit key and address). */
export const FAKE_BATCH_ARKD_INFO = {
  signerPubkey: hex.encode(SERVER.pub),
  forfeitPubkey: FORFEIT_PUBKEY,
  forfeitAddress: "bcrt1qmhmu3gzqgp5j6rad92g0nr9vl3ansx240lhynq",
  unilateralExitDelay: 20n,
  dustSats: 330n,
  vtxoMinAmountSats: 1n,
} as unknown as ArkdInfo;
