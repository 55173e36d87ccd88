/**
 * The Ark side of e2e tests, over the real arkd of network.json, with @arkade-os/sdk as an
 * independent Ark client: make wallets, fund them with admin notes redeemed in a real batch,
 * and wait for VTXOs in arkd's indexer.
 *
 * Funding path: notes (POST /v1/admin/note) → `wallet.settle({inputs: notes})` joins the next
 * batch. Boarding is not offered here: the SDK's boarding flow reads UTXOs through an Esplora
 * API, which the regtest network does not run (arkd only needs `/blocks/tip/height`).
 */
import { hex } from "@scure/base";
import {
  ArkAddress,
  ArkNote,
  RestIndexerProvider,
  SingleKey,
  Wallet,
  type VirtualCoin,
} from "@arkade-os/sdk";
import { ArkdAdminClient } from "../../../src/regtest/ark/admin-client.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import { waitFor } from "../../../src/regtest/process.js";

/** The network's Ark section, failing clearly when the network was started without Ark. */
export function arkOf(net: NetworkFile): NonNullable<NetworkFile["ark"]> {
  if (net.ark === null || net.nbxplorer === null)
    throw new Error("network.json has no Ark section: the network was started with REGTEST_SKIP_ARK=1");
  return net.ark;
}

/** An SDK wallet with a fresh random key, talking to arkd's REST (same port as gRPC). */
export async function createArkWallet(net: NetworkFile, privateKeyHex?: string): Promise<Wallet> {
  const ark = arkOf(net);
  const identity =
    privateKeyHex === undefined ? SingleKey.fromRandomBytes() : SingleKey.fromHex(privateKeyHex);
  return Wallet.create({ identity, arkServerUrl: ark.arkdUrl, esploraUrl: net.nbxplorer.url });
}

/** arkd's admin API client. */
export function arkAdmin(net: NetworkFile): ArkdAdminClient {
  return new ArkdAdminClient(arkOf(net).arkdAdminUrl);
}

/**
 * Mints a note of `sats` and redeems it in a batch into `wallet`'s offchain address.
 * @returns the commitment txid of the batch.
 */
export async function fundWithNote(net: NetworkFile, wallet: Wallet, sats: number): Promise<string> {
  const [encoded] = await arkAdmin(net).createNotes(sats, 1);
  if (encoded === undefined) throw new Error("arkd minted no note");
  const note = ArkNote.fromString(encoded);
  if (note.value !== sats) throw new Error(`note holds ${note.value} sat, ${sats} requested`);
  return wallet.settle({
    inputs: [note],
    outputs: [{ address: await wallet.getAddress(), amount: BigInt(sats) }],
  });
}

/** The hex P2TR scriptPubKey (`5120…`) of an Ark address: what the indexer keys VTXOs by. */
export function arkAddressScript(address: string): string {
  return hex.encode(ArkAddress.decode(address).pkScript);
}

/** VTXOs at a script in arkd's indexer (spendable only unless `all`). */
export async function vtxosAt(net: NetworkFile, script: string, all = false): Promise<VirtualCoin[]> {
  const indexer = new RestIndexerProvider(arkOf(net).arkdUrl);
  const { vtxos } = await indexer.getVtxos({ scripts: [script], ...(all ? {} : { spendableOnly: true }) });
  return vtxos;
}

/**
 * Polls arkd's indexer until a spendable VTXO at `script` satisfies `match`.
 * @returns that VTXO
 * @throws after `timeoutMs`
 */
export async function waitForVtxo(
  net: NetworkFile,
  script: string,
  match: (vtxo: VirtualCoin) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<VirtualCoin> {
  return waitFor(`a VTXO at ${script}`, timeoutMs, async () => (await vtxosAt(net, script)).find(match), 500);
}
