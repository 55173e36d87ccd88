/**
 * The wallet's three spends end to end: validate the request (VHTLC against GetInfo, our key,
 * the VTXOs), make idempotent (one record per idempotency key; a repeat settles the first
 * attempt instead of spending again), build + sign, record, submit, finalize.
 * - fund: key = the caller's idempotencyKey; coin selection under an in-process lock so two
 *   funds do not pick the same VTXOs (the store's CAS reservation guards across processes).
 * - claim / refund: key = `claim:` / `refund:` + the sorted VTXO outpoints, since a VTXO can
 *   be spent once only.
 */
import type { FundResult, ScriptVtxo, SwapVhtlc } from "../../swaps/ports/ark.js";
import { isGatewayError } from "../../domain/errors.js";
import type { ArkServerInfo } from "../server-info.js";
import { LOCKTIME_THRESHOLD, h160FromPreimage } from "../scripts/index.js";
import { equalBytes, toHex } from "../../lib/bytes.js";
import { selectCoins, type Coin } from "./coin-selection.js";
import { walletError } from "./errors.js";
import type { KeyRing } from "./keys.js";
import {
  buildClaimSpend,
  buildFundSpend,
  buildRefundSpend,
  p2trFromHex,
  selectionPolicy,
} from "./spend-builders.js";
import { recordSpend, recoverSpend, runSpend, type SpendContext } from "./spend-runner.js";
import type { NewSpendRecord, SpendRecord } from "./store.js";
import { assertOurKey, assertVhtlcVtxos, checkedVhtlc, hexBytes } from "./vhtlc-check.js";
import type { WalletScript } from "./wallet-script.js";

