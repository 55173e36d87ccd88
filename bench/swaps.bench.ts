/**
 * The gateway on the real stack (`npm run bench:swaps`), side by side with the raw peers in one
 * run, on the regtest network of REGTEST_PORT_OFFSET / REGTEST_DATADIR (brought up when not
 * running). The gateway runs as its own process (bench/swaps/gateway-process.ts); this process
 * is the load: the raw LND calls, the users' Ark wallets (our own Ark core) and bob's LND.
 *
 *   create rate      POST /v2/swap/reverse and /submarine at each concurrency vs raw
 *                    createHodlInvoice and decode + probe, as a ratio
 *   latency          one submarine and one reverse swap at a time, end to end, vs the sum of
 *                    the raw steps (LND pay, Ark tx, indexer): the gateway's share
 *   sustained        completed swaps/s with N in flight, both flows mixed
 *   open swaps       RSS and event-loop lag of the gateway with N open swaps, then the restart
 *                    that resumes and reconciles them all
 *
 * Flags (all optional): --quick (small counts, ~3 min), --creates N, --levels 20,50,
 * --latency-samples N, --in-flight N, --seconds N, --warmup N, --open N, --idle N, --no-restart,
 * --only latency,sustained,create,open, --cpu-prof (profiles of the gateway process into the
 * results folder), --heap-snapshot, --dist (the gateway from the compiled build, `npm run build`,
 * as operators run it, instead of the sources under tsx), --gateway-node-args "FLAGS" (node flags
 * for the gateway process, e.g. V8 heap sizes), --out FILE. Prints a table and writes JSON
 * (default bench/results/swaps-<time>.json). No figure fails the run: it reports.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { GatewayApi } from "../src/cli/sandbox/http-client.js";
import { btcdHandle } from "../src/regtest/btcd.js";
import { isHealthy, up } from "../src/regtest/network.js";
import { readNetworkFile } from "../src/regtest/network-file.js";
import { networkPaths, REPO_DIR } from "../src/regtest/paths.js";
import { processCpuWindow } from "./swaps/process-cpu.js";
import { arkSection, openWallet, redeemNote, scriptOf, splitCoins } from "./swaps/ark-side.js";
import { GatewayProcess } from "./swaps/gateway-process.js";
import {
  createRates,
  latencies,
  openSwaps,
  rawThroughput,
  sustained,
  type BenchCtx,
  type CreateRates,
  type LatencyFigures,
  type OpenSwapFigures,
  type RawThroughput,
  type SustainedFigures,
} from "./swaps/phases.js";
import { RawLnd } from "./swaps/raw-lnd.js";
import { buildRows } from "./swaps/report.js";
import { StatusWatch } from "./swaps/status-watch.js";
import { formatTable, summarize } from "./swaps/stats.js";
import { formatGaps, stepGaps, withGatewayMarks, type SwapMarks } from "./swaps/timeline.js";

interface Options {
  creates: number;
  levels: number[];
  latencySamples: number;
  inFlight: number;
  seconds: number;
  warmup: number;
  open: number;
  idle: number;
  restart: boolean;
  only: Set<string>;
  cpuProf: boolean;
  heapSnapshot: boolean;
  dist: boolean;
  gatewayNodeArgs: string[];
  out: string | undefined;
}

function parseOptions(argv: readonly string[]): Options {
  const quick = argv.includes("--quick");
  const o: Options = {
    creates: quick ? 60 : 200,
    levels: [20, 50],
    latencySamples: quick ? 3 : 10,
    inFlight: quick ? 40 : 200,
    seconds: quick ? 15 : 30,
    warmup: 5,
    open: quick ? 300 : 1000,
    idle: quick ? 5 : 10,
    restart: true,
    only: new Set(["latency", "sustained", "create", "open"]),
    cpuProf: false,
    heapSnapshot: false,
    dist: false,
    gatewayNodeArgs: [],
    out: undefined,
  };
  const num = (i: number, name: string): number => {
    const v = Number(argv[i + 1]);
    if (!Number.isFinite(v) || v < 0) throw new Error(`${name} needs a number`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--creates") o.creates = num(i++, a);
    else if (a === "--levels") o.levels = (argv[++i] ?? "").split(",").map(Number);
    else if (a === "--latency-samples") o.latencySamples = num(i++, a);
    else if (a === "--in-flight") o.inFlight = num(i++, a);
    else if (a === "--seconds") o.seconds = num(i++, a);
    else if (a === "--warmup") o.warmup = num(i++, a);
    else if (a === "--open") o.open = num(i++, a);
    else if (a === "--idle") o.idle = num(i++, a);
    else if (a === "--no-restart") o.restart = false;
    else if (a === "--only") o.only = new Set((argv[++i] ?? "").split(","));
    else if (a === "--cpu-prof") o.cpuProf = true;
    else if (a === "--heap-snapshot") o.heapSnapshot = true;
    else if (a === "--dist") o.dist = true;
    else if (a === "--gateway-node-args") o.gatewayNodeArgs = (argv[++i] ?? "").split(" ").filter(Boolean);
    else if (a === "--out") o.out = argv[++i];
    else if (a !== "--quick") throw new Error(`unknown flag ${a}`);
  }
  return o;
}

/**
 * The latency phase's swaps step by step: the bench's marks joined with the gateway's log of the
 * same swaps (`<dataDir>/gateway.log`), printed as median gaps. @returns the joined marks
 */
