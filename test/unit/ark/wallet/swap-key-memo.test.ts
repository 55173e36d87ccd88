import { afterEach, describe, expect, it, vi } from "vitest";
import type { ArkWallet } from "../../../../src/ark/wallet/index.js";
import { createKeyRing } from "../../../../src/ark/wallet/index.js";
import { MemoryWalletStore } from "../../../fakes/memory-wallet-store.js";
import { SEED, startHarness, stopAll } from "./harness.js";

const started: ArkWallet[] = [];
afterEach(async () => stopAll(...started.splice(0)));

describe("swap keys in memory", () => {
  it("asks the store once per swap; later calls answer the same key from memory, a restart reads it again", async () => {
    const store = new MemoryWalletStore();
    const asked = vi.spyOn(store, "swapKey");
    const h = await startHarness({ store });
    started.push(h.wallet);
    const a = await h.wallet.swapKey("swap-a");
    const b = await h.wallet.swapKey("swap-b");
    expect(await h.wallet.swapKey("swap-a")).toEqual(a);
    expect(await h.wallet.swapKey("swap-b")).toEqual(b);
    expect(asked.mock.calls.map((c) => c[0])).toEqual(["swap-a", "swap-b"]);
    expect(b.index).not.toBe(a.index);
    expect(createKeyRing(SEED).swapKey(a.index).publicKeyHex).toBe(a.publicKey);
    const again = await h.restart();
    started.push(again);
    expect(await again.swapKey("swap-a")).toEqual(a);
    expect(asked.mock.calls.map((c) => c[0])).toEqual(["swap-a", "swap-b", "swap-a"]);
  });

  it("remembers nothing when the store fails", async () => {
    const store = new MemoryWalletStore();
    const h = await startHarness({ store });
    started.push(h.wallet);
    const real = store.swapKey.bind(store);
    const asked = vi.spyOn(store, "swapKey").mockRejectedValueOnce(new Error("db down"));
    await expect(h.wallet.swapKey("swap-c")).rejects.toThrow("db down");
    asked.mockImplementation(real);
    const c = await h.wallet.swapKey("swap-c");
    expect(createKeyRing(SEED).swapKey(c.index).publicKeyHex).toBe(c.publicKey);
    expect(asked).toHaveBeenCalledTimes(2);
  });
});
