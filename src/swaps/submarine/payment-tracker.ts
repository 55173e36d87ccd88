/**
 * Starts submarine payments and follows their streams outside the swap lock. A stream's end is
 * only a hint: the `paying` step asks LND (getPayment) what actually happened (invariant 5).
 */
import type { Logger } from "../../lib/logger.js";
import { isGatewayError } from "../../domain/errors.js";
import type { SubmarineSwap } from "../../domain/swap-records.js";
import type { EventStream, LightningPort, PaymentEvent } from "../ports/lightning.js";
import type { PaymentStarter } from "../context.js";
import type { EngineKnobs } from "../settings.js";

/** LND errors that mean the payment never started (port contract): nothing is in flight. */
const NEVER_STARTED = new Set([
  "ln.invoice_expired",
  "ln.cltv_limit_too_low",
  "ln.unsupported_feature",
  "ln.invalid_invoice",
]);

export class PaymentTracker implements PaymentStarter {
  private readonly streams = new Map<string, EventStream<PaymentEvent>>();
  private readonly refusals = new Map<string, string>();
  private stopped = false;

  /** @param onDone called with the swap id when a followed payment's stream ends (a hint) */
  constructor(
    private readonly ln: LightningPort,
    private readonly knobs: EngineKnobs,
    private readonly log: Logger,
    private readonly onDone: (swapId: string) => void,
  ) {}

  start(swap: SubmarineSwap): void {
    if (this.stopped || this.streams.has(swap.id)) return;
    this.refusals.delete(swap.id);
    const stream = this.ln.payInvoice({
      bolt11: swap.invoice,
      maxFeeSats: swap.routingFeeBudgetSats,
      maxTimeoutHeight: Number(swap.maxTimeoutHeight),
      timeoutSeconds: this.knobs.paymentTimeoutSeconds,
      maxPaths: this.knobs.maxPaymentPaths,
    });
    this.streams.set(swap.id, stream);
    void this.follow(swap.id, stream);
  }

  isFollowing(swapId: string): boolean {
    return this.streams.has(swapId);
  }

  neverStarted(swapId: string): string | undefined {
    return this.refusals.get(swapId);
  }

  /** Closes every followed stream (LND keeps paying; the next engine reconciles). */
  stop(): void {
    this.stopped = true;
    for (const stream of this.streams.values()) stream.close();
    this.streams.clear();
  }

  private async follow(swapId: string, stream: EventStream<PaymentEvent>): Promise<void> {
    const log = this.log.child({ swapId });
    try {
      for await (const event of stream) {
        if (event.type === "attempt_failed") log.debug({ reason: event.reason }, "payment attempt failed");
        if (event.type === "succeeded" || event.type === "failed") break;
      }
    } catch (err) {
      if (isGatewayError(err) && NEVER_STARTED.has(err.code)) this.refusals.set(swapId, err.code);
      log.warn({ code: isGatewayError(err) ? err.code : undefined }, "payment stream ended with an error");
    } finally {
      stream.close();
      if (this.streams.get(swapId) === stream) this.streams.delete(swapId);
      if (!this.stopped) this.onDone(swapId);
    }
  }
}
