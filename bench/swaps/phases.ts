/**
 * The benchmark's phases, each measuring the gateway and the raw peers side by side in the same
 * run: create rates, end-to-end latency, sustained throughput, open swaps (RSS, event-loop lag)
 * and the restart that resumes them.
 */
import { createHash, randomBytes } from "node:crypto";
import { schnorr } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import type { ClientWallet } from "../../src/cli/sandbox/client-wallet.js";
import { GatewayApi } from "../../src/cli/sandbox/http-client.js";
import { vhtlcFromWire } from "../../src/cli/sandbox/swaps.js";
import { rawArkSteps, scriptOf } from "./ark-side.js";
import { machineCpuWindow } from "./machine-cpu.js";
import { perOpRecord } from "./process-cpu.js";
import type { GatewayProcess, StartTiming } from "./gateway-process.js";
import type { ProbeSample } from "./probe.js";
import type { RawLnd } from "./raw-lnd.js";
import { StatusWatch } from "./status-watch.js";
import type { SwapMarks } from "./timeline.js";
import { ratePerSecond, runPool, summarize, type LatencySummary } from "./stats.js";

export interface BenchCtx {
  readonly gateway: GatewayProcess;
  readonly api: GatewayApi;
  readonly watch: StatusWatch;
  readonly raw: RawLnd;
  readonly client: ClientWallet;
  readonly funder: ClientWallet;
  /** Progress lines. */
  readonly log: (line: string) => void;
  /** Sats per swap (invoice amount). */
  readonly amountSats: number;
  /** Starts a window of CPU time by process (process-cpu.ts); its end gives ms per group. */
  readonly cpuWindow: () => () => Record<string, number>;
}

export interface RateFigure {
  readonly concurrency: number;
  readonly count: number;
  readonly perSecond: number;
  readonly latency: LatencySummary | undefined;
  readonly errors: number;
  readonly firstError?: string;
  /**
   * The gateway process's CPU time per successful operation (user + system, ms), from the pool's
   * start to 1 s after its end (so the background work a create starts counts too). Far less
   * sensitive to the machine's load than the rate.
   */
  readonly gatewayCpuMsPerOp?: number;
  /** Cores the whole machine kept busy over the pool (all processes; /proc/stat). */
  readonly machineBusyCores?: number;
  /**
   * CPU ms per successful operation of each process group (gateway, bench, lnd-alice, postgres,
   * arkd..., others), from the pool's start to 1 s after its end.
   */
  readonly cpuMsPerOpByProcess?: Record<string, number>;
}

const SUB_FAILING = [
  "invoice.failedToPay",
  "swap.expired",
  "transaction.lockupFailed",
  "transaction.refunded",
];
const REV_FAILING = ["invoice.expired", "swap.expired", "transaction.failed", "transaction.refunded"];

function progress(ctx: BenchCtx, label: string, total: number): (done: number) => void {
  const step = Math.max(1, Math.floor(total / 5));
  return (done) => {
    if (done % step === 0 || done === total) ctx.log(`${label}: ${done}/${total}`);
  };
}

