/**
 * A faithful in-memory arkd for the wallet's tests (ArkServerPort). It holds VTXOs and checks on
 * SubmitTx what arkd checks: every checkpoint spends a live VTXO with its real script and amount,
 * leaves are collaborative closures in the taptree that commits to the VTXO's script, the ark tx
 * and checkpoints rebuild (tx core, GetInfo's checkpoint tapscript) to the same txids, outputs
 * follow dust/min/max/P2TR rules with Σ out = Σ in, every non-server key signed, conditions hold,
 * CLTV locks are reached. It then co-signs with its own key. FinalizeTx checks the checkpoints'
 * signatures (all keys) and conditions, spends and creates VTXOs, stores the virtual txs and
 * notifies subscriptions. GetPendingTx verifies the intent proof. Hooks let tests lose answers
 * or "crash" the caller (a call that never returns) before or after the server acts.
 *
 * Its VTXOs are what arkd v0.9.15 reports on a block-typed regtest (test/conformance/ark-server.ts
 * runs the same cases against it and against the real arkd): `expires_at` is unix seconds = the
 * batch's end + the tree expiry counted as seconds (SECONDS_PER_BLOCK = 1), a settled VTXO is not
 * preconfirmed and names its batch in `commitment_txids`, an offchain one is preconfirmed, carries
 * its inputs' batches and the earliest input's `expires_at`; SubmitTx refuses a VTXO past its
 * `expires_at` (VTXO_RECOVERABLE, InvalidArgument); GetCommitmentTx reports the batch. The batch's
 * real sweep deadline (a block height) is what `mint` is given: `withDeadlines()` is this arkd
 * behind the gateway's `withBatchDeadlines`, with that deadline as the derived one.
 */
import { schnorr, secp256k1 } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import { TaprootControlBlock } from "@scure/btc-signer";
import { arkError, type ArkServerPort, type ArkdInfo } from "../../src/ark/client/index.js";
import type {
  ArkStream,
  CommitmentTxInfo,
  IntentProof,
  SubmittedArkTx,
  SubscriptionStreamEvent,
  TxPayload,
  Vtxo,
  VtxoPage,
  VtxoQuery,
} from "../../src/ark/client/index.js";
import { withBatchDeadlines } from "../../src/ark/expiry/index.js";
import { encodeCsvMultisig } from "../../src/ark/scripts/index.js";
import {
  P2A_SCRIPT,
  buildIntentToSpend,
  buildOffchainTxs,
  getCondition,
  parsePsbt,
  psbtBase64,
  signTapscriptInput,
  type Transaction,
  type VtxoInput,
} from "../../src/ark/tx/index.js";
import {
  bad,
  inputLeaf,
  requireCondition,
  requireSigners,
  taptreeScriptHex,
  type InputLeaf,
} from "./fake-arkd-checks.js";
import { FakeStream } from "./fake-ark-stream.js";

type Method = "submitTx" | "finalizeTx" | "getPendingTxs" | "getVtxos" | "subscribeForScripts";
/** hang: the call never settles (the caller "crashed"); an Error: the call rejects with it. */
export type HookAction = "hang" | Error;
export interface Hook {
  readonly when: "before" | "after";
  readonly action: HookAction;
  readonly times?: number;
}

interface Pending {
  readonly answer: SubmittedArkTx;
  readonly arkTx: Transaction;
  readonly checkpoints: Transaction[];
  readonly inputs: string[];
  readonly leaves: InputLeaf[];
}

interface FakeBatch {
  readonly startedAt: bigint;
  readonly endedAt: bigint;
  readonly totalOutputSats: bigint;
  /** The sweep deadline (block height) the test gave `mint`. */
  readonly deadline: bigint;
}

const PRIV = hex.decode("5e7e0f1ea5e5e7e0f1ea5e5e7e0f1ea5e5e7e0f1ea5e5e7e0f1ea5e5e7e0f1ea");

