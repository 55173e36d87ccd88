import pino from "pino";
import { describe, expect, it } from "vitest";
import { TIMEOUT_DEFAULTS } from "../../../src/config/schema.js";
import { DEFAULT_FUNDING_POLICY } from "../../../src/domain/limits.js";
import { DEFAULT_ROUTING_FEE_BUDGET } from "../../../src/domain/fees.js";
import type { ReverseSwap } from "../../../src/domain/swap-records.js";
import type { EffectContext } from "../../../src/swaps/context.js";
import { decideFunding } from "../../../src/swaps/reverse/funding-steps.js";
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

/** A held seconds-mode reverse swap whose refundLocktime is `secondsLeft` from now. */
async function heldSwap(secondsLeft: bigint) {
  const chain = new FakeChain();
  const ln = new FakeLightning(chain);
  const ark = new FakeArk(chain);
  Object.assign(ark.info, { unilateralExitDelay: 512n });
  const { paymentHash } = preimagePair();
  const refundLocktime = BigInt(Math.floor(chain.now().getTime() / 1000)) + secondsLeft;
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
    cltvDelta: 200,
    expiresAt: new Date(chain.now().getTime() + 3_600_000),
    description: "t",
  });
  ln.payHoldInvoice(paymentHash);
  const swap = {
    ...vhtlc,
    id: "rev-seconds",
    type: "reverse",
    status: "invoice_held",
    paymentHash,
    lockupScript: built.script,
    lockupAddress: built.address,
    onchainAmountSats: 10_000n,
  } as unknown as ReverseSwap;
  const ctx = {
    ln,
    ark,
    clock: chain,
    settings: SECONDS,
    log: pino({ level: "silent" }),
  } as unknown as EffectContext;
  return { ctx, swap };
}

describe("reverse funding decision (seconds mode)", () => {
  it("funds while the wallet has a claim window before refundLocktime", async () => {
    const { ctx, swap } = await heldSwap(43_200n);
    expect(await decideFunding(ctx, swap)).toEqual({ event: "funding_started" });
  });

  it("refuses to fund when refundLocktime (a unix time) is less than the claim window away", async () => {
    const { ctx, swap } = await heldSwap(600n); // one block's worth of time left, window is 6 blocks
    expect(await decideFunding(ctx, swap)).toMatchObject({
      event: "funding_abandoned",
      data: { reason: "too close to the VHTLC refund" },
    });
  });
});
