/**
 * The onchain side of a swap's VHTLC: any VTXO can be unrolled (its Ark tx put onchain) and the
 * VHTLC output then spent there through a unilateral leaf, or through an unrolled offchain
 * spend's checkpoint. Either way what happened is only in the Bitcoin chain. This watcher keeps,
 * per watched VHTLC outpoint, one chain-notifier subscription for its spend and one for its Ark
 * tx's confirmation; a confirmed spend is parsed for a preimage whose SHA256 is the payment hash,
 * kept in memory, and the swap is kicked. Used by both flows:
 * - reverse: the wallet's onchain claim reveals the preimage; an unrolled, unclaimed VHTLC is
 *   refunded onchain (src/swaps/reverse/onchain-steps.ts);
 * - submarine: the gateway claims an unrolled VHTLC onchain (src/swaps/submarine/onchain-claim-steps.ts).
 * The steps store what must survive a crash (a preimage, a signed tx) before acting on it. After
 * a restart the next reconciliation subscribes again and LND reports historical spends and
 * confirmations again, so nothing has to be stored here. See docs/onchain-watcher.md.
 */
import { hex } from "@scure/base";
import type { Logger } from "../lib/logger.js";
import { preimageFromWitness } from "../ark/tx/index.js";
import type { ChainSpendPort, OutputSpend } from "./ports/chain-spends.js";
import type { ReverseSwap } from "../domain/swap-records.js";
import type { EventStream } from "../lib/event-stream.js";
import { tryParseOutpoint } from "../domain/outpoint.js";

/** What a confirmed onchain spend of a VHTLC revealed. */
export interface OnchainSpendSeen {
  readonly spendingTxid: string;
  readonly height: number;
  /** Hex preimage whose SHA256 is the payment hash; undefined for a spend that revealed none. */
  readonly preimage: string | undefined;
}

/** One VHTLC output to follow onchain. */
export interface OnchainWatchTarget {
  readonly swapId: string;
  /** `txid:vout` of the VHTLC VTXO (its txid is the Ark tx that an unroll puts onchain). */
  readonly outpoint: string;
  /** The VHTLC's scriptPubKey, hex. */
  readonly pkScript: string;
  /** The swap's payment hash, hex: a spend's witness is searched for its preimage. */
  readonly paymentHash: string;
  /** No unroll of this output can be in a block below this height. */
  readonly heightHint: number;
}

/** What the steps use: the watcher's findings per outpoint, and asking it to follow one. */
export interface OnchainSpends {
  /** Follows `target` (idempotent; a no-op once its spend was seen). */
  watch(target: OnchainWatchTarget): void;
  /** The confirmed spend of the VHTLC output `outpoint`, once seen. */
  seen(outpoint: string): OnchainSpendSeen | undefined;
  /** Height of the block that confirmed the Ark tx of `outpoint` (the VHTLC output is onchain). */
  unrolledAt(outpoint: string): number | undefined;
}

/** Blocks below the earliest possible unroll the notifier rescans from: generous, rescans are cheap. */
export const HEIGHT_HINT_MARGIN = 144n;

/** Never below 1 (the notifier's lowest height). */
export function clampHint(height: bigint): number {
  return height < 1n ? 1 : Number(height);
}

/** A reverse swap's hint: below the HTLC's arrival (its funding came after it) by the margin. */
export function spendHeightHint(
  swap: Pick<ReverseSwap, "htlcExpiryHeight" | "holdInvoiceCltvDelta">,
): number {
  if (swap.htlcExpiryHeight === null) return 1;
  return clampHint(swap.htlcExpiryHeight - swap.holdInvoiceCltvDelta - HEIGHT_HINT_MARGIN);
}

/** The reverse swap's funding outpoint as a watch target, once funded. */
export function reverseWatchTarget(swap: ReverseSwap): OnchainWatchTarget | undefined {
  if (swap.fundingOutpoint === null) return undefined;
  return {
    swapId: swap.id,
    outpoint: swap.fundingOutpoint,
    pkScript: swap.lockupScript,
    paymentHash: swap.paymentHash,
    heightHint: spendHeightHint(swap),
  };
}

export class OnchainWatcher implements OnchainSpends {
  private readonly streams = new Map<string, EventStream<OutputSpend>>();
  private readonly found = new Map<string, OnchainSpendSeen>();
  private readonly confirmations = new Map<string, EventStream<{ readonly height: number }>>();
  private readonly confirmed = new Map<string, number>();
  /** Outpoints watched per swap (for drop). */
  private readonly bySwap = new Map<string, Set<string>>();
  private stopped = false;