export class FakeArkd implements ArkServerPort {
  readonly serverPriv = PRIV;
  readonly serverXOnly = schnorr.getPublicKey(PRIV);
  info: ArkdInfo;
  /** Chain tip height (block-typed CLTV locks). */
  height = 100n;
  /** The VTXO tree expiry in blocks (block-typed, as on our regtest arkd). */
  treeExpiryBlocks = 144n;
  /** arkd's clock, unix seconds (the real clock unless a test moves it with `advanceClock`). */
  private clockOffset = 0n;
  /** Commitment txid → its batch. */
  readonly batches = new Map<string, FakeBatch>();
  readonly vtxos = new Map<string, Vtxo>();
  readonly pending = new Map<string, Pending>();
  readonly virtualTxs = new Map<string, string>();
  readonly hooks = new Map<Method, Hook>();
  readonly calls: Method[] = [];
  private readonly subs = new Map<string, Set<string>>();
  private readonly streams = new Map<string, Set<FakeStream<SubscriptionStreamEvent>>>();
  streamsOpened = 0;
  private nextId = 1;

  constructor(overrides: Partial<ArkdInfo> = {}) {
    const checkpoint = encodeCsvMultisig({ type: "blocks", value: 10n }, [this.serverXOnly]);
    this.info = {
      signerPubkey: `02${hex.encode(this.serverXOnly)}`,
      forfeitPubkey: `02${hex.encode(this.serverXOnly)}`,
      forfeitAddress: "bcrt1qforfeit",
      checkpointTapscript: hex.encode(checkpoint),
      network: "regtest",
      sessionDurationSeconds: 10n,
      unilateralExitDelay: 20n,
      boardingExitDelay: 30n,
      utxoMinAmountSats: -1n,
      utxoMaxAmountSats: -1n,
      vtxoMinAmountSats: 1n,
      vtxoMaxAmountSats: -1n,
      dustSats: 330n,
      digest: "fake",
      version: "v0.9.15-fake",
      maxTxWeight: 400_000n,
      maxOpReturnOutputs: 3n,
      fees: undefined,
      deprecatedSigners: [],
      ...overrides,
    };
  }

  // ---- test helpers ----

  /** arkd's clock: unix seconds. */
  now(): bigint {
    return BigInt(Math.floor(Date.now() / 1000)) + this.clockOffset;
  }

  /** Moves arkd's clock forward (e.g. past a VTXO's expires_at). */
  advanceClock(seconds: bigint): void {
    this.clockOffset += seconds;
  }

  /**
   * A new settled VTXO at `script`, the only output of a new batch that ends now; notifies
   * subscriptions. `deadline` is the batch's real sweep deadline (a block height: the commitment
   * tx's confirmation height + the tree expiry), what the gateway derives from the chain;
   * the VTXO's `expires_at` is arkd's: the batch's end + `treeExpiryBlocks` seconds.
   * @returns the VTXO's outpoint (a tree leaf txid, not the commitment txid)
   */
  mint(script: string, amountSats: bigint, deadline = 1_000n): string {
    const commitmentTxid = randomTxid();
    const endedAt = this.now();
    this.batches.set(commitmentTxid, {
      startedAt: endedAt - this.info.sessionDurationSeconds,
      endedAt,
      totalOutputSats: amountSats,
      deadline,
    });
    const v: Vtxo = {
      ...this.newVtxo(
        { txid: randomTxid(), vout: 0 },
        script,
        amountSats,
        endedAt + this.treeExpiryBlocks,
        false,
      ),
      createdAt: endedAt,
      commitmentTxids: [commitmentTxid],
    };
    this.vtxos.set(key(v), v);
    this.notify(commitmentTxid, undefined, [v], [], new Map());
    return key(v);
  }

  /**
   * The server sweeps a batch (its deadline reached): every unspent VTXO of it becomes swept, as
   * arkd's indexer then reports them (not spendable, recoverable, the batch swept).
   */
  sweepBatch(commitmentTxid: string): void {
    for (const [k, v] of this.vtxos)
      if (v.commitmentTxids.includes(commitmentTxid) && !v.flags.spent)
        this.vtxos.set(k, { ...v, flags: { ...v.flags, swept: true } });
  }

  /** The sweep deadline of a VTXO: the earliest `mint` deadline of its batches (0 if none). */
  deadlineOf(v: Vtxo): bigint {
    const ds = v.commitmentTxids.flatMap((t) => this.batches.get(t)?.deadline ?? []);
    return ds.length === 0 ? 0n : ds.reduce((a, b) => (b < a ? b : a));
  }

  /**
   * This arkd as the wallet sees it in production: behind `withBatchDeadlines`, each VTXO's
   * `expiresAt` is its batch's sweep deadline and arkd's value moves to `arkdExpiresAt`.
   */
  withDeadlines(): ArkServerPort {
    return withBatchDeadlines(this, { deadlineOf: async (v: Vtxo) => this.deadlineOf(v) });
  }

