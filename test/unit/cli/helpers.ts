/** In-memory CLI io and swap fixtures for the CLI unit tests. */
import type { CliIo } from "../../../src/cli/io.js";
import type { SwapEvent } from "../../../src/db/swap-repository.js";
import type { ReverseSwap, SubmarineSwap } from "../../../src/domain/swap-records.js";

export interface MemoryIo extends CliIo {
  readonly stdout: string[];
  readonly stderr: string[];
}

export function memoryIo(env: Record<string, string> = {}, files: Record<string, string> = {}): MemoryIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    env,
    readFile: (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return text;
    },
  };
}

const key = (n: number) => `02${n.toString(16).padStart(2, "0").repeat(32)}`;
const base = {
  version: 3,
  createdAt: new Date("2025-11-20T21:53:21.123Z"),
  updatedAt: new Date("2025-11-20T21:55:00.000Z"),
  senderPubkey: key(1),
  receiverPubkey: key(2),
  serverPubkey: key(3),
  refundLocktime: 250n,
  unilateralClaimDelay: 20n,
  unilateralRefundDelay: 30n,
  unilateralRefundWithoutReceiverDelay: 40n,
  expiresAt: null,
  failureReason: null,
};

export const SUBMARINE: SubmarineSwap = {
  ...base,
  id: "sub_1",
  type: "submarine",
  status: "paying",
  paymentHash: "aa".repeat(32),
  invoiceAmountSats: 1_234_567n,
  feeSats: 1_235n,
  lockupAddress: "tark1qsubmarine",
  lockupScript: `5120${"bb".repeat(32)}`,
  invoice: "lnbcrt12345670n1pexample",
  invoiceAmountMsat: 1_234_567_000n,
  expectedAmountSats: 1_235_802n,
  receivedAmountSats: 1_235_802n,
  fundingOutpoints: [`${"cc".repeat(32)}:0`],
  routingFeeBudgetSats: 4_321n,
  maxTimeoutHeight: 230n,
  paymentFeeMsat: null,
  claimTxid: null,
  refundTxid: null,
  refundSignedAt: null,
};

export const REVERSE: ReverseSwap = {
  ...base,
  id: "rev_1",
  type: "reverse",
  status: "settled",
  paymentHash: "dd".repeat(32),
  invoiceAmountSats: 50_000n,
  feeSats: 125n,
  lockupAddress: "tark1qreverse",
  lockupScript: `5120${"ee".repeat(32)}`,
  invoice: "lnbcrt500u1pexample",
  onchainAmountSats: 49_875n,
  holdInvoiceCltvDelta: 60n,
  invoiceExpiresAt: new Date("2025-11-20T22:53:21.000Z"),
  description: "coffee",
  htlcExpiryHeight: 400n,
  fundingTxid: "ff".repeat(32),
  fundingOutpoint: `${"ff".repeat(32)}:0`,
  claimTxid: "11".repeat(32),
  refundTxid: null,
};

export const EVENTS: SwapEvent[] = [
  {
    id: 1n,
    swapId: "sub_1",
    fromStatus: null,
    toStatus: "awaiting_funding",
    event: "created",
    data: { source: "api" },
    createdAt: new Date("2025-11-20T21:53:21Z"),
  },
  {
    id: 2n,
    swapId: "sub_1",
    fromStatus: "awaiting_funding",
    toStatus: "funding_detected",
    event: "vtxo_seen",
    data: {},
    createdAt: new Date("2025-11-20T21:53:30Z"),
  },
];
