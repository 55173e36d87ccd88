/**
 * Runs one offchain spend through arkd, crash-safely:
 *   sign ark tx → record (inputs reserved, ark txid, signed txs) → SubmitTx → verify the server's
 *   signatures → sign checkpoints (merged onto our copies, so taptree/condition fields stay) →
 *   FinalizeTx → mark inputs spent / record our new VTXOs.
 * Nothing leaves the process before the record is durable (invariant 6). When an answer is
 * lost (timeout, crash), the record stays open and `recoverSpend` settles it later: GetPendingTx
 * knows our tx → finish it (arkd already lists its inputs spent by it); not pending and the
 * indexer says the inputs are spent by our tx → finalized; spent by another tx → failed; arkd
 * knows nothing → release the reservation (after a grace period for an in-flight SubmitTx).
 */
import type { ArkServerPort, SubmittedArkTx } from "../client/index.js";
import { isGatewayError } from "../../domain/errors.js";
import { toHex } from "../../lib/bytes.js";
import {
  addTapscriptSignatures,
  parsePsbt,
  psbtBase64,
  signTapscriptInput,
  verifyTapscriptSignatures,
  type SchnorrSigner,
  type Transaction,
} from "../tx/index.js";
import { walletError } from "./errors.js";
import { errFields, type WalletLogger } from "./logger.js";
import { getPendingTxIntent } from "./pending-intent.js";
import type { NewSpendRecord, SpendRecord, WalletStore } from "./store.js";
import { splitOutpoint } from "./wallet-script.js";
import { formatOutpoint } from "../../domain/outpoint.js";

/** arkd errors that prove SubmitTx/FinalizeTx did not take effect. */
const REJECTED = new Set([
  "ark.invalid_argument",
  "ark.failed_precondition",
  "ark.not_found",
  "ark.permission_denied",
  "ark.out_of_range",
  "ark.unimplemented",
  "ark.unauthenticated",
  "ark.invalid_request",
  "ark.client_misconfigured",
  "ark.build_version_rejected",
  "ark.digest_mismatch",
]);

export interface SpendContext {
  readonly ark: ArkServerPort;
  readonly store: WalletStore;
  readonly log: WalletLogger;
  /** The signer of a record's inputs (wallet key or swap key). */
  signerFor(swapKeyIndex: number | null): SchnorrSigner;
  /** Server signer key, x-only. */
  serverXOnly(): Promise<Uint8Array>;
  /** Our wallet VTXO script (hex), to recognise our outputs. */
  walletScriptHex(): string;
  /** ms clock. */
  now(): number;
  /** How long an unanswered SubmitTx may still land before arkd's silence releases inputs (ms). */
  readonly releaseGraceMs: number;
  /** Records this process saw go in doubt, with when (ms). Records from before a restart are absent. */
  readonly inDoubtSince: Map<string, number>;
  /** Told when wallet coins became spendable: a spend's change recorded, its reservation released. */
  readonly coinsFreed?: (count: number) => void;
}

/**
 * Records a spend whose ark tx is already signed (its wallet inputs reserved, atomically).
 * @returns the stored record and whether this call created it ("exists": an open or finalized
 *   record with this id was there already; settle it with {@link recoverSpend})
 * @throws GatewayError `wallet.reservation_conflict` (inputs taken meanwhile; nothing recorded)
 */
export async function recordSpend(
  ctx: SpendContext,
  record: NewSpendRecord,
): Promise<{ record: SpendRecord; created: boolean }> {
  const created = await ctx.store.createSpend(record);
  if (created === "reservation_conflict")
    throw walletError("wallet.reservation_conflict", "a selected VTXO was reserved meanwhile", {
      id: record.id,
    });
  // created: stored exactly as given, in its first state (no need to read it back)
  if (created === "created") return { record: newSpend(record), created: true };
  const stored = await ctx.store.getSpend(record.id);
  if (stored === undefined) throw walletError("wallet.spend_failed", `spend ${record.id} vanished`);
  return { record: stored, created: false };
}

