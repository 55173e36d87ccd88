/**
 * Moving the gateway's liquidity between the chain and Ark through batches (arkd v0.9.15):
 * - board: confirmed UTXOs at the wallet's boarding address join a batch as intent inputs (no
 *   forfeit; we sign their commitment tx inputs) and become one wallet VTXO of Σ − intent fee;
 * - offboard (collaborative exit): wallet VTXOs join a batch with an onchain output (its index in
 *   the intent's onchain_output_indexes) paying an onchain address, change back to a wallet VTXO.
 * arkd refuses boarding inputs and onchain outputs in the same intent, so they are two joins.
 * Offboarded VTXOs are reserved durably before RegisterIntent and settled (spent) only once the
 * batch is finalized, as renewals are (batch-recovery.ts settles a reservation a crash left).
 */
import { randomBytes } from "@noble/hashes/utils.js";
import { IndividualPubkey } from "@scure/btc-signer/musig2.js";
import { isGatewayError } from "../../domain/errors.js";
import {
  batchError,
  deleteIntent,
  estimateJoinFeeIntent,
  inputOutpoints,
  inputTotal,
  registerJoinIntent,
  runBatchSession,
  segwitScript,
  type BatchInputs,
  type JoinOutput,
} from "../batch/index.js";
import { listAllVtxos, type ArkdInfo } from "../client/index.js";
import { toHex } from "../../lib/bytes.js";
import { BATCH_KEY_PREFIX } from "./batch-store.js";
import type { BatchServiceEnv } from "./batch-service.js";
import { boardingInput, buildBoardingScript, type BoardingScript } from "./boarding-script.js";
import type { Coin } from "./coin-selection.js";
import { walletError } from "./errors.js";
import { errFields } from "./logger.js";
import { walletInput } from "./wallet-script.js";
import { formatOutpoint } from "../../domain/outpoint.js";

/** A confirmed UTXO at the boarding address. */
export interface BoardingUtxo {
  /** `txid:vout`. */
  readonly outpoint: string;
  readonly amountSats: bigint;
}

export interface BoardResult {
  readonly commitmentTxid: string;
  /** The new wallet VTXO and its amount (Σ boarded − fee). */
  readonly outpoint: string;
  readonly amountSats: bigint;
  /** The intent fee arkd charged. */
  readonly feeSats: bigint;
}

export interface OffboardResult {
  readonly commitmentTxid: string;
  /** The onchain output paid (in the commitment tx). */
  readonly amountSats: bigint;
  /** The intent fee arkd charged (plus a change too small to be a VTXO, if any). */
  readonly feeSats: bigint;
  /** The change VTXO, if any. */
  readonly change: { readonly outpoint: string; readonly amountSats: bigint } | undefined;
  /** Every wallet VTXO spent. */
  readonly inputs: readonly string[];
}

/** Progress of a join (CLI output). */
export type JoinProgress = (step: string, fields: Record<string, unknown>) => void;

/** The wallet's boarding script and address. */
export async function boardingScriptOf(env: BatchServiceEnv): Promise<BoardingScript> {
  return buildBoardingScript(env.keys.walletKey.xOnly, await env.serverInfo());
}

/**
 * Boards confirmed UTXOs of the boarding address into one wallet VTXO in the next batch.
 * arkd accepts a boarding UTXO only before its exit path opens: confirmation time + the boarding
 * exit delay in seconds (block delays count 1 s per block in v0.9.15).
 * @throws GatewayError `wallet.invalid_request`, `batch.amount_too_small`, `batch.failed`,
 *   `batch.timeout`, `batch.*`, `ark.*` (arkd refuses an unconfirmed or expired boarding UTXO)
 */
