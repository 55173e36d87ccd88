/**
 * Restarts of the regtest network's daemons: arkd and LND alice are stopped by their recorded
 * pid (the CLI's own modules) and started again; each must come back healthy — arkd answers
 * GetInfo, alice is synced to the chain with her channel to carol active and routing payments.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ARK_PROCESS_NAMES } from "../regtest/ark-stack-contract.js";
import { btcdHandle } from "../regtest/btcd.js";
import { lndProcessName, lndStatus, startLnd, stopLnd } from "../regtest/lnd.js";
import type { NetworkFile } from "../regtest/network-file.js";
import { startArk } from "../regtest/network.js";
import { isAlive, runningPid, sleep, stopProcess, waitFor } from "../regtest/process.js";
import { channelWith, createInvoice, payInvoice, resetLndClients } from "./helpers/lightning.js";
import { loadNetwork, testNetworkPaths } from "./helpers/network.js";

let net: NetworkFile;
const paths = testNetworkPaths();
const log = (line: string): void => console.log(`[restart] ${line}`);

beforeAll(() => {
  net = loadNetwork();
});

async function arkdInfo(): Promise<{ signerPubkey?: string; network?: string }> {
  // network.json has `ark: null` when the network was brought up without the Ark stack.
  if ((net.ark as NetworkFile["ark"] | null) === null)
    throw new Error(
      `this regtest network runs without the Ark stack: ${net.arkSkipped ?? "network.json ark: null"}`,
    );
  const res = await fetch(`${net.ark.arkdUrl}/v1/info`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`GET /v1/info: HTTP ${res.status}`);
  return (await res.json()) as { signerPubkey?: string; network?: string };
}

describe("restarting daemons", () => {
  it("arkd comes back and answers GetInfo", async () => {
    const before = await arkdInfo();
    const pid = runningPid(paths.runDir, ARK_PROCESS_NAMES.arkd);
    expect(pid).toBeDefined();

    expect(await stopProcess(paths.runDir, ARK_PROCESS_NAMES.arkd)).toBe(true);
    expect(isAlive(pid ?? 0)).toBe(false);
    await expect(arkdInfo()).rejects.toThrow();

    await startArk(paths, log);
    const newPid = runningPid(paths.runDir, ARK_PROCESS_NAMES.arkd);
    expect(newPid).toBeDefined();
    expect(newPid).not.toBe(pid);
    const after = await waitFor("arkd GetInfo", 120_000, () => arkdInfo());
    expect(after.signerPubkey).toBe(before.signerPubkey);
    expect(after.network).toBe(before.network);
  });

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
