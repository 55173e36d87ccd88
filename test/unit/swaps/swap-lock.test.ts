import { describe, expect, it } from "vitest";
import { SwapLocks } from "../../../src/swaps/swap-lock.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("SwapLocks (invariant 5: work on one swap is serialized)", () => {
  it("runs work on one id strictly one after the other, in arrival order", async () => {
    const locks = new SwapLocks();
    const log: string[] = [];
    const job = (name: string, ms: number) =>
      locks.run("a", async () => {
        log.push(`start ${name}`);
        await sleep(ms);
        log.push(`end ${name}`);
        return name;
      });
    const results = await Promise.all([job("1", 15), job("2", 1), job("3", 5)]);
    expect(results).toEqual(["1", "2", "3"]);
    expect(log).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
    expect(locks.isBusy("a")).toBe(false);
  });

  it("lets different ids run concurrently", async () => {
    const locks = new SwapLocks();
    const log: string[] = [];
    await Promise.all(
      ["a", "b"].map((id) =>
        locks.run(id, async () => {
          log.push(`start ${id}`);
          await sleep(5);
          log.push(`end ${id}`);
        }),
      ),
    );
    expect(log.slice(0, 2).sort()).toEqual(["start a", "start b"]);
  });

  it("releases the lock when work throws", async () => {
    const locks = new SwapLocks();
    await expect(locks.run("a", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await locks.run("a", () => Promise.resolve(1))).toBe(1);
    expect(locks.busyCount).toBe(0);
  });
});
