#!/usr/bin/env node
/**
 * Summarizes a V8 .cpuprofile (`node --cpu-prof`, e.g. the gateway's from `bench:swaps --cpu-prof`)
 * by function: self time, and total (inclusive) time of every function, optionally over a time
 * window of the profile, plus a per-second busy line to find the phases.
 *
 *   node bench/tools/cpu-profile-top.mjs FILE [--from S] [--to S] [--top N] [--match TEXT] [--timeline]
 *
 * --from/--to: seconds since the profile started (the process start). --match: only rows whose
 * function or file contains TEXT (e.g. "/src/"). Times in ms; "idle", "program" and "(garbage
 * collector)" are V8's own nodes.
 */
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const file = args[0];
if (file === undefined) {
  console.error("usage: cpu-profile-top.mjs FILE [--from S] [--to S] [--top N] [--match TEXT] [--timeline]");
  process.exit(2);
}
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i < 0 ? dflt : args[i + 1];
};
const from = Number(opt("--from", "0")) * 1e6;
const to = Number(opt("--to", "1e9")) * 1e6;
const top = Number(opt("--top", "40"));
const match = opt("--match", undefined);
const timeline = args.includes("--timeline");

const prof = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const short = (url) => {
  const u = url.replace(/^file:\/\//, "");
  return u.includes("/node_modules/")
    ? u.replace(/^.*\/node_modules\//, "nm/")
    : u.replace(/^.*?\/(src|bench)\//, "$1/");
};
const label = (n) => {
  const f = n.callFrame;
  const name = f.functionName || "(anonymous)";
  return f.url ? `${name} ${short(f.url)}:${f.lineNumber + 1}` : name;
};

const self = new Map();
const total = new Map();
const perSecond = new Map();
let t = prof.startTime;
let windowMs = 0;
let idleMs = 0;
for (let i = 0; i < prof.samples.length; i++) {
  t += prof.timeDeltas[i];
  const rel = t - prof.startTime;
  // a sample's weight: the time to the next sample
  const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000;
  const node = byId.get(prof.samples[i]);
  const sec = Math.floor(rel / 1e6);
  const isIdle = node.callFrame.functionName === "(idle)";
  const b = perSecond.get(sec) ?? { busy: 0, all: 0 };
  b.all += dt;
  if (!isIdle) b.busy += dt;
  perSecond.set(sec, b);
  if (rel < from || rel > to) continue;
  windowMs += dt;
  if (isIdle) idleMs += dt;
  const l = label(node);
  self.set(l, (self.get(l) ?? 0) + dt);
  const seen = new Set();
  for (let id = node.id; id !== undefined; id = parent.get(id)) {
    const k = label(byId.get(id));
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + dt);
  }
}

if (timeline) {
  console.log("second  busy%");
  for (const [s, b] of [...perSecond].sort((a, c) => a[0] - c[0]))
    console.log(
      `${String(s).padStart(6)}  ${((100 * b.busy) / Math.max(b.all, 1e-9)).toFixed(0).padStart(4)}`,
    );
}
const pct = (ms) => ((100 * ms) / Math.max(windowMs, 1e-9)).toFixed(1).padStart(5);
console.log(
  `window ${(from / 1e6).toFixed(1)}-${Math.min(to, t - prof.startTime) / 1e6 >= 1e8 ? "end" : (Math.min(to, t - prof.startTime) / 1e6).toFixed(1)} s: ${windowMs.toFixed(0)} ms sampled, idle ${pct(idleMs)} %`,
);
const show = (title, map) => {
  console.log(`\n${title}`);
  const rows = [...map].filter(([k]) => match === undefined || k.includes(match)).sort((a, b) => b[1] - a[1]);
  for (const [k, ms] of rows.slice(0, top)) console.log(`${ms.toFixed(0).padStart(8)} ms ${pct(ms)} %  ${k}`);
};
show("self time", self);
show("total time (inclusive)", total);

// --callers TEXT: the stacks (callers, up to 8 frames) through which functions matching TEXT ran
const callersOf = opt("--callers", undefined);
if (callersOf !== undefined) {
  const stacks = new Map();
  let tt = prof.startTime;
  for (let i = 0; i < prof.samples.length; i++) {
    tt += prof.timeDeltas[i];
    const rel = tt - prof.startTime;
    if (rel < from || rel > to) continue;
    const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000;
    const chain = [];
    for (let id = prof.samples[i]; id !== undefined; id = parent.get(id)) chain.push(label(byId.get(id)));
    const at = chain.findIndex((l) => l.includes(callersOf));
    if (at < 0) continue;
    const key = chain
      .slice(at, at + 12)
      .filter((l) => !l.startsWith("(anonymous)") || l.includes("src/"))
      .slice(0, 8)
      .join("  <  ");
    stacks.set(key, (stacks.get(key) ?? 0) + dt);
  }
  console.log(`\ncallers of ${callersOf}`);
  for (const [k, ms] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${ms.toFixed(0).padStart(8)} ms  ${k}`);
}

// --buckets: each sample into the first bucket (in this order) any frame of its stack matches
if (args.includes("--buckets")) {
  const rules = [
    ["idle", (l) => l === "(idle)"],
    ["GC", (l) => l === "(garbage collector)"],
    ["V8 (program)", (l) => l === "(program)"],
    ["ln-service: BOLT11 parse of its own answers", (l) => l.includes("parse_payment_request")],
    [
      "logging (pino)",
      (l) => l.includes("nm/pino") || l.includes("nm/sonic-boom") || l.includes("src/lib/logger"),
    ],
    ["Postgres (pg driver + kysely)", (l) => /nm\/(pg|pg-protocol|pg-pool|kysely)\//.test(l)],
    [
      "gRPC (grpc-js, protobuf, ln-service wrappers)",
      (l) =>
        /nm\/(@grpc|protobufjs|@protobufjs|lightning|ln-service|invoices)\//.test(l) ||
        l.includes("node:internal/http2"),
    ],
    ["swap keys (BIP32 + signer)", (l) => l.includes("src/ark/wallet/keys.ts")],
    [
      "VHTLC build + address (taproot)",
      (l) => l.includes("src/ark/scripts/") || l.includes("buildCheckedVhtlc"),
    ],
    [
      "HTTP server + JSON + validation",
      (l) => l.includes("src/api/") || l.includes("node:_http") || l.includes("node:http"),
    ],
    ["WebSocket", (l) => l.includes("nm/ws/")],
    ["swap core (src/swaps)", (l) => l.includes("src/swaps/")],
    ["other src/", (l) => l.includes(" src/")],
  ];
  const buckets = new Map();
  let tt = prof.startTime;
  let sum = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    tt += prof.timeDeltas[i];
    const rel = tt - prof.startTime;
    if (rel < from || rel > to) continue;
    const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000;
    const chain = [];
    for (let id = prof.samples[i]; id !== undefined; id = parent.get(id)) chain.push(label(byId.get(id)));
    const hit = rules.find(([, test]) => chain.some(test));
    const name = hit === undefined ? "other (node internals, timers, streams)" : hit[0];
    buckets.set(name, (buckets.get(name) ?? 0) + dt);
    sum += dt;
  }
  console.log("\nbuckets (first rule any frame of the stack matches)");
  for (const [k, ms] of [...buckets].sort((a, b) => b[1] - a[1]))
    console.log(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / sum).toFixed(1).padStart(5)} %  ${k}`);
}
