/**
 * Preloaded into the benchmarked gateway process (`node --import tsx --import ./bench/swaps/probe.ts`):
 * answers the benchmark over the IPC channel with the process's own figures (RSS, heap, event
 * loop delay and utilization, CPU time, SQL statements sent), and writes heap snapshots on
 * request. Does nothing without IPC.
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { setFlagsFromString, writeHeapSnapshot } from "node:v8";
import { runInNewContext } from "node:vm";
import pg from "pg";

export interface ProbeSample {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** The V8 heap's committed size (used + garbage + free pages it keeps). */
  readonly heapTotalBytes: number;
  readonly externalBytes: number;
  /** Event-loop delay since the last reset, ms. */
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  /** Event-loop utilization since the last reset (0..1). */
  readonly elu: number;
  readonly uptimeMs: number;
  /** CPU time the process used since it started (user + system), ms. */
  readonly cpuMs: number;
  /** SQL statements the process sent to Postgres since it started (BEGIN/COMMIT included). */
  readonly sqlStatements: number;
}

export type ProbeRequest =
  | { readonly probe: "sample"; readonly reset?: boolean }
  | { readonly probe: "heap-snapshot"; readonly path: string }
  /** Two full garbage collections, then a sample: what of the RSS and heap is live. */
  | { readonly probe: "gc" };

if (typeof process.send === "function") {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  let eluStart = performance.eventLoopUtilization();
  // every statement goes through pg's Client#query (the pool's clients, kysely's driver)
  let sqlStatements = 0;
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function counted(this: unknown, ...args: unknown[]) {
    sqlStatements += 1;
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
  process.on("message", (msg: ProbeRequest) => {
    if (typeof msg !== "object" || msg === null || !("probe" in msg)) return;
    if (msg.probe === "heap-snapshot") {
      const path = writeHeapSnapshot(msg.path);
      process.send?.({ probe: "heap-snapshot", path });
      return;
    }
    if (msg.probe === "gc") {
      setFlagsFromString("--expose-gc");
      const gc = runInNewContext("gc") as () => void;
      gc();
      gc();
    }
    const mem = process.memoryUsage();
    const sample: ProbeSample = {
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      heapTotalBytes: mem.heapTotal,
      externalBytes: mem.external,
      lagP50Ms: lag.percentile(50) / 1e6,
      lagP99Ms: lag.percentile(99) / 1e6,
      lagMaxMs: lag.max / 1e6,
      elu: performance.eventLoopUtilization(eluStart).utilization,
      uptimeMs: process.uptime() * 1000,
      cpuMs: (() => {
        const c = process.cpuUsage();
        return (c.user + c.system) / 1000;
      })(),
      sqlStatements,
    };
    if (msg.probe === "sample" && msg.reset === true) {
      lag.reset();
      eluStart = performance.eventLoopUtilization();
    }
    process.send?.({ probe: "sample", sample });
  });
  // the IPC channel must not keep the gateway alive on its own
  process.channel?.unref();
}
