/**
 * The benchmark's figures as table rows, each with its reference (the raw peers, measured in the
 * same run) and the issue's target. Pure: test/unit/bench-stats.test.ts checks it.
 */
import type {
  CreateRates,
  LatencyFigures,
  OpenSwapFigures,
  RawThroughput,
  SustainedFigures,
} from "./phases.js";
import { describeByProcess } from "./process-cpu.js";
import { fixed, overheadShare, ratio, type FigureRow } from "./stats.js";

export const TARGETS = {
  createRatio: 0.8,
  overheadShare: 0.1,
  sustainedPerSecond: 20,
  rssMb: 150,
  resumeSeconds: 10,
} as const;

const MB = 1024 * 1024;

/** `, machine 1.9 cores busy`, or nothing when it was not measured. */
const machine = (busy: number | undefined): string =>
  busy === undefined ? "" : `, machine ${fixed(busy, 2)} cores busy`;

export interface Figures {
  readonly creates: CreateRates | undefined;
  readonly latency: LatencyFigures | undefined;
  readonly steady: SustainedFigures | undefined;
  readonly rawPeers?: RawThroughput | undefined;
  readonly open: OpenSwapFigures | undefined;
}

export function buildRows(f: Figures): FigureRow[] {
  const rows: FigureRow[] = [];
  for (const flow of ["reverse", "submarine"] as const) {
    for (const { gateway, raw } of f.creates?.[flow] ?? []) {
      const r = ratio(gateway.perSecond, raw.perSecond);
      const errs = gateway.errors + raw.errors;
      rows.push({
        name: `create ${flow} @${gateway.concurrency}`,
        value: `${fixed(gateway.perSecond)}/s p50 ${fixed(gateway.latency?.p50Ms, 0)} ms${gateway.gatewayCpuMsPerOp === undefined ? "" : `, CPU ${fixed(gateway.gatewayCpuMsPerOp)} ms each`}${machine(gateway.machineBusyCores)}`,
        reference: `${fixed(raw.perSecond)}/s p50 ${fixed(raw.latency?.p50Ms, 0)} ms${errs > 0 ? ` (${errs} errors)` : ""}${machine(raw.machineBusyCores)}`,
        compared: `${fixed(r, 2)}×`,
        target: `≥ ${TARGETS.createRatio}`,
        met: r === undefined ? undefined : r >= TARGETS.createRatio,
      });
      if (gateway.cpuMsPerOpByProcess !== undefined || raw.cpuMsPerOpByProcess !== undefined)
        rows.push({
          name: "  CPU per create by process",
          value: describeByProcess(gateway.cpuMsPerOpByProcess),
          reference: describeByProcess(raw.cpuMsPerOpByProcess),
          compared: "",
          target: "",
          met: undefined,
        });
    }
  }
  if (f.latency !== undefined) {
    const l = f.latency;
    for (const [flow, total, rawSum] of [
      ["submarine", l.submarine.p50Ms, l.rawSubmarineMs],
      ["reverse", l.reverse.p50Ms, l.rawReverseMs],
    ] as const) {
      const share = overheadShare(total, [rawSum]);
      rows.push({
        name: `e2e ${flow} (p50)`,
        value: `${fixed(total, 0)} ms`,
        reference: `Σ raw steps ${fixed(rawSum, 0)} ms`,
        compared: `gateway ${fixed(share * 100, 0)} %`,
        target: `≤ ${TARGETS.overheadShare * 100} %`,
        met: share <= TARGETS.overheadShare,
      });
    }
    rows.push({
      name: "raw steps (p50)",
      value: "",
      reference: `pay ${fixed(l.raw.payMs.p50Ms, 0)}, ark tx ${fixed(l.raw.arkTxMs.p50Ms, 0)}, indexer ${fixed(l.raw.indexerMs.p50Ms, 0)}, hold inv ${fixed(l.raw.holdInvoiceMs.p50Ms, 0)}, decode+probe ${fixed(l.raw.decodeProbeMs.p50Ms, 0)} ms`,
      compared: "",
      target: "",
      met: undefined,
    });
  }
  if (f.steady !== undefined) {
    const s = f.steady;
    rows.push({
      name: `sustained, ${s.inFlight} in flight`,
      value: `${s.completed} done in ${fixed(s.windowMs / 1000, 0)} s (${s.completedSubmarine} sub, ${s.completedReverse} rev), ${s.failed} failed${machine(s.machineBusyCores)}`,
      reference:
        f.rawPeers === undefined
          ? `gateway ELU ${fixed(s.gateway.elu * 100, 0)} %`
          : `peers allow ${fixed(f.rawPeers.swapCeilingPerSecond, 1)}/s (Ark ${fixed(f.rawPeers.arkTx.perSecond, 1)} tx/s ÷ 2${machine(f.rawPeers.arkTx.machineBusyCores)}; LND ${fixed(f.rawPeers.lnPay.perSecond, 1)} pay/s${machine(f.rawPeers.lnPay.machineBusyCores)}); gateway ELU ${fixed(s.gateway.elu * 100, 0)} %`,
      compared: `${fixed(s.perSecond, 2)}/s`,
      target: `≥ ${TARGETS.sustainedPerSecond}/s`,
      met: s.perSecond >= TARGETS.sustainedPerSecond,
    });
    const a = f.rawPeers?.arkTx.cpuMsPerOpByProcess;
    const p = f.rawPeers?.lnPay.cpuMsPerOpByProcess;
    if (a !== undefined || p !== undefined)
      rows.push({
        name: "  raw peers' CPU by process",
        value: `per Ark tx: ${describeByProcess(a)}`,
        reference: `per LND payment: ${describeByProcess(p)}`,
        compared: "",
        target: "",
        met: undefined,
      });
    if (s.completedInPhase !== undefined)
      rows.push({
        name: "gateway cost per swap",
        value: `CPU ${fixed(s.gatewayCpuMsPerSwap, 0)} ms, ${fixed(s.sqlStatementsPerSwap, 0)} SQL statements`,
        reference: `over the phase: ${s.completedInPhase} swaps completed`,
        compared: "",
        target: "",
        met: undefined,
      });
    if (s.cpuMsPerSwapByProcess !== undefined)
      rows.push({
        name: "  CPU per swap by process",
        value: describeByProcess(s.cpuMsPerSwapByProcess),
        reference: "over the phase, every process of the machine",
        compared: "",
        target: "",
        met: undefined,
      });
  }
  if (f.open !== undefined) {
    const o = f.open;
    const rss = o.idle.rssBytes / MB;
    rows.push({
      name: `${o.openSwaps} open swaps, idle`,
      value: `RSS ${fixed(rss, 0)} MB, heap ${fixed(o.idle.heapUsedBytes / MB, 0)} MB; after full GC RSS ${fixed(o.idleAfterGc.rssBytes / MB, 0)}, heap ${fixed(o.idleAfterGc.heapUsedBytes / MB, 0)} MB${o.empty === undefined ? "" : `; no swaps RSS ${fixed(o.empty.rssBytes / MB, 0)} MB`}`,
      reference: `lag p99 ${fixed(o.idle.lagP99Ms, 1)} ms, max ${fixed(o.idle.lagMaxMs, 0)} ms, ELU ${fixed(o.idle.elu * 100, 0)} %`,
      compared: `${fixed(rss, 0)} MB`,
      target: `< ${TARGETS.rssMb} MB`,
      met: rss < TARGETS.rssMb,
    });
    if (o.restart !== undefined) {
      const secs = o.restart.timing.readyMs / 1000;
      rows.push({
        name: `restart with ${o.openSwaps} open`,
        value: `API after ${fixed(secs, 1)} s, RSS after ${fixed(o.restart.after.rssBytes / MB, 0)} MB`,
        reference: `empty start ${fixed(o.restart.baseline.readyMs / 1000, 1)} s`,
        compared: `${fixed(secs, 1)} s`,
        target: `< ${TARGETS.resumeSeconds} s`,
        met: secs < TARGETS.resumeSeconds,
      });
    }
  }
  return rows;
}