/** A record as createSpend stores it: submitting, nothing from arkd yet. */
function newSpend(record: NewSpendRecord): SpendRecord {
  return {
    ...record,
    state: "submitting",
    serverArkTx: null,
    serverCheckpointTxs: null,
    failureReason: null,
  };
}

/**
 * Submits and finalizes a freshly recorded spend.
 * @returns the finalized record
 * @throws GatewayError `wallet.spend_rejected` (arkd refused; reservation released),
 *   `wallet.inputs_unrolled` (arkd refused inputs someone unrolled; they are excluded now, retry),
 *   `wallet.spend_in_doubt` (outcome unknown; recovery will settle it), `wallet.server_signature_invalid`
 */
export async function runSpend(ctx: SpendContext, record: SpendRecord): Promise<SpendRecord> {
  return submit(ctx, record);
}

async function submit(ctx: SpendContext, record: SpendRecord): Promise<SpendRecord> {
  let answer: SubmittedArkTx;
  try {
    answer = await ctx.ark.submitTx({ signedArkTx: record.signedArkTx, checkpointTxs: record.checkpointTxs });
  } catch (err) {
    if (isGatewayError(err) && REJECTED.has(err.code)) {
      await ctx.store.failSpend(record.id, `SubmitTx rejected: ${err.code}: ${err.message}`);
      freed(ctx, record.reservedOutpoints.length);
      if (await markUnrolled(ctx, record, err.message))
        throw walletError(
          "wallet.inputs_unrolled",
          `arkd refused inputs that were unrolled onchain; they are excluded now: ${err.message}`,
          { id: record.id, arkCode: err.code },
          err,
        );
      throw walletError(
        "wallet.spend_rejected",
        `arkd refused the spend: ${err.message}`,
        {
          id: record.id,
          arkCode: err.code,
        },
        err,
      );
    }
    throw inDoubt(ctx, record, "SubmitTx", err);
  }
  return finishSubmitted(ctx, record, answer);
}

/**
 * arkd refuses a VTXO someone put onchain (`VTXO_ALREADY_UNROLLED … <txid:vout> already
 * unrolled`): such a coin is never spendable offchain again, so it is marked unusable offchain
 * (`offchainUntil` 0) and coin selection stops picking it (docs/onchain-watcher.md).
 */
async function markUnrolled(ctx: SpendContext, record: SpendRecord, message: string): Promise<boolean> {
  const named = new Set([...message.matchAll(/([0-9a-f]{64}:\d+) already unrolled/g)].map((m) => m[1]));
  const reserved = new Set(record.reservedOutpoints.filter((o) => named.has(o)));
  // released by failSpend: spendable again, with the amounts the store knows
  const coins = (await ctx.store.spendableVtxos()).filter((c) => reserved.has(c.outpoint));
  const unrolled = coins.map((c) => c.outpoint);
  if (unrolled.length === 0) return false;
  ctx.log.warn({ unrolled }, "wallet VTXOs were unrolled onchain: no longer spent offchain");
  await ctx.store.observeVtxos(
    coins.map((c) => ({
      outpoint: c.outpoint,
      amountSats: c.amountSats,
      script: ctx.walletScriptHex(),
      spent: false,
      swept: false,
      spentBy: undefined,
      expiresAt: undefined,
      offchainUntil: 0n,
    })),
  );
  return true;
}

/** Verifies SubmitTx's (or GetPendingTx's) answer, signs the checkpoints, finalizes. */
async function finishSubmitted(
  ctx: SpendContext,
  record: SpendRecord,
  answer: SubmittedArkTx,
): Promise<SpendRecord> {
  const { arkTx, checkpoints } = await verifyServerAnswer(ctx, record, answer);
  await ctx.store.markSubmitted(record.id, answer.finalArkTx, answer.signedCheckpointTxs);
  const signer = ctx.signerFor(record.swapKeyIndex);
  const finals = checkpoints.map((cp) => {
    signTapscriptInput(cp, 0, signer);
    return psbtBase64(cp);
  });
  try {
    await ctx.ark.finalizeTx({ arkTxid: record.arkTxid, finalCheckpointTxs: finals });
  } catch (err) {
    throw inDoubt(ctx, record, "FinalizeTx", err);
  }
  return markFinalized(ctx, record, arkTx);
}

