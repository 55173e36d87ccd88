import { describe, expect, it } from "vitest";
import { networkFromBolt11, networkFromChainId } from "../../../src/domain/lightning-network.js";

describe("networkFromBolt11", () => {
  const table: { bolt11: string; expected: string | undefined }[] = [
    { bolt11: "lnbc1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypq", expected: "mainnet" },
    { bolt11: "lnbc2500u1pvjluezpp5qqq", expected: "mainnet" },
    { bolt11: "LNBC20M1PVJLUEZ", expected: "mainnet" },
    { bolt11: "lntb20m1pvjluezhp58yjmd", expected: "testnet" },
    { bolt11: "lntbs100u1p3xyz", expected: "signet" },
    { bolt11: "lnbcrt500u1pjexample", expected: "regtest" },
    { bolt11: "lnbcrt1pjexample", expected: "regtest" },
    { bolt11: "lightning:lnbcrt10n1pjexample", expected: "regtest" },
    { bolt11: "lnsb1u1pexample", expected: "simnet" },
    { bolt11: "lnxyz1pexample", expected: undefined },
    { bolt11: "bc1qexample", expected: undefined },
    { bolt11: "lnbc", expected: undefined },
    { bolt11: "lnbcx1pexample", expected: undefined },
  ];
  it.each(table)("$bolt11 → $expected", ({ bolt11, expected }) => {
    expect(networkFromBolt11(bolt11)).toBe(expected);
  });
});

describe("networkFromChainId", () => {
  it.each([
    ["06226e46111a0b59caaf126043eb5bbf28c34f3a5e332a1fc7b2b73cf188910f", "regtest"],
    ["6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000", "mainnet"],
    ["f61eee3b63a380a477a063af32b2bbc97c9ff9f01f2c4225e973988108000000", "signet"],
    ["43f08bdab050e35b567c864b91f47f50ae725ae2de53bcfbbaf284da00000000", "testnet"],
    ["ff".repeat(32), undefined],
  ])("%s → %s", (id, expected) => {
    expect(networkFromChainId(id)).toBe(expected);
  });
});
