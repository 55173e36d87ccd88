/**
 * The vocabulary the timeout rules share: the locktime mode, the chain tip and the settings.
 * Locktimes follow arkd's mode: "blocks" (block heights / relative blocks, regtest) or "seconds"
 * (unix times / relative seconds in multiples of 512). Lightning CLTVs are always blocks.
 */
export type LocktimeMode = "blocks" | "seconds";

/** Where the chain is now: tip height and its time (median time past, unix seconds). */
export interface ChainTip {
  readonly height: bigint;
  readonly timeSeconds: bigint;
}

/** Timeout settings, in the unit of `mode` unless the name says blocks. */
export interface TimeoutSettings {
  readonly mode: LocktimeMode;
  /** refundLocktime of a submarine VHTLC = tip + this (blocks or seconds). */
  readonly submarineRefundDelta: bigint;
  /** refundLocktime of a reverse VHTLC = tip + this (blocks or seconds). */
  readonly reverseRefundDelta: bigint;
  /** Minimum relative delays; each is raised to arkd's unilateral exit delay when below it. */
  readonly unilateralClaimDelay: bigint;
  readonly unilateralRefundDelay: bigint;
  readonly unilateralRefundWithoutReceiverDelay: bigint;
  /** Blocks kept between the LN payment's CLTV limit and the VHTLC refund (production: 20). */
  readonly lnCltvMarginBlocks: bigint;
  /** Blocks the held HTLC must outlive the VHTLC refund by. */
  readonly holdInvoiceCltvMarginBlocks: bigint;
  /** Largest CLTV delta a hold invoice may ask for (LND refuses more than 2016). */
  readonly maxHoldInvoiceCltvDeltaBlocks: bigint;
  /** Kept between refundLocktime and the funding VTXO's batch expiry (blocks or seconds). */
  readonly batchExpiryMargin: bigint;
  /** Mean block interval in seconds (600): neutral estimates only (e.g. the claim window). */
  readonly secondsPerBlock: bigint;
  /**
   * Fast-chain block interval in seconds (300): the most blocks a span may see is
   * ceil(span / this), used where a block deadline must come after a time. Unused in blocks mode.
   */
  readonly fastBlockSeconds: bigint;
  /**
   * Slow-chain block interval in seconds (1200): the fewest blocks a span will see is
   * floor(span / this), used where a block deadline must come before a time. Unused in blocks mode.
   */
  readonly slowBlockSeconds: bigint;
}

export interface UnilateralDelays {
  readonly unilateralClaimDelay: bigint;
  readonly unilateralRefundDelay: bigint;
  readonly unilateralRefundWithoutReceiverDelay: bigint;
}
