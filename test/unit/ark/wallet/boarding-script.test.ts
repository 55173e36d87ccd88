import { DefaultVtxo, networks } from "@arkade-os/sdk";
import { hex } from "@scure/base";
import { describe, expect, it } from "vitest";
import {
  boardingInput,
  buildBoardingScript,
  createKeyRing,
  taprootAddress,
} from "../../../../src/ark/wallet/index.js";
import { FakeArkd } from "../../../fakes/fake-arkd.js";
import { SEED } from "./harness.js";

describe("boarding script and address", () => {
  const arkd = new FakeArkd();
  const ring = createKeyRing(SEED);

  it.each([
    ["a block-typed boarding delay (regtest: 30)", 30n, "blocks" as const],
    ["a seconds-typed boarding delay (172544 s)", 172_544n, "seconds" as const],
  ])("is the SDK's DefaultVtxo with the boarding timelock, for %s", (_name, delay, type) => {
    const info = { ...arkd.info, boardingExitDelay: delay };
    const ours = buildBoardingScript(ring.walletKey.xOnly, info);
    const sdk = new DefaultVtxo.Script({
      pubKey: ring.walletKey.xOnly,
      serverPubKey: arkd.serverXOnly,
      csvTimelock: { type, value: delay },
    });
    expect(ours.script.pkScriptHex).toBe(hex.encode(sdk.pkScript));
    expect(hex.encode(ours.script.forfeitLeaf)).toBe(sdk.forfeitScript);
    expect(hex.encode(ours.script.exitLeaf)).toBe(sdk.exitScript);
    expect(ours.address).toBe(sdk.onchainAddress(networks.regtest));
    expect(ours.address).toMatch(/^bcrt1p/);
    expect(ours.exitDelay).toBe(delay);
  });

  it("differs from the wallet's VTXO script (the exit delay is the boarding one)", () => {
    const info = { ...arkd.info, boardingExitDelay: 30n, unilateralExitDelay: 20n };
    const boarding = buildBoardingScript(ring.walletKey.xOnly, info);
    const vtxo = new DefaultVtxo.Script({
      pubKey: ring.walletKey.xOnly,
      serverPubKey: arkd.serverXOnly,
      csvTimelock: { type: "blocks", value: 20n },
    });
    expect(boarding.script.pkScriptHex).not.toBe(hex.encode(vtxo.pkScript));
  });

  it("encodes the address for each network arkd reports, and refuses an unknown one", () => {
    const key = new Uint8Array(32).fill(7);
    expect(taprootAddress(key, "bitcoin")).toMatch(/^bc1p/);
    expect(taprootAddress(key, "mutinynet")).toMatch(/^tb1p/);
    expect(taprootAddress(key, "regtest")).toMatch(/^bcrt1p/);
    expect(() => taprootAddress(key, "litecoin")).toThrow(
      expect.objectContaining({ code: "wallet.invalid_request" }),
    );
  });

  it("spends a boarding UTXO through the collaborative leaf (owner + server)", () => {
    const b = buildBoardingScript(ring.walletKey.xOnly, arkd.info);
    const txid = "ab".repeat(32);
    const input = boardingInput(b, `${txid}:3`, 50_000n);
    expect(input).toMatchObject({ txid, vout: 3, amountSats: 50_000n });
    expect(hex.encode(input.leafScript)).toBe(hex.encode(b.script.forfeitLeaf));
    expect(input.tapTree).toEqual(b.script.leaves);
    expect(hex.encode(input.pkScript as Uint8Array)).toBe(b.script.pkScriptHex);
  });
});
