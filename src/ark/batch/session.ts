/**
 * One attempt at a batch, over the arkd port (arkd v0.9.15's batch protocol, as client-lib's
 * JoinBatchSession drives it): open GetEventStream on our topics, RegisterIntent, wait for a
 * batch_started naming sha256(intent id) → ConfirmRegistration, collect tree_tx events,
 * tree_signing_started → check the tree (root spends the batch output, our output is in a leaf)
 * → SubmitTreeNonces, tree_nonces / tree_nonces_aggregated → SubmitTreeSignatures,
 * batch_finalization → one signed forfeit per spent VTXO (and our signatures on the commitment
 * tx's boarding inputs) → SubmitSignedForfeitTxs, batch_finalized → done; batch_failed →
 * `batch.failed`. Events of other batches are ignored. A join without a VTXO output (an offboard
 * paying only onchain) signs the tree only if arkd lists our cosigner key.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import { IndividualPubkey } from "@scure/btc-signer/musig2.js";
import type { ArkServicePort } from "../client/port.js";
import type { BatchStreamEvent, IntentProof } from "../client/types.js";
import { toHex } from "../tx/bytes.js";
import { parsePsbt, psbtBase64, type SchnorrSigner, type VtxoInput } from "../tx/index.js";
import { checkTreeRoot, findLeafOutput } from "./batch-output.js";
import { signBoardingInputs } from "./boarding.js";
import { batchError } from "./errors.js";
import { buildForfeitTx, connectorOutputs, pairConnectors } from "./forfeit.js";
import { TreeSigner, checkTreeScripts, sweepTapRoot, sweepTapscript } from "./tree-signer.js";
import { buildTxTree, type TreeTxEvent } from "./tx-tree.js";
import { formatOutpoint } from "../../domain/outpoint.js";

/** What a batch session uses of arkd. */
export type BatchArkPort = Pick<
  ArkServicePort,
  | "registerIntent"
  | "confirmRegistration"
  | "submitTreeNonces"
  | "submitTreeSignatures"
  | "submitSignedForfeitTxs"
  | "streamBatchEvents"
>;

export interface BatchSessionParams {
  readonly ark: BatchArkPort;
  /** Builds the signed register intent for a cosigner key (33-byte hex). */
  readonly registerIntent: (cosignerPublicKey: string) => IntentProof;
  /** Outpoints (`txid:vout`) of every input, notes included (stream topics). */
  readonly inputOutpoints: readonly string[];
  /** The one VTXO output we requested; undefined when the join has only onchain outputs. */
  readonly output: { readonly script: Uint8Array; readonly amountSats: bigint } | undefined;
  /** VTXOs to forfeit (every non-note input), each spent via its forfeit leaf. */
  readonly forfeitVtxos: readonly VtxoInput[];
  /** Boarding UTXOs among the inputs (collaborative leaf): we sign their commitment tx inputs. */
  readonly boardingInputs?: readonly VtxoInput[];
  /** Onchain outputs we requested: each must be an output of the commitment tx. */
  readonly onchainOutputs?: readonly { readonly script: Uint8Array; readonly amountSats: bigint }[];
  readonly forfeitSigner: SchnorrSigner;
  /** scriptPubKey of GetInfo.forfeit_address. */
  readonly forfeitScript: Uint8Array;
  /** GetInfo.forfeit_pubkey (the sweep key of the batch output). */
  readonly forfeitPubkey: string;
  /** Give up (`batch.timeout`) after this long without a finalized batch. */
  readonly timeoutMs: number;
  /** Fresh 32-byte cosigner secret (tests); random by default. */
  readonly cosignerSecret?: Uint8Array;
  /** Progress hook (logging). */
  readonly onStep?: (step: string, fields: Record<string, unknown>) => void;
  /**
   * Called with the commitment txid just before our signatures (forfeits, boarding inputs) go to
   * arkd: from then on arkd may finalize without us (record it to find the outcome after a crash).
   */
  readonly onSigning?: (commitmentTxid: string) => void | Promise<void>;
  /** Called once arkd accepted the intent (before any batch event). */
  readonly onRegistered?: (intentId: string) => void | Promise<void>;
}

export interface BatchResult {
  readonly batchId: string;
  readonly intentId: string;
  readonly commitmentTxid: string;
  /** Our new VTXO: `txid:vout` of its leaf output ("" when the join asked for none). */
  readonly outpoint: string;
  readonly amountSats: bigint;
}

type Step = "registered" | "confirmed" | "nonces_sent" | "signed" | "forfeits_sent";

/**
 * Runs one batch attempt to its end.
 * @throws GatewayError `batch.failed` (arkd failed the batch), `batch.timeout`, `batch.invalid_tree`,
 *   `batch.output_missing`, `batch.invalid_nonce`, `batch.connector_missing`,
 *   `batch.protocol_violation`, `ark.*` from the calls
 */