  /** @param onHint called with the swap id once a spend or a confirmation is seen */
  constructor(
    private readonly chain: ChainSpendPort,
    private readonly log: Logger,
    private readonly onHint: (swapId: string) => void,
  ) {}

  seen(outpoint: string): OnchainSpendSeen | undefined {
    return this.found.get(outpoint);
  }

  unrolledAt(outpoint: string): number | undefined {
    return this.confirmed.get(outpoint);
  }

  /** Watches the target's spend and its Ark tx confirming, unless already watched or seen. */
  watch(target: OnchainWatchTarget): void {
    if (this.stopped) return;
    const outpoint = tryParseOutpoint(target.outpoint);
    if (outpoint === undefined) return;
    const key = target.outpoint;
    const mine = this.bySwap.get(target.swapId) ?? new Set<string>();
    mine.add(key);
    this.bySwap.set(target.swapId, mine);
    this.ensureConfirmation(target, outpoint.txid);
    if (this.streams.has(key) || this.found.has(key)) return;
    let stream: EventStream<OutputSpend>;
    try {
      stream = this.chain.watchSpend({ outpoint, pkScript: target.pkScript, heightHint: target.heightHint });
    } catch (err) {
      this.log.warn(
        { swapId: target.swapId, err },
        "chain spend subscription failed; the next reconciliation retries",
      );
      return;
    }
    this.streams.set(key, stream);
    void this.follow(target, outpoint, stream);
  }

  /** Forgets every outpoint of the swap and closes their subscriptions. */
  drop(swapId: string): void {
    for (const key of this.bySwap.get(swapId) ?? []) {
      this.streams.get(key)?.close();
      this.streams.delete(key);
      this.found.delete(key);
      this.confirmations.get(key)?.close();
      this.confirmations.delete(key);
      this.confirmed.delete(key);
    }
    this.bySwap.delete(swapId);
  }

  stop(): void {
    this.stopped = true;
    for (const stream of [...this.streams.values(), ...this.confirmations.values()]) stream.close();
    this.streams.clear();
    this.confirmations.clear();
  }

  private ensureConfirmation(target: OnchainWatchTarget, txid: string): void {
    const key = target.outpoint;
    if (this.confirmations.has(key) || this.confirmed.has(key)) return;
    let stream: EventStream<{ readonly height: number }>;
    try {
      stream = this.chain.watchConfirmation({
        txid,
        pkScript: target.pkScript,
        heightHint: target.heightHint,
      });
    } catch (err) {
      this.log.warn(
        { swapId: target.swapId, err },
        "chain confirmation subscription failed; the next reconciliation retries",
      );
      return;
    }
    this.confirmations.set(key, stream);
    void (async () => {
      try {
        for await (const { height } of stream) {
          this.confirmed.set(key, height);
          this.log.warn(
            { swapId: target.swapId, outpoint: key, height },
            "VHTLC unrolled: its Ark tx is onchain",
          );
          if (!this.stopped) this.onHint(target.swapId);
        }
      } catch (err) {
        this.log.warn(
          { swapId: target.swapId, err },
          "chain confirmation stream dropped; the next reconciliation resubscribes",
        );
      } finally {
        if (this.confirmations.get(key) === stream) this.confirmations.delete(key);
      }
    })();
  }

  private async follow(
    target: OnchainWatchTarget,
    outpoint: { txid: string; vout: number },
    stream: EventStream<OutputSpend>,
  ): Promise<void> {
    const key = target.outpoint;
    try {
      for await (const spend of stream) {
        let preimage: Uint8Array | undefined;
        try {
          preimage = preimageFromWitness(
            { rawTx: spend.rawTx, inputIndex: spend.inputIndex },
            outpoint,
            hex.decode(target.paymentHash),
          );
        } catch (err) {
          this.log.error(
            { swapId: target.swapId, err, spendingTxid: spend.spendingTxid },
            "unreadable onchain spend",
          );
        }
        const seen = {
          spendingTxid: spend.spendingTxid,
          height: spend.height,
          preimage: preimage === undefined ? undefined : hex.encode(preimage),
        };
        this.found.set(key, seen);
        this.log.info(
          {
            swapId: target.swapId,
            outpoint: key,
            spendingTxid: seen.spendingTxid,
            height: seen.height,
            revealed: preimage !== undefined,
          },
          "VHTLC spent onchain",
        );
        if (!this.stopped) this.onHint(target.swapId);
      }
    } catch (err) {
      this.log.warn(
        { swapId: target.swapId, err },
        "chain spend stream dropped; the next reconciliation resubscribes",
      );
    } finally {
      if (this.streams.get(key) === stream) this.streams.delete(key);
    }
  }
}
