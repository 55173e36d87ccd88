import { describe, expect, it } from "vitest";
import { formatGaps, stepGaps, withGatewayMarks, type SwapMarks } from "../../../bench/swaps/timeline.js";

const log = (swapId: string, time: number, msg: string, to?: string): string =>
  JSON.stringify({ level: 30, time, swapId, msg, ...(to === undefined ? {} : { to }) });

describe("swap benchmark timeline", () => {
  const bench: SwapMarks[] = [
    { id: "a", type: "submarine", marks: { "bench:start": 1000, "bench:claimed pushed": 1100 } },
    { id: "b", type: "submarine", marks: { "bench:start": 2000, "bench:claimed pushed": 2300 } },
    { id: "r", type: "reverse", marks: { "bench:start": 5000 } },
  ];
  const lines = [
    "not json",
    '{"msg":"http listening","time":1}',
    log("a", 1010, "swap transition", "funded"),
    log("a", 1050, "paying invoice"),
    log("a", 1060, "swap transition", "funded"), // a second one: the first counts
    log("b", 2030, "swap transition", "funded"),
    log("b", 2150, "paying invoice"),
    log("b", 2160, "swap step failed"), // not a step mark
    log("unknown", 10, "swap transition", "funded"),
  ];

  it("adds the first gateway mark of each step to its swap and ignores other lines", () => {
    const joined = withGatewayMarks(bench, lines);
    expect(joined.find((s) => s.id === "a")?.marks).toEqual({
      "bench:start": 1000,
      "gateway:funded": 1010,
      "gateway:pay call": 1050,
      "bench:claimed pushed": 1100,
    });
    expect(joined.find((s) => s.id === "r")?.marks).toEqual({ "bench:start": 5000 });
    expect(bench[0]?.marks["gateway:funded"]).toBeUndefined(); // the input is not changed
  });

  it("gives the median gap between consecutive steps, per type", () => {
    const gaps = stepGaps(withGatewayMarks(bench, lines), "submarine");
    expect(gaps.map((g) => [g.from, g.to, g.p50Ms, g.maxMs, g.count])).toEqual([
      ["bench:start", "gateway:funded", 10, 30, 2],
      ["gateway:funded", "gateway:pay call", 40, 120, 2],
      ["gateway:pay call", "bench:claimed pushed", 50, 150, 2],
    ]);
    expect(formatGaps(gaps)[1]).toContain("gateway:funded → gateway:pay call");
    expect(stepGaps([], "reverse")).toEqual([]);
  });

  it("orders the steps by their median offset, not by the first swap's order", () => {
    const raced: SwapMarks[] = [
      { id: "x", type: "reverse", marks: { "bench:start": 0, "bench:b": 10, "bench:a": 20 } },
      { id: "y", type: "reverse", marks: { "bench:start": 0, "bench:a": 10, "bench:b": 30 } },
      { id: "z", type: "reverse", marks: { "bench:start": 0, "bench:a": 12, "bench:b": 40 } },
    ];
    expect(stepGaps(raced, "reverse").map((g) => [g.from, g.to, g.p50Ms])).toEqual([
      ["bench:start", "bench:a", 12],
      ["bench:a", "bench:b", 20],
    ]);
  });
});
