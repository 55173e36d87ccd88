/**
 * The heap one open reverse swap's hold-invoice watch costs: N SubscribeSingleInvoice streams
 * through the gateway's LND adapter on the regtest network of REGTEST_PORT_OFFSET /
 * REGTEST_DATADIR (alice, random hashes: LND keeps the streams open and sends nothing), live
 * heap after two full GCs before and after.
 *
 *   REGTEST_PORT_OFFSET=700 REGTEST_DATADIR=/tmp/rt700 npx tsx bench/tools/invoice-stream-heap.ts [N]
 */
import { randomBytes } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { connectLnd } from "../../src/lightning/lnd/connect.js";
import { createLndLightning } from "../../src/lightning/lnd/lnd-lightning.js";
import { readNetworkFile } from "../../src/regtest/network-file.js";
import { networkPaths } from "../../src/regtest/paths.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const live = (): { heap: number; rss: number } => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
};

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 600);
  const alice = readNetworkFile(networkPaths().networkFile).lnd.alice;
  const ln = createLndLightning(
    connectLnd({ socket: alice.grpcSocket, cert: alice.tlsCertPath, macaroon: alice.adminMacaroonPath }),
  );
  await ln.getHeight(); // connected, protos loaded
  await new Promise((r) => setTimeout(r, 500));
  const before = live();
  const streams = Array.from({ length: n }, () => ln.subscribeToInvoice(randomBytes(32).toString("hex")));
  await new Promise((r) => setTimeout(r, 3_000));
  const after = live();
  console.log(
    `${n} invoice streams: live heap +${((after.heap - before.heap) / 1024 / n).toFixed(1)} KB each, RSS +${((after.rss - before.rss) / 2 ** 20).toFixed(1)} MB in all`,
  );
  for (const s of streams) s.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
