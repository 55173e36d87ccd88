/**
 * polar/ cannot be run here (no Docker), so this checks its files' structure and that names,
 * ports, versions and arkd settings agree with the native network (src/regtest/settings.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EXPORT_DIR, POLAR_DIR, renderPolarExportFiles, ZIP_PATH } from "../../../polar/build.js";
import { GATEWAY_CONFIG_KEYS } from "../../../polar/config-keys.js";
import {
  POLAR_BASE_PORTS,
  POLAR_BITCOIND_NAME,
  POLAR_CHANNELS,
  type PolarExport,
} from "../../../polar/network-export.js";
import {
  ARK_COMPOSE_ENDPOINTS,
  DEFAULT_DATABASE_URL,
  findPolarDir,
  formatEnvFile,
  gatewayEnvFor,
  main,
  parseArgs,
  readPolarLndTarget,
} from "../../../polar/polar-env.js";
import { GatewayError } from "../../../src/domain/errors.js";
import {
  ARKD_SETTINGS,
  ARKD_WALLET_PASSWORD,
  LND_NODES,
  PORTS,
  VERSIONS,
} from "../../../src/regtest/settings.js";

const exportJsonText = readFileSync(join(EXPORT_DIR, "export.json"), "utf8");
const exported = JSON.parse(exportJsonText) as PolarExport;
const { network, chart } = exported;

describe("export.json (Polar v4 export format)", () => {
  it("is what polar/build.ts generates from settings.ts (regenerate with `npx tsx polar/build.ts`)", () => {
    const fresh = renderPolarExportFiles();
    expect(exportJsonText).toBe(fresh.exportJson);
    expect(readFileSync(join(EXPORT_DIR, "docker-compose.yml"), "utf8")).toBe(fresh.composeYaml);
    expect(Buffer.from(readFileSync(ZIP_PATH)).equals(Buffer.from(fresh.zip))).toBe(true);
  });

  it("has the network fields Polar's importer validates and its v4 fields", () => {
    expect(Object.keys(exported).sort()).toEqual(["chart", "network"]);
    expect(typeof network.id).toBe("number");
    expect(typeof network.name).toBe("string");
    expect(typeof network.status).toBe("number");
    expect(typeof network.path).toBe("string");
    expect(typeof network.description).toBe("string");
    expect(network.autoMineMode).toBe(0);
    expect(network.nodes.tap).toEqual([]);
    for (const key of ["offset", "nodes", "links", "selected", "hovered"] as const)
      expect(typeof chart[key]).toBe("object");
  });

  it("has one bitcoind backend1 on Polar's default ports", () => {
    expect(network.nodes.bitcoin).toHaveLength(1);
    const btc = network.nodes.bitcoin[0];
    expect(btc).toMatchObject({
      id: 0,
      name: POLAR_BITCOIND_NAME,
      type: "bitcoin",
      implementation: "bitcoind",
      networkId: network.id,
      peers: [],
      ports: { rpc: 18443, p2p: 19444, zmqBlock: 28334, zmqTx: 29335 },
      docker: { image: "", command: "" },
    });
    expect(btc?.version).toMatch(/^\d+\.\d+$/);
  });

  it("has LND nodes named LND_NODES at VERSIONS.polarLnd with Polar's default ports and paths", () => {
    const ln = network.nodes.lightning;
    expect(ln.map((n) => n.name)).toEqual([...LND_NODES]);
    ln.forEach((node, i) => {
      expect(node).toMatchObject({
        id: i,
        networkId: network.id,
        type: "lightning",
        implementation: "LND",
        version: VERSIONS.polarLnd,
        backendName: POLAR_BITCOIND_NAME,
        ports: { grpc: 10001 + i, rest: 8081 + i, p2p: 9735 + i },
        docker: { image: "", command: "" },
      });
      expect(node.paths.tlsCert).toBe(`${network.path}/volumes/lnd/${node.name}/tls.cert`);
      expect(node.paths.adminMacaroon).toBe(
        `${network.path}/volumes/lnd/${node.name}/data/chain/bitcoin/regtest/admin.macaroon`,
      );
    });
    expect(POLAR_BASE_PORTS.lnd).toEqual({ grpc: 10001, rest: 8081, p2p: 9735 });
  });

  it("charts every node, each LND→backend link and the channels alice↔carol↔bob", () => {
    expect(Object.keys(chart.nodes).sort()).toEqual([POLAR_BITCOIND_NAME, ...LND_NODES].sort());
    for (const name of LND_NODES) {
      const link = chart.links[`${name}-${POLAR_BITCOIND_NAME}`];
      expect(link?.from).toEqual({ nodeId: name, portId: "backend" });
      expect(link?.to).toEqual({ nodeId: POLAR_BITCOIND_NAME, portId: "backend" });
    }
    const channels = Object.values(chart.links)
      .filter((l) => l.properties.type === "open-channel")
      .map((l) => [l.from.nodeId, l.to.nodeId]);
    expect(channels).toEqual([
      ["alice", "carol"],
      ["carol", "bob"],
    ]);
    // every link ends on ports that exist on its nodes
    for (const link of Object.values(chart.links)) {
      expect(chart.nodes[link.from.nodeId]?.ports[link.from.portId]).toBeDefined();
      expect(chart.nodes[link.to.nodeId]?.ports[link.to.portId]).toBeDefined();
    }
  });
});

describe("the zip", () => {
  const files = unzipSync(new Uint8Array(readFileSync(ZIP_PATH)));

  it("holds export.json identical to the unzipped one, docker-compose.yml and volumes/", () => {
    expect(strFromU8(files["export.json"] as Uint8Array)).toBe(exportJsonText);
    const compose = parse(strFromU8(files["docker-compose.yml"] as Uint8Array)) as {
      services: Record<string, { image: string; container_name: string; ports: string[] }>;
    };
    expect(Object.keys(compose.services).sort()).toEqual([POLAR_BITCOIND_NAME, ...LND_NODES].sort());
    for (const [i, name] of LND_NODES.entries()) {
      const svc = compose.services[name];
      expect(svc?.image).toBe(`polarlightning/lnd:${VERSIONS.polarLnd}`);
      expect(svc?.container_name).toBe(`polar-n${network.id}-${name}`);
      expect(svc?.ports).toContain(`${10001 + i}:10009`);
    }
    for (const name of LND_NODES) expect(Object.keys(files)).toContain(`volumes/lnd/${name}/`);
    expect(Object.keys(files)).toContain(`volumes/bitcoind/${POLAR_BITCOIND_NAME}/`);
  });
});

describe("docker-compose.ark.yml", () => {
  type Service = {
    image: string;
    environment: Record<string, string>;
    ports?: string[];
    command?: string[] | string;
  };
  const compose = parse(readFileSync(join(POLAR_DIR, "docker-compose.ark.yml"), "utf8")) as {
    services: Record<string, Service>;
    networks: { default: { name: string; external: boolean } };
  };
  const svc = (name: string): Service => {
    const s = compose.services[name];
    if (s === undefined) throw new Error(`no service ${name}`);
    return s;
  };

  it("has the services, on Polar's external network parameterised by POLAR_NETWORK_ID", () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ["arkd", "arkd-init", "arkd-wallet", "esplora", "nbxplorer", "postgres"].sort(),
    );
    expect(compose.networks.default).toEqual({
      name: "polar-network-${POLAR_NETWORK_ID}_default",
      external: true,
    });
  });

  it("runs arkd and arkd-wallet at VERSIONS.arkd", () => {
    expect(svc("arkd").image).toBe(`ghcr.io/arkade-os/arkd:${VERSIONS.arkd}`);
    expect(svc("arkd-wallet").image).toBe(`ghcr.io/arkade-os/arkd-wallet:${VERSIONS.arkd}`);
  });

  it("gives arkd every ARKD_SETTINGS value unchanged (sqlite/badger/inmemory included: no exceptions)", () => {
    const env = svc("arkd").environment;
    for (const [key, value] of Object.entries(ARKD_SETTINGS)) expect(env[key], key).toBe(value);
    expect(env.ARKD_WALLET_ADDR).toBe("arkd-wallet:6060");
    expect(env.ARKD_ESPLORA_URL).toBe("http://esplora:3002");
    expect(svc("esplora").command).toContain("--http-addr=0.0.0.0:3002");
  });

  it("publishes the native network's ports", () => {
    expect(svc("arkd").ports).toEqual([`${PORTS.arkd}:7070`, `${PORTS.arkdAdmin}:7071`]);
    expect(svc("arkd-wallet").ports).toEqual([`${PORTS.arkdWallet}:6060`]);
    expect(svc("nbxplorer").ports).toEqual([`${PORTS.nbxplorer}:32838`]);
    expect(svc("postgres").ports).toEqual([`${PORTS.postgres}:5432`]);
  });

  it("points NBXplorer and esplora at Polar's bitcoind with Polar's credentials", () => {
    const nbx = svc("nbxplorer").environment;
    expect(nbx.NBXPLORER_BTCRPCURL).toMatch(/^http:\/\/polar-n\$\{POLAR_NETWORK_ID[^}]*\}-backend1:18443$/);
    expect(nbx.NBXPLORER_BTCNODEENDPOINT).toBe("polar-n${POLAR_NETWORK_ID}-backend1:18444");
    expect([nbx.NBXPLORER_BTCRPCUSER, nbx.NBXPLORER_BTCRPCPASSWORD]).toEqual(["polaruser", "polarpass"]);
    expect(svc("arkd-wallet").environment.ARKD_WALLET_NBXPLORER_URL).toBe("http://nbxplorer:32838");
    expect(svc("esplora").command).toContain("--daemon-rpc-addr=polar-n${POLAR_NETWORK_ID}-backend1:18443");
    expect(svc("esplora").command).toContain("--cookie=polaruser:polarpass");
  });

  it("matches polar-env's database URL and the native wallet password", () => {
    const pg = svc("postgres").environment;
    const want = ARK_COMPOSE_ENDPOINTS.postgres;
    expect([pg.POSTGRES_USER, pg.POSTGRES_PASSWORD, pg.POSTGRES_DB]).toEqual([
      want.user,
      want.password,
      want.database,
    ]);
    expect(ARK_COMPOSE_ENDPOINTS.arkdUrl).toBe(`http://127.0.0.1:${PORTS.arkd}`);
    expect(svc("arkd-init").environment.ARKD_WALLET_PASSWORD).toBe(ARKD_WALLET_PASSWORD);
  });
});

describe("polar-env", () => {
  let root: string;
  let polarDir: string;
  const networksJson = {
    version: "4.0.0",
    networks: [
      {
        id: 1,
        name: "other",
        path: "/elsewhere/.polar/networks/1",
        nodes: { bitcoin: [], lightning: [], tap: [] },
      },
      {
        id: 3,
        name: "ark-ln-gateway",
        // a stale absolute path: polar-env must use <polarDir>/networks/3
        path: "/home/someone-else/.polar/networks/3",
        nodes: {
          bitcoin: [{ name: "backend1" }],
          lightning: [
            // Polar moved alice off the busy defaults 10001/8081
            {
              name: "alice",
              implementation: "LND",
              version: "0.20.0-beta",
              ports: { grpc: 10004, rest: 8084, p2p: 9738 },
            },
            { name: "carol", implementation: "c-lightning", version: "25.09.3", ports: { rest: 8182 } },
          ],
          tap: [],
        },
      },
    ],
    charts: {},
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "polar-env-"));
    polarDir = join(root, ".polar");
    const lndDir = join(polarDir, "networks", "3", "volumes", "lnd", "alice");
    mkdirSync(join(lndDir, "data", "chain", "bitcoin", "regtest"), { recursive: true });
    mkdirSync(join(polarDir, "networks", "1"), { recursive: true });
    writeFileSync(join(polarDir, "networks", "networks.json"), JSON.stringify(networksJson));
    writeFileSync(join(lndDir, "tls.cert"), "-----BEGIN CERTIFICATE-----\nfake\n");
    writeFileSync(join(lndDir, "data", "chain", "bitcoin", "regtest", "admin.macaroon"), "fake");
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const codeOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(GatewayError);
      return (e as GatewayError).code;
    }
    throw new Error("expected an error");
  };

  it("reads alice's recorded ports and derives cert/macaroon paths from the data folder", () => {
    const alicePaths = join(polarDir, "networks", "3", "volumes", "lnd", "alice");
    for (const selector of ["3", "ark-ln-gateway", "ARK-LN-GATEWAY"]) {
      const target = readPolarLndTarget(polarDir, selector);
      expect(target).toMatchObject({
        networkId: 3,
        networkName: "ark-ln-gateway",
        nodeName: "alice",
        version: "0.20.0-beta",
        ports: { grpc: 10004, rest: 8084 },
        tlsCertPath: join(alicePaths, "tls.cert"),
        adminMacaroonPath: join(alicePaths, "data", "chain", "bitcoin", "regtest", "admin.macaroon"),
      });
    }
  });

  it("writes the gateway's config keys", () => {
    const env = gatewayEnvFor(readPolarLndTarget(polarDir, "3"));
    const alicePaths = join(polarDir, "networks", "3", "volumes", "lnd", "alice");
    expect(env).toEqual({
      [GATEWAY_CONFIG_KEYS.lndSocket]: "127.0.0.1:10004",
      [GATEWAY_CONFIG_KEYS.lndCertPath]: join(alicePaths, "tls.cert"),
      [GATEWAY_CONFIG_KEYS.lndMacaroonPath]: join(
        alicePaths,
        "data",
        "chain",
        "bitcoin",
        "regtest",
        "admin.macaroon",
      ),
      [GATEWAY_CONFIG_KEYS.arkdUrl]: `http://127.0.0.1:${PORTS.arkd}`,
      [GATEWAY_CONFIG_KEYS.databaseUrl]: `postgres://gateway:gateway@127.0.0.1:${PORTS.postgres}/gateway`,
      [GATEWAY_CONFIG_KEYS.network]: "regtest",
    });
    expect(DEFAULT_DATABASE_URL).toBe(env.GATEWAY_DATABASE_URL);
    expect(Object.values(GATEWAY_CONFIG_KEYS)).toEqual([
      "GATEWAY_LND_SOCKET",
      "GATEWAY_LND_CERT_PATH",
      "GATEWAY_LND_MACAROON_PATH",
      "GATEWAY_ARKD_URL",
      "GATEWAY_DATABASE_URL",
      "GATEWAY_NETWORK",
    ]);
  });

  it("the CLI writes the env file", () => {
    const out = join(root, "gateway.env");
    expect(main(["--network", "ark-ln-gateway", "--polar-dir", polarDir, "--out", out])).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).toContain("GATEWAY_LND_SOCKET=127.0.0.1:10004\n");
    expect(text).toContain("GATEWAY_NETWORK=regtest\n");
    expect(text.split("\n").filter((l) => /^GATEWAY_\w+=/.test(l))).toHaveLength(6);
    expect(formatEnvFile({ A: "has space" })).toBe('A="has space"\n');
  });

  it("errors clearly on a missing folder, network, node or file", () => {
    expect(codeOf(() => findPolarDir(join(root, "nope")))).toBe("polar.dir_not_found");
    expect(codeOf(() => findPolarDir(undefined, join(root, "empty-home")))).toBe("polar.dir_not_found");
    expect(findPolarDir("~/.polar", root)).toBe(polarDir);
    expect(codeOf(() => readPolarLndTarget(polarDir, "9"))).toBe("polar.network_not_found");
    expect(codeOf(() => readPolarLndTarget(polarDir, "missing"))).toBe("polar.network_not_found");
    expect(codeOf(() => readPolarLndTarget(polarDir, "3", "dave"))).toBe("polar.node_not_found");
    expect(codeOf(() => readPolarLndTarget(polarDir, "3", "carol"))).toBe("polar.node_not_lnd");
    expect(codeOf(() => readPolarLndTarget(polarDir, "other"))).toBe("polar.node_not_found");
    expect(codeOf(() => parseArgs([]))).toBe("polar.usage");
    expect(codeOf(() => parseArgs(["--network"]))).toBe("polar.usage");
    expect(codeOf(() => parseArgs(["--bogus", "x"]))).toBe("polar.usage");

    let message = "";
    try {
      readPolarLndTarget(polarDir, "missing");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('no network "missing"');
    expect(message).toContain('3 "ark-ln-gateway"');
  });

  it("errors on a missing cert (network never started) and the CLI prints one line, no stack", () => {
    const cert = join(polarDir, "networks", "3", "volumes", "lnd", "alice", "tls.cert");
    const saved = readFileSync(cert);
    rmSync(cert);
    try {
      expect(codeOf(() => readPolarLndTarget(polarDir, "3"))).toBe("polar.node_file_missing");
    } finally {
      writeFileSync(cert, saved);
    }
    const writes: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(main(["--network", "nope", "--polar-dir", polarDir])).toBe(1);
    } finally {
      process.stderr.write = orig;
    }
    const stderr = writes.join("");
    expect(stderr).toMatch(/^polar-env: no network "nope"/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe("channel topology", () => {
  it("is alice↔carol↔bob, also in polar/open-channels.sh", () => {
    expect(POLAR_CHANNELS.map((c) => [c.from, c.to])).toEqual([
      ["alice", "carol"],
      ["carol", "bob"],
    ]);
    const script = readFileSync(join(POLAR_DIR, "open-channels.sh"), "utf8");
    for (const c of POLAR_CHANNELS) {
      expect(script).toContain(`open_channel ${c.from} ${c.to} ${c.capacitySats} ${c.pushSats}`);
    }
  });
});
