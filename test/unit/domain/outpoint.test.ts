import { describe, expect, it } from "vitest";
import { MAX_VOUT, formatOutpoint, parseOutpoint, tryParseOutpoint } from "../../../src/domain/outpoint.js";
import { isGatewayError } from "../../../src/domain/errors.js";

const txid = "0123456789abcdef".repeat(4);

describe("outpoint codec (txid:vout)", () => {
  const valid: [string, number][] = [
    [`${txid}:0`, 0],
    [`${txid}:1`, 1],
    [`${txid}:4294967295`, MAX_VOUT],
  ];
  it.each(valid)("parses %s and formats it back", (s, vout) => {
    expect(tryParseOutpoint(s)).toEqual({ txid, vout });
    expect(parseOutpoint(s)).toEqual({ txid, vout });
    expect(formatOutpoint({ txid, vout })).toBe(s);
  });

  const invalid: [string, unknown][] = [
    ["vout 2^32", `${txid}:4294967296`],
    ["vout with 11 digits", `${txid}:10000000000`],
    ["negative vout", `${txid}:-1`],
    ["leading zero", `${txid}:01`],
    ["fractional vout", `${txid}:1.5`],
    ["no vout", `${txid}:`],
    ["no separator", txid],
    ["upper-case txid", `${txid.toUpperCase()}:0`],
    ["63-char txid", `${txid.slice(1)}:0`],
    ["65-char txid", `${txid}a:0`],
    ["non-hex txid", `${"g".repeat(64)}:0`],
    ["surrounding space", ` ${txid}:0`],
    ["two separators", `${txid}:0:1`],
    ["empty", ""],
    ["not a string", 5],
  ];
  it.each(invalid)("refuses %s", (_name, s) => {
    expect(tryParseOutpoint(s)).toBeUndefined();
    let code = "ok";
    try {
      parseOutpoint(s as string);
    } catch (e) {
      code = isGatewayError(e) ? e.code : "other";
    }
    expect(code).toBe("outpoint.invalid");
  });

  const badParts: [string, { txid: string; vout: number }][] = [
    ["upper-case txid", { txid: txid.toUpperCase(), vout: 0 }],
    ["short txid", { txid: txid.slice(2), vout: 0 }],
    ["vout 2^32", { txid, vout: MAX_VOUT + 1 }],
    ["negative vout", { txid, vout: -1 }],
    ["fractional vout", { txid, vout: 0.5 }],
    ["NaN vout", { txid, vout: Number.NaN }],
  ];
  it.each(badParts)("refuses to format %s", (_name, o) => {
    expect(() => formatOutpoint(o)).toThrow(/not an outpoint/);
  });
});
