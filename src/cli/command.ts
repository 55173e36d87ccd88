/** The shape of one CLI command (one file per command under ./commands). */
import type { OptionSpecs, Parsed } from "./args.js";
import type { CliIo } from "./io.js";

export interface Command {
  /** As typed: "start", "swaps list". */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The synopsis, e.g. "ark-ln-gateway swaps show <id> [--json]". */
  readonly usage: string;
  /** The options and what they do, printed by --help. */
  readonly help: string;
  readonly options: OptionSpecs;
  /** How many positional arguments it takes (default 0). */
  readonly maxPositionals?: number;
  /** @returns the exit code; throws UsageError (2) or any error (1) */
  run(args: Parsed, io: CliIo): Promise<number>;
}

/** Help text shared by every command that takes the gateway's settings. */
export const SETTINGS_HELP = `Settings (each also from GATEWAY_* variables or the --config JSON file; a flag wins):
  --config <file>          JSON config file (GATEWAY_CONFIG_FILE)
  --network <name>         bitcoin | testnet | signet | mutinynet | regtest (GATEWAY_NETWORK)
  --data-dir <dir>         seed, embedded Postgres (GATEWAY_DATA_DIR, default ~/.ark-ln-gateway)
  --arkd-url <url>         arkd gRPC, e.g. http://127.0.0.1:7070 (GATEWAY_ARKD_URL)
  --lnd-socket <host:port> LND gRPC (GATEWAY_LND_SOCKET)
  --lnd-cert <file>        LND tls.cert (GATEWAY_LND_CERT_PATH)
  --lnd-macaroon <file>    LND macaroon (GATEWAY_LND_MACAROON_PATH)
  --database-url <url>     Postgres URL (GATEWAY_DATABASE_URL, default an embedded Postgres in the data dir)
  --seed-file <file>       wallet seed, created 0600 on first start (GATEWAY_SEED_FILE)
  --listen <host:port>     HTTP API address (GATEWAY_LISTEN_HOST/PORT, default 127.0.0.1:9001)
  --log-level <level>      fatal | error | warn | info | debug | trace | silent (GATEWAY_LOG_LEVEL, default info)`;

/** Help text of the commands that only need the database. */
export const DATABASE_HELP = `Database (also from GATEWAY_* variables or the --config JSON file):
  --config <file>          JSON config file (GATEWAY_CONFIG_FILE)
  --database-url <url>     Postgres URL (GATEWAY_DATABASE_URL)
  --data-dir <dir>         without a URL: the embedded Postgres in <dir>/postgres (GATEWAY_DATA_DIR)
  --log-level <level>      log level of the diagnostics on stderr (default warn)`;
