/**
 * The wallet's batch joins: redeem arkd notes into a new wallet VTXO, and renew (settle) wallet
 * VTXOs into a new batch output. One output to the wallet's own script, amount = Σ inputs − the
 * intent fee arkd computes for this very intent (EstimateIntentFee). Renewals reserve their
 * VTXOs durably before RegisterIntent and mark them spent only once the batch is finalized; a
 * failed attempt deletes the intent and, while attempts remain, tries the next batch.
 */
import { randomBytes } from "@noble/hashes/utils.js";
import { IndividualPubkey } from "@scure/btc-signer/musig2.js";
import { isGatewayError } from "../../domain/errors.js";
import {
  batchError,
  deleteIntent,
  estimateFeeIntent,
  inputOutpoints,
  inputTotal,
  parseNote,
  registerIntent,
  runBatchSession,
  segwitScript,
  type BatchInputs,
  type BatchResult,
} from "../batch/index.js";
import type { ArkServerPort, ArkdInfo } from "../client/index.js";
import { toHex } from "../../lib/bytes.js";
import { BATCH_KEY_PREFIX, type BatchReservationStore } from "./batch-store.js";
import { walletError } from "./errors.js";
import { isUnrolledCoin, type Coin } from "./coin-selection.js";
import type { KeyRing } from "./keys.js";
import { errFields, type WalletLogger } from "./logger.js";
import type { WalletStore } from "./store.js";
import { walletInput, type WalletScript } from "./wallet-script.js";

export interface BatchServiceEnv {
  readonly ark: ArkServerPort;
  readonly store: WalletStore;
  /** Needed to renew (reservations); note redemption works without it. */
  readonly batchStore: BatchReservationStore | undefined;
  readonly keys: KeyRing;
  serverInfo(): Promise<ArkdInfo>;
  walletScript(): WalletScript;
  readonly log: WalletLogger;
  readonly maxInputs: number;
  /** Per attempt: give up on a batch that is not finalized after this long (ms). */
  readonly batchTimeoutMs: number;
  /** Batch attempts before giving up (a failed batch is retried in the next one). */
  readonly batchAttempts: number;
  /** Serializes coin selection + reservation inside this process. */
  withSelectionLock<T>(work: () => Promise<T>): Promise<T>;
  /** Coins a fund picked whose reservation is not durable yet (see SpendServiceEnv.selecting). */
  readonly selecting?: ReadonlySet<string>;
  /** Batch keys of renewals running in this process (recovery leaves them alone). */
  readonly activeBatches: Set<string>;
  /** Test hook: called at each batch step (crash-point tests kill the process here). */
  readonly onBatchStep?: ((step: string) => void) | undefined;
}

export interface BatchJoinResult {
  readonly commitmentTxid: string;
  /** Amount of the new VTXO (Σ inputs − fee). */
  readonly amountSats: bigint;
  /** The intent fee arkd charged. */
  readonly feeSats: bigint;
  /** The new VTXO, `txid:vout` of its VTXO tree leaf output. */
  readonly outpoint: string;
  /** Every spent input, notes as their fake outpoints. */
  readonly inputs: readonly string[];
}

const MAX_NOTES = 64;

/**
 * Redeems arkd notes into one new wallet VTXO.
 * @throws GatewayError `batch.invalid_note`, `wallet.invalid_request`, `batch.amount_too_small`,
 *   `batch.failed`, `batch.timeout`, `batch.outcome_unknown` (our forfeits were sent, then the
 *   session broke: recovery settles it), `batch.*` (arkd sent something that does not check out), `ark.*`
 */
export async function redeemNotes(env: BatchServiceEnv, notes: readonly string[]): Promise<BatchJoinResult> {
  if (!Array.isArray(notes) || notes.length === 0 || notes.length > MAX_NOTES)
    throw walletError("wallet.invalid_request", `give 1..${MAX_NOTES} notes`);
  const parsed = notes.map((n) => parseNote(n));
  if (new Set(parsed.map((n) => n.outpoint)).size !== parsed.length)
    throw walletError("wallet.invalid_request", "the same note is given twice");
  const result = await join(env, { vtxos: [], notes: parsed }, undefined);
  // a crash before this line loses nothing: the tracker's rescan finds the VTXO at our script
  await env.store.observeVtxos([
    {
      outpoint: result.outpoint,
      amountSats: result.amountSats,
      script: env.walletScript().pkScriptHex,
      spent: false,
      swept: false,
      spentBy: undefined,
      expiresAt: undefined,
    },
  ]);
  return result;
}

