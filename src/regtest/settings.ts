/**
 * The single source of truth for the native regtest network: versions, loopback ports, arkd
 * settings and node names. The build script (via `npm run regtest -- versions`), the network
 * CLI, the e2e helpers and the polar/ consistency test all read this file.
 */
export const VERSIONS = {
  btcd: "v0.24.2",
  lnd: "v0.20.1-beta",
  arkd: "v0.9.15",
  /** Polar's newest LND image; Polar cannot run 0.20.1 yet. */
  polarLnd: "0.20.0-beta",
} as const;

export const LND_BUILD_TAGS = [
  "signrpc",
  "walletrpc",
  "chainrpc",
  "invoicesrpc",
  "routerrpc",
  "peersrpc",
] as const;

/**
 * Added to every port below (`REGTEST_PORT_OFFSET`, default 0), so that a second network (its own
 * `REGTEST_DATADIR`) can run beside the first on one machine, e.g. a developer's benchmark next
 * to the e2e tests. Read once, at load.
 */
export const PORT_OFFSET = portOffset(process.env["REGTEST_PORT_OFFSET"]);

function portOffset(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 5000)
    throw new Error(`REGTEST_PORT_OFFSET must be an integer from 0 to 5000, got ${JSON.stringify(raw)}`);
  return n;
}

const at = (port: number): number => port + PORT_OFFSET;

/** All on 127.0.0.1. Chosen away from common defaults so a developer's own nodes do not collide. */
export const PORTS = {
  btcdRpc: at(28334),
  btcdP2p: at(28444),
  nbxplorer: at(24774),
  arkdWallet: at(26060),
  arkd: at(27070),
  arkdAdmin: at(27071),
  postgres: at(25432),
  lnd: {
    alice: { grpc: at(20009), rest: at(28080), p2p: at(29735) },
    carol: { grpc: at(20010), rest: at(28081), p2p: at(29736) },
    bob: { grpc: at(20011), rest: at(28082), p2p: at(29737) },
  },
} as const;

export const LND_NODES = ["alice", "carol", "bob"] as const;
export type LndNodeName = (typeof LND_NODES)[number];

/**
 * LND's `--bitcoin.timelockdelta` on the regtest network (LND's minimum; its default is 80).
 * Every forwarding hop adds it to a payment's CLTV, and the gateway's timeout chain must fit
 * inside arkd's VTXO tree expiry (see ARKD_VTXO_TREE_EXPIRY).
 */
export const LND_TIMELOCK_DELTA = 18;

/**
 * arkd's regtest settings, block-typed, close to upstream's regtest defaults with one deliberate
 * difference: the VTXO tree expiry is 144 blocks, not upstream's 40. A swap's VHTLC must refund
 * before the funding VTXO's batch expires (ARCHITECTURE invariant 3), and the Lightning side
 * needs room below the refund: a submarine refund at +72 blocks leaves an LN CLTV limit of 52
 * (one 18-block hop + an 18-block final delta + margin); with 40 blocks no swap could be made.
 * The gateway's regtest timeout defaults (src/config/schema.ts) are checked against 144.
 */
export const ARKD_SETTINGS = {
  ARKD_NETWORK: "regtest",
  ARKD_VTXO_TREE_EXPIRY: "144",
  ARKD_UNILATERAL_EXIT_DELAY: "20",
  ARKD_PUBLIC_UNILATERAL_EXIT_DELAY: "20",
  ARKD_CHECKPOINT_EXIT_DELAY: "10",
  ARKD_BOARDING_EXIT_DELAY: "30",
  ARKD_SESSION_DURATION: "10",
  ARKD_VTXO_MIN_AMOUNT: "1",
  ARKD_DB_TYPE: "sqlite",
  ARKD_EVENT_DB_TYPE: "badger",
  ARKD_LIVE_STORE_TYPE: "inmemory",
  ARKD_NO_MACAROONS: "true",
  ARKD_NO_TLS: "true",
} as const;

export const BTCD_RPC_USER = "regtest";
export const BTCD_RPC_PASS = "regtest";
export const ARKD_WALLET_PASSWORD = "regtest-password";