export interface SpendServiceEnv {
  readonly ctx: SpendContext;
  readonly keys: KeyRing;
  serverInfo(): Promise<ArkServerInfo>;
  walletScript(): WalletScript;
  readonly maxInputs: number;
  /** Current chain locktime of a kind (tip height / median time past), when known. */
  readonly currentLocktime: ((kind: "blocks" | "seconds") => Promise<bigint>) | undefined;
  /** Runs `work` once per key at a time; concurrent callers of one key share it. */
  singleflight<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Serializes coin selection (the read and the pick) inside this process. */
  withSelectionLock<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Wallet coins picked by a fund whose reservation is not durable yet (skipped by other picks in
   * this process; the store's compare-and-set reservation still guards across processes).
   */
  readonly selecting: Set<string>;
}

const RESERVATION_ATTEMPTS = 3;

export interface FundRequest {
  readonly script: string;
  readonly amountSats: bigint;
  readonly idempotencyKey: string;
  /** When given, the VHTLC is validated against GetInfo and must have `script`. */
  readonly vhtlc?: SwapVhtlc;
  /**
   * When given, only VTXOs whose batch expiry is known, of the same kind (height / unix time)
   * and strictly after this are spent: the funded VTXO expires with its earliest input.
   */
  readonly minBatchExpiry?: bigint;
}

/**
 * arkd refuses an offchain spend of a VTXO past its expires_at (VTXO_RECOVERABLE): a coin closer
 * to it than this is not spent offchain any more (it waits for renewal in a batch).
 */
export const OFFCHAIN_MARGIN_SECONDS = 30n;

/** Whether arkd still lets `coin` be spent offchain at `nowMs` (with the margin). */
export function usableOffchain(coin: Coin, nowMs: number): boolean {
  return (
    coin.offchainUntil === undefined ||
    coin.offchainUntil > BigInt(Math.floor(nowMs / 1000)) + OFFCHAIN_MARGIN_SECONDS
  );
}

/**
 * The coins a fund may spend: those arkd still accepts offchain, and of those all, or the ones
 * outliving `minBatchExpiry`.
 */
export function coinsOutliving(
  all: readonly Coin[],
  minBatchExpiry: bigint | undefined,
  nowMs: number = Date.now(),
): Coin[] {
  const coins = all.filter((c) => usableOffchain(c, nowMs));
  if (minBatchExpiry === undefined) return coins;
  const seconds = minBatchExpiry >= LOCKTIME_THRESHOLD;
  return coins.filter(
    (c) =>
      c.expiresAt !== undefined &&
      c.expiresAt >= LOCKTIME_THRESHOLD === seconds &&
      c.expiresAt > minBatchExpiry,
  );
}

/** @throws GatewayError see ArkWallet.fund */
export async function fund(env: SpendServiceEnv, req: FundRequest): Promise<FundResult> {
  const key = req?.idempotencyKey;
  if (typeof key !== "string" || key === "" || key.length > 200)
    throw walletError("wallet.invalid_request", "idempotencyKey must be a string of 1..200 chars");
  const target = p2trFromHex(req.script);
  if (typeof req.amountSats !== "bigint")
    throw walletError("wallet.invalid_request", "amountSats must be a bigint");
  if (req.minBatchExpiry !== undefined && (typeof req.minBatchExpiry !== "bigint" || req.minBatchExpiry < 0n))
    throw walletError("wallet.invalid_request", "minBatchExpiry must be a non-negative bigint");
  const request = `fund:${toHex(target)}:${req.amountSats}`;
  return env.singleflight(key, async () => {
    const existing = await env.ctx.store.getSpend(key);
    if (existing !== undefined && existing.request !== request)
      throw walletError("wallet.idempotency_conflict", `idempotency key ${key} was used for another spend`, {
        key,
      });
    if (existing !== undefined && existing.state !== "failed")
      return fundResult(await recoverSpend(env.ctx, existing));
    const info = await env.serverInfo();
    if (req.vhtlc !== undefined && !equalBytes(checkedVhtlc(req.vhtlc, info).pkScript, target))
      throw walletError("wallet.invalid_vhtlc", "the VHTLC's script is not the funded script");
    const wallet = env.walletScript();
    if (equalBytes(target, wallet.pkScript))
      throw walletError("wallet.invalid_request", "cannot fund our own script");
    for (let attempt = 1; ; attempt++) {
      try {
        // Under the lock only the read and the pick: the picked coins are marked as being
        // selected (the next fund's pick skips them) until their reservation is durable or
        // abandoned, so building, signing and recording run side by side with other funds.
        const selection = await env.withSelectionLock(async () => {
          const free = (await env.ctx.store.spendableVtxos()).filter((c) => !env.selecting.has(c.outpoint));
          const coins = coinsOutliving(free, req.minBatchExpiry, env.ctx.now());
          const picked = selectCoins(coins, req.amountSats, selectionPolicy(info, env.maxInputs));
          for (const c of picked.inputs) env.selecting.add(c.outpoint);
          return picked;
        });
        let recorded: Awaited<ReturnType<typeof recordSpend>>;
        try {
          const record = buildFundSpend({
            id: key,
            request,
            targetScript: target,
            amountSats: req.amountSats,
            selection,
            wallet,
            signer: env.keys.walletKey.signer,
            info,
          });
          recorded = await recordSpend(env.ctx, record);
        } finally {
          // reserved in the store now (or not at all): a later read sees it as it is
          for (const c of selection.inputs) env.selecting.delete(c.outpoint);
        }
        return fundResult(await settle(env, recorded));
      } catch (err) {
        if (isGatewayError(err, "wallet.reservation_conflict") && attempt < RESERVATION_ATTEMPTS) continue;
        throw err;
      }
    }
  });
}

export interface VhtlcSpendRequest {
  readonly vhtlc: SwapVhtlc;
  readonly keyIndex: number;
  readonly vtxos: readonly ScriptVtxo[];
}

/** @throws GatewayError see ArkWallet.claimVhtlc */
export async function claim(
  env: SpendServiceEnv,
  req: VhtlcSpendRequest & { readonly preimage: string },
): Promise<SpendRecord> {
  const info = await env.serverInfo();
  const vhtlc = checkedVhtlc(req.vhtlc, info);
  const key = env.keys.swapKey(req.keyIndex);
  assertOurKey(vhtlc, "receiver", key.xOnly);
  const preimage = hexBytes(req.preimage, 32);
  if (!equalBytes(h160FromPreimage(preimage), vhtlc.params.preimageHash))
    throw walletError("wallet.invalid_request", "the preimage does not open this VHTLC");
  if (!Array.isArray(req.vtxos) || req.vtxos.length === 0)
    throw walletError("wallet.invalid_request", "no VHTLC VTXOs to spend");
  const id = spendId("claim", req.vtxos);
  // idempotent after the fact too: a claim of ours recorded for these VTXOs answers (recovered:
  // finalized when its own tx spent them); only a new claim needs them unspent
  return env.singleflight(id, () =>
    idempotentSpend(env, id, () => {
      assertVhtlcVtxos(vhtlc, req.vtxos);
      return buildClaimSpend({ ...common(env, id, req, info), vhtlc, signer: key.signer, preimage });
    }),
  );
}

/** @throws GatewayError see ArkWallet.refundVhtlc */
export async function refund(env: SpendServiceEnv, req: VhtlcSpendRequest): Promise<SpendRecord> {
  const info = await env.serverInfo();
  const vhtlc = checkedVhtlc(req.vhtlc, info);
  const key = env.keys.swapKey(req.keyIndex);
  assertOurKey(vhtlc, "sender", key.xOnly);
  // idempotent after the fact too: VTXOs our finalized refund spent answer with that refund
  const done = await finalizedSpend(env, "refund", req.vtxos);
  if (done !== undefined) return done;
  assertVhtlcVtxos(vhtlc, req.vtxos);
  const locktime = vhtlc.params.refundLocktime;
  if (env.currentLocktime !== undefined) {
    const now = await env.currentLocktime(locktime >= LOCKTIME_THRESHOLD ? "seconds" : "blocks");
    if (now < locktime)
      throw walletError(
        "wallet.locktime_not_reached",
        `refund locktime ${locktime} not reached (now ${now})`,
        {
          refundLocktime: locktime.toString(),
          current: now.toString(),
        },
      );
  }
  const id = spendId("refund", req.vtxos);
  return env.singleflight(id, () =>
    idempotentSpend(env, id, () =>
      buildRefundSpend({ ...common(env, id, req, info), vhtlc, signer: key.signer }),
    ),
  );
}

function common(env: SpendServiceEnv, id: string, req: VhtlcSpendRequest, info: ArkServerInfo) {
  return { id, request: id, keyIndex: req.keyIndex, vtxos: req.vtxos, wallet: env.walletScript(), info };
}

/** An existing open/finalized record is settled; otherwise (none, or failed) a new attempt runs. */
async function idempotentSpend(
  env: SpendServiceEnv,
  id: string,
  build: () => NewSpendRecord,
): Promise<SpendRecord> {
  const existing = await env.ctx.store.getSpend(id);
  if (existing !== undefined && existing.state !== "failed") return recoverSpend(env.ctx, existing);
  return settle(env, await recordSpend(env.ctx, build()));
}

function settle(env: SpendServiceEnv, r: { record: SpendRecord; created: boolean }): Promise<SpendRecord> {
  return r.created ? runSpend(env.ctx, r.record) : recoverSpend(env.ctx, r.record);
}

async function finalizedSpend(
  env: SpendServiceEnv,
  kind: "claim" | "refund",
  vtxos: readonly ScriptVtxo[],
): Promise<SpendRecord | undefined> {
  if (!Array.isArray(vtxos) || vtxos.length === 0) return undefined;
  const record = await env.ctx.store.getSpend(spendId(kind, vtxos));
  return record?.state === "finalized" ? record : undefined;
}

function spendId(kind: "claim" | "refund", vtxos: readonly ScriptVtxo[]): string {
  return `${kind}:${vtxos
    .map((v) => v.outpoint.toLowerCase())
    .sort()
    .join(",")}`;
}

function fundResult(r: SpendRecord): FundResult {
  if (r.resultOutpoint === null) throw walletError("wallet.spend_failed", `spend ${r.id} is not a fund`);
  return { arkTxid: r.arkTxid, outpoint: r.resultOutpoint };
}
