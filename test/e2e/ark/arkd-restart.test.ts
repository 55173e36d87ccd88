/**
 * Restart of arkd: stopped by its recorded pid (the CLI's own modules) and started again; it must
 * come back answering GetInfo with the same signer key and network. Needs the Ark stack, so it
 * lives in the e2e-ark project (run only where arkd could be built).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ARK_PROCESS_NAMES } from "../../../src/regtest/ark-stack-contract.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { startArk } from "../../../src/regtest/network.js";
import { isAlive, runningPid, stopProcess, waitFor } from "../../../src/regtest/process.js";
import { loadNetwork, testNetworkPaths } from "../helpers/network.js";

let net: NetworkFile;
const paths = testNetworkPaths();
const log = (line: string): void => console.log(`[arkd-restart] ${line}`);

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

describe("restarting arkd", () => {
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
});
