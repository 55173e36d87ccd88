/**
 * RegisterSpendNtfn (chainrpc ChainNotifier): the confirmed spend of one outpoint, with the raw
 * spending tx. LND answers a spend already confirmed at or above `height_hint` right away
 * (historical rescan), so a subscription made after a restart still reports it. Needs LND built
 * with the chainrpc tag (the gateway requires it already).
 */
import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import type { ChainSpendPort, OutputSpend, SpendWatchRequest } from "../../swaps/ports/chain-spends.js";
import { lnError } from "../errors.js";
import { PushStream, type EventStream } from "../../lib/event-stream.js";
import type { LndContext } from "./context.js";
import { toLightningError } from "./lnd-error.js";
import { expectChainWatch, expectHash32 } from "./validate.js";
import { createChainAddress } from "./create-chain-address.js";
import {
  chainFeeRate,
  p2trScriptOf,
  publishTransaction,
  subscribeToChainConfirmation,
  txidBytes,
} from "./chain-tx.js";

/** chainrpc.SpendEvent as the loader gives it (oneof `event`: `spend` or `reorg`). */
interface SpendEvent {
  event?: "spend" | "reorg";
  spend?: {
    raw_spending_tx?: Buffer;
    spending_input_index?: number;
    spending_height?: number;
  } | null;
}

function txidOf(rawTx: string): string {
  return Transaction.fromRaw(hex.decode(rawTx), {
    allowUnknownOutputs: true,
    allowUnknownInputs: true,
    allowUnknownVersion: true,
    disableScriptCheck: true,
  }).id;
}

/**
 * @returns a stream that yields the spend once and ends
 * @throws GatewayError `ln.invalid_argument` (txid, vout, script, height); the stream fails with
 *   `ln.missing_subserver`, `ln.unavailable`, `ln.subscription_closed`, ...
 */
export function subscribeToChainSpend(ctx: LndContext, req: SpendWatchRequest): EventStream<OutputSpend> {
  const txid = expectHash32(req.outpoint.txid, "outpoint.txid");
  if (!Number.isInteger(req.outpoint.vout) || req.outpoint.vout < 0 || req.outpoint.vout > 0xffffffff)
    throw lnError("ln.invalid_argument", "outpoint.vout must be an integer ≥ 0", { vout: req.outpoint.vout });
  const pkScript = expectChainWatch(req.pkScript, req.heightHint);
  const op = "registerSpendNtfn";
  let sub;
  try {
    sub = ctx.rpc.stream<SpendEvent>("chain", "RegisterSpendNtfn", {
      outpoint: { hash: txidBytes(txid), index: req.outpoint.vout },
      script: Buffer.from(pkScript, "hex"),
      height_hint: req.heightHint,
    });
  } catch (err) {
    throw toLightningError(err, op);
  }
  const stream = new PushStream<OutputSpend>(() => {
    sub.removeAllListeners();
    sub.on("error", () => undefined);
    sub.cancel();
  });
  sub.on("data", (event) => {
    // A reorg of the spend out of the chain before we saw it: keep waiting for the next one.
    if (event.event === "reorg" || event.spend === undefined || event.spend === null) return;
    const { raw_spending_tx: raw, spending_input_index: vin, spending_height: height } = event.spend;
    if (!Buffer.isBuffer(raw) || raw.length === 0 || typeof vin !== "number" || typeof height !== "number")
      return stream.fail(lnError("ln.unexpected_response", `${op}: incomplete spend`, { txid }));
    const rawTx = raw.toString("hex");
    let spendingTxid: string;
    try {
      spendingTxid = txidOf(rawTx);
    } catch (err) {
      return stream.fail(lnError("ln.unexpected_response", `${op}: spending tx does not parse`, {}, err));
    }
    stream.push({ spendingTxid, rawTx, inputIndex: vin, height });
    stream.end();
  });
  sub.on("error", (err) => stream.fail(toLightningError(err, op)));
  sub.on("end", () =>
    stream.fail(lnError("ln.subscription_closed", `${op}: LND closed the stream`, { txid })),
  );
  return stream;
}

/** The chain port of the onchain watcher (src/swaps/ports/chain-spends.ts) over LND. */
export function createLndChainSpends(ctx: LndContext): ChainSpendPort {
  return {
    watchSpend: (req) => subscribeToChainSpend(ctx, req),
    watchConfirmation: (req) => subscribeToChainConfirmation(ctx, req),
    publish: (rawTx) => publishTransaction(ctx, rawTx),
    newWalletScript: async () => p2trScriptOf(await createChainAddress(ctx)),
    feeRateSatPerVbyte: () => chainFeeRate(ctx),
  };
}