export async function board(
  env: BatchServiceEnv,
  utxos: readonly BoardingUtxo[],
  onStep?: JoinProgress,
  onSigning?: (commitmentTxid: string) => void | Promise<void>,
): Promise<BoardResult> {
  if (!Array.isArray(utxos) || utxos.length === 0 || utxos.length > env.maxInputs)
    throw walletError("wallet.invalid_request", `give 1..${env.maxInputs} boarding UTXOs`);
  if (new Set(utxos.map((u) => u.outpoint)).size !== utxos.length)
    throw walletError("wallet.invalid_request", "the same boarding UTXO is given twice");
  const boarding = await boardingScriptOf(env);
  const inputs: BatchInputs = {
    vtxos: [],
    notes: [],
    boarding: utxos.map((u) => boardingInput(boarding, u.outpoint, u.amountSats)),
  };
  const script = env.walletScript();
  const total = inputTotal(inputs);
  const feeSats = await quoteFee(env, inputs, [
    { script: script.pkScript, amountSats: total, onchain: false },
  ]);
  const info = await env.serverInfo();
  const amountSats = total - feeSats;
  if (feeSats < 0n || amountSats < minVtxo(info))
    throw batchError("batch.amount_too_small", `${total} sats in, fee ${feeSats}: below the VTXO minimum`, {
      inputSats: total.toString(),
      feeSats: feeSats.toString(),
    });
  const output = { script: script.pkScript, amountSats, onchain: false };
  const res = await joinBatch(env, inputs, [output], undefined, onStep, onSigning);
  // a crash before this line loses nothing: the tracker's rescan finds the VTXO at our script
  await env.store.observeVtxos([
    {
      outpoint: res.outpoint,
      amountSats,
      script: script.pkScriptHex,
      spent: false,
      swept: false,
      spentBy: undefined,
      expiresAt: undefined,
    },
  ]);
  return { commitmentTxid: res.commitmentTxid, outpoint: res.outpoint, amountSats, feeSats };
}

/**
 * Pays `amountSats` from wallet VTXOs to an onchain address in the next batch; the change (Σ in −
 * amount − fee) comes back as one wallet VTXO, or, below the VTXO minimum, is left to arkd.
 * @param address a segwit address on arkd's network
 * @throws GatewayError `wallet.invalid_request`, `wallet.amount_out_of_range`,
 *   `wallet.insufficient_funds`, `wallet.reservation_conflict`, `wallet.too_many_inputs`, and
 *   the batch errors of {@link board} (`batch.outcome_unknown`: the reservation is kept for recovery)
 */
export async function offboard(
  env: BatchServiceEnv,
  req: { readonly amountSats: bigint; readonly address: string },
  onStep?: JoinProgress,
): Promise<OffboardResult> {
  const batchStore = env.batchStore;
  if (batchStore === undefined)
    throw walletError("wallet.invalid_request", "offboarding needs a batch reservation store");
  const info = await env.serverInfo();
  const amountSats = req.amountSats;
  if (typeof amountSats !== "bigint" || amountSats <= 0n)
    throw walletError("wallet.amount_out_of_range", "the amount must be a positive number of sats");
  const minOnchain = info.utxoMinAmountSats > info.dustSats ? info.utxoMinAmountSats : info.dustSats;
  if (amountSats < minOnchain || (info.utxoMaxAmountSats >= 0n && amountSats > info.utxoMaxAmountSats))
    throw walletError(
      "wallet.amount_out_of_range",
      `${amountSats} sats is outside arkd's onchain output limits (min ${minOnchain}, max ${info.utxoMaxAmountSats < 0n ? "none" : info.utxoMaxAmountSats})`,
      { amountSats: amountSats.toString() },
    );
  let destination: Uint8Array;
  try {
    destination = segwitScript(req.address);
  } catch (err) {
    throw walletError("wallet.invalid_request", `not a segwit address: ${req.address}`, undefined, err);
  }
  const script = env.walletScript();
  const batchKey = `${BATCH_KEY_PREFIX}${toHex(randomBytes(16))}`;
  env.activeBatches.add(batchKey);
  try {
    const plan = await env.withSelectionLock(async () => {
      const p = await planOffboard(env, info, amountSats, destination);
      // durable before anything reaches arkd
      if (
        !(await batchStore.reserveForBatch(
          batchKey,
          p.coins.map((c) => c.outpoint),
        ))
      )
        throw walletError("wallet.reservation_conflict", "a VTXO to offboard is no longer spendable");
      return p;
    });
    const inputs: BatchInputs = {
      vtxos: plan.coins.map((c) => walletInput(script, c.outpoint, c.amountSats)),
      notes: [],
    };
    const outputs: JoinOutput[] = [{ script: destination, amountSats, onchain: true }];
    if (plan.changeSats > 0n)
      outputs.push({ script: script.pkScript, amountSats: plan.changeSats, onchain: false });
    onStep?.("selected", {
      inputs: plan.coins.length,
      inputSats: plan.total.toString(),
      feeSats: plan.feeSats.toString(),
      changeSats: plan.changeSats.toString(),
    });
    let res: { commitmentTxid: string; outpoint: string };
    try {
      res = await joinBatch(env, inputs, outputs, batchKey, onStep);
    } catch (err) {
      if (!isGatewayError(err) || err.code !== "batch.outcome_unknown")
        await batchStore.releaseBatch(batchKey);
      else
        env.log.warn(
          { batchKey, ...errFields(err) },
          "offboard outcome unknown; reservation kept for recovery",
        );
      throw err;
    }
    const change = plan.changeSats > 0n ? { outpoint: res.outpoint, amountSats: plan.changeSats } : undefined;
    await batchStore.settleBatch(
      batchKey,
      res.commitmentTxid,
      change === undefined ? undefined : { ...change, script: script.pkScriptHex },
    );
    return {
      commitmentTxid: res.commitmentTxid,
      amountSats,
      feeSats: plan.feeSats,
      change,
      inputs: plan.coins.map((c) => c.outpoint),
    };
  } finally {
    env.activeBatches.delete(batchKey);
  }
}

