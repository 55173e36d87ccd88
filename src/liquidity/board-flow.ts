/**
 * Boarding from LND's onchain wallet into Ark, crash-safe: each step is recorded before the next
 * external action.
 * 1. record `sending` (id, amount, boarding address)
 * 2. LND sends exactly the amount to the boarding address, labelled with the id → record `sent` + txid
 *    (a crash between the two: resume finds the labelled tx in LND's wallet, or marks it `failed`:
 *    LND never sent it)
 * 3. wait for the confirmation, find the output index in the raw tx → record it
 * 4. the Ark wallet boards the UTXO in the next batch → record `boarded` (commitment txid, VTXO)
 *    (a crash or a failed batch leaves it `sent`: resume retries; the UTXO stays ours, and once
 *    arkd no longer takes it — its exit path opens after the boarding exit delay — only its owner
 *    can spend it, through the exit leaf)
 */
import { randomBytes } from "@noble/hashes/utils.js";
import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import { errorFactory, isGatewayError, type ErrorCatalog } from "../domain/errors.js";
import { describeJoinStep } from "./join-steps.js";
import type { ArkLiquidityPort, BoardingRecord, BoardingStore, OnchainWalletPort } from "./ports.js";
import { formatOutpoint } from "../domain/outpoint.js";

export const LIQUIDITY_ERRORS = {
  "liquidity.invalid_amount": { httpStatus: 400, retryable: false },
  "liquidity.not_sent": { httpStatus: 409, retryable: false },
  "liquidity.output_missing": { httpStatus: 502, retryable: false },
  "liquidity.confirmation_timeout": { httpStatus: 504, retryable: true },
} as const satisfies ErrorCatalog;

export const liquidityError = errorFactory(LIQUIDITY_ERRORS);

/** Progress lines for the operator. */
export type Progress = (message: string) => void;

