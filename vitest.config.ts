import { defineConfig } from "vitest/config";

/** Shared by both e2e projects: one network, one test file at a time. */
const E2E = {
  globalSetup: ["test/e2e/global-setup.ts"],
  setupFiles: ["test/e2e/setup/event-source.ts"],
  testTimeout: 300_000,
  hookTimeout: 1_800_000,
  pool: "forks" as const,
  poolOptions: { forks: { singleFork: true } },
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The real regtest network: btcd, three LND nodes, Postgres (+ arkd when built).
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          exclude: ["test/e2e/ark/**", "test/e2e/swaps/**"],
          ...E2E,
        },
      },
      {
        // Tests that need the real arkd: `npm test` runs them only where arkd could be built
        // (see test/run-all.sh and the README's limitation note).
        test: {
          name: "e2e-ark",
          include: ["test/e2e/ark/**/*.test.ts", "test/e2e/swaps/**/*.test.ts"],
          ...E2E,
        },
      },
    ],
  },
});
