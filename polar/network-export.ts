/**
 * Builds the Polar (jamaljsr/polar v4) network export for the gateway's test graph:
 * bitcoind `backend1` plus LND `alice`, `carol`, `bob` with channels alice↔carol and carol↔bob.
 *
 * The shapes follow Polar's own types (`src/types/index.ts` Network, `src/shared/types.ts`
 * BitcoinNode / LndNode), its defaults (`src/utils/constants.ts` BasePorts, `createNetwork` and
 * `createLndNetworkNode` in `src/utils/network.ts`), its chart layout (`src/utils/chart.ts`) and
 * its compose templates (`src/lib/docker/nodeTemplates.ts`). Node names and the LND version come
 * from src/regtest/settings.ts so the Polar network and the native one cannot drift apart.
 *
 * Pure: no IO. `build.ts` writes the results to disk.
 */
import { zipSync } from "fflate";
import { stringify } from "yaml";
import { LND_NODES, LND_TIMELOCK_DELTA, VERSIONS, type LndNodeName } from "../src/regtest/settings.js";

/** The network's name in Polar; also the folder under polar/ and the zip's base name. */
export const POLAR_NETWORK_NAME = "ark-ln-gateway";
/** Polar renumbers a network on import; exports carry the exporter's id. */
export const POLAR_EXPORT_NETWORK_ID = 1;
/** The exporter's data folder as it appears in an export (Polar rewrites it on import). */
export const POLAR_EXPORT_PATH = `/home/polar/.polar/networks/${POLAR_EXPORT_NETWORK_ID}`;
/**
 * A Bitcoin Core version Polar v4 ships (its list: 30.0, 29.0, 28.0, ...). 29.0 rather than 30.0:
 * it is within LND 0.20's compatibility bound and is the release NBXplorer 2.5.x and LND's own CI
 * were run against.
 */
export const POLAR_BITCOIND_VERSION = "29.0";
export const POLAR_BITCOIND_NAME = "backend1";
/** Polar's fixed bitcoind RPC credentials (`bitcoinCredentials` in Polar's constants.ts). */
export const POLAR_RPC_USER = "polaruser";
export const POLAR_RPC_PASS = "polarpass";
const POLAR_RPC_AUTH =
  "5e5e98c21f5c814568f8b55d83b23c1c$066b03f92df30b11de8e4b1b1cd5b1b4281aa25205bd57df9be82caf97a05526";

/** Polar's default host ports; node `i` gets base + i (`BasePorts` in Polar's constants.ts). */
export const POLAR_BASE_PORTS = {
  bitcoind: { rpc: 18443, p2p: 19444, zmqBlock: 28334, zmqTx: 29335 },
  lnd: { rest: 8081, grpc: 10001, p2p: 9735 },
} as const;

/** Polar's `Status` enum: Starting, Started, Stopping, Stopped, Error. Exports are stopped. */
export const POLAR_STATUS_STOPPED = 3;

export interface ChannelSpec {
  readonly from: LndNodeName;
  readonly to: LndNodeName;
  readonly capacitySats: number;
  /** Sats pushed to `to` at open, so both sides can route from the start. */
  readonly pushSats: number;
}

/** The channel graph: alice ↔ carol ↔ bob (opened by polar/open-channels.sh). */
export const POLAR_CHANNELS: readonly ChannelSpec[] = [
  { from: "alice", to: "carol", capacitySats: 5_000_000, pushSats: 2_500_000 },
  { from: "carol", to: "bob", capacitySats: 5_000_000, pushSats: 2_500_000 },
];

export const containerName = (networkId: number, nodeName: string): string =>
  `polar-n${networkId}-${nodeName}`;

interface DockerSpec {
  image: string;
  command: string;
}

export interface PolarBitcoinNode {
  id: number;
  networkId: number;
  name: string;
  type: "bitcoin";
  implementation: "bitcoind";
  version: string;
  peers: string[];
  status: number;
  ports: { rpc: number; p2p: number; zmqBlock: number; zmqTx: number };
  docker: DockerSpec;
}

