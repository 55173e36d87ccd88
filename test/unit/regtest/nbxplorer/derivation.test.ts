import { HDKey } from "@scure/bip32";
import { p2tr } from "@scure/btc-signer";
import { describe, expect, it } from "vitest";
import {
  addressToScript,
  deriveScript,
  parseDerivationScheme,
  REGTEST,
  scriptToAddress,
  type ChainNetwork,
} from "../../../../src/regtest/nbxplorer/derivation.js";

/** BIP86's own test vectors (mnemonic "abandon … about", account m/86'/0'/0'). */
const BIP86 = {
  xpub: "xpub6BgBgsespWvERF3LHQu6CnqdvfEvtMcQjYrcRzx53QJjSxarj2afYWcLteoGVky7D3UKDP9QyrLprQ3VCECoY49yfdDEHGCtMMj92pReUsQ",
  receive0: "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr",
  receive0Script: "5120a60869f0dbcf1dc659c9cecbaf8050135ea9e8cdc487053f1dc6880949dc684c",
  receive1: "bc1p4qhjn9zdvkux4e44uhx8tc55attvtyu358kutcqkudyccelu0was9fqzwh",
  change0: "bc1p3qkhfews2uk44qtvauqyr2ttdsw7svhkl9nkm9s9c3x4ax5h60wqwruhk7",
};

const MAINNET: ChainNetwork = {
  name: "mainnet",
  bech32: "bc",
  pubKeyHash: 0x00,
  scriptHash: 0x05,
  wif: 0x80,
  bip32: { public: 0x0488b21e, private: 0x0488ade4 },
  nbxNetworkType: "Mainnet",
};

describe("NBXplorer derivation schemes", () => {
  it("derives BIP86 taproot addresses (Deposit 0/i, Change 1/i) matching the BIP's vectors", () => {
    const scheme = parseDerivationScheme(`${BIP86.xpub}-[taproot]`, MAINNET);
    expect(scheme.kind).toBe("taproot");
    const r0 = deriveScript(scheme, "Deposit", 0, MAINNET);
    expect(r0).toEqual({
      feature: "Deposit",
      index: 0,
      keyPath: "0/0",
      scriptPubKey: BIP86.receive0Script,
      address: BIP86.receive0,
    });
    expect(deriveScript(scheme, "Deposit", 1, MAINNET).address).toBe(BIP86.receive1);
    const c0 = deriveScript(scheme, "Change", 0, MAINNET);
    expect(c0.address).toBe(BIP86.change0);
    expect(c0.keyPath).toBe("1/0");
  });

  it("derives regtest (bcrt1p) addresses from a tpub, the way arkd-wallet names its accounts", () => {
    const account = HDKey.fromMasterSeed(new Uint8Array(32).fill(7), REGTEST.bip32).derive("m/86'/1'/0'");
    const scheme = parseDerivationScheme(`${account.publicExtendedKey}-[taproot]`);
    const d = deriveScript(scheme, "Deposit", 3);
    expect(d.address.startsWith("bcrt1p")).toBe(true);
    // Public (xpub) derivation equals private derivation of m/86'/1'/0'/0/3 (BIP86 internal key).
    const internal = account.derive("m/0/3").publicKey?.slice(1) ?? new Uint8Array();
    expect(
      p2tr(internal, undefined, { bech32: "bcrt", pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef }).address,
    ).toBe(d.address);
    expect(addressToScript(d.address)).toBe(d.scriptPubKey);
    expect(scriptToAddress(d.scriptPubKey)).toBe(d.address);
  });

  it("parses the other NBXplorer suffixes (segwit default, legacy, p2sh)", () => {
    const account = HDKey.fromMasterSeed(new Uint8Array(32).fill(1), REGTEST.bip32).derive("m/84'/1'/0'");
    const tpub = account.publicExtendedKey;
    expect(deriveScript(parseDerivationScheme(tpub), "Deposit", 0).address.startsWith("bcrt1q")).toBe(true);
    expect(deriveScript(parseDerivationScheme(`${tpub}-[legacy]`), "Deposit", 0).address).toMatch(/^[mn]/);
    expect(deriveScript(parseDerivationScheme(`${tpub}-[p2sh]`), "Deposit", 0).address.startsWith("2")).toBe(
      true,
    );
  });

  it.each([
    ["empty", ""],
    ["unknown suffix", `${BIP86.xpub}-[p2pk]`],
    ["mainnet key on regtest", `${BIP86.xpub}-[taproot]`],
    ["garbage", "not-a-scheme"],
  ])("rejects %s", (_what, scheme) => {
    expect(() => parseDerivationScheme(scheme)).toThrow();
  });

  it("rejects an extended private key", () => {
    const tprv = HDKey.fromMasterSeed(new Uint8Array(32).fill(2), REGTEST.bip32).privateExtendedKey;
    expect(() => parseDerivationScheme(`${tprv}-[taproot]`)).toThrow(/public/);
  });

  it("rejects hardened or negative indexes", () => {
    const scheme = parseDerivationScheme(`${BIP86.xpub}-[taproot]`, MAINNET);
    expect(() => deriveScript(scheme, "Deposit", -1, MAINNET)).toThrow(RangeError);
    expect(() => deriveScript(scheme, "Deposit", 0x80000000, MAINNET)).toThrow(RangeError);
  });

  it("has no address for OP_RETURN or P2A scripts", () => {
    expect(scriptToAddress("6a0401020304")).toBeUndefined();
    expect(() => addressToScript("bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr")).toThrow();
  });
});
