import { describe, expect, it } from "vitest";
import { crashPointHook } from "../../../src/gateway/crash-point.js";

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
