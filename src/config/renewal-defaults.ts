/**
 * Default renewal margins per network (docs/renewal.md says why):
 *
 * - regtest: arkd's expires_at is the batch's end + 144 *seconds* on our block-typed regtest
 *   arkd, so a VTXO is renewed 60 s before it (84 s after its batch), which leaves the 10-second
 *   batch sessions several tries; the block-typed sweep deadline (144 blocks) gets 10 blocks.
 *   The scheduler looks every 10 s.
 * - bitcoin: a day before either deadline. arkd's default VTXO tree expiry is about 7 days, so a
 *   VTXO lives ~6 days between renewals (one intent fee a week per VTXO), and a day covers an
 *   outage of the gateway or of arkd, or many failed batches, before anything is at risk. Block
 *   deadlines (only if an operator runs a block-typed arkd) get 144 blocks.
 * - testnet, signet, mutinynet: 6 h, as test servers often run much shorter expiries (a margin
 *   at or above the expiry would renew every VTXO at every tick).
 */
import type { Network, RenewalConfig } from "./schema.js";

const DAY = 86_400n;

const REGTEST: RenewalConfig = {
  enabled: true,
  offchainMarginSeconds: 60n,
  sweepMarginBlocks: 10n,
  sweepMarginSeconds: 3_600n,
  intervalSeconds: 10n,
};

const MAINNET: RenewalConfig = {
  enabled: true,
  offchainMarginSeconds: DAY,
  sweepMarginBlocks: 144n,
  sweepMarginSeconds: DAY,
  intervalSeconds: 60n,
};

const TEST_NETWORKS: RenewalConfig = {
  enabled: true,
  offchainMarginSeconds: DAY / 4n,
  sweepMarginBlocks: 36n,
  sweepMarginSeconds: DAY / 4n,
  intervalSeconds: 60n,
};

export function renewalDefaults(network: Network): RenewalConfig {
  if (network === "regtest") return REGTEST;
  if (network === "bitcoin") return MAINNET;
  return TEST_NETWORKS;
}