  /** GetCommitmentTx of a batch `mint` made; anything else (an ark txid too) is NOT_FOUND. */
  async getCommitmentTx(txid: string): Promise<CommitmentTxInfo> {
    const b = this.batches.get(txid.toLowerCase());
    if (b === undefined) throw arkError("ark.not_found", `GetCommitmentTx: batch not found`);
    const swept = [...this.vtxos.values()].some(
      (v) => v.commitmentTxids.includes(txid) && !v.flags.preconfirmed && v.flags.swept,
    );
    return {
      txid,
      startedAt: b.startedAt,
      endedAt: b.endedAt,
      batches: [
        { vout: 0, totalOutputSats: b.totalOutputSats, expiresAt: b.endedAt + this.treeExpiryBlocks, swept },
      ],
    };
  }

  /** Fails every open subscription stream with `err` (the client should reconnect). */
  breakStreams(err = arkError("ark.unavailable", "stream broken")): void {
    for (const set of this.streams.values()) for (const s of set) s.fail(err);
  }

  /** Sets a hook on a method. */
  hook(method: Method, hook: Hook): void {
    this.hooks.set(method, hook);
  }

  // ---- ArkService ----

  async getInfo(): Promise<ArkdInfo> {
    return this.info;
  }

  async submitTx(req: { signedArkTx: string; checkpointTxs: readonly string[] }): Promise<SubmittedArkTx> {
    return this.call("submitTx", () => this.doSubmit(req));
  }

  async finalizeTx(req: { arkTxid: string; finalCheckpointTxs: readonly string[] }): Promise<void> {
    return this.call("finalizeTx", () => this.doFinalize(req));
  }

  async getPendingTxs(intent: IntentProof): Promise<SubmittedArkTx[]> {
    return this.call("getPendingTxs", () => {
      const owned = this.verifyIntent(intent, "get-pending-tx");
      return [...this.pending.values()]
        .filter((p) => p.inputs.some((i) => owned.has(i)))
        .map((p) => p.answer);
    });
  }

  // ---- IndexerService ----

  async getVtxos(query: VtxoQuery): Promise<VtxoPage> {
    return this.call("getVtxos", () => {
      const scripts = new Set((query.scripts ?? []).map((s) => s.toLowerCase()));
      const outpoints = new Set((query.outpoints ?? []).map((o) => `${o.txid}:${o.vout}`));
      if ((scripts.size === 0) === (outpoints.size === 0))
        throw arkError("ark.invalid_request", "exactly one of scripts / outpoints");
      let all = [...this.vtxos.values()].filter((v) => scripts.has(v.script) || outpoints.has(key(v)));
      // arkd's indexer filters (GetVtxos in internal/core/application/indexer.go)
      const now = this.now();
      const f = (v: Vtxo) => v.flags;
      const expired = (v: Vtxo) => v.expiresAt < now;
      const pending = new Set([...this.pending.values()].flatMap((p) => p.inputs));
      if (query.status === "spendable") all = all.filter((v) => !f(v).spent && !f(v).swept && !f(v).unrolled);
      if (query.status === "spent") all = all.filter((v) => f(v).spent || f(v).swept || f(v).unrolled);
      if (query.status === "recoverable")
        all = all.filter((v) => (f(v).swept || expired(v)) && !f(v).spent && !f(v).unrolled);
      if (query.status === "renewable") all = all.filter((v) => !f(v).spent && !f(v).unrolled);
      if (query.status === "pending") all = all.filter((v) => pending.has(key(v)));
      if (query.page === undefined) return { vtxos: all, page: undefined };
      const { index, size } = query.page;
      const total = Math.max(1, Math.ceil(all.length / size));
      return {
        vtxos: all.slice((index - 1) * size, index * size),
        page: { current: index, next: index + 1, total },
      };
    });
  }

  async getVirtualTxs(req: { txids: readonly string[] }) {
    return { txs: req.txids.flatMap((t) => this.virtualTxs.get(t) ?? []), page: undefined };
  }