async function joinTimelines(
  latency: LatencyFigures,
  dataDir: string,
  log: (line: string) => void,
): Promise<SwapMarks[]> {
  await new Promise((r) => setTimeout(r, 200)); // the log file's stream writes behind the process
  const lines = readFileSync(join(dataDir, "gateway.log"), "utf8").split("\n");
  const joined = withGatewayMarks(latency.timelines, lines);
  for (const type of ["submarine", "reverse"] as const) {
    log(`latency: ${type} step by step (p50 of the gaps, ms):`);
    for (const line of formatGaps(stepGaps(joined, type))) log(line);
  }
  return joined;
}

const AMOUNT_SATS = 2_000;
/** Each coin of the sustained phase pays a few swaps (its change comes back). */
const COIN_SATS = 40_000n;

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const t0 = Date.now();
  const log = (line: string): void =>
    console.log(`[bench +${((Date.now() - t0) / 1000).toFixed(0)}s] ${line}`);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const resultsDir = join(REPO_DIR, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  const profDir = join(resultsDir, `prof-${stamp}`);

  const paths = networkPaths();
  if (await isHealthy(paths)) log(`network: reusing ${paths.dataDir}`);
  else {
    log(`network: bringing it up in ${paths.dataDir}`);
    await up(paths, (l) => log(`regtest: ${l}`));
  }
  const net = readNetworkFile(paths.networkFile);
  arkSection(net);

  const gateway = await GatewayProcess.create(net, {
    nodeArgs: [...opts.gatewayNodeArgs, ...(opts.cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [])],
    dist: opts.dist,
  });
  log(
    `gateway: starting from ${opts.dist ? "the build (dist/)" : "the sources (tsx)"} (${gateway.configFile})`,
  );
  const baseline = await gateway.start();
  log(`gateway: up in ${baseline.readyMs} ms (pid ${gateway.pid}, no swaps yet)`);
  await new Promise((r) => setTimeout(r, 2_000));
  const empty = await gateway.sampleAfterGc();
  log(`gateway: idle with no swaps, after a full GC: RSS ${(empty.rssBytes / 2 ** 20).toFixed(0)} MB`);
  const api = new GatewayApi(gateway.url);
  const watch = new StatusWatch(`${gateway.url.replace(/^http/, "ws")}/v2/ws`);
  const raw = new RawLnd(net);
  const dir = mkdtempSync(join(tmpdir(), "bench-wallets-"));
  /** Funders pay the coins; each is one chain of payments (each spends its own change). */
  const FUNDERS_PER_SIDE = 4;
  const [client, ...funders] = await Promise.all([
    openWallet(net, dir, "client"),
    ...Array.from({ length: 2 * FUNDERS_PER_SIDE }, (_, i) => openWallet(net, dir, `funder${i}`)),
  ]);
  if (client === undefined || funders[0] === undefined) throw new Error("wallets did not open");
  // the raw Ark steps are timed from the first funder (its note leaves it enough besides its coins)
  const funder = funders[0];
  const gatewayScript = scriptOf(gateway.balance().address);
  const cpuWindow = () => processCpuWindow({ runDir: paths.runDir, gatewayPid: () => gateway.pid });
  const ctx: BenchCtx = { gateway, api, watch, raw, client, funder, log, amountSats: AMOUNT_SATS, cpuWindow };

  /** Fresh coins right before a phase spends them (arkd refuses VTXOs past batch end + 144 s). */
  const fund = async (coinsEach: number): Promise<void> => {
    const perFunder = Math.ceil(coinsEach / FUNDERS_PER_SIDE);
    const each = Number(COIN_SATS) * perFunder + 100_000;
    log(
      `funding: ${funders.length} funders redeem a ${each} sat note each (one batch), then pay ${coinsEach} coins each to client and gateway`,
    );
    // arkd funds each batch from its confirmed coins and nothing else mines on this network: one
    // block confirms the change of the batches before (else arkd runs out: "not enough liquidity")
    await btcdHandle(paths.dataDir).mine(1);
    // side by side first (one batch); on a loaded machine the signers can all miss arkd's nonce
    // deadline together, so those that failed then go one at a time
    const first = await Promise.allSettled(funders.map((f) => redeemNote(net, f, each, 1)));
    for (const [i, r] of first.entries())
      if (r.status === "rejected") await redeemNote(net, funders[i]!, each);
    const before = gateway.balance().sats;
    // the funders side by side: half pay the client, half the gateway
    const split = (
      await Promise.all(
        funders.map((f, i) => {
          const side = i < FUNDERS_PER_SIDE ? scriptOf(client.address) : gatewayScript;
          const first = (i % FUNDERS_PER_SIDE) * perFunder;
          const count = Math.max(0, Math.min(perFunder, coinsEach - first));
          return splitCoins(f!, side, count, COIN_SATS);
        }),
      )
    ).flat();
    const s = summarize(split);
    log(`funding: ${split.length} offchain payments, p50 ${s.p50Ms.toFixed(0)} ms each`);
    const want = before + COIN_SATS * BigInt(coinsEach);
    for (let i = 0; gateway.balance().sats < want; i++) {
      if (i > 60) throw new Error("the gateway did not see its coins");
      await new Promise((r) => setTimeout(r, 1_000));
    }
    await client.wallet.rescan();
  };

  let latency: LatencyFigures | undefined;
  let steady: SustainedFigures | undefined;
  let rawPeers: RawThroughput | undefined;
  let creates: CreateRates | undefined;
  let open: OpenSwapFigures | undefined;
  const load0 = loadavg();
  try {
    if (opts.only.has("latency")) {
      await fund(3);
      log(`latency: ${opts.latencySamples} swaps of each flow, one at a time`);
      latency = await latencies(ctx, opts.latencySamples);
      latency = { ...latency, timelines: await joinTimelines(latency, gateway.dataDir, log) };
    }
    if (opts.only.has("sustained")) {
      // the peers' own rate first, on coins of its own (the swap phase's coins stay fresh)
      await fund(25);
      rawPeers = await rawThroughput(ctx, 20, 40);
      log(
        `raw peers: ${rawPeers.arkTx.perSecond.toFixed(1)} Ark payments/s, ${rawPeers.lnPay.perSecond.toFixed(1)} LND payments/s @20`,
      );
      // a coin is reserved while its spend runs, and a lockup that finds no free coin waits for
      // the gateway's next reconciliation: one coin per reverse swap in flight (and per
      // submarine funding on the client side), paid right before the phase (arkd's window)
      await fund(Math.min(Math.ceil(opts.inFlight / 2) + 10, 110));
      log(`sustained: ${opts.inFlight} in flight, ${opts.warmup} s warm-up + ${opts.seconds} s window`);
      steady = await sustained(ctx, opts.inFlight, opts.seconds, opts.warmup);
      log(
        `sustained: ${steady.completed} completed, ${steady.perSecond.toFixed(2)}/s, ${steady.failed} failed`,
      );
    }
    let openBefore = 0;
    if (opts.only.has("create")) {
      creates = await createRates(ctx, opts.levels, opts.creates);
      for (const r of [...creates.reverse, ...creates.submarine]) openBefore += r.gateway.count;
    }
    if (opts.only.has("open")) {
      open = await openSwaps(ctx, opts.open, openBefore, opts.idle, opts.restart, baseline, empty);
      if (opts.heapSnapshot) {
        const path = await gateway.heapSnapshot(join(resultsDir, `heap-${stamp}.heapsnapshot`));
        log(`heap snapshot: ${path}`);
      }
    }
  } finally {
    watch.close();
    await gateway.stop("SIGTERM").catch((e: unknown) => log(`gateway stop: ${String(e)}`));
    await Promise.all([client, ...funders].map((w) => w.close())).catch(() => undefined);
  }

  const machine = {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "?",
    loadavgAtStart: load0,
    loadavgAtEnd: loadavg(),
  };
  const rows = buildRows({ creates, latency, steady, rawPeers, open });
  console.log("");
  console.log(
    `machine: ${machine.cpus} cpus (${machine.cpuModel}), node ${machine.node}, load average ${load0.map((x) => x.toFixed(1)).join(" ")} at start, ${machine.loadavgAtEnd.map((x) => x.toFixed(1)).join(" ")} at end`,
  );
  console.log(formatTable(rows));
  const out = opts.out ?? join(resultsDir, `swaps-${stamp}.json`);
  writeFileSync(
    out,
    `${JSON.stringify({ at: new Date().toISOString(), machine, options: { ...opts, only: [...opts.only] }, rows, creates, latency, rawPeers, sustained: steady, open }, null, 2)}\n`,
  );
  log(`wrote ${out}${opts.cpuProf ? `; gateway CPU profiles in ${profDir}` : ""}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:swaps: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