/**
 * Settles wallet VTXOs (all spendable ones up to maxInputs, or the given outpoints, which may
 * also be swept ones: arkd takes swept and expired VTXOs without a forfeit) into one new wallet
 * VTXO in the next batch.
 * @throws GatewayError `wallet.invalid_request` (no batch store, unknown or duplicate outpoint),
 *   `wallet.insufficient_funds` (nothing spendable), `wallet.reservation_conflict`, and the
 *   errors of {@link redeemNotes}
 */
export async function renew(env: BatchServiceEnv, outpoints?: readonly string[]): Promise<BatchJoinResult> {
  const batchStore = env.batchStore;
  if (batchStore === undefined)
    throw walletError("wallet.invalid_request", "renewing needs a batch reservation store");
  const script = env.walletScript();
  const batchKey = `${BATCH_KEY_PREFIX}${toHex(randomBytes(16))}`;
  // registered before the reservation exists, so recovery never releases it under our feet
  env.activeBatches.add(batchKey);
  try {
    const coins = await selectAndReserve(env, batchStore, batchKey, outpoints);
    const inputs: BatchInputs = {
      vtxos: coins.map((c) => walletInput(script, c.outpoint, c.amountSats)),
      notes: [],
    };
    let result: BatchJoinResult;
    try {
      result = await join(env, inputs, batchKey);
    } catch (err) {
      // Not finalized: unless arkd may still finalize with our forfeits, the VTXOs are ours again.
      if (!isGatewayError(err) || err.code !== "batch.outcome_unknown") {
        await batchStore.releaseBatch(batchKey);
      } else {
        env.log.warn({ batchKey, ...errFields(err) }, "batch outcome unknown; reservation kept for recovery");
      }
      throw err;
    }
    env.onBatchStep?.("joined");
    await batchStore.settleBatch(batchKey, result.commitmentTxid, {
      outpoint: result.outpoint,
      amountSats: result.amountSats,
      script: script.pkScriptHex,
    });
    env.onBatchStep?.("settled");
    return result;
  } finally {
    // only now may recovery look at this reservation (settled, released or kept)
    env.activeBatches.delete(batchKey);
  }
}

/** Picks the VTXOs to renew and reserves them durably, under the selection lock. */
async function selectAndReserve(
  env: BatchServiceEnv,
  batchStore: BatchReservationStore,
  batchKey: string,
  outpoints: readonly string[] | undefined,
): Promise<Coin[]> {
  return env.withSelectionLock(async () => {
    const spendable: Coin[] =
      outpoints === undefined
        ? (await env.store.spendableVtxos()).filter(
            (c) => !isUnrolledCoin(c) && env.selecting?.has(c.outpoint) !== true,
          )
        : await batchStore.batchCandidates();
    let chosen = spendable.slice(0, env.maxInputs);
    if (outpoints !== undefined) {
      if (new Set(outpoints).size !== outpoints.length)
        throw walletError("wallet.invalid_request", "an outpoint is given twice");
      chosen = outpoints.map((o) => {
        const coin = spendable.find((c) => c.outpoint === o);
        if (coin === undefined)
          throw walletError("wallet.invalid_request", `${o} is not a spendable or swept wallet VTXO`, {
            outpoint: o,
          });
        return coin;
      });
    }
    if (chosen.length === 0) throw walletError("wallet.insufficient_funds", "no spendable VTXO to renew");
    if (chosen.length > env.maxInputs)
      throw walletError("wallet.too_many_inputs", `at most ${env.maxInputs} VTXOs per renewal`);
    // durable before anything reaches arkd
    const reserved = await batchStore.reserveForBatch(
      batchKey,
      chosen.map((c) => c.outpoint),
    );
    if (!reserved) throw walletError("wallet.reservation_conflict", "a VTXO to renew is no longer spendable");
    return chosen;
  });
}

/**
 * The output of a join: Σ inputs − the intent fee arkd quotes for this very intent. The quote is
 * taken with the output at the full input amount: arkd only requires fee ≥ its minimum, and with
 * output fee programs growing with the amount that quote is an upper bound.
 */
