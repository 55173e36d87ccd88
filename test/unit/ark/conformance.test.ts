/** The ArkServerPort conformance cases (test/conformance/ark-server.ts) against the fake arkd. */
import { describeArkServerConformance } from "../../conformance/ark-server.js";
import { FakeArkd } from "../../fakes/fake-arkd.js";

describeArkServerConformance("FakeArkd", async () => {
  const arkd = new FakeArkd();
  return {
    ark: arkd,
    network: "regtest",
    async fundSettled(_ownerPriv, script, amountSats) {
      const op = arkd.mint(script.pkScriptHex, amountSats);
      const [commitmentTxid] = arkd.vtxos.get(op)?.commitmentTxids ?? [];
      if (commitmentTxid === undefined) throw new Error("the fake minted a VTXO without a batch");
      return commitmentTxid;
    },
    now: async () => arkd.now(),
    async passTime(unixSeconds) {
      const now = arkd.now();
      if (unixSeconds > now) arkd.advanceClock(unixSeconds - now);
      return true;
    },
    sweepBatch: async (commitmentTxid) => arkd.sweepBatch(commitmentTxid),
    close: async () => arkd.close(),
  };
});
