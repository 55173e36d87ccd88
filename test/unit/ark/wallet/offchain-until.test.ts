import { describe, expect, it } from "vitest";
import {
  coinsOutliving,
  OFFCHAIN_MARGIN_SECONDS,
  usableOffchain,
} from "../../../../src/ark/wallet/spend-service.js";

const NOW_MS = 1_764_000_000_000;
const NOW = BigInt(NOW_MS / 1000);

describe("coins arkd still lets us spend offchain (its expires_at, VTXO_RECOVERABLE after it)", () => {
  it("keeps a coin until expires_at − margin, and coins whose expires_at is unknown", () => {
    expect(
      usableOffchain(
        { outpoint: "a:0", amountSats: 1n, offchainUntil: NOW + OFFCHAIN_MARGIN_SECONDS + 1n },
        NOW_MS,
      ),
    ).toBe(true);
    expect(
      usableOffchain(
        { outpoint: "a:0", amountSats: 1n, offchainUntil: NOW + OFFCHAIN_MARGIN_SECONDS },
        NOW_MS,
      ),
    ).toBe(false);
    expect(usableOffchain({ outpoint: "a:0", amountSats: 1n, offchainUntil: NOW - 1n }, NOW_MS)).toBe(false);
    expect(usableOffchain({ outpoint: "a:0", amountSats: 1n }, NOW_MS)).toBe(true);
  });

  it("coinsOutliving drops arkd-expired coins before applying the batch deadline", () => {
    const coins = [
      { outpoint: "old:0", amountSats: 50_000n, expiresAt: 900n, offchainUntil: NOW - 10n },
      { outpoint: "new:0", amountSats: 5_000n, expiresAt: 900n, offchainUntil: NOW + 600n },
      { outpoint: "soon:0", amountSats: 7_000n, expiresAt: 700n, offchainUntil: NOW + 600n },
    ];
    expect(coinsOutliving(coins, undefined, NOW_MS).map((c) => c.outpoint)).toEqual(["new:0", "soon:0"]);
    expect(coinsOutliving(coins, 800n, NOW_MS).map((c) => c.outpoint)).toEqual(["new:0"]);
  });
});
