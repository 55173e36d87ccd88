/**
 * What the gateway does on the Bitcoin chain for unilateral exits: watch confirmed spends of an
 * outpoint and confirmations of a tx (an Ark VTXO that someone unrolled, then spent onchain),
 * publish its own onchain spends and get an address of its LND wallet for them. Implemented over
 * LND (chainrpc RegisterSpendNtfn / RegisterConfirmationsNtfn, walletrpc PublishTransaction,
 * src/lightning/lnd/subscribe-to-chain-spend.ts); faked by a chain simulator held to LND by
 * the conformance cases of test/conformance/chain-spends.ts.
 * See docs/onchain-watcher.md.
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

  /**
   * The first confirmation of tx `txid` paying to `pkScript` (reported even when it confirmed
   * before the subscription, at or above `heightHint`). The stream ends after it.
   * @throws like {@link watchSpend}
   */
  watchConfirmation(req: {
    readonly txid: string;
    readonly pkScript: string;
    readonly heightHint: number;
  }): EventStream<{ readonly height: number }>;

  /** Broadcasts a signed tx (raw hex); publishing one already known is not an error. @throws GatewayError `ln.*` */
  publish(rawTx: string): Promise<void>;

  /** The scriptPubKey (hex) of a fresh address of the node's onchain wallet. @throws GatewayError `ln.*` */
  newWalletScript(): Promise<string>;

  /** The node's fee estimate, sat/vB (≥ 1). @throws GatewayError `ln.*` */
  feeRateSatPerVbyte(): Promise<bigint>;
}