export async function runBatchSession(p: BatchSessionParams): Promise<BatchResult> {
  const secret = p.cosignerSecret ?? randomBytes(32);
  const abort = new AbortController();
  const run = new Run(p, secret);
  // the stream is open before the intent exists, so no batch_started can slip by
  const stream = p.ark.streamBatchEvents([...p.inputOutpoints, run.cosignerPublicKey], {
    signal: abort.signal,
  });
  const timer = setTimeout(() => {
    abort.abort();
    stream.close(); // ends the iteration even where a stream ignores the signal
  }, p.timeoutMs);
  try {
    const intent = p.registerIntent(run.cosignerPublicKey);
    run.intentId = await p.ark.registerIntent(intent);
    run.intentHash = toHex(sha256(new TextEncoder().encode(run.intentId)));
    await p.onRegistered?.(run.intentId);
    p.onStep?.("registered", { intentId: run.intentId });
    for await (const ev of stream) {
      const result = await run.handle(ev);
      if (result !== undefined) return result;
    }
    throw batchError("batch.timeout", `no finalized batch within ${p.timeoutMs} ms`, {
      intentId: run.intentId,
    });
  } catch (err) {
    if (abort.signal.aborted)
      throw batchError(
        "batch.timeout",
        `no finalized batch within ${p.timeoutMs} ms`,
        {
          intentId: run.intentId,
        },
        err,
      );
    throw err;
  } finally {
    clearTimeout(timer);
    stream.close();
  }
}

/** The state of one attempt. */
class Run {
  intentId = "";
  intentHash = "";
  readonly cosignerPublicKey: string;
  private step: Step = "registered";
  private batchId: string | undefined;
  private batchExpiry = 0n;
  private unsignedCommitmentTx: string | undefined;
  private readonly vtxoTree: TreeTxEvent[] = [];
  private readonly connectorTree: TreeTxEvent[] = [];
  private signer: TreeSigner | undefined;
  private leaf: { txid: string; vout: number } | undefined;

  constructor(
    private readonly p: BatchSessionParams,
    private readonly secret: Uint8Array,
  ) {
    this.cosignerPublicKey = toHex(IndividualPubkey(secret));
  }

  async handle(ev: BatchStreamEvent): Promise<BatchResult | undefined> {
    if (ev.type === "heartbeat" || ev.type === "stream_started") return undefined;
    if (ev.type === "batch_started") return this.onStarted(ev);
    if (this.batchId === undefined || ev.batchId !== this.batchId) return undefined;
    switch (ev.type) {
      case "tree_tx":
        (ev.batchIndex === 0 ? this.vtxoTree : this.connectorTree).push(ev);
        return undefined;
      case "tree_signing_started":
        return this.onSigningStarted(ev);
      case "tree_nonces":
        if (this.signer === undefined || this.step !== "nonces_sent") return undefined;
        if (this.signer.addNonces(ev.txid, ev.nonces)) await this.submitSignatures();
        return undefined;
      case "tree_nonces_aggregated":
        if (this.signer === undefined || this.step !== "nonces_sent") return undefined;
        if (this.signer.setAggregatedNonces(ev.treeNonces)) await this.submitSignatures();
        return undefined;
      case "tree_signature":
        return undefined;
      case "batch_finalization":
        return this.onFinalization(ev.commitmentTx);
      case "batch_finalized":
        if (this.step !== "forfeits_sent")
          throw batchError("batch.protocol_violation", "batch finalized before our forfeits were sent");
        this.p.onStep?.("finalized", { batchId: this.batchId, commitmentTxid: ev.commitmentTxid });
        if (this.p.output === undefined)
          return {
            batchId: this.batchId,
            intentId: this.intentId,
            commitmentTxid: ev.commitmentTxid,
            outpoint: "",
            amountSats: 0n,
          };
        if (this.leaf === undefined) throw batchError("batch.output_missing", "our output was never found");
        return {
          batchId: this.batchId,
          intentId: this.intentId,
          commitmentTxid: ev.commitmentTxid,
          outpoint: formatOutpoint(this.leaf),
          amountSats: this.p.output.amountSats,
        };
      case "batch_failed":
        throw batchError("batch.failed", `arkd failed the batch: ${ev.reason}`, {
          batchId: ev.batchId,
          reason: ev.reason,
        });
    }
  }

  private async onStarted(ev: Extract<BatchStreamEvent, { type: "batch_started" }>) {
    if (this.batchId !== undefined) return undefined;
    if (!ev.intentIdHashes.some((h) => h.toLowerCase() === this.intentHash)) return undefined;
    await this.p.ark.confirmRegistration(this.intentId);
    this.batchId = ev.batchId;
    this.batchExpiry = ev.batchExpiry;
    this.step = "confirmed";
    this.p.onStep?.("confirmed", { batchId: ev.batchId, batchExpiry: ev.batchExpiry.toString() });
    return undefined;
  }

