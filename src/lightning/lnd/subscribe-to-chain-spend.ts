/**
 * RegisterSpendNtfn (chainrpc) through ln-service `subscribeToChainSpend`: the confirmed spend
 * of one outpoint, with the raw spending tx. LND answers a spend already confirmed at or above
 * `min_height` right away (historical rescan), so a subscription made after a restart still
 * reports it. Needs LND built with the chainrpc tag (the gateway requires it already).
 */
import { hex } from "@scure/base";
import { Transaction } from "@scure/btc-signer";
import type { ChainSpendPort, OutputSpend, SpendWatchRequest } from "../../swaps/ports/chain-spends.js";
import { lnError, type LightningErrorCode } from "../errors.js";
import { PushStream, type EventStream } from "../../lib/event-stream.js";
import type { LnEmitter, LndContext } from "./ln-service.js";
import { toLightningError, type LnErrorInfo } from "./lnd-error.js";
import { expectChainWatch, expectHash32 } from "./validate.js";
import { createChainAddress } from "./create-chain-address.js";
import { chainFeeRate, p2trScriptOf, publishTransaction, subscribeToChainConfirmation } from "./chain-tx.js";

/** The one ln-service call this file adds to those of ln-service.ts. */
interface LnSubscribeToChainSpend {
  subscribeToChainSpend(args: {
    lnd: unknown;
    min_height: number;
    output_script: string;
    transaction_id: string;
    transaction_vout: number;
  }): LnEmitter;
}

interface LnSpendConfirmation {
  height: number;
  transaction: string;
  vin: number;
}

function mapError(info: LnErrorInfo): LightningErrorCode | undefined {
  if (info.name === "ExpectedLndGrpcApiToSubscribeToSpendConfirmations") return "ln.missing_subserver";
  return undefined;
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
 * @throws GatewayError `ln.invalid_argument` (txid, vout, script, height), `ln.missing_subserver`
 */
export function subscribeToChainSpend(ctx: LndContext, req: SpendWatchRequest): EventStream<OutputSpend> {
  const txid = expectHash32(req.outpoint.txid, "outpoint.txid");
  if (!Number.isInteger(req.outpoint.vout) || req.outpoint.vout < 0)
    throw lnError("ln.invalid_argument", "outpoint.vout must be an integer ≥ 0", { vout: req.outpoint.vout });
  const pkScript = expectChainWatch(req.pkScript, req.heightHint);
  const ln = ctx.ln as unknown as LnSubscribeToChainSpend;
  let emitter: LnEmitter;
  try {
    emitter = ln.subscribeToChainSpend({
      lnd: ctx.lnd,
      min_height: req.heightHint,
      output_script: pkScript,
      transaction_id: txid,
      transaction_vout: req.outpoint.vout,
    });
  } catch (err) {
    throw toLightningError(err, "subscribeToChainSpend", mapError);
  }
  const stream = new PushStream<OutputSpend>(() => {
    emitter.removeAllListeners();
    emitter.on("error", () => undefined);
  });
  emitter.on("confirmation", (payload) => {
    const c = payload as LnSpendConfirmation;
    let spendingTxid: string;
    try {
      spendingTxid = txidOf(c.transaction);
    } catch (err) {
      return stream.fail(
        lnError("ln.unexpected_response", "subscribeToChainSpend: spending tx does not parse", {}, err),
      );
    }
    stream.push({ spendingTxid, rawTx: c.transaction, inputIndex: c.vin, height: c.height });
    stream.end();
  });
  emitter.on("error", (err) => stream.fail(toLightningError(err, "subscribeToChainSpend", mapError)));
  emitter.on("end", () =>
    stream.fail(lnError("ln.subscription_closed", "subscribeToChainSpend: LND closed the stream", { txid })),
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
