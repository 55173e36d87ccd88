import { describe, expect, it } from "vitest";
import { batchCrashHook, crashPointHook } from "../../../src/gateway/crash-point.js";

describe("crash points (GATEWAY_TEST_CRASH_AFTER)", () => {
  it("is off when unset or empty", () => {
    expect(crashPointHook(undefined)).toBeUndefined();
    expect(crashPointHook(" , ")).toBeUndefined();
  });

  it("kills only at a listed type:status", () => {
    const kills: string[] = [];
    const hook = crashPointHook("submarine:paying, reverse:funded", () => kills.push("kill"));
    hook?.({ id: "a", type: "submarine" }, "funded");
    hook?.({ id: "b", type: "reverse" }, "paying");
    expect(kills).toEqual([]);
    hook?.({ id: "c", type: "submarine" }, "paying");
    hook?.({ id: "d", type: "reverse" }, "funded");
    expect(kills).toEqual(["kill", "kill"]);
  });
});

describe("batch crash points (renewal:<step>)", () => {
  it("is off without a renewal: point, and kills only at a listed step", () => {
    expect(batchCrashHook("submarine:paying")).toBeUndefined();
    const kills: string[] = [];
    const hook = batchCrashHook("submarine:paying, renewal:forfeits_sent", () => kills.push("kill"));
    hook?.("registered");
    hook?.("signed");
    expect(kills).toEqual([]);
    hook?.("forfeits_sent");
    expect(kills).toEqual(["kill"]);
  });
});
