#!/usr/bin/env node
/**
 * Summarizes a V8 .heapsnapshot (`bench:swaps --heap-snapshot`, or any writeHeapSnapshot) by
 * node type and constructor: count and self size, largest first. With --retainers NAME, the
 * most common retaining paths (edge names, 6 levels up) of objects of constructor NAME.
 *
 *   node bench/tools/heap-snapshot-top.mjs FILE [--top N] [--retainers NAME] [--per N]
 *
 * --per N divides counts and sizes by N (e.g. the number of open swaps) in an extra column.
 */
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const file = args[0];
if (file === undefined) {
  console.error("usage: heap-snapshot-top.mjs FILE [--top N] [--retainers NAME] [--per N]");
  process.exit(2);
}
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i < 0 ? dflt : args[i + 1];
};
const top = Number(opt("--top", "40"));
const per = Number(opt("--per", "0"));
const retainersOf = opt("--retainers", undefined);

const snap = JSON.parse(readFileSync(file, "utf8"));
const meta = snap.snapshot.meta;
const nf = meta.node_fields;
const ef = meta.edge_fields;
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const N = nf.length;
const E = ef.length;
const iType = nf.indexOf("type");
const iName = nf.indexOf("name");
const iSize = nf.indexOf("self_size");
const iEdges = nf.indexOf("edge_count");
const eType = ef.indexOf("type");
const eName = ef.indexOf("name_or_index");
const eTo = ef.indexOf("to_node");
const { nodes, edges, strings } = snap;
const count = nodes.length / N;

const keyOf = (n) => {
  const type = nodeTypes[nodes[n * N + iType]];
  const name = strings[nodes[n * N + iName]];
  if (type === "object" || type === "closure" || type === "native") return `${type} ${name}`;
  if (type === "string" || type === "concatenated string" || type === "sliced string") return "strings";
  if (type === "code") return `code ${name.startsWith("(") ? name : ""}`.trim();
  return `${type} ${type === "hidden" || type === "array" || type === "synthetic" ? name : ""}`.trim();
};

const groups = new Map();
let total = 0;
for (let n = 0; n < count; n++) {
  const size = nodes[n * N + iSize];
  total += size;
  const k = keyOf(n);
  const g = groups.get(k) ?? { count: 0, size: 0 };
  g.count++;
  g.size += size;
  groups.set(k, g);
}
const MB = 1024 * 1024;
console.log(`${count} nodes, ${(total / MB).toFixed(1)} MB self size in all`);
console.log(
  `${"MB".padStart(8)} ${"count".padStart(9)}${per > 0 ? `  ${"B/each-of-N".padStart(11)} ${"n/N".padStart(6)}` : ""}  group`,
);
for (const [k, g] of [...groups].sort((a, b) => b[1].size - a[1].size).slice(0, top)) {
  const extra =
    per > 0 ? `  ${(g.size / per).toFixed(0).padStart(11)} ${(g.count / per).toFixed(2).padStart(6)}` : "";
  console.log(`${(g.size / MB).toFixed(2).padStart(8)} ${String(g.count).padStart(9)}${extra}  ${k}`);
}

if (retainersOf !== undefined) {
  // first edge index of each node, and the reverse edges (retainers)
  const firstEdge = new Uint32Array(count + 1);
  for (let n = 0, e = 0; n < count; n++) {
    firstEdge[n] = e;
    e += nodes[n * N + iEdges] * E;
  }
  const retainers = Array.from({ length: count }, () => []);
  for (let n = 0; n < count; n++) {
    const end = n + 1 < count ? firstEdge[n + 1] : edges.length;
    for (let e = firstEdge[n]; e < end; e += E) {
      const to = edges[e + eTo] / N;
      const t = edgeTypes[edges[e + eType]];
      if (t === "weak" || t === "shortcut") continue;
      const nm = t === "element" || t === "hidden" ? `[${edges[e + eName]}]` : strings[edges[e + eName]];
      retainers[to].push([n, nm]);
    }
  }
  const paths = new Map();
  let matched = 0;
  for (let n = 0; n < count; n++) {
    if (strings[nodes[n * N + iName]] !== retainersOf) continue;
    matched++;
    const parts = [];
    let cur = n;
    for (let depth = 0; depth < 6; depth++) {
      const r = retainers[cur].find(
        ([p]) => !keyOf(p).startsWith("hidden") && !keyOf(p).startsWith("synthetic"),
      );
      const pick = r ?? retainers[cur][0];
      if (pick === undefined) break;
      parts.push(`${keyOf(pick[0])}.${pick[1]}`);
      cur = pick[0];
    }
    const k = parts.join("  <  ");
    paths.set(k, (paths.get(k) ?? 0) + 1);
  }
  console.log(`\n${matched} objects named ${retainersOf}; first retaining paths:`);
  for (const [k, c] of [...paths].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`${String(c).padStart(6)}  ${k}`);
}