export interface PolarLndNode {
  id: number;
  networkId: number;
  name: string;
  type: "lightning";
  implementation: "LND";
  version: string;
  status: number;
  backendName: string;
  paths: { tlsCert: string; adminMacaroon: string; invoiceMacaroon: string; readonlyMacaroon: string };
  ports: { rest: number; grpc: number; p2p: number };
  docker: DockerSpec;
}

export interface PolarNetwork {
  id: number;
  name: string;
  description: string;
  status: number;
  path: string;
  autoMineMode: number;
  manualMineCount: number;
  nodes: { bitcoin: PolarBitcoinNode[]; lightning: PolarLndNode[]; tap: never[] };
}

interface ChartPort {
  id: string;
  type: "left" | "right" | "top" | "bottom";
  properties?: Record<string, unknown>;
}

export interface ChartNode {
  id: string;
  type: "bitcoin" | "lightning";
  position: { x: number; y: number };
  ports: Record<string, ChartPort>;
  size: { width: number; height: number };
  properties: { status: number; icon: string };
}

export interface ChartLink {
  id: string;
  from: { nodeId: string; portId: string };
  to: { nodeId: string; portId: string };
  properties: Record<string, unknown>;
}

export interface PolarChart {
  offset: { x: number; y: number };
  nodes: Record<string, ChartNode>;
  links: Record<string, ChartLink>;
  selected: Record<string, never>;
  hovered: Record<string, never>;
  scale: number;
}

export interface PolarExport {
  network: PolarNetwork;
  chart: PolarChart;
}

/** Polar's LND file layout under the network folder (`getLndFilePaths`). */
export function lndFilePaths(networkPath: string, name: string): PolarLndNode["paths"] {
  const dir = `${networkPath}/volumes/lnd/${name}`;
  const macaroons = `${dir}/data/chain/bitcoin/regtest`;
  return {
    tlsCert: `${dir}/tls.cert`,
    adminMacaroon: `${macaroons}/admin.macaroon`,
    invoiceMacaroon: `${macaroons}/invoice.macaroon`,
    readonlyMacaroon: `${macaroons}/readonly.macaroon`,
  };
}

export function buildPolarNetwork(): PolarNetwork {
  const networkId = POLAR_EXPORT_NETWORK_ID;
  const bitcoind: PolarBitcoinNode = {
    id: 0,
    networkId,
    name: POLAR_BITCOIND_NAME,
    type: "bitcoin",
    implementation: "bitcoind",
    version: POLAR_BITCOIND_VERSION,
    peers: [],
    status: POLAR_STATUS_STOPPED,
    ports: { ...POLAR_BASE_PORTS.bitcoind },
    // An empty docker spec means "Polar's managed image and default command".
    docker: { image: "", command: "" },
  };
  const lightning = LND_NODES.map((name, id): PolarLndNode => ({
    id,
    networkId,
    name,
    type: "lightning",
    implementation: "LND",
    version: VERSIONS.polarLnd,
    status: POLAR_STATUS_STOPPED,
    backendName: POLAR_BITCOIND_NAME,
    paths: lndFilePaths(POLAR_EXPORT_PATH, name),
    ports: {
      rest: POLAR_BASE_PORTS.lnd.rest + id,
      grpc: POLAR_BASE_PORTS.lnd.grpc + id,
      p2p: POLAR_BASE_PORTS.lnd.p2p + id,
    },
    docker: { image: "", command: "" },
  }));
  return {
    id: networkId,
    name: POLAR_NETWORK_NAME,
    description:
      "ark-ln-gateway test graph: alice <-> carol <-> bob on one bitcoind. arkd joins via polar/docker-compose.ark.yml.",
    status: POLAR_STATUS_STOPPED,
    path: POLAR_EXPORT_PATH,
    autoMineMode: 0,
    manualMineCount: 6,
    nodes: { bitcoin: [bitcoind], lightning, tap: [] },
  };
}

/** Link and port id of a channel in the chart. */
export const channelLinkId = (c: ChannelSpec): string => `chan-${c.from}-${c.to}`;

/** Polar grows a node to fit its side ports: height = max(left, right, 1) * 24 + 12. */
function fitHeight(node: ChartNode): void {
  const ports = Object.values(node.ports);
  const left = ports.filter((p) => p.type === "left").length;
  const right = ports.filter((p) => p.type === "right").length;
  node.size = { width: 200, height: Math.max(left, right, 1) * 24 + 12 };
}

