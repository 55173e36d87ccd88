import { describe, expect, it } from "vitest";
import type { Swap } from "../../../src/domain/swap-records.js";
import { reconcileOpenSwaps, type ReconcileDeps } from "../../../src/swaps/reconciler.js";

function swap(id: string, expiresInMs: number): Swap {
  return {
    id,
    type: "submarine",
    status: "awaiting_funding",
    expiresAt: new Date(Date.UTC(2030, 0, 1) + expiresInMs),
  } as unknown as Swap;
}

function deps(open: Swap[], over: Partial<ReconcileDeps> = {}) {
  const started: string[] = [];
  let running = 0;
  let peak = 0;
  const d: ReconcileDeps = {
    store: { listOpen: async () => open } as unknown as ReconcileDeps["store"],
    ln: { getHeight: async () => 100 } as unknown as ReconcileDeps["ln"],
    clock: { now: () => new Date(Date.UTC(2030, 0, 1)) },
    mode: "blocks",
    cancelMarginBlocks: 6n,
    watch: async () => undefined,
    isBusy: () => false,
    advance: async (id) => {
      started.push(id);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
    },
    ...over,
  };
  return { d, started, peak: () => peak };
}

describe("reconcileOpenSwaps", () => {
  it("advances every open swap once, a few side by side, due ones first", async () => {
    const open = [swap("late-1", 3_600_000), swap("due", -1_000), swap("late-2", 3_600_000)];
    for (let i = 0; i < 20; i++) open.push(swap(`s${i}`, 3_600_000));
    const { d, started, peak } = deps(open, { concurrency: 4 });
    expect(await reconcileOpenSwaps(d)).toBe(open);
    expect(started[0]).toBe("due");
    expect([...started].sort()).toEqual(open.map((s) => s.id).sort());
    expect(peak()).toBe(4);
  });

  it("skips swaps being worked on", async () => {
    const open = [swap("a", 3_600_000), swap("busy", 3_600_000)];
    const { d, started } = deps(open, { isBusy: (id) => id === "busy" });
    await reconcileOpenSwaps(d);
    expect(started).toEqual(["a"]);
  });
});
