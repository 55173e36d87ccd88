/**
 * The ArkServerPort conformance cases (test/conformance/ark-server.ts) against the REAL arkd
 * (v0.9.15, block-typed tree expiry) of network.json, through our gRPC client. Funding: an admin
 * note redeemed in a real batch by an @arkade-os/sdk wallet whose key the test holds (its default
 * VTXO script is ours, buildWalletScript). The VTXO_RECOVERABLE case waits for the server's
 * clock: on this regtest expires_at is the batch's end + 144 s.
 */
import { hex } from "@scure/base";
import { SingleKey, Wallet } from "@arkade-os/sdk";
import { createGrpcArkClient } from "../../../src/ark/client/index.js";
import { describeArkServerConformance, MAX_WAIT_SECONDS } from "../../conformance/ark-server.js";
import { arkAddressScript, arkOf, fundWithNote } from "../helpers/ark.js";
import { waitFor } from "../../../src/regtest/process.js";
import { mine } from "../helpers/chain.js";
import { loadNetwork } from "../helpers/network.js";

const unixNow = () => BigInt(Math.floor(Date.now() / 1000));

describeArkServerConformance("real arkd", async () => {
  const net = loadNetwork();
  const ark = createGrpcArkClient({ address: arkOf(net).arkdUrl.replace(/^https?:\/\//, "") });
  return {
    ark,
    network: net.ark?.network ?? "regtest",
    async fundSettled(ownerPriv, script, amountSats) {
      const wallet = await Wallet.create({
        identity: SingleKey.fromHex(hex.encode(ownerPriv)),
        arkServerUrl: arkOf(net).arkdUrl,
        esploraUrl: net.nbxplorer?.url ?? "",
      });
      const sdkScript = arkAddressScript(await wallet.getAddress());
      if (sdkScript !== script.pkScriptHex)
        throw new Error(
          `the SDK wallet's script ${sdkScript} is not buildWalletScript's ${script.pkScriptHex}`,
        );
      return fundWithNote(net, wallet, Number(amountSats));
    },
    // arkd runs on this machine: its clock is ours
    now: async () => unixNow(),
    async passTime(unixSeconds) {
      const wait = unixSeconds - unixNow();
      if (wait > MAX_WAIT_SECONDS) return false;
      // arkd compares with time.Now() at nanosecond precision: one more second to be past it
      if (wait >= 0n) await new Promise((r) => setTimeout(r, Number(wait + 1n) * 1000));
      return true;
    },
    // Block-typed: the sweep comes at the commitment's confirmation height + the tree expiry
    // (144). Confirm it, then mine the expiry and wait for arkd's sweeper (it polls every 10 s).
    async sweepBatch(commitmentTxid) {
      await mine(net, 1);
      await mine(net, 145);
      await waitFor("arkd's sweep", 180_000, async () => {
        const batch = (await ark.getCommitmentTx(commitmentTxid)).batches[0];
        return batch?.swept === true ? true : undefined;
      });
    },
    close: async () => ark.close(),
  };
});
