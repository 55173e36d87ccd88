import { describe, expect, it } from "vitest";
import { runCli } from "../../../src/cli/main.js";
import { parseSatsArg } from "../../../src/cli/liquidity/amount-arg.js";
import { UsageError } from "../../../src/cli/usage.js";

describe("liquidity <sats> argument", () => {
  it.each([
    ["1", 1n],
    ["50000", 50_000n],
    ["2100000000000000", 2_100_000_000_000_000n],
  ])("%s → %s sats (bigint)", (text, sats) => {
    expect(parseSatsArg(text, "liquidity board")).toBe(sats);
  });

  it.each([
    ["0"],
    ["-5"],
    ["+5"],
    ["1.5"],
    ["1e5"],
    ["10_000"],
    ["10,000"],
    [" 5"],
    ["05"],
    ["0x10"],
    ["5sat"],
    [""],
    ["2100000000000001"],
    ["99999999999999999999"],
  ])("refuses %j with a usage error naming the command", (text) => {
    let err: unknown;
    try {
      parseSatsArg(text, "liquidity offboard");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).command).toBe("liquidity offboard");
  });

  it("a missing amount is a usage error too", () => {
    expect(() => parseSatsArg(undefined, "liquidity board")).toThrow("missing <sats>");
  });
});

describe("liquidity commands on the command line", () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {} } };
  };

  it("lists status, board and offboard for a bare `liquidity` (exit 2) and for `liquidity --help` (exit 0)", async () => {
    const bare = io();
    expect(await runCli(["liquidity"], bare.io)).toBe(2);
    for (const c of ["liquidity status", "liquidity board", "liquidity offboard"])
      expect(bare.err.join("\n")).toContain(c);
    const help = io();
    expect(await runCli(["liquidity", "--help"], help.io)).toBe(0);
    expect(help.out.join("\n")).toContain("liquidity offboard <sats>");
  });

  it.each([
    [["liquidity", "board", "1.5"], '<sats> must be a positive whole number of sats, got "1.5"'],
    [["liquidity", "board"], "missing <sats>"],
    [["liquidity", "board", "100", "--resume"], "give <sats> or --resume, not both"],
    [
      ["liquidity", "board", "100", "--wait", "soon"],
      '--wait must be a positive whole number of seconds, got "soon"',
    ],
    [["liquidity", "offboard", "100", "200"], 'unexpected argument "200"'],
    [["liquidity", "status", "5"], 'unexpected argument "5"'],
    [
      ["liquidity", "sideways"],
      'unknown command "liquidity sideways" (expected liquidity status, board or offboard)',
    ],
  ])("%j is a usage error (exit 2): %s", async (argv, message) => {
    const r = io();
    expect(await runCli(argv, r.io)).toBe(2);
    expect(r.err[0]).toBe(`error: ${message}`);
  });
});
