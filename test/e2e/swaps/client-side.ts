/**
 * What a Boltz-API wallet does around a swap, played by the e2e client wallet (our own Ark core):
 * rebuild the VHTLC from the API's answer, find its VTXOs, refund cooperatively through
 * `refund/ark`, and bob's hold invoices (to make a payment fail after funding).
 */
import { hex } from "@scure/base";
import { decodeArkAddress } from "../../../src/ark/scripts/index.js";
import type { ArkWallet } from "../../../src/ark/wallet/index.js";
import type { ClientWallet } from "../../../src/cli/sandbox/client-wallet.js";
import type { CreatedSubmarineWire, GatewayApi } from "../../../src/cli/sandbox/http-client.js";
import type { ScriptVtxo, SwapKey, SwapVhtlc } from "../../../src/swaps/ports/ark.js";
import { vhtlcFromWire } from "../../../src/cli/sandbox/swaps.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { lnService } from "../../../src/regtest/ln-client.js";
import { waitFor } from "../../../src/regtest/process.js";
import { lndOf } from "../helpers/lightning.js";

export const scriptOf = (address: string): string => hex.encode(decodeArkAddress(address).pkScript);

/** The submarine VHTLC as the wallet rebuilds it (sender = the wallet, receiver = the gateway). */
export async function submarineVhtlc(
  client: ClientWallet,
  created: CreatedSubmarineWire,
  key: SwapKey,
  paymentHash: string,
): Promise<SwapVhtlc> {
  const info = await client.wallet.serverInfo();
  return vhtlcFromWire({
    sender: key.publicKey,
    receiver: created.claimPublicKey,
    server: info.signerPubkey,
    paymentHash,
    timeouts: created.timeoutBlockHeights,
  });
}

/** Unspent VTXOs at an Ark address, as arkd's indexer has them. */
export async function unspentAt(client: ClientWallet, address: string): Promise<ScriptVtxo[]> {
  return (await client.wallet.vtxosAt(scriptOf(address))).filter((v) => !v.isSpent);
}

/** Refunds every unspent VTXO of a failed submarine swap through the gateway's refund/ark. */
export async function refundCooperatively(
  client: ClientWallet,
  api: GatewayApi,
  swapId: string,
  vhtlc: SwapVhtlc,
  key: SwapKey,
  address: string,
): Promise<bigint> {
  let total = 0n;
  for (const vtxo of await unspentAt(client, address)) {
    await client.wallet.requestCooperativeRefund({
      vhtlc,
      keyIndex: key.index,
      vtxo,
      cosign: async ({ arkTx, checkpoint }) => {
        const r = await api.call<{ transaction: string; checkpoint: string }>(
          "POST",
          `/v2/swap/submarine/${swapId}/refund/ark`,
          { transaction: arkTx, checkpoint },
        );
        return { arkTx: r.transaction, checkpoint: r.checkpoint };
      },
    });
    total += vtxo.amountSats;
  }
  return total;
}

export interface HoldInvoice {
  readonly request: string;
  readonly paymentHash: string;
}

/** A hold invoice on bob's node: payments to it stay held until bob settles or cancels. */
export async function bobHoldInvoice(
  net: NetworkFile,
  sats: number,
  paymentHash: string,
): Promise<HoldInvoice> {
  const ln = lnService() as unknown as {
    createHodlInvoice(a: object): Promise<{ request: string }>;
  };
  const r = await ln.createHodlInvoice({
    lnd: lndOf(net, "bob"),
    id: paymentHash,
    tokens: sats,
    description: "e2e hold",
  });
  return { request: r.request, paymentHash };
}

/** Waits until bob holds an HTLC for the invoice, then cancels it (a definite payment failure). */
export async function bobCancelsWhenHeld(net: NetworkFile, paymentHash: string): Promise<void> {
  const ln = lnService() as unknown as {
    getInvoice(a: object): Promise<{ is_held?: boolean }>;
    cancelHodlInvoice(a: object): Promise<void>;
  };
  await waitFor("bob to hold the gateway's HTLC", 120_000, async () =>
    (await ln.getInvoice({ lnd: lndOf(net, "bob"), id: paymentHash })).is_held === true ? true : undefined,
  );
  await ln.cancelHodlInvoice({ lnd: lndOf(net, "bob"), id: paymentHash });
}

/**
 * Every sat a wallet holds at its own script, as arkd's indexer lists it (unspent, unswept),
 * whether or not arkd still lets it move offchain: balances compared across a test must not
 * change because a VTXO passed its expires_at meanwhile.
 */
export async function arkHoldings(wallet: ArkWallet): Promise<bigint> {
  const { script } = await wallet.walletInfo();
  return (await wallet.vtxosAt(script))
    .filter((v) => !v.isSpent && !v.isSwept)
    .reduce((s, v) => s + v.amountSats, 0n);
}
