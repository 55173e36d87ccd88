/**
 * What the gateway's onchain VHTLC spends share (the reverse refund, src/swaps/reverse/onchain-steps.ts;
 * the submarine claim, src/swaps/submarine/onchain-claim-steps.ts): when a block-typed CSV lets
 * the spend in, and signing it to the LND wallet at LND's fee estimate.
 */
import type { OnchainVhtlcSpend, SignedOnchainSpend } from "./ports/ark.js";
import type { ChainSpendPort } from "./ports/chain-spends.js";

/** BIP-68: the spend is valid in the block at `confirmedAt + csvBlocks`, i.e. once the tip is one below it. */
export function csvMaturesInNextBlock(tipHeight: bigint, confirmedAt: number, csvBlocks: bigint): boolean {
  return tipHeight + 1n >= BigInt(confirmedAt) + csvBlocks;
}

export interface SignedAtLndRate {
  readonly signed: SignedOnchainSpend;
  readonly feeSats: bigint;
  readonly feeRate: bigint;
  readonly destinationScript: string;
}

/**
 * Signs the spend to a fresh address of LND's wallet with fee = LND's estimate × its vsize:
 * once without a fee to learn the vsize, then with it (zero auxiliary randomness: one request,
 * one tx).
 */
export async function signAtLndFeeRate(
  chain: ChainSpendPort,
  sign: (req: OnchainVhtlcSpend) => Promise<SignedOnchainSpend>,
  request: Omit<OnchainVhtlcSpend, "destinationScript" | "feeSats">,
): Promise<SignedAtLndRate> {
  const destinationScript = await chain.newWalletScript();
  const feeRate = await chain.feeRateSatPerVbyte();
  const probe = await sign({ ...request, destinationScript, feeSats: 0n });
  const feeSats = feeRate * BigInt(probe.vsize);
  const signed = await sign({ ...request, destinationScript, feeSats });
  return { signed, feeSats, feeRate, destinationScript };
}
