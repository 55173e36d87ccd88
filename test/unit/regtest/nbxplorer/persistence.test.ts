import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HDKey } from "@scure/bip32";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGTEST } from "../../../../src/regtest/nbxplorer/derivation.js";
import { startNbxplorerServer } from "../../../../src/regtest/nbxplorer/server.js";
import { FakeBtcd } from "../../../fakes/fake-btcd.js";

const TPUB = HDKey.fromMasterSeed(new Uint8Array(32).fill(4), REGTEST.bip32).derive(
  "m/86'/1'/1'",
).publicExtendedKey;
const SCHEME = encodeURIComponent(`${TPUB}-[taproot]`);

describe("NBXplorer-compatible server restarts", () => {
  const btcd = new FakeBtcd();
  const dir = mkdtempSync(join(tmpdir(), "nbx-state-"));
  const statePath = join(dir, "state.json");

  beforeAll(() => btcd.listen());
  afterAll(async () => {
    await btcd.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps tracked schemes and groups (with their ids) across a restart", async () => {
    const opts = { port: 0, btcd: { rpcHost: btcd.rpcHost, rpcUser: "u", rpcPass: "p" }, statePath };
    const first = await startNbxplorerServer(opts);
    await fetch(`${first.url}/v1/cryptos/BTC/derivations/${SCHEME}`, { method: "POST" });
    const group = (await (await fetch(`${first.url}/v1/groups`, { method: "POST" })).json()) as {
      groupId: string;
    };
    const address = (
      (await (await fetch(`${first.url}/v1/cryptos/BTC/derivations/${SCHEME}/addresses/unused`)).json()) as {
        address: string;
      }
    ).address;
    await fetch(`${first.url}/v1/cryptos/BTC/groups/${group.groupId}/addresses`, {
      method: "POST",
      body: JSON.stringify([address]),
    });
    await first.close();

    const second = await startNbxplorerServer(opts);
    try {
      expect((await fetch(`${second.url}/v1/cryptos/BTC/derivations/${SCHEME}/utxos`)).status).toBe(200);
      const restored = (await (await fetch(`${second.url}/v1/groups/${group.groupId}`)).json()) as unknown;
      expect(restored).toMatchObject({
        groupId: group.groupId,
        children: [{ trackedSource: `ADDRESS:${address}` }],
      });
    } finally {
      await second.close();
    }
  });
});
