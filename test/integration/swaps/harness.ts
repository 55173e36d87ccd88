/**
 * One gateway (engine + service) on a real Postgres schema, against the in-memory LND and Ark
 * fakes. `crash()` drops the running engine as a kill -9 would (no stop, its streams and
 * listeners severed) and starts a new one on the same database and fakes.
 */
import pino from "pino";
import { DEFAULT_ENGINE_KNOBS, type SwapSettings } from "../../../src/swaps/settings.js";
import { SwapEngine } from "../../../src/swaps/engine.js";
import { GatewaySwapService } from "../../../src/swaps/gateway-swap-service.js";
import { createSwapStore } from "../../../src/db/swap-store.js";
import type { SwapStore } from "../../../src/swaps/ports/swap-store.js";
import { TIMEOUT_DEFAULTS } from "../../../src/config/schema.js";
import { DEFAULT_FUNDING_POLICY } from "../../../src/domain/limits.js";
import { DEFAULT_ROUTING_FEE_BUDGET } from "../../../src/domain/fees.js";
import type { Swap } from "../../../src/domain/swap-records.js";
import { FakeChain } from "../../fakes/fake-chain.js";
import { FakeArk } from "../../fakes/fake-ark.js";
import { FakeLightning } from "../../fakes/fake-lightning.js";
import { createTestDatabase, type TestDatabase } from "../db/test-database.js";

export const TEST_SETTINGS: SwapSettings = {
  network: "regtest",
  fees: { submarine: { ratePpm: 1_000n, baseFeeSats: 0n }, reverse: { ratePpm: 2_500n, baseFeeSats: 0n } },
  limits: {
    submarine: { minSats: 1_000n, maxSats: 10_000_000n },
    reverse: { minSats: 1_000n, maxSats: 10_000_000n },
  },
  routingFeeBudget: DEFAULT_ROUTING_FEE_BUDGET,
  funding: DEFAULT_FUNDING_POLICY,
  timeouts: { mode: "blocks", ...TIMEOUT_DEFAULTS.blocks },
  reverseInvoiceExpirySeconds: 3_600n,
  engine: { ...DEFAULT_ENGINE_KNOBS, reconcileIntervalMs: 0 },
};

export interface Harness {
  readonly db: TestDatabase;
  readonly chain: FakeChain;
  readonly ln: FakeLightning;
  readonly ark: FakeArk;
  readonly store: SwapStore;
  engine: SwapEngine;
  service: GatewaySwapService;
  /** Waits until hints, fakes and the engine are quiet. */
  settle(): Promise<void>;
  /** One reconciliation pass (the timer's work), then settle. */
  tick(): Promise<void>;
  /** kill -9 and restart on the same database and fakes. */
  crash(): Promise<void>;
  swap(id: string): Promise<Swap>;
  events(id: string): Promise<string[]>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function createHarness(label: string, settings: SwapSettings = TEST_SETTINGS): Promise<Harness> {
  const db = await createTestDatabase(label);
  const chain = new FakeChain();
  const ln = new FakeLightning(chain);
  const ark = new FakeArk(chain);
  const store = createSwapStore(db.db);
  const logger = pino({ level: process.env.SWAP_TEST_LOG ?? "silent" });
  const build = () => {
    const engine = new SwapEngine({ ln, ark, store, settings, logger, clock: chain });
    const service = new GatewaySwapService({ engine, store, ln, ark, settings, clock: chain });
    return { engine, service };
  };
  const h: Harness = {
    db,
    chain,
    ln,
    ark,
    store,
    ...build(),
    async settle() {
      for (let quiet = 0; quiet < 3;) {
        await sleep(2);
        const busy = await Promise.race([h.engine.idle().then(() => false), sleep(5_000).then(() => true)]);
        if (busy) throw new Error("engine did not become idle");
        await sleep(2);
        quiet += 1;
      }
    },
    async tick() {
      await h.engine.reconcileNow();
      await h.settle();
    },
    async crash() {
      ln.sever();
      ark.sever();
      Object.assign(h, build());
      await h.engine.start();
      await h.settle();
    },
    async swap(id) {
      const swap = await store.find(id);
      if (swap === undefined) throw new Error(`no swap ${id}`);
      return swap;
    },
    async events(id) {
      return (await store.events(id)).map((e) => e.event);
    },
  };
  await h.engine.start();
  return h;
}