/** The smallest VTXO arkd creates. */
function minVtxo(info: ArkdInfo): bigint {
  return info.vtxoMinAmountSats > info.dustSats ? info.vtxoMinAmountSats : info.dustSats;
}

/**
 * Coins for an offboard, largest first, until they cover amount + the fee arkd quotes for the
 * very join (the quote is redone as inputs are added). A change below the VTXO minimum is given
 * up to the fee.
 */
async function planOffboard(
  env: BatchServiceEnv,
  info: ArkdInfo,
  amountSats: bigint,
  destination: Uint8Array,
): Promise<{ coins: Coin[]; total: bigint; feeSats: bigint; changeSats: bigint }> {
  const script = env.walletScript();
  const sorted = [...(await env.store.spendableVtxos())].sort((a, b) =>
    a.amountSats === b.amountSats ? (a.outpoint < b.outpoint ? -1 : 1) : a.amountSats > b.amountSats ? -1 : 1,
  );
  const coins: Coin[] = [];
  let total = 0n;
  for (const coin of sorted) {
    coins.push(coin);
    total += coin.amountSats;
    if (total < amountSats) continue;
    if (coins.length > env.maxInputs) break;
    const inputs: BatchInputs = {
      vtxos: coins.map((c) => walletInput(script, c.outpoint, c.amountSats)),
      notes: [],
    };
    const change = total - amountSats;
    const outputs: JoinOutput[] = [{ script: destination, amountSats, onchain: true }];
    if (change > 0n) outputs.push({ script: script.pkScript, amountSats: change, onchain: false });
    const fee = await quoteFee(env, inputs, outputs);
    if (total < amountSats + fee) continue;
    const rest = total - amountSats - fee;
    const changeSats = rest >= minVtxo(info) ? rest : 0n;
    return { coins, total, feeSats: fee + (rest - changeSats), changeSats };
  }
  if (coins.length > env.maxInputs)
    throw walletError(
      "wallet.too_many_inputs",
      `offboarding ${amountSats} sats needs more than ${env.maxInputs} VTXOs`,
    );
  throw walletError(
    "wallet.insufficient_funds",
    `offboarding ${amountSats} sats + fee needs more than the wallet's ${total} sats`,
    {
      neededSats: amountSats.toString(),
      availableSats: total.toString(),
    },
  );
}

/** arkd's intent fee for this very join (EstimateIntentFee). */
async function quoteFee(
  env: BatchServiceEnv,
  inputs: BatchInputs,
  outputs: readonly JoinOutput[],
): Promise<bigint> {
  return env.ark.estimateIntentFee(
    estimateJoinFeeIntent({
      inputs,
      outputs,
      // any key: the estimate only looks at inputs and outputs
      cosignerPublicKey: toHex(IndividualPubkey(randomBytes(32))),
      signer: env.keys.walletKey.signer,
    }),
  );
}

