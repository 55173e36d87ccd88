/**
 * The onchain side of a funded reverse swap: a wallet may unroll the VHTLC (put its funding Ark
 * tx onchain) and claim it there with the preimage (unilateralClaim leaf), or put its offchain
 * claim's checkpoint onchain. Either way the preimage is only in a Bitcoin witness. This watcher
 * keeps one chain-notifier subscription per funded VHTLC outpoint; a confirmed spend is parsed
 * for a preimage whose SHA256 is the payment hash, kept in memory, and the swap is kicked. The
 * swap's step (claim-steps.ts) stores the preimage durably before it settles. After a restart
 * the next reconciliation subscribes again and LND reports the historical spend again, so
 * nothing has to be stored here. See docs/onchain-watcher.md.
 */
import { hex } from "@scure/base";
import type { Logger } from "../../lib/logger.js";
import { preimageFromWitness } from "../../ark/tx/index.js";
import type { ChainSpendPort, OutputSpend } from "../ports/chain-spends.js";
import type { ReverseSwap } from "../../domain/swap-records.js";
import type { EventStream } from "../../lib/event-stream.js";
import { tryParseOutpoint } from "../../domain/outpoint.js";

/** What a confirmed onchain spend of a VHTLC revealed. */
export interface OnchainSpendSeen {
  readonly spendingTxid: string;
  readonly height: number;
  /** Hex preimage whose SHA256 is the payment hash; undefined for a spend that revealed none. */
  readonly preimage: string | undefined;
}

/** What the reverse steps read. */
export interface OnchainSpends {
  seen(swapId: string): OnchainSpendSeen | undefined;
  /** Height of the block that confirmed the funding Ark tx (the VHTLC output is onchain). */
  unrolledAt(swapId: string): number | undefined;
}

/** Blocks below the HTLC's arrival the notifier rescans from: generous, rescans are cheap. */
export const HEIGHT_HINT_MARGIN = 144n;

/** A lower bound of the height at which the VHTLC output could first be onchain. */
export function spendHeightHint(
  swap: Pick<ReverseSwap, "htlcExpiryHeight" | "holdInvoiceCltvDelta">,
): number {
  if (swap.htlcExpiryHeight === null) return 1;
  const hint = swap.htlcExpiryHeight - swap.holdInvoiceCltvDelta - HEIGHT_HINT_MARGIN;
  return hint < 1n ? 1 : Number(hint);
}

export class OnchainClaimWatcher implements OnchainSpends {
  private readonly streams = new Map<string, EventStream<OutputSpend>>();
  private readonly found = new Map<string, OnchainSpendSeen>();
  private readonly confirmations = new Map<string, EventStream<{ readonly height: number }>>();
  private readonly confirmed = new Map<string, number>();
  private stopped = false;

  /** @param onHint called with the swap id once a spend is seen */
  constructor(
    private readonly chain: ChainSpendPort,
    private readonly log: Logger,
    private readonly onHint: (swapId: string) => void,
  ) {}

  seen(swapId: string): OnchainSpendSeen | undefined {
    return this.found.get(swapId);
  }

  unrolledAt(swapId: string): number | undefined {
    return this.confirmed.get(swapId);
  }

  /**
   * Watches the funding outpoint of a funded reverse swap (its spend, and its funding Ark tx
   * confirming) unless already watched or seen.
   */
  ensure(swap: ReverseSwap): void {
    if (this.stopped) return;
    const outpoint = swap.fundingOutpoint === null ? undefined : tryParseOutpoint(swap.fundingOutpoint);
    if (outpoint === undefined) return;
    this.ensureConfirmation(swap, outpoint.txid);
    if (this.streams.has(swap.id) || this.found.has(swap.id)) return;
    let stream: EventStream<OutputSpend>;
    try {
      stream = this.chain.watchSpend({
        outpoint,
        pkScript: swap.lockupScript,
        heightHint: spendHeightHint(swap),
      });
    } catch (err) {
      this.log.warn(
        { swapId: swap.id, err },
        "chain spend subscription failed; the next reconciliation retries",
      );
      return;
    }
    this.streams.set(swap.id, stream);
    void this.follow(swap, outpoint, stream);
  }

  drop(swapId: string): void {
    this.streams.get(swapId)?.close();
    this.streams.delete(swapId);
    this.found.delete(swapId);
    this.confirmations.get(swapId)?.close();
    this.confirmations.delete(swapId);
    this.confirmed.delete(swapId);
  }

  stop(): void {
    this.stopped = true;
    for (const stream of [...this.streams.values(), ...this.confirmations.values()]) stream.close();
    this.streams.clear();
    this.confirmations.clear();
  }

  private ensureConfirmation(swap: ReverseSwap, txid: string): void {
    if (this.confirmations.has(swap.id) || this.confirmed.has(swap.id)) return;
    let stream: EventStream<{ readonly height: number }>;
    try {
      stream = this.chain.watchConfirmation({
        txid,
        pkScript: swap.lockupScript,
        heightHint: spendHeightHint(swap),
      });
    } catch (err) {
      this.log.warn(
        { swapId: swap.id, err },
        "chain confirmation subscription failed; the next reconciliation retries",
      );
      return;
    }
    this.confirmations.set(swap.id, stream);
    void (async () => {
      try {
        for await (const { height } of stream) {
          this.confirmed.set(swap.id, height);
          this.log.warn({ swapId: swap.id, txid, height }, "VHTLC unrolled: its funding Ark tx is onchain");
          if (!this.stopped) this.onHint(swap.id);
        }
      } catch (err) {
        this.log.warn(
          { swapId: swap.id, err },
          "chain confirmation stream dropped; the next reconciliation resubscribes",
        );
      } finally {
        if (this.confirmations.get(swap.id) === stream) this.confirmations.delete(swap.id);
      }
    })();
  }

  private async follow(
    swap: ReverseSwap,
    outpoint: { txid: string; vout: number },
    stream: EventStream<OutputSpend>,
  ): Promise<void> {
    try {
      for await (const spend of stream) {
        let preimage: Uint8Array | undefined;
        try {
          preimage = preimageFromWitness(
            { rawTx: spend.rawTx, inputIndex: spend.inputIndex },
            outpoint,
            hex.decode(swap.paymentHash),
          );
        } catch (err) {
          this.log.error(
            { swapId: swap.id, err, spendingTxid: spend.spendingTxid },
            "unreadable onchain spend",
          );
        }
        const seen = {
          spendingTxid: spend.spendingTxid,
          height: spend.height,
          preimage: preimage === undefined ? undefined : hex.encode(preimage),
        };
        this.found.set(swap.id, seen);
        this.log.info(
          {
            swapId: swap.id,
            spendingTxid: seen.spendingTxid,
            height: seen.height,
            revealed: preimage !== undefined,
          },
          "VHTLC spent onchain",
        );
        if (!this.stopped) this.onHint(swap.id);
      }
    } catch (err) {
      this.log.warn(
        { swapId: swap.id, err },
        "chain spend stream dropped; the next reconciliation resubscribes",
      );
    } finally {
      if (this.streams.get(swap.id) === stream) this.streams.delete(swap.id);
    }
  }
}
