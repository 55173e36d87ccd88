import { describe, expect, it } from "vitest";
import { formatSats, renderTable, satsLabel, toJsonValue } from "../../../src/cli/format.js";
import {
  renderSwapDetail,
  renderSwapList,
  swapDetailJson,
  swapListJson,
} from "../../../src/cli/swap-format.js";
import { EVENTS, REVERSE, SUBMARINE } from "./helpers.js";

describe("amounts and tables", () => {
  it.each([
    [0n, "0"],
    [999n, "999"],
    [1_000n, "1,000"],
    [1_234_567n, "1,234,567"],
    [-12_345n, "-12,345"],
    [2_100_000_000_000_000n, "2,100,000,000,000,000"],
  ])("formatSats(%s) = %s", (value, text) => {
    expect(formatSats(value)).toBe(text);
  });

  it("satsLabel marks absent amounts", () => {
    expect(satsLabel(10_000n)).toBe("10,000 sat");
    expect(satsLabel(null)).toBe("-");
  });

  it("renderTable aligns columns, right-aligning numbers", () => {
    const table = renderTable(
      [
        { header: "A", value: (r: { a: string; n: string }) => r.a },
        { header: "N", value: (r) => r.n, align: "right" },
      ],
      [
        { a: "x", n: "1" },
        { a: "long", n: "1,000" },
      ],
    );
    expect(table).toBe("A         N\nx         1\nlong  1,000");
  });

  it("toJsonValue: bigint → number (string beyond 2^53), Date → ISO, nested", () => {
    expect(toJsonValue({ a: 1n, b: [2n ** 60n], c: new Date(0), d: null })).toEqual({
      a: 1,
      b: ["1152921504606846976"],
      c: "1970-01-01T00:00:00.000Z",
      d: null,
    });
  });
});

describe("swaps list / show formatting", () => {
  it("lists swaps as a table with sats and UTC times", () => {
    expect(renderSwapList([SUBMARINE, REVERSE])).toBe(
      [
        "ID     TYPE       STATUS          AMOUNT        FEE  CREATED",
        "sub_1  submarine  paying   1,234,567 sat  1,235 sat  2025-11-20 21:53:21Z",
        "rev_1  reverse    settled     50,000 sat    125 sat  2025-11-20 21:53:21Z",
        "2 swaps",
      ].join("\n"),
    );
    expect(renderSwapList([])).toBe("no swaps");
  });

  it("--json of list: { swaps: [...] } with numbers and ISO dates", () => {
    const parsed = JSON.parse(swapListJson([SUBMARINE])) as { swaps: Record<string, unknown>[] };
    expect(parsed.swaps).toHaveLength(1);
    expect(parsed.swaps[0]).toMatchObject({
      id: "sub_1",
      type: "submarine",
      status: "paying",
      invoiceAmountSats: 1_234_567,
      expectedAmountSats: 1_235_802,
      createdAt: "2025-11-20T21:53:21.123Z",
      fundingOutpoints: [`${"cc".repeat(32)}:0`],
    });
  });

  it("shows a submarine swap with its event log", () => {
    const text = renderSwapDetail(SUBMARINE, EVENTS);
    expect(text).toContain("Swap sub_1 (submarine)");
    expect(text).toMatch(/status\s+paying \(version 3\)/);
    expect(text).toMatch(/expected amount\s+1,235,802 sat/);
    expect(text).toMatch(/routing fee budget\s+4,321 sat/);
    expect(text).toContain("Events");
    expect(text).toMatch(/2025-11-20 21:53:21Z\s+created\s+-\s+awaiting_funding\s+\{"source":"api"\}/);
    expect(text).toMatch(/vtxo_seen\s+awaiting_funding\s+funding_detected/);
  });

  it("shows a reverse swap's own fields", () => {
    const text = renderSwapDetail(REVERSE, []);
    expect(text).toMatch(/onchain amount\s+49,875 sat/);
    expect(text).toMatch(/htlc expiry height\s+400/);
    expect(text).toContain("(no events)");
  });

  it("--json of show: { swap, events }", () => {
    const parsed = JSON.parse(swapDetailJson(REVERSE, EVENTS)) as {
      swap: Record<string, unknown>;
      events: Record<string, unknown>[];
    };
    expect(parsed.swap).toMatchObject({ id: "rev_1", onchainAmountSats: 49_875, htlcExpiryHeight: 400 });
    expect(parsed.events[1]).toEqual({
      id: 2,
      swapId: "sub_1",
      fromStatus: "awaiting_funding",
      toStatus: "funding_detected",
      event: "vtxo_seen",
      data: {},
      createdAt: "2025-11-20T21:53:30.000Z",
    });
  });
});
