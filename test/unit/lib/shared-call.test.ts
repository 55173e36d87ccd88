import { describe, expect, it } from "vitest";
import { sharedCall } from "../../../src/lib/shared-call.js";

describe("sharedCall", () => {
  it("callers during a call share it; a caller after it starts a new one", async () => {
    let calls = 0;
    let release: (v: number) => void = () => undefined;
    const get = sharedCall(() => {
      calls++;
      return new Promise<number>((r) => (release = r));
    });
    const a = get();
    const b = get();
    expect(calls).toBe(1);
    release(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    const c = get();
    expect(calls).toBe(2);
    release(8);
    expect(await c).toBe(8);
  });

  it("shares a failure with the callers of that call only", async () => {
    let n = 0;
    const get = sharedCall(async () => {
      n++;
      if (n === 1) throw new Error("down");
      return n;
    });
    const [a, b] = [get(), get()];
    await expect(a).rejects.toThrow("down");
    await expect(b).rejects.toThrow("down");
    expect(await get()).toBe(2);
  });
});
