/**
 * What the gateway watches on the Bitcoin chain for unilateral exits: confirmed spends of an
 * outpoint (an Ark VTXO that someone unrolled and then spent onchain). Implemented over LND's
 * chain notifier (chainrpc RegisterSpendNtfn, src/lightning/lnd/subscribe-to-chain-spend.ts);
 * faked in unit tests. See docs/onchain-watcher.md.
 */
import type { EventStream } from "../../lib/event-stream.js";

export interface OutpointRef {
  readonly txid: string;
  readonly vout: number;
}

export interface SpendWatchRequest {
  readonly outpoint: OutpointRef;
  /** The output's scriptPubKey, hex (LND matches taproot outputs by outpoint and script). */
  readonly pkScript: string;
  /** No spend can be in a block below this height (the notifier rescans from here). */
  readonly heightHint: number;
}

/** A confirmed spend of the watched outpoint. */
export interface OutputSpend {
  readonly spendingTxid: string;
  /** The spending transaction, raw hex (witnesses included). */
  readonly rawTx: string;
  /** Index of the input that spends the outpoint. */
  readonly inputIndex: number;
  /** Height of the block that confirmed it. */
  readonly height: number;
}

export interface ChainSpendPort {
  /**
   * Confirmed spends of one outpoint; a spend confirmed before the subscription (at or above
   * `heightHint`) is reported too. The stream ends after the first spend.
   * @throws GatewayError `ln.invalid_argument`, `ln.missing_subserver` synchronously; iterating
   *   throws `ln.unavailable` / `ln.subscription_closed` when the stream drops (subscribe again)
   */
  watchSpend(req: SpendWatchRequest): EventStream<OutputSpend>;
}
