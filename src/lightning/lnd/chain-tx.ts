/**
 * The rest of the onchain watcher's chain port over LND: the first confirmation of a tx
 * (chainrpc RegisterConfirmationsNtfn through ln-service `subscribeToChainAddress`), publishing
 * a signed tx (walletrpc PublishTransaction through `broadcastChainTransaction`), the fee
 * estimate (`getChainFeeRate`), and the script of a p2tr address LND gave us.
 */
import { bech32m } from "@scure/base";
import { hex } from "@scure/base";
import { lnError, type LightningErrorCode } from "../errors.js";
import { PushStream, type EventStream } from "../../lib/event-stream.js";
import type { LnEmitter, LndContext } from "./ln-service.js";
import { toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { expectChainWatch, expectHash32 } from "./validate.js";
import { isHex } from "../../lib/hex.js";

interface LnChainTx {
  subscribeToChainAddress(args: {
    lnd: unknown;
    min_height: number;
    min_confirmations: number;
    output_script: string;
    transaction_id: string;
  }): LnEmitter;
  broadcastChainTransaction(args: { lnd: unknown; transaction: string }): Promise<{ id: string }>;
  getChainFeeRate(args: {
    lnd: unknown;
    confirmation_target?: number;
  }): Promise<{ tokens_per_vbyte: number }>;
}

function mapConfError(info: LnErrorInfo): LightningErrorCode | undefined {
  if (info.name === "ExpectedLndGrpcApiToSubscribeToChainTransaction") return "ln.missing_subserver";
  return undefined;
}

/**
 * @returns a stream yielding the confirmation height once, then ending
 * @throws GatewayError `ln.invalid_argument`, `ln.missing_subserver`
 */
export function subscribeToChainConfirmation(
  ctx: LndContext,
  req: { readonly txid: string; readonly pkScript: string; readonly heightHint: number },
): EventStream<{ readonly height: number }> {
  const txid = expectHash32(req.txid, "txid");
  const pkScript = expectChainWatch(req.pkScript, req.heightHint);
  const ln = ctx.ln as unknown as LnChainTx;
  let emitter: LnEmitter;
  try {
    emitter = ln.subscribeToChainAddress({
      lnd: ctx.lnd,
      min_height: req.heightHint,
      min_confirmations: 1,
      output_script: pkScript,
      transaction_id: txid,
    });
  } catch (err) {
    throw toLightningError(err, "subscribeToChainAddress", mapConfError);
  }
  const stream = new PushStream<{ readonly height: number }>(() => {
    emitter.removeAllListeners();
    emitter.on("error", () => undefined);
  });
  emitter.on("confirmation", (payload) => {
    const height = (payload as { height?: unknown }).height;
    if (typeof height !== "number" || !Number.isInteger(height) || height < 1)
      return stream.fail(lnError("ln.unexpected_response", "subscribeToChainAddress: no height", { txid }));
    stream.push({ height });
    stream.end();
  });
  emitter.on("error", (err) => stream.fail(toLightningError(err, "subscribeToChainAddress", mapConfError)));
  emitter.on("end", () =>
    stream.fail(
      lnError("ln.subscription_closed", "subscribeToChainAddress: LND closed the stream", { txid }),
    ),
  );
  return stream;
}

/** LND answers a tx it already has (mempool or chain) with one of these; publishing is idempotent. */
const ALREADY_KNOWN =
  /already have transaction|txn-already-known|already in block chain|transaction already exists|output already spent by this transaction/i;

/** @throws GatewayError `ln.*` (a tx LND already has is not an error) */
export async function publishTransaction(ctx: LndContext, rawTx: string): Promise<void> {
  if (!isHex(rawTx)) throw lnError("ln.invalid_argument", "rawTx must be hex", {});
  const ln = ctx.ln as unknown as LnChainTx;
  try {
    await ln.broadcastChainTransaction({ lnd: ctx.lnd, transaction: rawTx });
  } catch (err) {
    if (ALREADY_KNOWN.test(JSON.stringify(err) ?? "")) return;
    throw toLightningError(err, "broadcastChainTransaction");
  }
}

/** @throws GatewayError `ln.*` */
export async function chainFeeRate(ctx: LndContext): Promise<bigint> {
  const ln = ctx.ln as unknown as LnChainTx;
  let res;
  try {
    res = await ln.getChainFeeRate({ lnd: ctx.lnd, confirmation_target: 6 });
  } catch (err) {
    throw toLightningError(err, "getChainFeeRate");
  }
  const rate = res.tokens_per_vbyte;
  if (typeof rate !== "number" || !Number.isFinite(rate) || rate <= 0)
    throw lnError("ln.unexpected_response", "getChainFeeRate: no fee rate", {});
  return BigInt(Math.max(1, Math.ceil(rate)));
}

/**
 * `OP_1 <32 bytes>` of a bech32m p2tr address (any network's prefix).
 * @throws GatewayError `ln.unexpected_response` for anything else
 */
export function p2trScriptOf(address: string): string {
  try {
    const { words } = bech32m.decode(address as `${string}1${string}`);
    const program = bech32m.fromWords(words.slice(1));
    if (words[0] !== 1 || program.length !== 32) throw new Error("not a v1 32-byte program");
    return `5120${hex.encode(program)}`;
  } catch (err) {
    throw lnError("ln.unexpected_response", "LND returned an address that is not p2tr", { address }, err);
  }
}
