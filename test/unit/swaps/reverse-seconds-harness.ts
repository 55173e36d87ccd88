/**
 * A seconds-mode reverse swap whose hold invoice is held, on the engine's realistic fakes: the
 * starting point of the reverse step tests that exercise seconds ↔ blocks decisions.
 */
import pino from "pino";
import { TIMEOUT_DEFAULTS } from "../../../src/config/schema.js";
import { DEFAULT_ROUTING_FEE_BUDGET } from "../../../src/domain/fees.js";
import { DEFAULT_FUNDING_POLICY } from "../../../src/domain/limits.js";
import type { ReverseSwap } from "../../../src/domain/swap-records.js";
import type { StepContext } from "../../../src/swaps/context.js";
import { DEFAULT_ENGINE_KNOBS, type SwapSettings } from "../../../src/swaps/settings.js";
import { preimageHash160 } from "../../../src/ark/scripts/index.js";
import { buildCheckedVhtlc } from "../../../src/swaps/vhtlc.js";
import { FakeChain } from "../../fakes/fake-chain.js";
import { FakeArk } from "../../fakes/fake-ark.js";
import { FakeLightning } from "../../fakes/fake-lightning.js";
import { preimagePair, pubkeyFor } from "../../fakes/keys.js";

export const SECONDS_SETTINGS: SwapSettings = {
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

/**
 * A 10,000-sat reverse swap in `invoice_held` whose refundLocktime is `secondsLeft` from now and
 * whose hold invoice has final CLTV delta `cltvDelta` blocks (the HTLC expires that far out when
 * `payAtDelta` is set, else at the fake's default).
 */
export async function heldSecondsSwap(opts: {
  readonly id: string;
  readonly secondsLeft: bigint;
  readonly cltvDelta: number;
  readonly payAtDelta: boolean;
}) {
  const chain = new FakeChain();
  const ln = new FakeLightning(chain);
  const ark = new FakeArk(chain);
  Object.assign(ark.info, { unilateralExitDelay: 512n });
  const { preimage, paymentHash } = preimagePair();
  const vhtlc = {
    senderPubkey: pubkeyFor("gateway-swap-0"),
    receiverPubkey: pubkeyFor("wallet"),
    serverPubkey: ark.info.signerPubkey,
    preimageHash160: preimageHash160(paymentHash),
    refundLocktime: BigInt(Math.floor(chain.now().getTime() / 1000)) + opts.secondsLeft,
    unilateralClaimDelay: 1_024n,
    unilateralRefundDelay: 1_536n,
    unilateralRefundWithoutReceiverDelay: 2_048n,
  };
  const built = buildCheckedVhtlc(vhtlc, ark.info);
  await ln.createHoldInvoice({
    paymentHash,
    amountSats: 10_000n,
    cltvDelta: opts.cltvDelta,
    expiresAt: new Date(chain.now().getTime() + 3_600_000),
    description: "t",
  });
  if (opts.payAtDelta) ln.payHoldInvoice(paymentHash, { cltvExpiry: chain.height + opts.cltvDelta });
  else ln.payHoldInvoice(paymentHash);
  const swap = {
    ...vhtlc,
    id: opts.id,
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
    settings: SECONDS_SETTINGS,
    log: pino({ level: "silent" }),
  } as unknown as StepContext;
  return { ctx, swap, chain, ln, ark, built, paymentHash, preimage };
}
