/** The LightningPort conformance cases (test/conformance/lightning.ts) against the engine's fake LND. */
import { describeLightningConformance } from "../../conformance/lightning.js";
import { FakeChain } from "../../fakes/fake-chain.js";
import { FakeLightning } from "../../fakes/fake-lightning.js";

describeLightningConformance("FakeLightning", async () => {
  const ln = new FakeLightning(new FakeChain());
  return {
    ln,
    startPaying: async (invoice) => ln.payHoldInvoice(invoice.paymentHash),
    invoiceOfAnotherNode: async (amountSats) =>
      ln.addExternalInvoice({ amountMsat: amountSats * 1000n, hops: 1 }).bolt11,
    close: async () => undefined,
  };
});