export function buildPolarChart(network: PolarNetwork): PolarChart {
  const nodes: Record<string, ChartNode> = {};
  const links: Record<string, ChartLink> = {};
  for (const btc of network.nodes.bitcoin) {
    nodes[btc.name] = {
      id: btc.name,
      type: "bitcoin",
      position: { x: btc.id * 250 + 250, y: 400 },
      ports: {
        backend: { id: "backend", type: "top" },
        "peer-left": { id: "peer-left", type: "left" },
        "peer-right": { id: "peer-right", type: "right" },
      },
      size: { width: 200, height: 36 },
      properties: { status: btc.status, icon: "bitcoin.svg" },
    };
  }
  for (const ln of network.nodes.lightning) {
    nodes[ln.name] = {
      id: ln.name,
      type: "lightning",
      position: { x: ln.id * 250 + 50, y: 100 + (ln.id % 2 === 0 ? 0 : 100) },
      ports: {
        "empty-left": { id: "empty-left", type: "left" },
        "empty-right": { id: "empty-right", type: "right" },
        backend: { id: "backend", type: "bottom" },
        lndbackend: { id: "lndbackend", type: "top" },
      },
      size: { width: 200, height: 36 },
      properties: { status: ln.status, icon: "lnd.png" },
    };
    const id = `${ln.name}-${ln.backendName}`;
    links[id] = {
      id,
      from: { nodeId: ln.name, portId: "backend" },
      to: { nodeId: ln.backendName, portId: "backend" },
      properties: { type: "backend" },
    };
  }
  for (const chan of POLAR_CHANNELS) {
    const id = channelLinkId(chan);
    const from = nodes[chan.from];
    const to = nodes[chan.to];
    if (from === undefined || to === undefined) throw new Error(`channel ${id}: unknown node`);
    const ltr = from.position.x < to.position.x;
    from.ports[id] = {
      id,
      type: ltr ? "right" : "left",
      properties: { nodeId: chan.from, initiator: true, hasAssets: false },
    };
    to.ports[id] = {
      id,
      type: ltr ? "left" : "right",
      properties: { nodeId: chan.to, initiator: false, hasAssets: false },
    };
    links[id] = {
      id,
      from: { nodeId: chan.from, portId: id },
      to: { nodeId: chan.to, portId: id },
      properties: {
        type: "open-channel",
        channelPoint: "",
        capacity: String(chan.capacitySats),
        fromBalance: String(chan.capacitySats - chan.pushSats),
        toBalance: String(chan.pushSats),
        direction: ltr ? "ltr" : "rtl",
        status: "Open",
        isPrivate: false,
      },
    };
  }
  Object.values(nodes).forEach(fitHeight);
  return { offset: { x: 0, y: 0 }, nodes, links, selected: {}, hovered: {}, scale: 1 };
}

export function buildPolarExport(): PolarExport {
  const network = buildPolarNetwork();
  return { network, chart: buildPolarChart(network) };
}

/** The LND start command Polar renders for a node (Polar's default LND command, filled in). */
function lndCommand(networkId: number, name: string, backend: string): string {
  const backendHost = containerName(networkId, backend);
  return [
    "lnd",
    "--noseedbackup",
    "--trickledelay=5000",
    `--alias=${name}`,
    `--externalip=${name}`,
    `--tlsextradomain=${name}`,
    `--tlsextradomain=${containerName(networkId, name)}`,
    "--tlsextradomain=host.docker.internal",
    "--listen=0.0.0.0:9735",
    "--rpclisten=0.0.0.0:10009",
    "--restlisten=0.0.0.0:8080",
    "--bitcoin.active",
    "--bitcoin.regtest",
    `--bitcoin.timelockdelta=${LND_TIMELOCK_DELTA}`,
    "--bitcoin.node=bitcoind",
    `--bitcoind.rpchost=${backendHost}`,
    `--bitcoind.rpcuser=${POLAR_RPC_USER}`,
    `--bitcoind.rpcpass=${POLAR_RPC_PASS}`,
    `--bitcoind.zmqpubrawblock=tcp://${backendHost}:28334`,
    `--bitcoind.zmqpubrawtx=tcp://${backendHost}:28335`,
    "--accept-keysend",
    "--accept-amp",
  ].join(" ");
}