  async subscribeForScripts(scripts: readonly string[], subscriptionId?: string): Promise<string> {
    return this.call("subscribeForScripts", () => {
      for (const s of scripts) {
        try {
          secp256k1.Point.fromHex(`02${s.slice(4)}`);
        } catch {
          throw arkError("ark.invalid_argument", "invalid script, failed to extract tapkey");
        }
      }
      const id = subscriptionId ?? `sub-${this.nextId++}`;
      const set = this.subs.get(id) ?? new Set<string>();
      if (subscriptionId !== undefined && !this.subs.has(id))
        throw arkError("ark.not_found", "no subscription");
      for (const s of scripts) set.add(s.toLowerCase());
      this.subs.set(id, set);
      return id;
    });
  }

  async unsubscribeForScripts(subscriptionId: string, scripts?: readonly string[]): Promise<void> {
    const set = this.subs.get(subscriptionId);
    if (set === undefined) throw arkError("ark.not_found", "no subscription");
    if (scripts === undefined || scripts.length === 0) set.clear();
    for (const s of scripts ?? []) set.delete(s.toLowerCase());
  }

  streamSubscription(subscriptionId: string): ArkStream<SubscriptionStreamEvent> {
    const stream = new FakeStream<SubscriptionStreamEvent>(() =>
      this.streams.get(subscriptionId)?.delete(stream),
    );
    if (!this.subs.has(subscriptionId)) stream.fail(arkError("ark.not_found", "no subscription"));
    else {
      const set = this.streams.get(subscriptionId) ?? new Set();
      set.add(stream);
      this.streams.set(subscriptionId, set);
      this.streamsOpened++;
    }
    return stream;
  }

  /** Scripts of a subscription (tests). */
  subscribedScripts(id: string): string[] {
    return [...(this.subs.get(id) ?? [])];
  }

  close(): void {}

  // ---- unused by the wallet ----
  registerIntent(): Promise<string> {
    throw arkError("ark.unimplemented", "fake");
  }
  estimateIntentFee(): Promise<bigint> {
    throw arkError("ark.unimplemented", "fake");
  }
  deleteIntent(): Promise<void> {
    throw arkError("ark.unimplemented", "fake");
  }
  confirmRegistration(): Promise<void> {
    throw arkError("ark.unimplemented", "fake");
  }
  submitTreeNonces(): Promise<void> {
    throw arkError("ark.unimplemented", "fake");
  }
  submitTreeSignatures(): Promise<void> {
    throw arkError("ark.unimplemented", "fake");
  }
  submitSignedForfeitTxs(): Promise<void> {
    throw arkError("ark.unimplemented", "fake");
  }
  streamBatchEvents(): never {
    throw arkError("ark.unimplemented", "fake");
  }
  updateStreamTopics(): never {
    throw arkError("ark.unimplemented", "fake");
  }
  streamTransactions(): never {
    throw arkError("ark.unimplemented", "fake");
  }

  // ---- internals ----

  private async call<T>(method: Method, work: () => T): Promise<T> {
    this.calls.push(method);
    const hook = this.hooks.get(method);
    if (hook !== undefined) {
      const times = (hook.times ?? 1) - 1;
      if (times <= 0) this.hooks.delete(method);
      else this.hooks.set(method, { ...hook, times });
      if (hook.when === "before") return act(hook.action);
      work();
      return act(hook.action);
    }
    return work();
  }

