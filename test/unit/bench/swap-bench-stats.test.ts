import { describe, expect, it } from "vitest";
import {
  formatTable,
  overheadShare,
  quantile,
  ratePerSecond,
  ratio,
  runPool,
  summarize,
} from "../../../bench/swaps/stats.js";
import { buildRows } from "../../../bench/swaps/report.js";
import { busyCores, parseProcStat } from "../../../bench/swaps/machine-cpu.js";
import {
  describeByProcess,
  msBetween,
  othersMs,
  parsePidStat,
  perOpRecord,
  ticksByGroup,
} from "../../../bench/swaps/process-cpu.js";
import type { CreateRates } from "../../../bench/swaps/phases.js";

describe("swap benchmark stats", () => {
  it("quantile is the nearest rank", () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantile(xs, 0.5)).toBe(5);
    expect(quantile(xs, 0.9)).toBe(9);
    expect(quantile(xs, 0.99)).toBe(10);
    expect(quantile(xs, 0)).toBe(1);
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile(xs, 1.5)).toThrow(RangeError);
  });

  it("summarize sorts its samples and gives p50/p90/p99/max/mean", () => {
    const s = summarize([30, 10, 20, 40]);
    expect(s).toEqual({ count: 4, p50Ms: 20, p90Ms: 40, p99Ms: 40, maxMs: 40, meanMs: 25 });
  });

  it("rates, ratios and the overhead share", () => {
    expect(ratePerSecond(50, 2_000)).toBe(25);
    expect(() => ratePerSecond(1, 0)).toThrow(RangeError);
    expect(ratio(40, 50)).toBe(0.8);
    expect(ratio(40, 0)).toBeUndefined();
    expect(ratio(undefined, 3)).toBeUndefined();
    expect(overheadShare(1_000, [300, 600])).toBeCloseTo(0.1);
    expect(overheadShare(500, [600])).toBe(0); // raw steps longer than the total: no overhead
    expect(() => overheadShare(0, [1])).toThrow(RangeError);
  });

  it("runPool keeps at most `concurrency` tasks in flight and counts failures apart", async () => {
    let inFlight = 0;
    let peak = 0;
    const r = await runPool(10, 3, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((res) => setTimeout(res, 1));
      inFlight--;
      if (i === 4) throw new Error("boom");
    });
    expect(peak).toBe(3);
    expect(r.latenciesMs).toHaveLength(9);
    expect(r.errors).toHaveLength(1);
  });

  it("rows judge each figure against its target, and the table aligns its columns", () => {
    const fig = (perSecond: number, concurrency = 20) => ({
      concurrency,
      count: 10,
      perSecond,
      latency: summarize([10, 20]),
      errors: 0,
    });
    const creates: CreateRates = {
      reverse: [{ gateway: fig(90), raw: fig(100) }],
      submarine: [{ gateway: fig(10), raw: fig(100) }],
    };
    const rows = buildRows({ creates, latency: undefined, steady: undefined, open: undefined });
    expect(rows.map((r) => [r.name, r.compared, r.met])).toEqual([
      ["create reverse @20", "0.90×", true],
      ["create submarine @20", "0.10×", false],
    ]);
    const lines = formatTable(rows).split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[2]!.indexOf("0.90×")).toBe(lines[0]!.indexOf("ratio/value"));
    expect(lines[3]).toMatch(/MISSED$/);
  });

  it("the machine's busy cores: from /proc/stat's cpu line, and shown beside a rate when measured", () => {
    // user nice system idle iowait irq softirq steal
    const a = parseProcStat("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4\n");
    const b = parseProcStat("cpu  250 0 100 900 50 0 0 0 0 0\n");
    expect(a).toEqual({ busy: 150, total: 1000 });
    expect(busyCores(a, b, 2)).toBeCloseTo((200 / 300) * 2, 10);
    expect(busyCores(b, a, 2)).toBeUndefined();
    expect(parseProcStat("no cpu line")).toBeUndefined();
    const measured = { concurrency: 20, count: 10, perSecond: 50, latency: summarize([1]), errors: 0 };
    const rows = buildRows({
      creates: {
        reverse: [{ gateway: { ...measured, machineBusyCores: 1.95 }, raw: measured }],
        submarine: [],
      },
      latency: undefined,
      steady: undefined,
      open: undefined,
    });
    expect(rows[0]?.value).toMatch(/, machine 1\.95 cores busy$/);
    expect(rows[0]?.reference).not.toMatch(/machine/);
  });

  it("CPU by process: /proc/<pid>/stat, groups, the window's ms and the rest of the machine", () => {
    // the command name may hold spaces and parentheses: fields are counted after the last ")"
    const line =
      "4242 (postgres: bench (x) idle) S 30468 4242 4242 0 -1 4194560 900 0 0 0 123 45 0 0 20 0 1 0";
    expect(parsePidStat(line)).toEqual({ ppid: 30468, ticks: 168 });
    expect(parsePidStat("garbage")).toBeUndefined();
    expect(parsePidStat("1 (x) S notanumber")).toBeUndefined();

    const stats = new Map([
      [10, { ppid: 1, ticks: 100 }], // the postmaster (a role of the run dir)
      [11, { ppid: 10, ticks: 40 }], // a backend: counted as postgres
      [12, { ppid: 10, ticks: 2 }],
      [20, { ppid: 1, ticks: 500 }], // the gateway
      [30, { ppid: 1, ticks: 999 }], // nobody's: left out
    ]);
    const groupOf = (pid: number, stat: { ppid: number }): string | undefined =>
      pid === 20 ? "gateway" : pid === 10 || stat.ppid === 10 ? "postgres" : undefined;
    const from = ticksByGroup(stats, groupOf);
    expect(Object.fromEntries(from)).toEqual({ postgres: 142, gateway: 500 });
    const to = new Map([
      ["postgres", 172],
      ["gateway", 750],
      ["lnd-alice", 20], // started in the window: counts from 0
    ]);
    const ms = msBetween(from, to, 100);
    expect(ms).toEqual({ postgres: 300, gateway: 2_500, "lnd-alice": 200 });
    expect(othersMs(3_500, ms)).toBe(500);
    expect(othersMs(2_000, ms)).toBe(0); // readings a tick apart: never negative
    expect(othersMs(undefined, ms)).toBeUndefined();

    const each = perOpRecord({ ...ms, others: 500 }, 100);
    expect(each).toEqual({ postgres: 3, gateway: 25, "lnd-alice": 2, others: 5 });
    expect(describeByProcess({ ...each, arkd: 0.01 })).toBe(
      "gateway 25.0, others 5.0, postgres 3.0, lnd-alice 2.0 ms",
    );
    expect(describeByProcess(undefined)).toBe("");

    const measured = { concurrency: 20, count: 10, perSecond: 50, latency: summarize([1]), errors: 0 };
    const rows = buildRows({
      creates: {
        reverse: [
          {
            gateway: { ...measured, cpuMsPerOpByProcess: { gateway: 3.7, "lnd-alice": 4.2 } },
            raw: { ...measured, cpuMsPerOpByProcess: { "lnd-alice": 3.1, bench: 0.8 } },
          },
        ],
        submarine: [],
      },
      latency: undefined,
      steady: undefined,
      open: undefined,
    });
    expect(rows[1]).toMatchObject({
      name: "  CPU per create by process",
      value: "lnd-alice 4.2, gateway 3.7 ms",
      reference: "lnd-alice 3.1, bench 0.8 ms",
    });
  });
});
