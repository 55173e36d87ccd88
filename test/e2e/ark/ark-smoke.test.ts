/**
 * Smoke test of the real arkd on the regtest network, with @arkade-os/sdk as the client: a
 * wallet gets a VTXO through a real batch (an admin note redeemed in a commitment transaction),
 * pays a second wallet offchain, and arkd's indexer shows both sides with exact amounts.
 */
import type { Wallet } from "@arkade-os/sdk";
import { beforeAll, describe, expect, it } from "vitest";
import type { NetworkFile } from "../../../src/regtest/network-file.js";
import {
  arkAddressScript,
  arkOf,
  createArkWallet,
  fundWithNote,
  vtxosAt,
  waitForVtxo,
} from "../helpers/ark.js";
import { loadNetwork } from "../helpers/network.js";

const FUNDING_SATS = 50_000;
const PAYMENT_SATS = 12_345;

let net: NetworkFile;
let alice: Wallet;
let bob: Wallet;
let aliceScript: string;
let bobScript: string;

beforeAll(async () => {
  net = loadNetwork();
  arkOf(net);
  alice = await createArkWallet(net);
  bob = await createArkWallet(net);
  aliceScript = arkAddressScript(await alice.getAddress());
  bobScript = arkAddressScript(await bob.getAddress());
});

describe("arkd smoke (SDK client)", () => {
  it("serves GetInfo on the network's signer key", async () => {
    const res = await fetch(`${arkOf(net).arkdUrl}/v1/info`);
    const info = (await res.json()) as { signerPubkey: string; network: string };
    expect(info.signerPubkey).toBe(arkOf(net).signerPubkey);
    expect(info.network).toBe("regtest");
  });

  it("funds a wallet with a note redeemed in a real batch", async () => {
    const commitmentTxid = await fundWithNote(net, alice, FUNDING_SATS);
    expect(commitmentTxid).toMatch(/^[0-9a-f]{64}$/);
    const vtxo = await waitForVtxo(
      net,
      aliceScript,
      (v) => v.virtualStatus.commitmentTxIds?.includes(commitmentTxid) ?? false,
    );
    expect(vtxo.value).toBe(FUNDING_SATS);
    expect(vtxo.virtualStatus.state).toBe("settled");
    const all = await vtxosAt(net, aliceScript);
    expect(all.map((v) => v.value)).toEqual([FUNDING_SATS]);
  });

  it("pays a second wallet offchain; both sides show the exact amounts in the indexer", async () => {
    const arkTxid = await alice.sendBitcoin({ address: await bob.getAddress(), amount: PAYMENT_SATS });
    expect(arkTxid).toMatch(/^[0-9a-f]{64}$/);
    const received = await waitForVtxo(net, bobScript, (v) => v.txid === arkTxid);
    expect(received.value).toBe(PAYMENT_SATS);
    expect(received.virtualStatus.state).toBe("preconfirmed");
    const change = await waitForVtxo(net, aliceScript, (v) => v.txid === arkTxid);
    expect(change.value).toBe(FUNDING_SATS - PAYMENT_SATS);
    expect((await vtxosAt(net, bobScript)).map((v) => v.value)).toEqual([PAYMENT_SATS]);
    expect((await vtxosAt(net, aliceScript)).map((v) => v.value)).toEqual([FUNDING_SATS - PAYMENT_SATS]);
    const spent = (await vtxosAt(net, aliceScript, true)).filter((v) => v.isSpent === true);
    expect(spent.map((v) => [v.value, v.arkTxId])).toEqual([[FUNDING_SATS, arkTxid]]);
  });
});
