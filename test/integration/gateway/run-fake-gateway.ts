/**
 * A child process for the SIGTERM test: a gateway on fake ports and the given database, stopped
 * by runUntilSignal. Prints `listening <url>` once serving and `stopped` when stopped.
 * Usage: tsx run-fake-gateway.ts <databaseUrl> <schema>
 */
import { runUntilSignal } from "../../../src/gateway/signals.js";
import { fakeGateway } from "./fake-world.js";

const [databaseUrl = "", schema = ""] = process.argv.slice(2);
const { gateway } = fakeGateway(databaseUrl, schema);
gateway.on("stopped", () => process.stdout.write("stopped\n"));
runUntilSignal(gateway);
await gateway.start();
process.stdout.write(`listening ${gateway.http?.url ?? ""}\n`);
