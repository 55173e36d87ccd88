import { describe, expect, it } from "vitest";
import { bolt11Header } from "../../../src/lightning/lnd/bolt11-header.js";
import { bolt11Lib, randomHash, signedInvoice } from "../../fakes/bolt11.js";

describe("bolt11Header", () => {
  it("reads the creation time and payment hash a full decode reads", () => {
    for (const extra of [
      { description: "swap" },
      { description_hash: "ab".repeat(32) },
      { description: "" },
    ]) {
      const id = randomHash();
      const request = signedInvoice(id, extra);
      const oracle = bolt11Lib.parsePaymentRequest({ request });
      expect(bolt11Header(request)).toEqual({
        createdAt: new Date(oracle.created_at),
        paymentHash: oracle.id,
      });
      expect(oracle.id).toBe(id);
    }
  });

  it("is undefined for garbage, a broken checksum or a string without a payment hash", () => {
    const request = signedInvoice(randomHash());
    const broken = `${request.slice(0, -1)}${request.endsWith("q") ? "p" : "q"}`;
    expect(bolt11Header(broken)).toBeUndefined();
    expect(bolt11Header("lnbcrt1qqqqqq")).toBeUndefined();
    expect(bolt11Header("not an invoice")).toBeUndefined();
  });
});
