/** A ChainSpendPort whose streams the test feeds, and which records what the engine publishes. */
import { PushStream } from "../../src/lib/event-stream.js";
import type { ChainSpendPort, OutputSpend, SpendWatchRequest } from "../../src/swaps/ports/chain-spends.js";

export class FakeChainSpends implements ChainSpendPort {
  readonly requests: SpendWatchRequest[] = [];
  readonly streams: PushStream<OutputSpend>[] = [];
  readonly confirmationRequests: { txid: string; pkScript: string; heightHint: number }[] = [];
  readonly confirmationStreams: PushStream<{ readonly height: number }>[] = [];
  readonly published: string[] = [];
  feeRate = 2n;
  walletScript = `5120${"77".repeat(32)}`;

  watchSpend(req: SpendWatchRequest): PushStream<OutputSpend> {
    this.requests.push(req);
    const s = new PushStream<OutputSpend>(() => undefined);
    this.streams.push(s);
    return s;
  }

  watchConfirmation(req: { txid: string; pkScript: string; heightHint: number }) {
    this.confirmationRequests.push(req);
    const s = new PushStream<{ readonly height: number }>(() => undefined);
    this.confirmationStreams.push(s);
    return s;
  }

  async publish(rawTx: string): Promise<void> {
    this.published.push(rawTx);
  }

  async newWalletScript(): Promise<string> {
    return this.walletScript;
  }

  async feeRateSatPerVbyte(): Promise<bigint> {
    return this.feeRate;
  }
}