/**
 * Checks the server's answer is our tx co-signed by the server key, and returns the final ark tx
 * (parsed, its txid checked to be ours) and our checkpoint copies with the server's signatures
 * merged in.
 * @throws GatewayError `wallet.server_signature_invalid`
 */
async function verifyServerAnswer(
  ctx: SpendContext,
  record: SpendRecord,
  answer: SubmittedArkTx,
): Promise<{ arkTx: Transaction; checkpoints: Transaction[] }> {
  const server = await ctx.serverXOnly();
  const bad = (why: string, cause?: unknown) =>
    walletError(
      "wallet.server_signature_invalid",
      `arkd's answer for ${record.arkTxid}: ${why}`,
      { id: record.id },
      cause,
    );
  try {
    if (answer.arkTxid !== record.arkTxid) throw bad(`ark txid ${answer.arkTxid} is not ours`);
    const arkTx = parsePsbt(answer.finalArkTx);
    if (arkTx.id !== record.arkTxid) throw bad("final ark tx is another tx");
    for (let i = 0; i < arkTx.inputsLength; i++)
      verifyTapscriptSignatures(arkTx, i, { requiredSigners: [server] });
    if (answer.signedCheckpointTxs.length !== record.checkpointTxs.length)
      throw bad("checkpoint count differs");
    const theirs = answer.signedCheckpointTxs.map((c) => parsePsbt(c));
    // in our input order, whatever order arkd answers in
    const checkpoints = record.checkpointTxs.map((c) => {
      const mine = parsePsbt(c); // a fresh copy of ours: the server's signatures go onto it
      const signed = theirs.find((t) => t.id === mine.id);
      if (signed === undefined) throw bad(`checkpoint ${mine.id} is missing from the answer`);
      verifyTapscriptSignatures(signed, 0, { requiredSigners: [server] });
      return addTapscriptSignatures(mine, signed);
    });
    return { arkTx, checkpoints };
  } catch (err) {
    if (isGatewayError(err, "wallet.server_signature_invalid")) throw err;
    throw bad((err as Error).message, err);
  }
}

/**
 * Records the spend finalized with our new VTXOs (the ark tx's outputs to our script).
 * @param parsed the ark tx when already parsed and checked to have the record's txid (the outputs
 *   are part of the unsigned tx the txid commits to)
 */
async function markFinalized(
  ctx: SpendContext,
  record: SpendRecord,
  parsed?: Transaction,
): Promise<SpendRecord> {
  const arkTx = parsed ?? parsePsbt(record.signedArkTx);
  const ours = ctx.walletScriptHex();
  const newVtxos: { outpoint: string; amountSats: bigint; script: string }[] = [];
  for (let i = 0; i < arkTx.outputsLength; i++) {
    const o = arkTx.getOutput(i);
    if (o.script !== undefined && o.amount !== undefined && toHex(o.script) === ours)
      newVtxos.push({
        outpoint: formatOutpoint({ txid: record.arkTxid, vout: i }),
        amountSats: o.amount,
        script: ours,
      });
  }
  const done = await ctx.store.finalizeSpend(record.id, newVtxos);
  freed(ctx, newVtxos.length);
  ctx.inDoubtSince.delete(record.id);
  ctx.log.info({ spendId: record.id, kind: record.kind, arkTxid: record.arkTxid }, "Ark spend finalized");
  return done;
}

/** Tells the listener about `count` coins spendable again (never throws). */
function freed(ctx: SpendContext, count: number): void {
  if (count <= 0) return;
  try {
    ctx.coinsFreed?.(count);
  } catch (err) {
    ctx.log.warn(errFields(err), "coins-freed listener threw");
  }
}