async function timedPool(
  ctx: BenchCtx,
  label: string,
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<RateFigure> {
  const machine = machineCpuWindow();
  const byProcess = ctx.cpuWindow();
  const r = await runPool(count, concurrency, task, progress(ctx, label, count));
  const busy = machine();
  // the work a pool's operations start in the peers and the gateway goes on briefly after it
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const processMs = byProcess();
  const ok = r.latenciesMs.length;
  const first = r.errors[0];
  return {
    ...(busy === undefined ? {} : { machineBusyCores: busy }),
    ...(ok === 0 ? {} : { cpuMsPerOpByProcess: perOpRecord(processMs, ok) }),
    concurrency,
    count: ok,
    perSecond: ratePerSecond(ok, r.elapsedMs),
    latency: ok === 0 ? undefined : summarize(r.latenciesMs),
    errors: r.errors.length,
    ...(first === undefined ? {} : { firstError: first instanceof Error ? first.message : String(first) }),
  };
}

/** `timedPool` of gateway requests, with the gateway's CPU time per successful request. */
async function gatewayPool(
  ctx: BenchCtx,
  label: string,
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<RateFigure> {
  const before = await ctx.gateway.sample();
  const figure = await timedPool(ctx, label, count, concurrency, task); // ends 1 s after the pool
  const after = await ctx.gateway.sample();
  return figure.count === 0
    ? figure
    : { ...figure, gatewayCpuMsPerOp: (after.cpuMs - before.cpuMs) / figure.count };
}

const randomHash = (): { preimage: Buffer; hash: string } => {
  const preimage = randomBytes(32);
  return { preimage, hash: createHash("sha256").update(preimage).digest("hex") };
};

/** A claim public key for swaps no one will claim (open-swap load): any valid compressed key. */
const throwawayKey = (): string => `02${hex.encode(schnorr.getPublicKey(randomBytes(32)))}`;

export interface CreateRates {
  readonly reverse: { readonly gateway: RateFigure; readonly raw: RateFigure }[];
  readonly submarine: { readonly gateway: RateFigure; readonly raw: RateFigure }[];
}

/**
 * Create rates at each concurrency: raw createHodlInvoice vs POST /v2/swap/reverse, raw
 * decode + probe vs POST /v2/swap/submarine (on invoices bob made beforehand, untimed). The
 * swaps made here stay open (they count toward the open-swap phase).
 */
export async function createRates(
  ctx: BenchCtx,
  levels: readonly number[],
  count: number,
): Promise<CreateRates> {
  const out: { reverse: CreateRates["reverse"][number][]; submarine: CreateRates["submarine"][number][] } = {
    reverse: [],
    submarine: [],
  };
  for (const c of levels) {
    const raw = await timedPool(ctx, `raw createHodlInvoice @${c}`, count, c, async () => {
      await ctx.raw.createHoldInvoice(ctx.amountSats);
    });
    const gateway = await gatewayPool(ctx, `POST /v2/swap/reverse @${c}`, count, c, async () => {
      await ctx.api.createReverse(ctx.amountSats, randomHash().hash, throwawayKey());
    });
    out.reverse.push({ gateway, raw });
  }
  for (const c of levels) {
    ctx.log(`bob: ${count} invoices for the submarine creates @${c} (untimed)`);
    const invoices: string[] = [];
    await runPool(count, 20, async (i) => {
      invoices[i] = await ctx.raw.createInvoice("bob", ctx.amountSats);
    });
    const raw = await timedPool(ctx, `raw decode + probe @${c}`, count, c, async (i) => {
      await ctx.raw.decodeAndProbe(invoices[i]!);
    });
    const gateway = await gatewayPool(ctx, `POST /v2/swap/submarine @${c}`, count, c, async (i) => {
      await ctx.api.createSubmarine(invoices[i]!, throwawayKey());
    });
    out.submarine.push({ gateway, raw });
  }
  return out;
}

/** Wall-clock ms of a `performance.now()` reading (the gateway logs the epoch). */
const wallOf = (perfNow: number): number => performance.timeOrigin + perfNow;

/**
 * One submarine swap end to end. @returns the total (create → transaction.claimed) in ms;
 * `marks` gets the wall-clock times of the user's steps (for the per-step timeline)
 */
async function submarineOnce(ctx: BenchCtx, tag: string, marks?: SwapMarks[]): Promise<number> {
  const invoice = await ctx.raw.createInvoice("bob", ctx.amountSats, `bench ${tag}`);
  // the user's own key (its wallet's derivation and insert) is neither the gateway's nor a raw
  // step: the clock starts at the create request
  const key = await ctx.client.wallet.swapKey(`bench-sub-${tag}`);
  const t0 = performance.now();
  const created = await ctx.api.createSubmarine(invoice, key.publicKey);
  const tCreated = performance.now();
  const done = ctx.watch.waitFor(created.id, ["transaction.claimed"], SUB_FAILING);
  done.catch(() => undefined);
  await ctx.client.wallet.fund({
    script: scriptOf(created.address),
    amountSats: BigInt(created.expectedAmount),
    idempotencyKey: created.id,
  });
  const tFunded = performance.now();
  const t1 = await done;
  ctx.watch.forget(created.id);
  marks?.push({
    id: created.id,
    type: "submarine",
    marks: {
      "bench:start": wallOf(t0),
      "bench:created": wallOf(tCreated),
      "bench:funding tx done": wallOf(tFunded),
      "bench:claimed pushed": wallOf(t1),
    },
  });
  return t1 - t0;
}

/**
 * One reverse swap end to end. @returns the total (create → bob's payment settled) in ms;
 * `marks` gets the wall-clock times of the user's steps (for the per-step timeline)
 */
async function reverseOnce(ctx: BenchCtx, tag: string, marks?: SwapMarks[]): Promise<number> {
  const { preimage, hash } = randomHash();
  const key = await ctx.client.wallet.swapKey(`bench-rev-${tag}`);
  const t0 = performance.now(); // as for the submarine: from the create request
  const created = await ctx.api.createReverse(ctx.amountSats, hash, key.publicKey);
  const tCreated = performance.now();
  const locked = ctx.watch.waitFor(created.id, ["transaction.mempool", "transaction.confirmed"], REV_FAILING);
  locked.catch(() => undefined);
  const payment = ctx.raw.pay("bob", created.invoice);
  payment.catch(() => undefined);
  const tLocked = await locked;
  const info = await ctx.client.wallet.serverInfo();
  const vhtlc = vhtlcFromWire({
    sender: created.refundPublicKey,
    receiver: key.publicKey,
    server: info.signerPubkey,
    paymentHash: hash,
    timeouts: created.timeoutBlockHeights,
  });
  // the status can arrive before arkd's indexer answers with the lockup: ask until it does
  const script = scriptOf(created.lockupAddress);
  let vtxos = (await ctx.client.wallet.vtxosAt(script)).filter((v) => !v.isSpent);
  for (const deadline = performance.now() + 30_000; vtxos.length === 0;) {
    if (performance.now() > deadline) throw new Error(`reverse ${created.id}: no lockup VTXO in the indexer`);
    await new Promise((r) => setTimeout(r, 10));
    vtxos = (await ctx.client.wallet.vtxosAt(script)).filter((v) => !v.isSpent);
  }
  const tIndexed = performance.now();
  await ctx.client.wallet.claimVhtlc({
    vhtlc,
    keyIndex: key.index,
    vtxos,
    preimage: preimage.toString("hex"),
  });
  const tClaimed = performance.now();
  await payment;
  const t1 = performance.now();
  await ctx.watch.waitFor(created.id, ["invoice.settled"], REV_FAILING);
  ctx.watch.forget(created.id);
  marks?.push({
    id: created.id,
    type: "reverse",
    marks: {
      "bench:start": wallOf(t0),
      "bench:created": wallOf(tCreated),
      "bench:lockup pushed": wallOf(tLocked),
      "bench:lockup indexed": wallOf(tIndexed),
      "bench:claim tx done": wallOf(tClaimed),
      "bench:bob's payment done": wallOf(t1),
    },
  });
  return t1 - t0;
}

export interface LatencyFigures {
  readonly submarine: LatencySummary;
  readonly reverse: LatencySummary;
  readonly raw: {
    readonly holdInvoiceMs: LatencySummary;
    readonly decodeProbeMs: LatencySummary;
    readonly payMs: LatencySummary;
    readonly arkTxMs: LatencySummary;
    readonly indexerMs: LatencySummary;
  };
  /** Σ raw steps (medians) of each flow, ms. */
  readonly rawSubmarineMs: number;
  readonly rawReverseMs: number;
  /** Each sampled swap's wall-clock marks (the bench's; the caller adds the gateway's log). */
  readonly timelines: SwapMarks[];
}

/**
 * End-to-end latency, one swap at a time, next to the raw steps each flow is made of (medians):
 * submarine = decode + probe, Ark tx (client funds), indexer sees it, LND pay, Ark tx (claim);
 * reverse = hold invoice, LND pay, Ark tx (lockup), indexer sees it, Ark tx (client claim),
 * indexer sees the claim (the gateway learns the preimage). What is left is the gateway's.
 */
export async function latencies(ctx: BenchCtx, samples: number): Promise<LatencyFigures> {
  const sub: number[] = [];
  const rev: number[] = [];
  const timelines: SwapMarks[] = [];
  for (let i = 0; i < samples; i++) {
    sub.push(await submarineOnce(ctx, `lat-${i}-${Date.now()}`, timelines));
    ctx.log(`latency: submarine ${i + 1}/${samples}: ${sub[i]!.toFixed(0)} ms`);
    rev.push(await reverseOnce(ctx, `lat-${i}-${Date.now()}`, timelines));
    ctx.log(`latency: reverse ${i + 1}/${samples}: ${rev[i]!.toFixed(0)} ms`);
  }
  const hold: number[] = [];
  const probe: number[] = [];
  const pay: number[] = [];
  for (let i = 0; i < samples; i++) {
    let t = performance.now();
    await ctx.raw.createHoldInvoice(ctx.amountSats);
    hold.push(performance.now() - t);
    const inv = await ctx.raw.createInvoice("bob", ctx.amountSats, "bench raw pay");
    t = performance.now();
    await ctx.raw.decodeAndProbe(inv);
    probe.push(performance.now() - t);
    t = performance.now();
    await ctx.raw.pay("alice", inv);
    pay.push(performance.now() - t);
  }
  const ark = await rawArkSteps(
    ctx.funder,
    async () => `5120${hex.encode(schnorr.getPublicKey(randomBytes(32)))}`,
    samples,
  );
  const m = (xs: number[]) => summarize(xs);
  const raw = {
    holdInvoiceMs: m(hold),
    decodeProbeMs: m(probe),
    payMs: m(pay),
    arkTxMs: m(ark.txMs),
    indexerMs: m(ark.indexerMs),
  };
  const p = (s: LatencySummary) => s.p50Ms;
  return {
    submarine: m(sub),
    reverse: m(rev),
    raw,
    rawSubmarineMs: p(raw.decodeProbeMs) + 2 * p(raw.arkTxMs) + p(raw.indexerMs) + p(raw.payMs),
    rawReverseMs: p(raw.holdInvoiceMs) + p(raw.payMs) + 2 * p(raw.arkTxMs) + 2 * p(raw.indexerMs),
    timelines,
  };
}

export interface RawThroughput {
  /** Offchain Ark payments (SubmitTx + FinalizeTx) per second from one wallet with enough coins. */
  readonly arkTx: RateFigure;
  /** LND payments alice → carol → bob per second. */
  readonly lnPay: RateFigure;
  /** What the peers allow a mixed swap stream: each swap is two Ark txs and one LND payment. */
  readonly swapCeilingPerSecond: number;
}

/**
 * The raw peers' own throughput at `concurrency`, in the same run as the sustained phase: Ark
 * payments of 1,000 sat from the client's coins to fresh scripts, and LND payments of the swap
 * amount from alice to bob.
 */
export async function rawThroughput(
  ctx: BenchCtx,
  concurrency: number,
  count: number,
): Promise<RawThroughput> {
  const arkTx = await timedPool(ctx, `raw Ark payments @${concurrency}`, count, concurrency, async () => {
    await ctx.client.wallet.fund({
      script: `5120${hex.encode(schnorr.getPublicKey(randomBytes(32)))}`,
      amountSats: 1_000n,
      idempotencyKey: `bench-rawtx-${randomBytes(8).toString("hex")}`,
    });
  });
  const invoices: string[] = [];
  await runPool(count, 20, async (i) => {
    invoices[i] = await ctx.raw.createInvoice("bob", ctx.amountSats, `bench raw pay ${i}`);
  });
  const lnPay = await timedPool(ctx, `raw LND payments @${concurrency}`, count, concurrency, async (i) => {
    await ctx.raw.pay("alice", invoices[i]!);
  });
  return { arkTx, lnPay, swapCeilingPerSecond: Math.min(arkTx.perSecond / 2, lnPay.perSecond) };
}

export interface SustainedFigures {
  readonly inFlight: number;
  readonly windowMs: number;
  readonly completed: number;
  readonly completedSubmarine: number;
  readonly completedReverse: number;
  readonly perSecond: number;
  readonly failed: number;
  readonly firstError?: string;
  readonly latency: LatencySummary | undefined;
  readonly gateway: ProbeSample;
  /** Swaps completed over the whole phase (warm-up, window and the swaps finishing after it). */
  readonly completedInPhase: number;
  /** The gateway's CPU time per swap completed in the phase (its whole CPU over the phase), ms. */
  readonly gatewayCpuMsPerSwap: number | undefined;
  /** SQL statements the gateway sent per swap completed in the phase. */
  readonly sqlStatementsPerSwap: number | undefined;
  /** Cores the whole machine kept busy over the window (all processes; /proc/stat). */
  readonly machineBusyCores?: number | undefined;
  /** CPU ms per swap completed in the phase of each process group (over the whole phase). */
  readonly cpuMsPerSwapByProcess?: Record<string, number> | undefined;
}

/**
 * `inFlight` workers, half submarine and half reverse, each running whole swaps back to back
 * for `seconds`; completed swaps per second over the window after a warm-up of `warmupSeconds`.
 */
export async function sustained(
  ctx: BenchCtx,
  inFlight: number,
  seconds: number,
  warmupSeconds: number,
): Promise<SustainedFigures> {
  const start = performance.now();
  const windowStart = start + warmupSeconds * 1000;
  const end = windowStart + seconds * 1000;
  let completedSub = 0;
  let completedRev = 0;
  let completedInPhase = 0;
  let failed = 0;
  let firstError: string | undefined;
  const lat: number[] = [];
  const before = await ctx.gateway.sample(true);
  const byProcess = ctx.cpuWindow();
  const ticker = setInterval(() => {
    const t = (performance.now() - start) / 1000;
    ctx.log(
      `sustained: t=${t.toFixed(0)} s, completed in window ${completedSub + completedRev}, failed ${failed}`,
    );
  }, 5_000);
  let machine: (() => number | undefined) | undefined;
  let machineBusyCores: number | undefined;
  const windowTimers = [
    setTimeout(() => (machine = machineCpuWindow()), windowStart - performance.now()),
    setTimeout(() => (machineBusyCores = machine?.()), end - performance.now()),
  ];
  const worker = async (w: number): Promise<void> => {
    for (let n = 0; performance.now() < end; n++) {
      const tag = `s${w}-${n}-${Date.now()}`;
      try {
        const ms = w % 2 === 0 ? await submarineOnce(ctx, tag) : await reverseOnce(ctx, tag);
        const now = performance.now();
        completedInPhase++;
        if (now >= windowStart && now <= end) {
          lat.push(ms);
          if (w % 2 === 0) completedSub++;
          else completedRev++;
        }
      } catch (err) {
        failed++;
        firstError ??= err instanceof Error ? err.message : String(err);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  };
  // swaps still running a minute after the window are left behind (they count for nothing)
  const grace = new Promise<void>((resolve) => setTimeout(resolve, end - performance.now() + 60_000).unref());
  try {
    await Promise.race([Promise.all(Array.from({ length: inFlight }, (_, w) => worker(w))), grace]);
  } finally {
    clearInterval(ticker);
    for (const t of windowTimers) clearTimeout(t);
  }
  const processMs = byProcess();
  const gateway = await ctx.gateway.sample(true);
  const completed = completedSub + completedRev;
  const perSwap = (x: number) => (completedInPhase === 0 ? undefined : x / completedInPhase);
  const cpuMs = gateway.cpuMs - before.cpuMs;
  const sqlStatements = gateway.sqlStatements - before.sqlStatements;
  return {
    inFlight,
    windowMs: end - windowStart,
    completed,
    completedSubmarine: completedSub,
    completedReverse: completedRev,
    perSecond: ratePerSecond(completed, end - windowStart),
    failed,
    ...(firstError === undefined ? {} : { firstError }),
    latency: lat.length === 0 ? undefined : summarize(lat),
    gateway,
    completedInPhase,
    gatewayCpuMsPerSwap: perSwap(cpuMs),
    sqlStatementsPerSwap: perSwap(sqlStatements),
    machineBusyCores,
    cpuMsPerSwapByProcess: completedInPhase === 0 ? undefined : perOpRecord(processMs, completedInPhase),
  };
}

export interface OpenSwapFigures {
  readonly openSwaps: number;
  readonly createdHere: number;
  /** The gateway idle with the open swaps, over `idleSeconds`. */
  readonly idle: ProbeSample;
  /** Right after, following two full garbage collections: what of it is live. */
  readonly idleAfterGc: ProbeSample;
  /** The same gateway idle right after its start, no swaps, after two full GCs. */
  readonly empty: ProbeSample | undefined;
  readonly restart?: {
    readonly timing: StartTiming;
    readonly baseline: StartTiming;
    readonly after: ProbeSample;
  };
}

/**
 * Fills the gateway up to `target` open swaps (reverse swaps, unpaid), samples RSS and
 * event-loop lag while idle, then restarts it and times the resume of them all.
 */
export async function openSwaps(
  ctx: BenchCtx,
  target: number,
  alreadyOpen: number,
  idleSeconds: number,
  restart: boolean,
  baseline: StartTiming,
  empty: ProbeSample | undefined,
): Promise<OpenSwapFigures> {
  const missing = Math.max(0, target - alreadyOpen);
  const r = await runPool(
    missing,
    20,
    async () => {
      await ctx.api.createReverse(ctx.amountSats, randomHash().hash, throwawayKey());
    },
    progress(ctx, "open swaps: creating", missing),
  );
  if (r.errors.length > 0) ctx.log(`open swaps: ${r.errors.length} creates failed: ${String(r.errors[0])}`);
  const open = alreadyOpen + r.latenciesMs.length;
  ctx.log(`open swaps: ${open} open; idle ${idleSeconds} s for RSS and event-loop lag`);
  await ctx.gateway.sample(true);
  await new Promise((res) => setTimeout(res, idleSeconds * 1000));
  const idle = await ctx.gateway.sample(true);
  const idleAfterGc = await ctx.gateway.sampleAfterGc();
  const base = { openSwaps: open, createdHere: r.latenciesMs.length, idle, idleAfterGc, empty };
  if (!restart) return base;
  ctx.log("restart: stopping the gateway (SIGTERM), starting it again on the same database");
  await ctx.gateway.stop("SIGTERM");
  const timing = await ctx.gateway.start();
  ctx.log(`restart: API answered after ${timing.readyMs} ms`);
  await new Promise((res) => setTimeout(res, 2_000));
  const after = await ctx.gateway.sample(true);
  return { ...base, restart: { timing, baseline, after } };
}
