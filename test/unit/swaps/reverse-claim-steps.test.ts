import pino from "pino";
import { describe, expect, it } from "vitest";
import { TIMEOUT_DEFAULTS } from "../../../src/config/schema.js";
import { DEFAULT_FUNDING_POLICY } from "../../../src/domain/limits.js";
import { DEFAULT_ROUTING_FEE_BUDGET } from "../../../src/domain/fees.js";
import type { ReverseSwap } from "../../../src/domain/swap-records.js";
import type { EffectContext } from "../../../src/swaps/context.js";
import { awaitClaim } from "../../../src/swaps/reverse/claim-steps.js";
import { heldHtlcExpiry } from "../../../src/swaps/reverse/invoice-steps.js";
import { DEFAULT_ENGINE_KNOBS, type SwapSettings } from "../../../src/swaps/settings.js";
import { buildCheckedVhtlc, preimageHash160 } from "../../../src/swaps/vhtlc.js";
import { FakeChain } from "./fakes/chain.js";
import { FakeArk } from "./fakes/fake-ark.js";
import { FakeLightning } from "./fakes/fake-lightning.js";
import { preimagePair, pubkeyFor } from "./fakes/keys.js";

const SECONDS: SwapSettings = {
  network: "regtest",
  fees: { submarine: { ratePpm: 0n, baseFeeSats: 0n }, reverse: { ratePpm: 0n, baseFeeSats: 0n } },
  limits: {
    submarine: { minSats: 1_000n, maxSats: 10_000_000n },
    reverse: { minSats: 1_000n, maxSats: 10_000_000n },
  },
  routingFeeBudget: DEFAULT_ROUTING_FEE_BUDGET,
  funding: DEFAULT_FUNDING_POLICY,
  timeouts: { mode: "seconds", ...TIMEOUT_DEFAULTS.seconds },
  reverseInvoiceExpirySeconds: 3_600n,
  engine: DEFAULT_ENGINE_KNOBS,
};

/** A funded seconds-mode reverse swap (refund in 12 h) whose held HTLC expires `cltvDelta` blocks out. */
async function fundedSwap(cltvDelta: number) {
  const chain = new FakeChain();
  const ln = new FakeLightning(chain);
  const ark = new FakeArk(chain);
  Object.assign(ark.info, { unilateralExitDelay: 512n });
  const { paymentHash } = preimagePair();
  const refundLocktime = BigInt(Math.floor(chain.now().getTime() / 1000)) + 43_200n;
  const vhtlc = {
    senderPubkey: pubkeyFor("gateway-swap-0"),
    receiverPubkey: pubkeyFor("wallet"),
    serverPubkey: ark.info.signerPubkey,
    preimageHash160: preimageHash160(paymentHash),
    refundLocktime,
    unilateralClaimDelay: 1_024n,
    unilateralRefundDelay: 1_536n,
    unilateralRefundWithoutReceiverDelay: 2_048n,
  };
  const built = buildCheckedVhtlc(vhtlc, ark.info);
  await ln.createHoldInvoice({
    paymentHash,
    amountSats: 10_000n,
    cltvDelta,
    expiresAt: new Date(chain.now().getTime() + 3_600_000),
    description: "t",
  });
  ln.payHoldInvoice(paymentHash, { cltvExpiry: chain.height + cltvDelta });
  const htlcExpiryHeight = heldHtlcExpiry(await ln.getInvoice(paymentHash));
  const funding = await ark.fund({ script: built.script, amountSats: 10_000n, idempotencyKey: "rev-claim" });
  const swap = {
    ...vhtlc,
    id: "rev-claim",
    type: "reverse",
    status: "funded",
    paymentHash,
    lockupScript: built.script,
    lockupAddress: built.address,
    onchainAmountSats: 10_000n,
    htlcExpiryHeight,
    fundingOutpoint: funding.outpoint,
    fundingTxid: funding.arkTxid,
  } as unknown as ReverseSwap;
  const ctx = {
    ln,
    ark,
    clock: chain,
    settings: SECONDS,
    log: pino({ level: "silent" }),
  } as unknown as EffectContext;
  return { ctx, swap, chain, ln, paymentHash };
}

describe("reverse awaitClaim at the HTLC deadline (seconds mode)", () => {
  it("unspent VHTLC, refundLocktime not reached, tip at htlcExpiry − cancel margin → cancels the hold invoice", async () => {
    // an HTLC planned with the old 600 s conversion: 72 + 10 + 1 blocks
    const { ctx, swap, chain, ln, paymentHash } = await fundedSwap(83);
    chain.height += 76; // fast blocks: the clock has not moved
    expect(await awaitClaim(ctx, swap)).toBeUndefined();
    chain.height += 1; // htlcExpiry − 6
    const outcome = await awaitClaim(ctx, swap);
    expect(outcome).toMatchObject({ event: "refund_due", data: { htlcDeadline: true } });
    expect(ln.holdState(paymentHash)).toBe("canceled");
    expect(ln.cancelCalls).toEqual([{ paymentHash, height: chain.height }]);
  });

  it("with the planned (fast-block) delta, 2× the normal block rate never reaches the deadline before the refund time", async () => {
    // planReverseTimeouts with the seconds defaults: ceil(43200 / 300) + 10 + 1 = 155
    const { ctx, swap, chain, ln } = await fundedSwap(155);
    for (let i = 0; i < 144; i += 1) {
      chain.height += 1;
      chain.advance(300_000); // a block every 5 minutes for 12 h
      const outcome = await awaitClaim(ctx, swap);
      if (i < 143) expect(outcome).toBeUndefined();
      else expect(outcome).toEqual({ event: "refund_due", data: { height: BigInt(chain.height) } });
    }
    expect(ln.cancelCalls).toEqual([]);
  });
});