/** Up to `batchAttempts` batch attempts of one join (the retry rules of batch-service.ts). */
async function joinBatch(
  env: BatchServiceEnv,
  inputs: BatchInputs,
  outputs: readonly JoinOutput[],
  batchKey: string | undefined,
  onStep: JoinProgress | undefined,
  onSigning?: (commitmentTxid: string) => void | Promise<void>,
): Promise<{ commitmentTxid: string; outpoint: string }> {
  const info = await env.serverInfo();
  const signer = env.keys.walletKey.signer;
  const offchain = outputs.filter((o) => !o.onchain);
  if (offchain.length > 1) throw batchError("batch.invalid_request", "at most one VTXO output per join");
  const vtxoOutput = offchain[0];
  const outpoints = inputOutpoints(inputs);
  const log = { batchKey, inputs: outpoints.length, inputSats: inputTotal(inputs).toString() };
  env.log.info(log, "joining a batch (liquidity)");
  let lastErr: unknown;
  for (let attempt = 1; attempt <= env.batchAttempts; attempt++) {
    let intentId: string | undefined;
    let forfeitsSent = false;
    try {
      const res = await runBatchSession({
        ark: env.ark,
        registerIntent: (cosignerPublicKey) =>
          registerJoinIntent({ inputs, outputs, cosignerPublicKey, signer }),
        inputOutpoints: outpoints,
        output:
          vtxoOutput === undefined
            ? undefined
            : { script: vtxoOutput.script, amountSats: vtxoOutput.amountSats },
        forfeitVtxos: inputs.vtxos,
        boardingInputs: inputs.boarding ?? [],
        onchainOutputs: outputs.filter((o) => o.onchain),
        forfeitSigner: signer,
        forfeitScript: segwitScript(info.forfeitAddress),
        forfeitPubkey: info.forfeitPubkey,
        timeoutMs: env.batchTimeoutMs,
        ...(onSigning === undefined ? {} : { onSigning }),
        onRegistered: (id) => {
          intentId = id;
        },
        onStep: (step, fields) => {
          if (step === "forfeits_sent") forfeitsSent = true;
          onStep?.(step, { attempt, ...fields });
          env.log.debug({ ...log, attempt, step, ...fields }, "batch step");
        },
      });
      env.log.info({ ...log, commitmentTxid: res.commitmentTxid }, "batch finalized (liquidity)");
      return { commitmentTxid: res.commitmentTxid, outpoint: res.outpoint };
    } catch (err) {
      lastErr = err;
      env.log.warn({ ...log, attempt, intentId, ...errFields(err) }, "batch attempt failed");
      onStep?.("attempt_failed", { attempt, error: err instanceof Error ? err.message : String(err) });
      if (intentId !== undefined) await withdraw(env, inputs);
      if (forfeitsSent && !(isGatewayError(err) && err.code === "batch.failed"))
        throw batchError(
          "batch.outcome_unknown",
          `batch outcome unknown after our signatures: ${err instanceof Error ? err.message : String(err)}`,
          { intentId },
          err,
        );
      if (!(isGatewayError(err) && err.retryable)) throw err;
    }
  }
  throw lastErr;
}

/** DeleteIntent for the inputs (best effort). */
async function withdraw(env: BatchServiceEnv, inputs: BatchInputs): Promise<void> {
  try {
    const expireAt = Math.floor(Date.now() / 1000) + 120;
    await env.ark.deleteIntent(deleteIntent({ inputs, signer: env.keys.walletKey.signer, expireAt }));
  } catch (err) {
    env.log.debug(errFields(err), "DeleteIntent after a failed batch");
  }
}

/**
 * The wallet VTXO a finalized batch made, if any: after a crash once our signatures were sent,
 * this tells whether that batch went through (arkd's indexer, every VTXO at the wallet script).
 * @throws GatewayError `ark.*`
 */
export async function batchOutputVtxo(
  env: BatchServiceEnv,
  commitmentTxid: string,
): Promise<{ outpoint: string; amountSats: bigint } | undefined> {
  const script = env.walletScript().pkScriptHex;
  const vtxos = await listAllVtxos(env.ark, { scripts: [script] });
  // a batch leaf, not an offchain descendant (those list the commitment txids they come from too)
  const made = vtxos.find((v) => v.commitmentTxids.includes(commitmentTxid) && !v.flags.preconfirmed);
  return made === undefined
    ? undefined
    : { outpoint: formatOutpoint(made.outpoint), amountSats: made.amountSats };
}