export interface BoardFlowDeps {
  readonly onchain: OnchainWalletPort;
  readonly ark: ArkLiquidityPort;
  readonly store: BoardingStore;
  /** How long to wait for the confirmation (ms). */
  readonly confirmationTimeoutMs: number;
  /** Poll period of LND's wallet while waiting (ms). */
  readonly pollMs: number;
  readonly progress?: Progress;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export const BOARDING_LABEL_PREFIX = "ark-ln-gateway boarding ";

/**
 * Boards `amountSats` from LND's onchain wallet.
 * @throws GatewayError `liquidity.*`, `ln.*` (LND refused the send, e.g. too little onchain),
 *   `batch.*`, `ark.*`, `wallet.*` (the record stays `sent`: `resumeBoardings` retries)
 */
export async function boardFromLnd(deps: BoardFlowDeps, amountSats: bigint): Promise<BoardingRecord> {
  if (typeof amountSats !== "bigint" || amountSats <= 0n)
    throw liquidityError("liquidity.invalid_amount", "the amount must be a positive number of sats");
  const { address } = await deps.ark.boardingScript();
  const id = hex.encode(randomBytes(8));
  await deps.store.create({ id, amountSats, address });
  deps.progress?.(`boarding ${id}: sending ${amountSats} sat from LND to ${address}`);
  const txid = await deps.onchain.send({ address, amountSats, label: `${BOARDING_LABEL_PREFIX}${id}` });
  await deps.store.markSent(id, txid);
  deps.progress?.(`boarding ${id}: sent in ${txid}`);
  return continueBoarding(deps, await mustGet(deps.store, id));
}

/**
 * Continues every unfinished boarding (after a crash or a failed batch).
 * @returns each record as it ended, with the error of those that did not finish
 */
export async function resumeBoardings(
  deps: BoardFlowDeps,
): Promise<{ record: BoardingRecord; error?: unknown }[]> {
  const out: { record: BoardingRecord; error?: unknown }[] = [];
  for (const r of await deps.store.open()) {
    deps.progress?.(`boarding ${r.id}: resuming (${r.status}${r.txid === undefined ? "" : ` in ${r.txid}`})`);
    try {
      out.push({ record: await continueBoarding(deps, r) });
    } catch (error) {
      if (isGatewayError(error)) await deps.store.noteError(r.id, `${error.code}: ${error.message}`);
      out.push({ record: await mustGet(deps.store, r.id), error });
    }
  }
  return out;
}

/** Takes one boarding from where its record stands to `boarded`. */
async function continueBoarding(deps: BoardFlowDeps, record: BoardingRecord): Promise<BoardingRecord> {
  let r = record;
  if (r.status === "sending") {
    const label = `${BOARDING_LABEL_PREFIX}${r.id}`;
    const sent = (await deps.onchain.transactions()).find((t) => t.label === label);
    if (sent === undefined) {
      await deps.store.markFailed(r.id, "LND never sent it");
      throw liquidityError("liquidity.not_sent", `boarding ${r.id} was never sent by LND`, { id: r.id });
    }
    await deps.store.markSent(r.id, sent.txid);
    r = await mustGet(deps.store, r.id);
  }
  if (r.status !== "sent" || r.txid === undefined) return r;
  const vout = r.vout ?? (await waitForOutput(deps, r));
  if (r.vout === undefined) await deps.store.setVout(r.id, vout);
  const outpoint = formatOutpoint({ txid: r.txid, vout });
  if (r.commitmentTxid !== undefined) {
    // we signed a batch's commitment tx, then lost sight of it: did that batch go through?
    const made = await deps.ark.batchOutputVtxo(r.commitmentTxid);
    if (made !== undefined) {
      deps.progress?.(`boarding ${r.id}: batch ${r.commitmentTxid} went through: VTXO ${made.outpoint}`);
      await deps.store.markBoarded(r.id, {
        commitmentTxid: r.commitmentTxid,
        vtxoOutpoint: made.outpoint,
        vtxoSats: made.amountSats,
        feeSats: r.amountSats - made.amountSats,
      });
      return mustGet(deps.store, r.id);
    }
  }
  deps.progress?.(`boarding ${r.id}: ${outpoint} confirmed; joining the next batch`);
  try {
    const res = await deps.ark.board(
      [{ outpoint, amountSats: r.amountSats }],
      (step, fields) => deps.progress?.(`boarding ${r.id}: ${describeJoinStep(step, fields)}`),
      // durable before our signature leaves: a crash after it is settled by batchOutputVtxo
      (commitmentTxid) => deps.store.noteCommitment(r.id, commitmentTxid),
    );
    await deps.store.markBoarded(r.id, {
      commitmentTxid: res.commitmentTxid,
      vtxoOutpoint: res.outpoint,
      vtxoSats: res.amountSats,
      feeSats: res.feeSats,
    });
  } catch (err) {
    if (isGatewayError(err)) await deps.store.noteError(r.id, `${err.code}: ${err.message}`);
    throw err;
  }
  return mustGet(deps.store, r.id);
}

/** Waits until LND sees the tx confirmed, then finds the boarding output in it. */
async function waitForOutput(deps: BoardFlowDeps, r: BoardingRecord): Promise<number> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((res) => setTimeout(res, ms)));
  const now = deps.now ?? Date.now;
  const start = now();
  let lastNote = start;
  const script = (await deps.ark.boardingScript()).script.pkScriptHex;
  for (;;) {
    const tx = (await deps.onchain.transactions()).find((t) => t.txid === r.txid);
    if (tx !== undefined && tx.confirmations > 0) {
      if (tx.rawHex === undefined)
        throw liquidityError("liquidity.output_missing", `LND gave no raw tx for ${r.txid}`, {
          txid: r.txid,
        });
      return boardingVout(tx.rawHex, script, r.amountSats, r.txid as string);
    }
    if (now() - start > deps.confirmationTimeoutMs)
      throw liquidityError(
        "liquidity.confirmation_timeout",
        `${r.txid} is not confirmed after ${Math.round((now() - start) / 1000)} s; run \`liquidity board --resume\` later`,
        { txid: r.txid },
      );
    if (now() - lastNote >= 10_000) {
      lastNote = now();
      deps.progress?.(`boarding ${r.id}: waiting for ${r.txid} to confirm`);
    }
    await sleep(deps.pollMs);
  }
}

/**
 * The index of the output paying `amountSats` to `scriptHex` in a raw tx.
 * @throws GatewayError `liquidity.output_missing`
 */
export function boardingVout(rawHex: string, scriptHex: string, amountSats: bigint, txid: string): number {
  const tx = Transaction.fromRaw(hex.decode(rawHex), { allowUnknownOutputs: true });
  for (let i = 0; i < tx.outputsLength; i++) {
    const o = tx.getOutput(i);
    if (o.script !== undefined && hex.encode(o.script) === scriptHex && o.amount === amountSats) return i;
  }
  throw liquidityError(
    "liquidity.output_missing",
    `${txid} pays no ${amountSats} sat to the boarding address`,
    {
      txid,
    },
  );
}

async function mustGet(store: BoardingStore, id: string): Promise<BoardingRecord> {
  const r = await store.get(id);
  if (r === undefined) throw new Error(`boarding ${id} vanished from the database`);
  return r;
}
