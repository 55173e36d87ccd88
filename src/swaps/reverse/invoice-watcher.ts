/**
 * Subscriptions to the hold invoices of open reverse swaps. Every event is only a hint to
 * re-run the swap's step (which asks LND again); a dropped stream is forgotten and re-created by
 * the next reconciliation.
 */
import type { Logger } from "../../lib/logger.js";
import type { EventStream, InvoiceEvent, LightningPort } from "../ports/lightning.js";

export class InvoiceWatcher {
  private readonly streams = new Map<string, EventStream<InvoiceEvent>>();
  private stopped = false;

  /** @param onHint called with the swap id on every invoice event */
  constructor(
    private readonly ln: LightningPort,
    private readonly log: Logger,
    private readonly onHint: (swapId: string) => void,
  ) {}

  /**
   * Subscribes to the invoice of `swapId` unless already subscribed.
   * @returns whether the invoice is followed (false once stopped or when subscribing failed)
   */
  ensure(swapId: string, paymentHash: string): boolean {
    if (this.stopped) return false;
    if (this.streams.has(swapId)) return true;
    let stream: EventStream<InvoiceEvent>;
    try {
      stream = this.ln.subscribeToInvoice(paymentHash);
    } catch (err) {
      this.log.warn({ swapId, err }, "invoice subscription failed; reconciliation covers it");
      return false;
    }
    this.streams.set(swapId, stream);
    void this.follow(swapId, stream);
    return true;
  }

  /** Stops following the invoice of `swapId`. */
  drop(swapId: string): void {
    this.streams.get(swapId)?.close();
    this.streams.delete(swapId);
  }

  stop(): void {
    this.stopped = true;
    for (const stream of this.streams.values()) stream.close();
    this.streams.clear();
  }

  private async follow(swapId: string, stream: EventStream<InvoiceEvent>): Promise<void> {
    try {
      for await (const event of stream) {
        this.log.debug({ swapId, event: event.type }, "invoice event");
        if (!this.stopped) this.onHint(swapId);
      }
    } catch (err) {
      this.log.warn({ swapId, err }, "invoice stream dropped; reconciliation covers it");
    } finally {
      if (this.streams.get(swapId) === stream) this.streams.delete(swapId);
    }
  }
}