function inDoubt(ctx: SpendContext, record: SpendRecord, step: string, err: unknown) {
  if (!ctx.inDoubtSince.has(record.id)) ctx.inDoubtSince.set(record.id, ctx.now());
  ctx.log.warn(
    { spendId: record.id, arkTxid: record.arkTxid, step, ...errFields(err) },
    "Ark spend in doubt",
  );
  if (isGatewayError(err, "wallet.server_signature_invalid")) return err;
  return walletError(
    "wallet.spend_in_doubt",
    `${step} for ${record.arkTxid} has no answer; recovery will settle it`,
    {
      id: record.id,
      arkTxid: record.arkTxid,
    },
    err,
  );
}

/**
 * Settles an open spend (after a crash, a lost answer, or a retried fund).
 * @returns the finalized record
 * @throws GatewayError `wallet.spend_failed` (released: arkd does not know it, or its inputs went
 *   elsewhere), `wallet.spend_in_doubt` (arkd unreachable or the grace period not over)
 */
export async function recoverSpend(ctx: SpendContext, record: SpendRecord): Promise<SpendRecord> {
  if (record.state === "finalized") return record;
  if (record.state === "failed")
    throw walletError("wallet.spend_failed", `spend ${record.id} failed: ${record.failureReason ?? "?"}`, {
      id: record.id,
    });
  try {
    const spentBy = await inputsSpentBy(ctx, record);
    if (spentBy.size > 0 && !(spentBy.size === 1 && spentBy.has(record.arkTxid))) {
      const other = [...spentBy].filter((t) => t !== record.arkTxid);
      await ctx.store.failSpend(record.id, `inputs spent by ${other.join(", ")}`);
      throw walletError("wallet.spend_failed", `the inputs of ${record.arkTxid} were spent by another tx`, {
        id: record.id,
        spentBy: other,
      });
    }
    // arkd marks the inputs spent by our tx as soon as it accepts it (SubmitTx), before
    // FinalizeTx: only a tx arkd no longer holds as pending is finalized. A pending one is
    // finished here, or its outputs never appear (docs/real-arkd.md).
    const intent = getPendingTxIntent(record.checkpointTxs, ctx.signerFor(record.swapKeyIndex));
    const pending = await ctx.ark.getPendingTxs(intent);
    const mine = pending.find((p) => p.arkTxid === record.arkTxid);
    if (mine !== undefined) return await finishSubmitted(ctx, record, mine);
    if (spentBy.size > 0) return await markFinalized(ctx, record);
    const since = ctx.inDoubtSince.get(record.id);
    if (since !== undefined && ctx.now() - since < ctx.releaseGraceMs)
      throw walletError("wallet.spend_in_doubt", `arkd does not know ${record.arkTxid} yet; retry later`, {
        id: record.id,
      });
    await ctx.store.failSpend(record.id, "arkd knows no such pending tx");
    freed(ctx, record.reservedOutpoints.length);
    ctx.inDoubtSince.delete(record.id);
    ctx.log.warn({ spendId: record.id, arkTxid: record.arkTxid }, "Ark spend unknown to arkd: released");
    throw walletError("wallet.spend_failed", `arkd never took ${record.arkTxid}; inputs released`, {
      id: record.id,
    });
  } catch (err) {
    if (isGatewayError(err) && err.code.startsWith("wallet.")) throw err;
    throw inDoubt(ctx, record, "recovery", err);
  }
}

/** Distinct ark txids that spent the record's inputs, per the indexer (empty: none spent). */
async function inputsSpentBy(ctx: SpendContext, record: SpendRecord): Promise<Set<string>> {
  const outpoints = record.inputOutpoints.map((o) => {
    const [txid, vout] = splitOutpoint(o);
    return { txid, vout };
  });
  const page = await ctx.ark.getVtxos({ outpoints });
  const spentBy = new Set<string>();
  for (const v of page.vtxos) {
    if (v.flags.spent && v.arkTxid !== undefined) spentBy.add(v.arkTxid);
  }
  return spentBy;
}