  private doSubmit(req: { signedArkTx: string; checkpointTxs: readonly string[] }): SubmittedArkTx {
    const arkTx = parse(req.signedArkTx, "ark tx");
    const cps = req.checkpointTxs.map((c) => parse(c, "checkpoint"));
    if (cps.length !== arkTx.inputsLength || cps.length === 0) throw bad("one checkpoint per ark tx input");
    const cpTapscript = hex.decode(this.info.checkpointTapscript);
    const inputs: VtxoInput[] = [];
    const leaves: InputLeaf[] = [];
    const spent: string[] = [];
    for (let i = 0; i < arkTx.inputsLength; i++) {
      const cp = cps[i] as Transaction;
      const arkIn = arkTx.getInput(i);
      if (arkIn.txid === undefined || hex.encode(arkIn.txid) !== cp.id || arkIn.index !== 0)
        throw bad(`ark tx input ${i} does not spend checkpoint ${i}`);
      if (cp.inputsLength !== 1) throw bad(`checkpoint ${i} must have one input`);
      const cpIn = cp.getInput(0);
      const op = `${hex.encode(cpIn.txid ?? new Uint8Array())}:${cpIn.index}`;
      const vtxo = this.vtxos.get(op);
      // arkd's order and errors (SubmitOffchainTx in internal/core/application/service.go)
      if (vtxo === undefined)
        throw arkError("ark.not_found", `SubmitTx: some vtxos not found`, {
          rpc: "SubmitTx",
          arkdError: { code: 30, name: "VTXO_NOT_FOUND", metadata: {} },
        });
      // an input of a submitted, unfinalized tx (arkd's offchain tx cache) counts as spent
      if ([...this.pending.values()].some((p) => p.inputs.includes(op)))
        throw arkdRefusal(6, "VTXO_ALREADY_SPENT", `${op} already spent`, op);
      if (vtxo.flags.spent) throw arkdRefusal(6, "VTXO_ALREADY_SPENT", `${op} already spent`, op);
      if (vtxo.flags.unrolled) throw arkdRefusal(7, "VTXO_ALREADY_UNROLLED", `${op} already unrolled`, op);
      if (vtxo.flags.swept || vtxo.expiresAt < this.now())
        throw arkdRefusal(8, "VTXO_RECOVERABLE", `${op} is recoverable`, op);
      if (spent.includes(op)) throw bad(`VTXO ${op} spent twice`);
      const w = cpIn.witnessUtxo;
      if (w === undefined || hex.encode(w.script) !== vtxo.script || w.amount !== vtxo.amountSats)
        throw bad(`checkpoint ${i} prevout does not match VTXO ${op}`);
      const leaf = inputLeaf(cp, 0, `checkpoint ${i}`);
      if (taptreeScriptHex(leaf.tapTree) !== vtxo.script)
        throw bad(`checkpoint ${i} taptree is not the VTXO's`);
      const server = hex.encode(this.serverXOnly);
      if (!leaf.closure.pubkeys.some((k) => hex.encode(k) === server))
        throw bad(`input ${i} leaf has no server key (not collaborative)`);
      if (leaf.closure.type === "csv-multisig" || leaf.closure.type === "condition-csv-multisig")
        throw bad(`input ${i} spends an exit leaf`);
      const arkLeaf = inputLeaf(arkTx, i, "ark tx");
      if (hex.encode(arkLeaf.leaf) !== hex.encode(leaf.leaf))
        throw bad(`ark tx input ${i} uses another leaf`);
      if (leaf.closure.type === "cltv-multisig") {
        const lock = leaf.closure.locktime;
        if (lock < 500_000_000n && lock > this.height)
          throw bad(`input ${i}: locktime ${lock} not reached at height ${this.height}`);
      }
      requireCondition(arkTx, i, arkLeaf, "ark tx");
      requireSigners(arkTx, i, arkLeaf, server, "ark tx");
      const condition = getCondition(arkTx, i);
      inputs.push({
        txid: op.split(":")[0] as string,
        vout: Number(op.split(":")[1]),
        amountSats: vtxo.amountSats,
        leafScript: leaf.leaf,
        controlBlock: TaprootControlBlock.encode((cpIn.tapLeafScript?.[0] as [never, Uint8Array])[0]),
        tapTree: leaf.tapTree,
        pkScript: w.script,
        ...(condition === undefined ? {} : { condition }),
      });
      leaves.push(leaf);
      spent.push(op);
    }
    const outputs = [];
    for (let o = 0; o < arkTx.outputsLength; o++) {
      const out = arkTx.getOutput(o);
      if (out.script === undefined || out.amount === undefined) throw bad(`output ${o} incomplete`);
      if (o === arkTx.outputsLength - 1) {
        if (hex.encode(out.script) !== hex.encode(P2A_SCRIPT) || out.amount !== 0n)
          throw bad("last output must be a 0-value P2A anchor");
      } else outputs.push({ amountSats: out.amount, pkScript: out.script });
    }
    const sumIn = inputs.reduce((s, x) => s + x.amountSats, 0n);
    const sumOut = outputs.reduce((s, x) => s + x.amountSats, 0n);
    if (sumIn !== sumOut) throw bad(`inputs ${sumIn} != outputs ${sumOut}`);
    let rebuilt;
    try {
      rebuilt = buildOffchainTxs({
        inputs,
        outputs,
        checkpointTapscript: cpTapscript,
        policy: {
          dustSats: this.info.dustSats,
          vtxoMinAmountSats: this.info.vtxoMinAmountSats,
          vtxoMaxAmountSats: this.info.vtxoMaxAmountSats,
          maxOpReturnOutputs: Number(this.info.maxOpReturnOutputs),
        },
      });
    } catch (err) {
      throw bad(`invalid tx: ${(err as Error).message}`);
    }
    if (rebuilt.arkTx.id !== arkTx.id) throw bad("ark tx does not rebuild to the same txid");
    rebuilt.checkpoints.forEach((c, i) => {
      if (c.id !== (cps[i] as Transaction).id) throw bad(`checkpoint ${i} does not rebuild to the same txid`);
    });
    for (let i = 0; i < arkTx.inputsLength; i++) {
      signTapscriptInput(arkTx, i, this.serverPriv);
      signTapscriptInput(cps[i] as Transaction, 0, this.serverPriv);
    }
    const answer = {
      arkTxid: arkTx.id,
      finalArkTx: psbtBase64(arkTx),
      signedCheckpointTxs: cps.map(psbtBase64),
    };
    this.pending.set(arkTx.id, { answer, arkTx, checkpoints: cps, inputs: spent, leaves });
    // arkd marks the inputs spent as soon as it accepts the tx (before FinalizeTx), with the
    // ark txid and their checkpoints; the outputs appear only once it is finalized
    // (updateProjectionsAfterOffchainTxEvents in arkd's internal/infrastructure/db/service.go)
    spent.forEach((op, i) => {
      const v = this.vtxos.get(op) as Vtxo;
      this.vtxos.set(op, {
        ...v,
        flags: { ...v.flags, spent: true },
        spentBy: (cps[i] as Transaction).id,
        arkTxid: arkTx.id,
      });
    });
    return answer;
  }

