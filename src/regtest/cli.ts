/**
 * `npm run regtest -- <command>`: the native regtest network.
 *
 *   up                 start everything (reusing what runs), fund, open channels, write network.json
 *   down               stop what `up` started (by pid file)
 *   status             one health line per component
 *   mine N             mine N blocks
 *   send ADDRESS SATS  pay an address from the faucet (then mine to confirm)
 *   logs NAME [LINES]  the last lines of a component's log (btcd, postgres, alice, lnd-bob, arkd, ...)
 *   versions           component versions (settings.ts)
 *
 * Options: --datadir DIR (or REGTEST_DATADIR; default <repo>/.regtest), --skip-ark (or
 * REGTEST_SKIP_ARK=1; LN side only), --require-ark (fail instead of leaving the Ark stack out
 * when arkd is not built; by default `up` warns and brings up the rest).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LND_BUILD_TAGS, VERSIONS } from "./settings.js";

const USAGE =
  "usage: npm run regtest -- up | down | status | mine N | send ADDRESS SATS | logs NAME [LINES] | versions " +
  "[--datadir DIR] [--skip-ark | --require-ark]";

interface Parsed {
  readonly command: string;
  readonly args: string[];
  readonly dataDir: string | undefined;
  readonly skipArk: boolean;
  readonly requireArk: boolean;
}

function parse(argv: readonly string[]): Parsed {
  const args: string[] = [];
  let dataDir: string | undefined;
  let skipArk = process.env["REGTEST_SKIP_ARK"] === "1";
  let requireArk = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "--datadir") dataDir = argv[++i];
    else if (a.startsWith("--datadir=")) dataDir = a.slice("--datadir=".length);
    else if (a === "--skip-ark") skipArk = true;
    else if (a === "--require-ark") requireArk = true;
    else args.push(a);
  }
  const [command = "help", ...rest] = args;
  return { command, args: rest, dataDir, skipArk, requireArk };
}

async function main(): Promise<number> {
  const p = parse(process.argv.slice(2));
  if (p.command === "versions") {
    for (const [k, v] of Object.entries(VERSIONS)) console.log(`${k}=${v}`);
    console.log(`lnd_tags=${LND_BUILD_TAGS.join(" ")}`);
    return 0;
  }
  // Loaded lazily so `versions` and `help` work without the heavier dependencies.
  const { networkPaths } = await import("./paths.js");
  const paths = networkPaths(p.dataDir);
  const t0 = Date.now();
  const log = (line: string): void =>
    console.log(`[regtest +${((Date.now() - t0) / 1000).toFixed(1)}s] ${line}`);
  switch (p.command) {
    case "up": {
      const { arkdBuilt, up } = await import("./network.js");
      let skipArkReason = p.skipArk ? "--skip-ark / REGTEST_SKIP_ARK=1" : undefined;
      if (!p.skipArk && !p.requireArk && !arkdBuilt()) {
        // Same rule as the e2e setup: without arkd binaries the rest of the network still comes
        // up, and network.json and `status` say why the Ark stack is missing.
        skipArkReason =
          "arkd is not built (npm run regtest:build -- arkd; see docs/testing.md, arkd binaries)";
        log(`WARNING: leaving out the Ark stack: ${skipArkReason}`);
      }
      await up(paths, log, { skipArk: skipArkReason !== undefined, skipArkReason });
      log(`up took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return 0;
    }
    case "down": {
      const { down } = await import("./network.js");
      await down(paths, log);
      log("down: done");
      return 0;
    }
    case "status": {
      const { status } = await import("./network.js");
      // A network brought up without the Ark stack (network.json `arkSkipped`) is judged without it.
      const arkSkipped = existsSync(paths.networkFile)
        ? (JSON.parse(readFileSync(paths.networkFile, "utf8")) as { arkSkipped?: string }).arkSkipped
        : undefined;
      const rows = await status(paths, { skipArk: p.skipArk || arkSkipped !== undefined });
      for (const r of rows) {
        const pid = r.pid === undefined ? "" : ` (pid ${r.pid})`;
        console.log(`${r.healthy ? "ok  " : "DOWN"} ${r.name.padEnd(12)} ${r.detail}${pid}`);
      }
      if (existsSync(paths.networkFile)) {
        console.log(`network file: ${paths.networkFile}`);
        const file = JSON.parse(readFileSync(paths.networkFile, "utf8")) as { arkSkipped?: string };
        if (file.arkSkipped !== undefined) console.log(`ark stack: left out (${file.arkSkipped})`);
      } else console.log("network file: missing");
      return rows.every((r) => r.healthy) ? 0 : 1;
    }
    case "mine": {
      const blocks = Number.parseInt(p.args[0] ?? "1", 10);
      if (!Number.isInteger(blocks) || blocks < 1)
        throw new Error(`mine: N must be a positive integer (${USAGE})`);
      const { btcdHandle } = await import("./btcd.js");
      const btcd = btcdHandle(paths.dataDir);
      await btcd.mine(blocks);
      log(`mined ${blocks} block(s); height ${await btcd.height()}`);
      return 0;
    }
    case "send": {
      const [address, sats] = p.args;
      if (address === undefined || sats === undefined || !/^\d+$/.test(sats)) throw new Error(USAGE);
      const { btcdHandle } = await import("./btcd.js");
      log(`txid ${await btcdHandle(paths.dataDir).send([{ address, sats: BigInt(sats) }])} (unconfirmed)`);
      return 0;
    }
    case "logs": {
      const name = p.args[0];
      if (name === undefined) throw new Error(`logs: which component? (${USAGE})`);
      const lines = Number.parseInt(p.args[1] ?? "200", 10);
      const candidates = [name, `lnd-${name}`].map((n) => join(paths.runDir, `${n}.log`));
      const file = candidates.find((f) => existsSync(f));
      if (file === undefined) throw new Error(`no log for '${name}' in ${paths.runDir}`);
      const text = readFileSync(file, "utf8").split("\n");
      console.log(`==> ${file} <==`);
      console.log(text.slice(-lines - 1).join("\n"));
      return 0;
    }
    default:
      console.log(USAGE);
      return p.command === "help" ? 0 : 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`regtest: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
