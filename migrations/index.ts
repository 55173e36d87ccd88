/**
 * Every migration, registered statically (no directory scanning: works the same from `src`
 * under tsx/vitest and from `dist`). Names sort chronologically; never rename or edit a
 * migration that has shipped, add a new one.
 */
import type { Migration, MigrationProvider } from "kysely";
import * as m20251120000100 from "./20251120000100_swaps.js";
import * as m20251120000200 from "./20251120000200_wallet.js";
import * as m20251120000300 from "./20251120000300_preimages.js";
import * as m20251201000100 from "./20251201000100_submarine_refund_signed.js";
import * as m20251202000100 from "./20251202000100_wallet_spends.js";
import * as m20251203000200 from "./20251203000200_wallet_vtxo_offchain_until.js";
import * as m20251203000300 from "./20251203000300_submarine_refunded_from.js";
import * as m20251203001000 from "./20251203001000_liquidity_boardings.js";

export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  "20251120000100_swaps": m20251120000100,
  "20251120000200_wallet": m20251120000200,
  "20251120000300_preimages": m20251120000300,
  "20251201000100_submarine_refund_signed": m20251201000100,
  "20251202000100_wallet_spends": m20251202000100,
  "20251203000200_wallet_vtxo_offchain_until": m20251203000200,
  "20251203000300_submarine_refunded_from": m20251203000300,
  "20251203001000_liquidity_boardings": m20251203001000,
});

/** The kysely MigrationProvider over MIGRATIONS. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
