/**
 * The chain port's conformance cases (test/conformance/chain-spends.ts) against our LND adapter
 * on alice of the regtest network (the gateway's wiring: createLndChainSpends). The other party
 * is btcd: its faucet pays the test's keys, its sendrawtransaction broadcasts their spends.
 */
import { hex } from "@scure/base";
import { Address, OutScript, Transaction } from "@scure/btc-signer";
import { connectLnd, createLndChainSpends } from "../../src/lightning/lnd/index.js";
import { REGTEST_NETWORK } from "../../src/regtest/faucet.js";
import { lnService } from "../../src/regtest/ln-client.js";
import { sleep, waitFor } from "../../src/regtest/process.js";
import { describeChainSpendsConformance } from "../conformance/chain-spends.js";
import { btcdOf } from "./helpers/chain.js";
import { lndOf } from "./helpers/lightning.js";
import { loadNetwork } from "./helpers/network.js";

/** How long the cases give LND to report something it must not report. */
const IDLE_MS = 3_000;

interface LnUtxos {
  getUtxos(args: { lnd: object; min_confirmations?: number }): Promise<{
    utxos: { transaction_id: string; transaction_vout: number; tokens: number }[];
  }>;
}

describeChainSpendsConformance("LND adapter (alice)", async () => {
  const net = loadNetwork();
  const alice = net.lnd.alice;
  const port = createLndChainSpends(
    connectLnd({ socket: alice.grpcSocket, cert: alice.tlsCertPath, macaroon: alice.adminMacaroonPath }),
  );
  const btcd = btcdOf(net);
  const lnd = lndOf(net, "alice");
  const ln = lnService();
  const aliceHeight = async () => (await ln.getWalletInfo({ lnd })).current_block_height;
  return {
    port,
    tip: () => btcd.height(),
    async pay(pkScript, sats) {
      const address = Address(REGTEST_NETWORK).encode(OutScript.decode(hex.decode(pkScript)));
      const txid = await btcd.send([{ address, sats }]);
      const tx = Transaction.fromRaw(hex.decode(await btcd.call<string>("getrawtransaction", [txid, 0])), {
        allowUnknownOutputs: true,
      });
      for (let vout = 0; vout < tx.outputsLength; vout++) {
        const out = tx.getOutput(vout);
        if (out.script !== undefined && hex.encode(out.script) === pkScript && out.amount === sats)
          return { txid, vout };
      }
      throw new Error(`faucet tx ${txid} does not pay ${sats} sat to ${pkScript}`);
    },
    async broadcast(rawTx) {
      await btcd.call("sendrawtransaction", [rawTx]);
    },
    async mine(blocks = 1) {
      await btcd.mine(blocks);
      const tip = await btcd.height();
      await waitFor(`alice at height ${tip}`, 30_000, async () => (await aliceHeight()) >= tip);
      return tip;
    },
    idle: () => sleep(IDLE_MS),
    async walletHolds(outpoint) {
      const { utxos } = await (ln as unknown as LnUtxos).getUtxos({ lnd, min_confirmations: 0 });
      const utxo = utxos.find(
        (u) => u.transaction_id === outpoint.txid && u.transaction_vout === outpoint.vout,
      );
      return utxo === undefined ? undefined : BigInt(utxo.tokens);
    },
    close: async () => undefined,
  };
});
