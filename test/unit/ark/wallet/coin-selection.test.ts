import { describe, expect, it } from "vitest";
import { selectCoins, type Coin, type SelectionPolicy } from "../../../../src/ark/wallet/index.js";

const policy: SelectionPolicy = {
  dustSats: 330n,
  vtxoMinAmountSats: -1n,
  vtxoMaxAmountSats: -1n,
  maxInputs: 4,
};
const coins = (...amounts: number[]): Coin[] =>
  amounts.map((a, i) => ({ outpoint: `${String(i).padStart(64, "0")}:0`, amountSats: BigInt(a) }));
const amounts = (cs: readonly Coin[]) => cs.map((c) => Number(c.amountSats));

describe("selectCoins", () => {
  it.each([
    { name: "exact single coin", have: [5_000, 3_000], pay: 5_000, inputs: [5_000], change: [], sub: 0 },
    {
      name: "largest first",
      have: [1_000, 9_000, 4_000],
      pay: 12_000,
      inputs: [9_000, 4_000],
      change: [1_000],
      sub: 0,
    },
    {
      name: "adds the smallest coin that lifts sub-dust change",
      have: [10_000, 500, 2_000],
      pay: 9_900,
      inputs: [10_000, 500],
      change: [600],
      sub: 0,
    },
    { name: "unavoidable sub-dust change", have: [600], pay: 400, inputs: [600], change: [], sub: 200 },
  ])("$name", ({ have, pay, inputs, change, sub }) => {
    const s = selectCoins(coins(...have), BigInt(pay), policy);
    expect(amounts(s.inputs)).toEqual(inputs);
    expect(s.changeSats.map(Number)).toEqual(change);
    expect(s.subdustChangeSats).toBe(BigInt(sub));
  });

  it("is deterministic (ties by outpoint) whatever the input order", () => {
    const cs = coins(1_000, 1_000, 1_000, 1_000);
    const a = selectCoins(cs, 2_000n, policy);
    const b = selectCoins([...cs].reverse(), 2_000n, policy);
    expect(a).toEqual(b);
    expect(a.inputs.map((c) => c.outpoint)).toEqual([cs[0]!.outpoint, cs[1]!.outpoint]);
  });

  it("splits change above the VTXO maximum, respects the minimum and the input cap", () => {
    const p = { ...policy, vtxoMaxAmountSats: 10_000n };
    const s = selectCoins(coins(10_000, 10_000, 9_000), 2_000n + 1n, { ...p, maxInputs: 10 });
    expect(s.changeSats.every((c) => c <= 10_000n)).toBe(true);
    expect(s.inputs.reduce((t, c) => t + c.amountSats, 0n)).toBe(
      2_001n + s.changeSats.reduce((t, c) => t + c, 0n),
    );
    const big = selectCoins(coins(29_000), 1_000n, p);
    expect(big.changeSats).toEqual([9_334n, 9_333n, 9_333n]);
    const code = (f: () => unknown) => {
      try {
        f();
        return "ok";
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(code(() => selectCoins(coins(20_000), 11_000n, p))).toBe("wallet.amount_out_of_range");
    expect(code(() => selectCoins(coins(20_000), 300n, p))).toBe("wallet.amount_out_of_range");
    expect(code(() => selectCoins(coins(20_000), 1_000n, { ...p, vtxoMinAmountSats: 2_000n }))).toBe(
      "wallet.amount_out_of_range",
    );
    expect(code(() => selectCoins(coins(1_000, 1_000), 5_000n, p))).toBe("wallet.insufficient_funds");
    expect(code(() => selectCoins(coins(1_000, 1_000, 1_000, 1_000, 1_000), 4_500n, p))).toBe(
      "wallet.too_many_inputs",
    );
  });
});
