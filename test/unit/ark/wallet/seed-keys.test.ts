import { chmod, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DefaultVtxo } from "@arkade-os/sdk";
import { HDKey } from "@scure/bip32";
import { hex } from "@scure/base";
import { schnorr } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import {
  SWAP_KEY_BRANCH,
  WALLET_KEY_PATH,
  buildWalletScript,
  createKeyRing,
  loadSeed,
  loadSeedFile,
  seedFromHex,
} from "../../../../src/ark/wallet/index.js";
import { FakeArkd } from "../../../fakes/fake-arkd.js";
import { SEED } from "./harness.js";

const code = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { code?: string }) => e.code,
  );
const dir = () => mkdtemp(join(tmpdir(), "seed-"));

describe("seed file", () => {
  it("is created on first start with 32 random bytes and mode 0600, then read back unchanged", async () => {
    const path = join(await dir(), "sub", "seed");
    const seed = await loadSeedFile(path);
    expect(seed.length).toBe(32);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(hex.encode(await loadSeedFile(path))).toBe(hex.encode(seed));
    expect(hex.encode(new Uint8Array(await readFile(path)))).toBe(hex.encode(seed));
  });

  it("is refused with looser permissions, a wrong length, or when missing and creation is off", async () => {
    const d = await dir();
    const loose = join(d, "loose");
    await writeFile(loose, new Uint8Array(32).fill(1), { mode: 0o600 });
    await chmod(loose, 0o640);
    expect(await code(loadSeedFile(loose))).toBe("wallet.seed_permissions");
    await chmod(loose, 0o604);
    await expect(loadSeedFile(loose)).rejects.toThrow(/chmod 600/);
    const short = join(d, "short");
    await writeFile(short, new Uint8Array(31), { mode: 0o600 });
    expect(await code(loadSeedFile(short))).toBe("wallet.seed_invalid");
    const long = join(d, "long");
    await writeFile(long, "a".repeat(64), { mode: 0o600 }); // hex text is not the format
    expect(await code(loadSeedFile(long))).toBe("wallet.seed_invalid");
    expect(await code(loadSeedFile(join(d, "none"), { create: false }))).toBe("wallet.seed_missing");
    expect(await code(loadSeedFile(d))).toBe("wallet.seed_permissions"); // a directory (mode 0700)
  });

  it("comes from hex instead when given; bad hex is refused", async () => {
    expect(hex.encode(seedFromHex("ab".repeat(32)))).toBe("ab".repeat(32));
    expect(() => seedFromHex("xyz")).toThrow(expect.objectContaining({ code: "wallet.seed_invalid" }));
    expect(() => seedFromHex("ab".repeat(8 - 1))).toThrow(
      expect.objectContaining({ code: "wallet.seed_invalid" }),
    );
    expect(() => seedFromHex("")).toThrow(expect.objectContaining({ code: "wallet.seed_missing" }));
    expect(hex.encode(await loadSeed({ hex: "cd".repeat(32), file: "/nonexistent" }))).toBe("cd".repeat(32));
    expect(await code(loadSeed({}))).toBe("wallet.seed_missing");
  });
});

describe("keys", () => {
  it("derive on the documented paths (checked against @scure/bip32 directly)", () => {
    const ring = createKeyRing(SEED);
    const master = HDKey.fromMasterSeed(SEED);
    expect(ring.walletKey.publicKeyHex).toBe(hex.encode(master.derive(WALLET_KEY_PATH).publicKey!));
    expect(ring.swapKey(7).publicKeyHex).toBe(hex.encode(master.derive(`${SWAP_KEY_BRANCH}/7`).publicKey!));
    expect(ring.swapKey(7n).publicKeyHex).toBe(ring.swapKey(7).publicKeyHex);
    expect(ring.swapKey(0).publicKeyHex).not.toBe(ring.walletKey.publicKeyHex);
    expect(() => ring.swapKey(-1)).toThrow(expect.objectContaining({ code: "wallet.invalid_key_index" }));
    expect(() => ring.swapKey(2 ** 31)).toThrow(
      expect.objectContaining({ code: "wallet.invalid_key_index" }),
    );
  });

  it("swap keys are @scure/bip32's children of the branch, on 300 indexes across the range", () => {
    const ring = createKeyRing(SEED);
    const branch = HDKey.fromMasterSeed(SEED).derive(SWAP_KEY_BRANCH);
    const msg = new Uint8Array(32).fill(9);
    const indexes = [0, 1, 2, 2 ** 31 - 1, 2 ** 31 - 2, 255, 256, 65_535, 65_536];
    for (let i = 0; i < 291; i++) indexes.push(Math.floor(Math.random() * 2 ** 31));
    for (const index of indexes) {
      const expected = branch.deriveChild(index);
      const key = ring.swapKey(index);
      expect(key.publicKeyHex, `index ${index}`).toBe(hex.encode(expected.publicKey!));
      if (index % 7 === 0 || index < 3) {
        // the lazily made private key is the child's: its signatures verify under scure's key
        expect(schnorr.verify(key.signer.sign(msg), msg, expected.publicKey!.slice(1))).toBe(true);
        expect(hex.encode(key.signer.xOnlyPubkey)).toBe(hex.encode(expected.publicKey!.slice(1)));
      }
    }
  });

  it("keeps at most 4,096 derived swap keys in memory; a forgotten one derives again, the same", () => {
    const ring = createKeyRing(SEED);
    const first = ring.swapKey(0);
    expect(ring.swapKey(0)).toBe(first); // remembered
    for (let i = 1; i <= 4_096; i++) ring.swapKey(i);
    const again = ring.swapKey(0);
    expect(again).not.toBe(first); // forgotten, derived again
    expect(again.publicKeyHex).toBe(first.publicKeyHex);
  });

  it("the x-only key is the signer's (made on first use), and the signer's signatures verify under it", () => {
    const ring = createKeyRing(SEED);
    const msg = new Uint8Array(32).fill(7);
    for (const key of [ring.walletKey, ring.swapKey(0), ring.swapKey(1), ring.swapKey(2), ring.swapKey(3)]) {
      expect(hex.encode(key.xOnly)).toBe(key.publicKeyHex.slice(2));
      expect(hex.encode(key.signer.xOnlyPubkey)).toBe(hex.encode(key.xOnly));
      expect(key.signer).toBe(key.signer);
      expect(schnorr.verify(key.signer.sign(msg), msg, key.xOnly)).toBe(true);
    }
  });

  it("the wallet script is the SDK's DefaultVtxo of the wallet key with the server's exit delay", () => {
    const arkd = new FakeArkd();
    const ring = createKeyRing(SEED);
    const ours = buildWalletScript(ring.walletKey.xOnly, arkd.info);
    const sdk = new DefaultVtxo.Script({
      pubKey: ring.walletKey.xOnly,
      serverPubKey: arkd.serverXOnly,
      csvTimelock: { type: "blocks", value: arkd.info.unilateralExitDelay },
    });
    expect(ours.pkScriptHex).toBe(hex.encode(sdk.pkScript));
    expect(hex.encode(ours.forfeitLeaf)).toBe(sdk.forfeitScript);
    expect(hex.encode(ours.exitLeaf)).toBe(sdk.exitScript);
  });
});
