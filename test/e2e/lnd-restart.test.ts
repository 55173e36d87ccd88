/**
 * Restart of LND alice (the gateway's node): stopped by its recorded pid (the CLI's own modules)
 * and started again; she must come back synced to the chain, her channel to carol active and
 * routing payments. arkd's restart is in test/e2e/ark/arkd-restart.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { btcdHandle } from "../../src/regtest/btcd.js";
import { lndProcessName, lndStatus, startLnd, stopLnd } from "../../src/regtest/lnd.js";
import type { NetworkFile } from "../../src/regtest/network-file.js";
import { isAlive, runningPid, sleep, waitFor } from "../../src/regtest/process.js";
import { channelWith, createInvoice, payInvoice, resetLndClients } from "./helpers/lightning.js";
import { loadNetwork, testNetworkPaths } from "./helpers/network.js";

let net: NetworkFile;
const paths = testNetworkPaths();
const log = (line: string): void => console.log(`[restart] ${line}`);

beforeAll(() => {
  net = loadNetwork();
});

describe("restarting LND alice", () => {
  it("LND alice comes back synced with her channel active and routing", async () => {
    const name = lndProcessName("alice");
    const pid = runningPid(paths.runDir, name);
    expect(pid).toBeDefined();

    expect(await stopLnd(paths.runDir, "alice")).toBe(true);
    expect(isAlive(pid ?? 0)).toBe(false);
    expect((await lndStatus(paths.dataDir, paths.runDir, "alice")).healthy).toBe(false);

    const btcd = btcdHandle(paths.dataDir);
    await btcd.mine(1); // alice must catch up a block she missed
    const info = await startLnd(paths.dataDir, paths.runDir, "alice", btcd, log);
    expect(info.identityPubkey).toBe(net.lnd.alice.identityPubkey);
    expect(runningPid(paths.runDir, name)).not.toBe(pid);
    // is_synced_to_chain drops for a moment whenever a new block arrives: poll, then assert.
    let health = await lndStatus(paths.dataDir, paths.runDir, "alice");
    for (let i = 0; i < 60 && !health.healthy; i++) {
      await sleep(500);
      health = await lndStatus(paths.dataDir, paths.runDir, "alice");
    }
    expect(health, health.detail).toMatchObject({ healthy: true });

    resetLndClients();
    await waitFor(
      "alice↔carol active",
      120_000,
      async () => (await channelWith(net, "alice", "carol")).is_active,
    );
    await waitFor(
      "carol↔alice active",
      120_000,
      async () => (await channelWith(net, "carol", "alice")).is_active,
    );

    const invoice = await createInvoice(net, "alice", 1_000, "after restart");
    const paid = await waitFor("bob pays alice after her restart", 120_000, () =>
      payInvoice(net, "bob", invoice.request),
    );
    expect(paid.hops.at(-1)?.public_key).toBe(net.lnd.alice.identityPubkey);
  });
});