  private doFinalize(req: { arkTxid: string; finalCheckpointTxs: readonly string[] }): void {
    const p = this.pending.get(req.arkTxid);
    if (p === undefined) throw arkError("ark.not_found", `no pending tx ${req.arkTxid}`);
    if (req.finalCheckpointTxs.length !== p.checkpoints.length) throw bad("checkpoint count differs");
    const finals = req.finalCheckpointTxs.map((c) => parse(c, "checkpoint"));
    p.checkpoints.forEach((cp, i) => {
      const f = finals.find((x) => x.id === cp.id);
      if (f === undefined) throw bad(`checkpoint ${cp.id} missing`);
      const leaf = inputLeaf(f, 0, `final checkpoint ${i}`);
      if (hex.encode(leaf.leaf) !== hex.encode((p.leaves[i] as InputLeaf).leaf)) throw bad("leaf changed");
      requireCondition(f, 0, leaf, "final checkpoint");
      requireSigners(f, 0, leaf, undefined, "final checkpoint");
      this.virtualTxs.set(f.id, psbtBase64(f));
    });
    const spent: Vtxo[] = [];
    const inputs = p.inputs.map((op) => this.vtxos.get(op) as Vtxo);
    p.inputs.forEach((op, i) => {
      const v = inputs[i] as Vtxo;
      const s = {
        ...v,
        flags: { ...v.flags, spent: true },
        spentBy: (p.checkpoints[i] as Transaction).id,
        arkTxid: p.answer.arkTxid,
      };
      this.vtxos.set(op, s);
      spent.push(s);
    });
    // arkd: the earliest expires_at of the inputs, their batches, one more offchain hop
    const expiry = inputs.map((v) => v.expiresAt).reduce((a, b) => (b < a ? b : a));
    const commitmentTxids = [...new Set(inputs.flatMap((v) => v.commitmentTxids))];
    const depth = Math.max(...inputs.map((v) => v.depth)) + 1;
    const created: Vtxo[] = [];
    for (let o = 0; o < p.arkTx.outputsLength - 1; o++) {
      const out = p.arkTx.getOutput(o);
      const v: Vtxo = {
        ...this.newVtxo(
          { txid: p.answer.arkTxid, vout: o },
          hex.encode(out.script as Uint8Array),
          out.amount as bigint,
          expiry,
          true,
        ),
        createdAt: this.now(),
        commitmentTxids,
        depth,
      };
      this.vtxos.set(key(v), v);
      created.push(v);
    }
    this.virtualTxs.set(p.answer.arkTxid, p.answer.finalArkTx);
    this.pending.delete(req.arkTxid);
    const checkpointTxs = new Map(
      p.inputs.map((op, i) => {
        const cp = (p.checkpoints[i] as Transaction).id;
        return [op, { txid: cp, tx: this.virtualTxs.get(cp) as string }] as const;
      }),
    );
    this.notify(p.answer.arkTxid, p.answer.finalArkTx, created, spent, checkpointTxs);
  }