function bitcoindCommand(): string {
  return [
    "bitcoind",
    "-server=1",
    "-regtest=1",
    // compose needs `$$` for a literal `$`
    `-rpcauth=${POLAR_RPC_USER}:${POLAR_RPC_AUTH.split("$").join("$$")}`,
    "-debug=1",
    "-zmqpubrawblock=tcp://0.0.0.0:28334",
    "-zmqpubrawtx=tcp://0.0.0.0:28335",
    "-zmqpubhashblock=tcp://0.0.0.0:28336",
    "-txindex=1",
    "-dnsseed=0",
    "-upnp=0",
    "-rpcbind=0.0.0.0",
    "-rpcallowip=0.0.0.0/0",
    "-rpcport=18443",
    "-rest",
    "-listen=1",
    "-listenonion=0",
    "-fallbackfee=0.0002",
    "-blockfilterindex=1",
    "-peerblockfilters=1",
  ].join(" ");
}

/**
 * The docker-compose.yml Polar writes into the network folder (services keyed by node name,
 * containers named `polar-n<id>-<name>`). Polar rewrites it from export.json when the network
 * starts; it is in the export because Polar's exports carry it.
 */
export function buildPolarCompose(network: PolarNetwork): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  for (const btc of network.nodes.bitcoin) {
    services[btc.name] = {
      image: `polarlightning/bitcoind:${btc.version}`,
      container_name: containerName(network.id, btc.name),
      hostname: btc.name,
      stop_grace_period: "5m",
      command: bitcoindCommand(),
      volumes: [`./volumes/bitcoind/${btc.name}:/home/bitcoin/.bitcoin`],
      expose: ["18443", "18444", "28334", "28335"],
      ports: [
        `${btc.ports.rpc}:18443`,
        `${btc.ports.p2p}:18444`,
        `${btc.ports.zmqBlock}:28334`,
        `${btc.ports.zmqTx}:28335`,
      ],
    };
  }
  for (const ln of network.nodes.lightning) {
    services[ln.name] = {
      image: `polarlightning/lnd:${ln.version}`,
      container_name: containerName(network.id, ln.name),
      hostname: ln.name,
      command: lndCommand(network.id, ln.name, ln.backendName),
      restart: "always",
      volumes: [`./volumes/lnd/${ln.name}:/home/lnd/.lnd`],
      expose: ["8080", "10009", "9735"],
      ports: [`${ln.ports.rest}:8080`, `${ln.ports.grpc}:10009`, `${ln.ports.p2p}:9735`],
    };
  }
  return { services };
}

export function renderPolarComposeYaml(network: PolarNetwork): string {
  return stringify(buildPolarCompose(network), { lineWidth: 0 });
}

/** Pretty JSON, newline-terminated (Polar itself writes it minified; both parse the same). */
export function renderExportJson(exp: PolarExport): string {
  return `${JSON.stringify(exp, null, 2)}\n`;
}

/** Fixed local-time mtime so the zip's bytes do not depend on when or where it is built. */
const ZIP_MTIME = new Date(2026, 0, 1, 0, 0, 0);

/**
 * The `.polar.zip` Polar imports: export.json, docker-compose.yml and the (empty) volumes/ tree
 * Polar's export carries (`volumes/bitcoind/<name>/`, `volumes/lnd/<name>/`).
 */
export function buildPolarZip(network: PolarNetwork, exportJson: string, composeYaml: string): Uint8Array {
  const enc = new TextEncoder();
  const entries: Record<string, Uint8Array> = {
    "export.json": enc.encode(exportJson),
    "docker-compose.yml": enc.encode(composeYaml),
    "volumes/": new Uint8Array(0),
    "volumes/bitcoind/": new Uint8Array(0),
    "volumes/lnd/": new Uint8Array(0),
  };
  for (const btc of network.nodes.bitcoin) entries[`volumes/bitcoind/${btc.name}/`] = new Uint8Array(0);
  for (const ln of network.nodes.lightning) entries[`volumes/lnd/${ln.name}/`] = new Uint8Array(0);
  return zipSync(entries, { level: 9, mtime: ZIP_MTIME });
}
