import { buildForfeitTx as sdkBuildForfeitTx } from "@arkade-os/sdk";
import { bech32, bech32m, hex } from "@scure/base";
import { describe, expect, it } from "vitest";
import {
  buildForfeitTx,
  buildTxTree,
  connectorOutputs,
  pairConnectors,
  segwitScript,
} from "../../../../src/ark/batch/index.js";
import { P2A_SCRIPT, verifyTapscriptSignatures } from "../../../../src/ark/tx/index.js";
import { createKeyRing } from "../../../../src/ark/wallet/keys.js";
import { buildWalletScript, walletInput } from "../../../../src/ark/wallet/wallet-script.js";
import type { ArkServerInfo } from "../../../../src/ark/server-info.js";
import { buildBatch, key } from "./tree-fixture.js";

const SEED = hex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
const server = key();
const INFO = {
  signerPubkey: hex.encode(server.pub),
  unilateralExitDelay: 20n,
} as unknown as ArkServerInfo;

describe("forfeit txs", () => {
  const keys = createKeyRing(SEED);
  const script = buildWalletScript(keys.walletKey.xOnly, INFO);
  const vtxo = walletInput(script, `${"ab".repeat(32)}:1`, 50_000n);
  // a regtest P2TR forfeit address (arkd's forfeit_address is one)
  const forfeitAddress = bech32m.encode("bcrt", [1, ...bech32m.toWords(server.pub.subarray(1))]);
  const forfeitScript = segwitScript(forfeitAddress);

  it("decodes segwit v0 and v1 addresses and refuses others", () => {
    expect(hex.encode(segwitScript("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"))).toBe(
      "0014751e76e8199196d454941c45d1b3a323f1433bd6",
    );
    expect(hex.encode(forfeitScript)).toBe(`5120${hex.encode(server.pub.subarray(1))}`);
    // a v1 program under bech32 (not bech32m) is refused
    const wrong = bech32.encode("bcrt", [1, ...bech32.toWords(new Uint8Array(32))]);
    expect(() => segwitScript(wrong)).toThrow(expect.objectContaining({ code: "batch.invalid_request" }));
    expect(() => segwitScript("tark1qqqq")).toThrow(
      expect.objectContaining({ code: "batch.invalid_request" }),
    );
    expect(() => segwitScript("1BoatSLRHtKNngkdXEeobR76b53LETtpyT")).toThrow(
      expect.objectContaining({ code: "batch.invalid_request" }),
    );
  });

  it("spends the VTXO's forfeit leaf and a connector, pays both to the forfeit address + P2A, like the SDK", () => {
    const batch = buildBatch({
      leaves: [{ outputs: [{ script: script.pkScript, amount: 50_000n }], cosigners: [server.pub] }],
      sweepRoot: new Uint8Array(32).fill(3),
      connectors: 3,
      connectorKey: server.pub,
    });
    const connectors = connectorOutputs(buildTxTree(batch.connectorTree));
    expect(connectors).toHaveLength(3);
    const connector = connectors[0] as (typeof connectors)[number];
    expect(connector.amountSats).toBe(1_000n);
    const tx = buildForfeitTx({ vtxo, connector, forfeitScript, signer: keys.walletKey.signer });
    expect(tx.version).toBe(3);
    expect(tx.lockTime).toBe(0);
    expect(tx.inputsLength).toBe(2);
    expect(hex.encode(tx.getInput(0).txid as Uint8Array)).toBe("ab".repeat(32));
    expect(tx.getInput(0).index).toBe(1);
    expect(tx.getInput(0).sequence).toBe(0xffffffff);
    expect(hex.encode(tx.getInput(1).txid as Uint8Array)).toBe(connector.txid);
    expect(tx.getOutput(0).amount).toBe(51_000n);
    expect(hex.encode(tx.getOutput(0).script as Uint8Array)).toBe(hex.encode(forfeitScript));
    expect(hex.encode(tx.getOutput(1).script as Uint8Array)).toBe(hex.encode(P2A_SCRIPT));
    expect(tx.getOutput(1).amount).toBe(0n);
    // our signature on the forfeit leaf verifies (the server's is added by arkd)
    expect(verifyTapscriptSignatures(tx, 0)).toEqual([hex.encode(keys.walletKey.xOnly)]);
    // @arkade-os/sdk builds the same unsigned tx
    const sdk = sdkBuildForfeitTx(
      [
        {
          txid: hex.decode("ab".repeat(32)),
          index: 1,
          sequence: 0xffffffff,
          witnessUtxo: tx.getInput(0).witnessUtxo,
        },
        {
          txid: hex.decode(connector.txid),
          index: connector.vout,
          sequence: 0xffffffff,
          witnessUtxo: { script: connector.script, amount: connector.amountSats },
        },
      ] as never,
      forfeitScript,
      0,
    );
    expect(sdk.id).toBe(tx.id);
  });

  it("pairs VTXOs with the connectors arkd named for them; a VTXO without one gets no forfeit", () => {
    const c = (txid: string, topics: string[]) => ({
      txid,
      vout: 0,
      amountSats: 1n,
      script: Uint8Array.of(0x51),
      topics,
    });
    const a = { txid: "aa".repeat(32), vout: 0 };
    const b = { txid: "bb".repeat(32), vout: 1 };
    const d = { txid: "dd".repeat(32), vout: 0 };
    const pairs = pairConnectors([a, b, d], [c("01", [`${b.txid}:1`]), c("02", [`${a.txid}:0`])]);
    expect(pairs.map((p) => [p.vtxo.txid.slice(0, 2), p.connector.txid])).toEqual([
      ["aa", "02"],
      ["bb", "01"],
    ]);
    // connectors without topics are handed out in order
    expect(pairConnectors([a, b], [c("03", []), c("04", [])]).map((p) => p.connector.txid)).toEqual([
      "03",
      "04",
    ]);
  });

  it("finds one connector per connector leaf, skipping anchors", () => {
    const batch = buildBatch({
      leaves: [{ outputs: [{ script: script.pkScript, amount: 1n }], cosigners: [server.pub] }],
      sweepRoot: new Uint8Array(32),
      connectors: 1,
      connectorKey: server.pub,
    });
    const connectors = connectorOutputs(buildTxTree(batch.connectorTree));
    expect(connectors.map((c) => c.vout)).toEqual([0]);
  });
});
