/**
 * The rest of the onchain watcher's chain port over LND: the first confirmation of a tx
 * (chainrpc RegisterConfirmationsNtfn), publishing a signed tx (walletrpc PublishTransaction),
 * the fee estimate (walletrpc EstimateFee), and the script of a p2tr address LND gave us.
 */
import { bech32m } from "@scure/base";
import { hex } from "@scure/base";
import { lnError } from "../errors.js";
import { PushStream, type EventStream } from "../../lib/event-stream.js";
import type { LndContext } from "./context.js";
import { toLightningError } from "./lnd-error.js";
import { expectChainWatch, expectHash32 } from "./validate.js";
import { isHex } from "../../lib/hex.js";
import { parseUint } from "./chain-wire.js";

/** chainrpc.ConfEvent as the loader gives it (oneof `event`: `conf` or `reorg`). */
interface ConfEvent {
  event?: "conf" | "reorg";
  conf?: { block_height?: number } | null;
}

/** A txid (display order, hex) as LND's chainrpc wants it: the hash bytes, internal order. */
export function txidBytes(txid: string): Buffer {
  return Buffer.from(txid, "hex").reverse();
}

/**
 * @returns a stream yielding the confirmation height once, then ending
 * @throws GatewayError `ln.invalid_argument`; the stream fails with `ln.missing_subserver`,
 *   `ln.unavailable`, `ln.subscription_closed`, ...
 */
export function subscribeToChainConfirmation(
  ctx: LndContext,
  req: { readonly txid: string; readonly pkScript: string; readonly heightHint: number },
): EventStream<{ readonly height: number }> {
  const txid = expectHash32(req.txid, "txid");
  const pkScript = expectChainWatch(req.pkScript, req.heightHint);
  const op = "registerConfirmationsNtfn";
  let sub;
  try {
    sub = ctx.rpc.stream<ConfEvent>("chain", "RegisterConfirmationsNtfn", {
      txid: txidBytes(txid),
      script: Buffer.from(pkScript, "hex"),
      num_confs: 1,
      height_hint: req.heightHint,
    });
  } catch (err) {
    throw toLightningError(err, op);
  }
  const stream = new PushStream<{ readonly height: number }>(() => {
    sub.removeAllListeners();
    sub.on("error", () => undefined);
    sub.cancel();
  });
  sub.on("data", (event) => {
    // A reorg of the tx out of the chain before we saw its confirmation: keep waiting.
    if (event.event === "reorg" || event.conf === undefined || event.conf === null) return;
    const height = event.conf.block_height;
    if (typeof height !== "number" || !Number.isInteger(height) || height < 1)
      return stream.fail(lnError("ln.unexpected_response", `${op}: no height`, { txid }));
    stream.push({ height });
    stream.end();
  });
  sub.on("error", (err) => stream.fail(toLightningError(err, op)));
  sub.on("end", () =>
    stream.fail(lnError("ln.subscription_closed", `${op}: LND closed the stream`, { txid })),
  );
  return stream;
}

/** LND answers a tx it already has (mempool or chain) with one of these; publishing is idempotent. */
const ALREADY_KNOWN =
  /already have transaction|txn-already-known|already in block chain|transaction already exists|output already spent by this transaction/i;

/**
 * Every refusal (a gRPC error or a `publish_error` in the answer) is `ln.unexpected` with LND's
 * text, except a tx LND already has.
 * @throws GatewayError `ln.invalid_argument` (not hex), `ln.unexpected`, `ln.unavailable`, ...
 */
export async function publishTransaction(ctx: LndContext, rawTx: string): Promise<void> {
  if (!isHex(rawTx)) throw lnError("ln.invalid_argument", "rawTx must be hex", {});
  const op = "publishTransaction";
  let res;
  try {
    res = await ctx.rpc.unary<{ publish_error?: string }>("wallet", "PublishTransaction", {
      tx_hex: Buffer.from(rawTx, "hex"),
    });
  } catch (err) {
    const details = (err as { details?: unknown } | null)?.details;
    if (typeof details === "string" && ALREADY_KNOWN.test(details)) return;
    throw toLightningError(err, op);
  }
  const refusal = res.publish_error ?? "";
  if (refusal === "" || ALREADY_KNOWN.test(refusal)) return;
  throw lnError("ln.unexpected", `${op}: ${refusal}`, { operation: op, lndDetails: refusal });
}

/** Confirmation target of the fee estimate, in blocks. */
const FEE_CONF_TARGET = 6;

/**
 * LND's estimate for confirmation within 6 blocks, in whole sat/vB rounded up (1 sat/kw = 4/1000
 * sat/vB), at least 1.
 * @throws GatewayError `ln.unexpected_response` (no rate), `ln.*`
 */
export async function chainFeeRate(ctx: LndContext): Promise<bigint> {
  const op = "estimateFee";
  let res;
  try {
    res = await ctx.rpc.unary<{ sat_per_kw?: string }>("wallet", "EstimateFee", {
      conf_target: FEE_CONF_TARGET,
    });
  } catch (err) {
    throw toLightningError(err, op);
  }
  const satPerKw = parseUint(res.sat_per_kw);
  if (satPerKw === undefined || satPerKw === 0n)
    throw lnError("ln.unexpected_response", `${op}: no fee rate`, {});
  const perVbyte = (satPerKw * 4n + 999n) / 1000n;
  return perVbyte < 1n ? 1n : perVbyte;
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
