/**
 * `POST /v2/swap/restore` items. `@arkade-os/boltz-swap` 0.2.20 (`dist/index.js`,
 * `isRestoredSubmarineSwap` / `isRestoredReverseSwap` / `isDetails`, and `restoreSwaps` in
 * ArkadeLightning) expects per swap `{id, type, from, to, createdAt (unix s), preimageHash,
 * status}` plus `refundDetails` (submarine) or `claimDetails` (reverse) with the six VHTLC leaf
 * scripts, a numeric `keyIndex` and `timeoutBlockHeight`, and `serverPublicKey` = the gateway's
 * key in the VHTLC (Boltz's role), which it stores as `claimPublicKey` / `refundPublicKey`.
 * 0.3.x rebuilds the VHTLC from `details.timeoutBlockHeights` when present, else reads the
 * timelocks back from the leaves (`extractTimeLockFromLeafOutput`, which cannot read a delay
 * pushed as OP_1..OP_16 and then skips the swap), so the timeouts are always sent; it keeps the
 * item's `invoice` as the swap's invoice (submarine: the one to pay, reverse: the hold invoice).
 */
import { hex } from "@scure/base";
import {
  TAP_LEAF_VERSION,
  buildVhtlc,
  preimageHash160,
  vhtlcParamsFromStored,
} from "../../ark/scripts/index.js";
import type { Swap } from "../../domain/swap-records.js";
import { publicStatus } from "../../domain/public-status.js";
import { toWireNumber, wireTimeouts } from "./wire.js";
import { tryParseOutpoint } from "../../domain/outpoint.js";

interface WireLeaf {
  version: number;
  output: string;
}

/** Boltz's leaf names, in the VHTLC's fixed leaf order. */
const LEAF_KEYS = [
  ["claimLeaf", "claim"],
  ["refundLeaf", "refund"],
  ["refundWithoutBoltzLeaf", "refundWithoutReceiver"],
  ["unilateralClaimLeaf", "unilateralClaim"],
  ["unilateralRefundLeaf", "unilateralRefund"],
  ["unilateralRefundWithoutBoltzLeaf", "unilateralRefundWithoutReceiver"],
] as const;

/**
 * One restore item for a stored swap.
 * @throws Error when the stored VHTLC parameters cannot be rebuilt (a corrupt record → 500)
 */
export function wireRestoredSwap(swap: Swap): unknown {
  const base = {
    id: swap.id,
    type: swap.type,
    createdAt: Math.floor(swap.createdAt.getTime() / 1000),
    preimageHash: swap.paymentHash,
    status: publicStatus(swap),
    invoice: swap.invoice,
  };
  const details = {
    tree: vhtlcTree(swap),
    keyIndex: 0,
    lockupAddress: swap.lockupAddress,
    timeoutBlockHeight: toWireNumber(swap.refundLocktime, "timeoutBlockHeight"),
    timeoutBlockHeights: wireTimeouts({
      refund: swap.refundLocktime,
      unilateralClaim: swap.unilateralClaimDelay,
      unilateralRefund: swap.unilateralRefundDelay,
      unilateralRefundWithoutReceiver: swap.unilateralRefundWithoutReceiverDelay,
    }),
  };
  if (swap.type === "submarine") {
    const funding = fundingTransaction(swap.fundingOutpoints[0] ?? null);
    return {
      ...base,
      from: "ARK",
      to: "BTC",
      refundDetails: {
        ...details,
        amount: toWireNumber(swap.expectedAmountSats, "amount"),
        serverPublicKey: swap.receiverPubkey,
        ...(funding === undefined ? {} : { transaction: funding }),
      },
    };
  }
  const funding = fundingTransaction(swap.fundingOutpoint);
  return {
    ...base,
    from: "BTC",
    to: "ARK",
    claimDetails: {
      ...details,
      amount: toWireNumber(swap.onchainAmountSats, "amount"),
      serverPublicKey: swap.senderPubkey,
      preimageHash: swap.paymentHash,
      ...(funding === undefined ? {} : { transaction: funding }),
    },
  };
}

function vhtlcTree(swap: Swap): Record<string, WireLeaf> {
  let vhtlc;
  try {
    vhtlc = buildVhtlc(
      vhtlcParamsFromStored({
        ...swap,
        preimageHash160: preimageHash160(swap.paymentHash),
      }),
    );
  } catch (cause) {
    // A stored swap whose VHTLC cannot be rebuilt is our bug, not the caller's: never a 4xx.
    throw new Error(`swap ${swap.id}: stored VHTLC parameters are invalid`, { cause });
  }
  const tree: Record<string, WireLeaf> = {};
  for (const [wireName, leafName] of LEAF_KEYS) {
    tree[wireName] = { version: TAP_LEAF_VERSION, output: hex.encode(vhtlc[leafName]) };
  }
  return tree;
}

function fundingTransaction(outpoint: string | null): { id: string; vout: number } | undefined {
  const parsed = outpoint === null ? undefined : tryParseOutpoint(outpoint);
  return parsed === undefined ? undefined : { id: parsed.txid, vout: parsed.vout };
}
