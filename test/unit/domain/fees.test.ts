import { describe, expect, it } from "vitest";
import { isGatewayError } from "../../../src/domain/errors.js";
import {
  basisPointsToPpm,
  formatPpmAsPercent,
  parsePercentToPpm,
  quoteReverse,
  quoteSubmarine,
  routingFeeBudgetSats,
  serviceFeeSats,
} from "../../../src/domain/fees.js";

describe("fees", () => {
  it.each([
    { text: "0", ppm: 0n },
    { text: "0.35", ppm: 3_500n },
    { text: "0.1", ppm: 1_000n },
    { text: "0.0001", ppm: 1n },
    { text: "2", ppm: 20_000n },
    { text: "99.9999", ppm: 999_999n },
  ])("parsePercentToPpm($text) = $ppm and back", ({ text, ppm }) => {
    expect(parsePercentToPpm(text)).toBe(ppm);
    expect(formatPpmAsPercent(ppm)).toBe(text);
  });

  it.each(["100", "0.00001", "-1", "abc", "1e-2", ""])(
    "parsePercentToPpm(%s) throws fee.invalid_rate",
    (text) => {
      expect(() => parsePercentToPpm(text)).toThrow(expect.objectContaining({ code: "fee.invalid_rate" }));
    },
  );

  it("converts basis points", () => {
    expect(basisPointsToPpm(35n)).toBe(3_500n);
  });

  it.each([
    // proportional part rounds up: the gateway asks for fees
    { amount: 10_000n, ratePpm: 1_000n, base: 0n, fee: 10n },
    { amount: 10_001n, ratePpm: 1_000n, base: 0n, fee: 11n },
    { amount: 1n, ratePpm: 1n, base: 0n, fee: 1n },
    { amount: 0n, ratePpm: 5_000n, base: 0n, fee: 0n },
    { amount: 999_999n, ratePpm: 1n, base: 0n, fee: 1n },
    { amount: 1_000_000n, ratePpm: 1n, base: 0n, fee: 1n },
    { amount: 1_000_001n, ratePpm: 1n, base: 0n, fee: 2n },
    { amount: 50_000n, ratePpm: 2_500n, base: 21n, fee: 146n },
  ])("serviceFee($amount, $ratePpm ppm, base $base) = $fee", ({ amount, ratePpm, base, fee }) => {
    expect(serviceFeeSats(amount, { ratePpm, baseFeeSats: base })).toBe(fee);
  });

  it("submarine: expected = whole invoice sats + fee", () => {
    expect(quoteSubmarine(100_000_000n, { ratePpm: 1_000n, baseFeeSats: 0n })).toEqual({
      invoiceAmountSats: 100_000n,
      feeSats: 100n,
      expectedAmountSats: 100_100n,
    });
    // a sub-sat remainder is not charged: wallets bound the amount by the invoice's whole sats
    // plus the advertised fees (100_000 + 5 + ceil(100_000 × 0.1 %) = 100_105)
    expect(quoteSubmarine(100_000_999n, { ratePpm: 1_000n, baseFeeSats: 5n })).toEqual({
      invoiceAmountSats: 100_000n,
      feeSats: 105n,
      expectedAmountSats: 100_105n,
    });
  });

  it("reverse: onchain = invoice − fee (received amount floors because the fee ceils)", () => {
    expect(quoteReverse(10_001n, { ratePpm: 2_500n, baseFeeSats: 0n })).toEqual({
      invoiceAmountSats: 10_001n,
      feeSats: 26n,
      onchainAmountSats: 9_975n,
    });
    expect(() => quoteReverse(100n, { ratePpm: 0n, baseFeeSats: 100n })).toThrow(
      expect.objectContaining({ code: "fee.exceeds_amount" }),
    );
  });

  it.each([
    { amount: 1_000n, budget: 121n },
    { amount: 34_571n, budget: 121n },
    { amount: 34_572n, budget: 122n },
    { amount: 1_000_000n, budget: 3_500n },
  ])("routing budget for $amount sats = $budget (0.35 %, min 121)", ({ amount, budget }) => {
    expect(routingFeeBudgetSats(amount)).toBe(budget);
  });

  it("routing budget is configurable", () => {
    expect(routingFeeBudgetSats(1_000_000n, { ratePpm: 10_000n, minSats: 0n })).toBe(10_000n);
  });

  it("rejects invalid rates with a GatewayError", () => {
    const err = (() => {
      try {
        serviceFeeSats(1n, { ratePpm: 1_000_000n, baseFeeSats: 0n });
      } catch (e) {
        return e;
      }
    })();
    expect(isGatewayError(err, "fee.invalid_rate")).toBe(true);
  });
});