  /** Verifies an intent proof; returns the outpoints it proves. */
  private verifyIntent(intent: IntentProof, type: string): Set<string> {
    let msg: { type?: string };
    try {
      msg = JSON.parse(intent.message) as { type?: string };
    } catch {
      throw bad("intent message is not JSON");
    }
    if (msg.type !== type) throw bad(`intent type ${msg.type} is not ${type}`);
    const proof = parse(intent.proof, "intent proof");
    if (proof.inputsLength < 2) throw bad("intent proof has no VTXO inputs");
    const first = proof.getInput(1).witnessUtxo;
    if (first === undefined) throw bad("intent input 1 has no witnessUtxo");
    const toSpend = buildIntentToSpend(intent.message, first.script);
    const in0 = proof.getInput(0);
    if (in0.txid === undefined || hex.encode(in0.txid) !== toSpend.id || in0.index !== 0)
      throw bad("intent input 0 does not spend the message's toSpend tx");
    const owned = new Set<string>();
    const server = hex.encode(this.serverXOnly);
    for (let i = 1; i < proof.inputsLength; i++) {
      const input = proof.getInput(i);
      const op = `${hex.encode(input.txid ?? new Uint8Array())}:${input.index}`;
      const vtxo = this.vtxos.get(op);
      if (vtxo === undefined) throw bad(`intent input ${op} is not a VTXO`);
      if (input.witnessUtxo === undefined || hex.encode(input.witnessUtxo.script) !== vtxo.script)
        throw bad(`intent input ${op} prevout mismatch`);
      const leaf = inputLeaf(proof, i, "intent");
      if (taptreeScriptHex(leaf.tapTree) !== vtxo.script) throw bad(`intent input ${op} taptree mismatch`);
      requireSigners(proof, i, leaf, server, "intent", true);
      owned.add(op);
    }
    return owned;
  }

  private newVtxo(
    outpoint: { txid: string; vout: number },
    script: string,
    amountSats: bigint,
    expiresAt: bigint,
    preconfirmed: boolean,
  ): Vtxo {
    return {
      outpoint,
      amountSats,
      script,
      createdAt: 1n,
      expiresAt,
      flags: { preconfirmed, swept: false, unrolled: false, spent: false },
      spentBy: undefined,
      arkTxid: undefined,
      settledBy: undefined,
      commitmentTxids: [],
      depth: preconfirmed ? 1 : 0,
    };
  }

  private notify(
    txid: string,
    tx: string | undefined,
    created: Vtxo[],
    spent: Vtxo[],
    checkpointTxs: ReadonlyMap<string, TxPayload>,
  ): void {
    for (const [id, scripts] of this.subs) {
      const n = created.filter((v) => scripts.has(v.script));
      const s = spent.filter((v) => scripts.has(v.script));
      if (n.length + s.length === 0) continue;
      const ev: SubscriptionStreamEvent = {
        type: "tx",
        txid,
        tx,
        scripts: [...new Set([...n, ...s].map((v) => v.script))],
        newVtxos: n,
        spentVtxos: s,
        sweptVtxos: [],
        checkpointTxs,
      };
      for (const stream of this.streams.get(id) ?? []) stream.push(ev);
    }
  }
}

/** An arkd ErrorDetails refusal of a VTXO input, as our gRPC client maps it (InvalidArgument). */
function arkdRefusal(code: number, name: string, msg: string, outpoint: string) {
  return arkError("ark.invalid_argument", `SubmitTx: ${msg}`, {
    rpc: "SubmitTx",
    arkdError: { code, name, metadata: { vtxo_outpoint: outpoint } },
  });
}

function randomTxid(): string {
  return hex.encode(schnorr.utils.randomSecretKey());
}

function key(v: Vtxo): string {
  return `${v.outpoint.txid}:${v.outpoint.vout}`;
}

function parse(psbt: string, what: string): Transaction {
  try {
    return parsePsbt(psbt);
  } catch {
    throw bad(`${what} is not a PSBT`);
  }
}

function act<T>(action: HookAction): Promise<T> {
  if (action === "hang") return new Promise<T>(() => undefined);
  return Promise.reject(action);
}
