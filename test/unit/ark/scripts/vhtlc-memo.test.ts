import { describe, expect, it, vi } from "vitest";
import type { StoredVhtlc, Vhtlc } from "../../../../src/ark/scripts/index.js";
import { rememberedVhtlc } from "../../../../src/ark/scripts/index.js";

const stored = (over: Partial<StoredVhtlc> = {}): StoredVhtlc => ({
  senderPubkey: `02${"11".repeat(32)}`,
  receiverPubkey: `03${"22".repeat(32)}`,
  serverPubkey: `02${"33".repeat(32)}`,
  preimageHash160: "44".repeat(20),
  refundLocktime: 900n,
  unilateralClaimDelay: 20n,
  unilateralRefundDelay: 21n,
  unilateralRefundWithoutReceiverDelay: 22n,
  ...over,
});
const fakeBuild = (tag: string) => ({ tag }) as unknown as Vhtlc;

describe("rememberedVhtlc", () => {
  it("builds a stored VHTLC once per GetInfo object; a new GetInfo answer builds it again", () => {
    const info = {};
    const build = vi.fn(() => fakeBuild("a"));
    const first = rememberedVhtlc(stored(), info, build);
    expect(rememberedVhtlc(stored(), info, build)).toBe(first);
    expect(build).toHaveBeenCalledTimes(1);
    const fresh = vi.fn(() => fakeBuild("b"));
    expect(rememberedVhtlc(stored(), {}, fresh)).toEqual({ tag: "b" });
    expect(fresh).toHaveBeenCalledTimes(1);
  });

  it("tells apart every stored parameter", () => {
    const info = {};
    const changes: Partial<StoredVhtlc>[] = [
      { senderPubkey: `02${"55".repeat(32)}` },
      { receiverPubkey: `02${"55".repeat(32)}` },
      { serverPubkey: `02${"55".repeat(32)}` },
      { preimageHash160: "55".repeat(20) },
      { refundLocktime: 901n },
      { unilateralClaimDelay: 30n },
      { unilateralRefundDelay: 31n },
      { unilateralRefundWithoutReceiverDelay: 32n },
    ];
    rememberedVhtlc(stored(), info, () => fakeBuild("base"));
    for (const [i, change] of changes.entries())
      expect(rememberedVhtlc(stored(change), info, () => fakeBuild(`v${i}`))).toEqual({ tag: `v${i}` });
  });

  it("remembers no failed build", () => {
    const info = {};
    expect(() =>
      rememberedVhtlc(stored(), info, () => {
        throw new Error("refused by the server's rules");
      }),
    ).toThrow("refused");
    expect(rememberedVhtlc(stored(), info, () => fakeBuild("ok"))).toEqual({ tag: "ok" });
  });
});