async function quote(
  env: BatchServiceEnv,
  inputs: BatchInputs,
): Promise<{ feeSats: bigint; output: { script: Uint8Array; amountSats: bigint } }> {
  const info = await env.serverInfo();
  const script = env.walletScript();
  const total = inputTotal(inputs);
  const feeSats = await env.ark.estimateIntentFee(
    estimateFeeIntent({
      inputs,
      output: { script: script.pkScript, amountSats: total },
      // any key: the estimate only looks at inputs and outputs
      cosignerPublicKey: toHex(IndividualPubkey(randomBytes(32))),
      signer: env.keys.walletKey.signer,
    }),
  );
  const amountSats = total - feeSats;
  const min = info.vtxoMinAmountSats > info.dustSats ? info.vtxoMinAmountSats : info.dustSats;
  if (feeSats < 0n || amountSats < min || amountSats <= 0n)
    throw batchError(
      "batch.amount_too_small",
      `${total} sats in, fee ${feeSats}: below the ${min} sats minimum`,
      {
        inputSats: total.toString(),
        feeSats: feeSats.toString(),
      },
    );
  return { feeSats, output: { script: script.pkScript, amountSats } };
}

/** Fee quote, then up to `batchAttempts` batch attempts. */
async function join(
  env: BatchServiceEnv,
  inputs: BatchInputs,
  batchKey: string | undefined,
): Promise<BatchJoinResult> {
  const info = await env.serverInfo();
  const signer = env.keys.walletKey.signer;
  const { feeSats, output } = await quote(env, inputs);
  const amountSats = output.amountSats;
  const outpoints = inputOutpoints(inputs);
  const log = {
    batchKey,
    inputs: outpoints.length,
    inputSats: inputTotal(inputs).toString(),
    feeSats: feeSats.toString(),
  };
  env.log.info(log, "joining a batch");
  let lastErr: unknown;
  for (let attempt = 1; attempt <= env.batchAttempts; attempt++) {
    let intentId: string | undefined;
    let forfeitsSent = false;
    try {
      const res: BatchResult = await runBatchSession({
        ark: env.ark,
        registerIntent: (cosignerPublicKey) => registerIntent({ inputs, output, cosignerPublicKey, signer }),
        inputOutpoints: outpoints,
        output,
        forfeitVtxos: inputs.vtxos,
        forfeitSigner: signer,
        forfeitScript: segwitScript(info.forfeitAddress),
        forfeitPubkey: info.forfeitPubkey,
        timeoutMs: env.batchTimeoutMs,
        onRegistered: (id) => {
          intentId = id;
        },
        onStep: (step, fields) => {
          if (step === "forfeits_sent") forfeitsSent = true;
          env.log.debug({ ...log, attempt, step, ...fields }, "batch step");
          env.onBatchStep?.(step);
        },
      });
      env.log.info({ ...log, commitmentTxid: res.commitmentTxid, outpoint: res.outpoint }, "batch finalized");
      return {
        commitmentTxid: res.commitmentTxid,
        amountSats,
        feeSats,
        outpoint: res.outpoint,
        inputs: outpoints,
      };
    } catch (err) {
      lastErr = err;
      env.log.warn({ ...log, attempt, intentId, ...errFields(err) }, "batch attempt failed");
      if (intentId !== undefined) await withdrawIntent(env, inputs);
      // Our forfeits are out: arkd may finalize without us, so the inputs may be spent already.
      if (forfeitsSent && !(isGatewayError(err) && err.code === "batch.failed"))
        throw batchError(
          "batch.outcome_unknown",
          `batch outcome unknown after our forfeits: ${errMessage(err)}`,
          {
            intentId,
          },
          err,
        );
      // a failed batch, a timeout or a broken stream: the next batch may work
      const retry = isGatewayError(err) && err.retryable;
      if (!retry) throw err;
    }
  }
  throw lastErr;
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** DeleteIntent for the inputs (best effort: an intent arkd already dropped is fine). */
async function withdrawIntent(env: BatchServiceEnv, inputs: BatchInputs): Promise<void> {
  try {
    const expireAt = Math.floor(Date.now() / 1000) + 120;
    await env.ark.deleteIntent(deleteIntent({ inputs, signer: env.keys.walletKey.signer, expireAt }));
  } catch (err) {
    env.log.debug(errFields(err), "DeleteIntent after a failed batch");
  }
}
