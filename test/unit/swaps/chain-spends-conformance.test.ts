/** The chain port's conformance cases (test/conformance/chain-spends.ts) against the chain simulator of the unit tests. */
import { describeChainSpendsConformance } from "../../conformance/chain-spends.js";
import { FakeChainSpends } from "../../fakes/chain-spends.js";

describeChainSpendsConformance("FakeChainSpends", async () => {
  const sim = new FakeChainSpends();
  return {
    port: sim,
    tip: async () => sim.chain.height,
    pay: async (pkScript, sats) => sim.pay(pkScript, sats),
    broadcast: async (rawTx) => sim.broadcast(rawTx),
    mine: async (blocks) => sim.mine(blocks),
    idle: () => new Promise((resolve) => setImmediate(resolve)),
    walletHolds: async (outpoint) => sim.walletHolds(outpoint),
    close: async () => undefined,
  };
});
