import { hex } from "@scure/base";
import { afterEach, describe, expect, it } from "vitest";
import type { ArkWallet } from "../../../../src/ark/wallet/index.js";
import { party, preimagePair, scriptsOf, startHarness, stopAll, swapVhtlc } from "./harness.js";

const started: ArkWallet[] = [];
afterEach(async () => stopAll(...started.splice(0)));

describe("vtxosAt", () => {
  it("carries the indexer's unrolled and swept flags to the engine (a unilateral exit is not live offchain)", async () => {
    const h = await startHarness();
    started.push(h.wallet);
    const key = await h.wallet.swapKey("sub-flags");
    const v = swapVhtlc({
      sender: party().pub,
      receiver: key.publicKey,
      server: h.arkd.info.signerPubkey,
      preimage: preimagePair().preimage,
    });
    const script = hex.encode(scriptsOf(v).pkScript);
    const exited = h.arkd.mint(script, 30_000n);
    const live = h.arkd.mint(script, 20_000n);
    const vtxo = h.arkd.vtxos.get(exited)!;
    h.arkd.vtxos.set(exited, { ...vtxo, flags: { ...vtxo.flags, unrolled: true, swept: true } });
    const seen = new Map((await h.wallet.vtxosAt(script)).map((x) => [x.outpoint, x]));
    expect(seen.get(exited)).toMatchObject({ isUnrolled: true, isSwept: true, isSpent: false });
    expect(seen.get(live)).toMatchObject({ isUnrolled: false, isSwept: false, isSpent: false });
  });
});
