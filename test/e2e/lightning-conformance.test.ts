/**
 * The LightningPort conformance cases (test/conformance/lightning.ts) against our LND adapter on
 * alice of the regtest network; bob pays alice's hold invoices through carol.
 */
import { createLndLightning, connectLnd } from "../../src/lightning/lnd/index.js";
import type { LndNodeInfo } from "../../src/regtest/network-file.js";
import { describeLightningConformance } from "../conformance/lightning.js";
import { createInvoice } from "./helpers/lightning.js";
import { loadNetwork } from "./helpers/network.js";

const adapterFor = (node: LndNodeInfo) =>
  createLndLightning(
    connectLnd({ socket: node.grpcSocket, cert: node.tlsCertPath, macaroon: node.adminMacaroonPath }),
  );

describeLightningConformance("LND adapter (alice)", async () => {
  const net = loadNetwork();
  const alice = adapterFor(net.lnd.alice);
  const bob = adapterFor(net.lnd.bob);
  const payments: Promise<unknown>[] = [];
  return {
    ln: alice,
    async startPaying(invoice) {
      const stream = bob.payInvoice({
        bolt11: invoice.bolt11,
        maxFeeSats: 100n,
        maxTimeoutHeight: (await bob.getHeight()) + 400,
        timeoutSeconds: 60,
        maxPaths: 1,
      });
      // drained in the background: the payment resolves when alice settles or cancels
      payments.push(
        (async () => {
          for await (const _ of stream);
        })().catch(() => undefined),
      );
    },
    invoiceOfAnotherNode: async (amountSats) =>
      (await createInvoice(net, "bob", Number(amountSats), "conformance")).request,
    async close() {
      await Promise.all(payments);
    },
  };
});
