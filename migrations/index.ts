/**
 * Every migration, registered statically (no directory scanning: works the same from `src`
 * under tsx/vitest and from `dist`). Names sort chronologically; never rename or edit a
 * migration that has shipped, add a new one.
 */
import type { Migration, MigrationProvider } from "kysely";
import * as m20251120000100 from "./20251120000100_swaps.js";
import * as m20251120000200 from "./20251120000200_wallet.js";
import * as m20251120000300 from "./20251120000300_preimages.js";

export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  "20251120000100_swaps": m20251120000100,
  "20251120000200_wallet": m20251120000200,
  "20251120000300_preimages": m20251120000300,
});

/** The kysely MigrationProvider over MIGRATIONS. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
