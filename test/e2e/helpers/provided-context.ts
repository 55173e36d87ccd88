/**
 * What the e2e global setup provides to tests (`project.provide` → `inject`). Type-only: safe to
 * reference from the global setup, which must not import vitest's runtime.
 */
import type {} from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Absolute path of network.json, provided by test/e2e/global-setup.ts. */
    regtestNetworkFile: string;
    /** The network's data dir (the `--datadir` of the regtest CLI). */
    regtestDataDir: string;
  }
}