  private async onSigningStarted(ev: Extract<BatchStreamEvent, { type: "tree_signing_started" }>) {
    if (this.step !== "confirmed") return undefined;
    const listed = ev.cosignerPubkeys.some((k) => k.toLowerCase() === this.cosignerPublicKey);
    this.unsignedCommitmentTx = ev.unsignedCommitmentTx;
    checkOnchainOutputs(parsePsbt(ev.unsignedCommitmentTx), this.p.onchainOutputs ?? []);
    if (!listed && this.p.output === undefined) {
      // nothing of ours in the VTXO tree (onchain outputs only): no tree to co-sign
      this.step = "signed";
      this.p.onStep?.("signed", { batchId: ev.batchId, treeSigned: false });
      return undefined;
    }
    if (!listed)
      throw batchError("batch.protocol_violation", "our cosigner key is not in the batch's cosigners");
    const commitment = parsePsbt(ev.unsignedCommitmentTx);
    const tree = buildTxTree(this.vtxoTree);
    const batchOut = checkTreeRoot(tree, commitment);
    const root = sweepTapRoot(sweepTapscript(this.p.forfeitPubkey, this.batchExpiry));
    checkTreeScripts(tree, batchOut, root);
    this.signer = new TreeSigner(this.secret, tree, batchOut, root);
    if (this.p.output !== undefined) {
      this.leaf = findLeafOutput(tree, this.p.output.script, this.p.output.amountSats);
      // every tx from the batch output down to our VTXO needs our signature: no one else can move it
      const ours = new Set(this.signer.txids);
      if (!tree.pathTo(this.leaf.txid).every((txid) => ours.has(txid)))
        throw batchError("batch.invalid_tree", "the branch to our VTXO does not list our cosigner key");
    }
    await this.p.ark.submitTreeNonces({
      batchId: ev.batchId,
      pubkey: this.cosignerPublicKey,
      treeNonces: this.signer.nonces(),
    });
    this.step = "nonces_sent";
    this.p.onStep?.("nonces_sent", { batchId: ev.batchId, txs: this.signer.txids.length });
    return undefined;
  }

  private async submitSignatures(): Promise<void> {
    const signer = this.signer as TreeSigner;
    const sigs = signer.sign();
    this.step = "signed";
    await this.p.ark.submitTreeSignatures({
      batchId: this.batchId as string,
      pubkey: this.cosignerPublicKey,
      treeSignatures: sigs,
    });
    this.p.onStep?.("signed", { batchId: this.batchId });
  }

  private async onFinalization(commitmentTx: string): Promise<undefined> {
    if (this.step !== "signed")
      throw batchError("batch.protocol_violation", `batch finalization while ${this.step}`);
    const commitment = parsePsbt(commitmentTx);
    const unsigned = parsePsbt(this.unsignedCommitmentTx as string);
    if (commitment.id !== unsigned.id)
      throw batchError("batch.invalid_tree", "finalization commitment tx differs from the signed one");
    const forfeits: string[] = [];
    if (this.p.forfeitVtxos.length > 0 && this.connectorTree.length > 0) {
      const connectors = connectorOutputs(buildTxTree(this.connectorTree));
      for (const { vtxo, connector } of pairConnectors(this.p.forfeitVtxos, connectors)) {
        const tx = buildForfeitTx({
          vtxo,
          connector,
          forfeitScript: this.p.forfeitScript,
          signer: this.p.forfeitSigner,
        });
        forfeits.push(psbtBase64(tx));
      }
    }
    const boarding = this.p.boardingInputs ?? [];
    const signedCommitmentTx =
      boarding.length > 0 ? signBoardingInputs(commitmentTx, boarding, this.p.forfeitSigner) : undefined;
    // arkd asks forfeits only for VTXOs it made connectors for (not swept, not expired)
    if (forfeits.length > 0 || signedCommitmentTx !== undefined) {
      await this.p.onSigning?.(commitment.id);
      await this.p.ark.submitSignedForfeitTxs({
        signedForfeitTxs: forfeits,
        ...(signedCommitmentTx === undefined ? {} : { signedCommitmentTx }),
      });
    }
    this.step = "forfeits_sent";
    this.p.onStep?.("forfeits_sent", {
      batchId: this.batchId,
      forfeits: forfeits.length,
      boardingSigned: boarding.length,
    });
    return undefined;
  }
}

/**
 * Every requested onchain output is paid by the commitment tx (distinct outputs, exact amounts).
 * @throws GatewayError `batch.output_missing`
 */
export function checkOnchainOutputs(
  commitment: ReturnType<typeof parsePsbt>,
  wanted: readonly { readonly script: Uint8Array; readonly amountSats: bigint }[],
): void {
  const used = new Set<number>();
  for (const w of wanted) {
    const hex = toHex(w.script);
    let found = -1;
    for (let i = 0; i < commitment.outputsLength && found < 0; i++) {
      const out = commitment.getOutput(i);
      if (
        !used.has(i) &&
        out.script !== undefined &&
        toHex(out.script) === hex &&
        out.amount === w.amountSats
      )
        found = i;
    }
    if (found < 0)
      throw batchError(
        "batch.output_missing",
        `the commitment tx does not pay ${w.amountSats} sats to ${hex}`,
      );
    used.add(found);
  }
}
