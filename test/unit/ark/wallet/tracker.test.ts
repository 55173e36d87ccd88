import { hex } from "@scure/base";
import { afterEach, describe, expect, it } from "vitest";
import type { ScriptActivity } from "../../../../src/swaps/ports/ark.js";
import type { ArkWallet } from "../../../../src/ark/wallet/index.js";
import { party, preimagePair, scriptsOf, startHarness, stopAll, swapVhtlc } from "./harness.js";

const started: ArkWallet[] = [];
afterEach(async () => stopAll(...started.splice(0)));

async function until(cond: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 5));
  expect(await cond()).toBe(true);
}

describe("VTXO tracking", () => {
  it("records wallet VTXOs from the subscription and forwards swap-script activity", async () => {
    const h = await startHarness();
    started.push(h.wallet);
    const seen: ScriptActivity[] = [];
    h.wallet.onActivity((a) => seen.push(a));
    await h.wallet.subscribed();
    h.arkd.mint(h.walletScript, 7_000n);
    await until(async () => (await h.wallet.balance()).spendableSats === 7_000n);

    const v = swapVhtlc({
      sender: party().pub,
      receiver: party().pub,
      server: h.arkd.info.signerPubkey,
      preimage: preimagePair().preimage,
    });
    const script = hex.encode(scriptsOf(v).pkScript);
    h.arkd.mint(script, 1_000n); // not watched yet: no hint
    await h.wallet.watchScripts([script]);
    const op = h.arkd.mint(script, 2_000n);
    await until(() => seen.length === 1);
    // a batch's event carries its commitment txid (the VTXO's own txid is a tree leaf)
    const [commitmentTxid] = h.arkd.vtxos.get(op)!.commitmentTxids;
    expect(seen[0]).toEqual({ scripts: [script], arkTxid: commitmentTxid });
    await h.wallet.unwatchScripts([script]);
    h.arkd.mint(script, 3_000n);
    await new Promise((r) => setTimeout(r, 30));
    expect(seen.length).toBe(1);
  });

  it("watches of many scripts at once go to arkd in a few SubscribeForScripts calls, every script hinted", async () => {
    const h = await startHarness();
    started.push(h.wallet);
    const seen: ScriptActivity[] = [];
    h.wallet.onActivity((a) => seen.push(a));
    await h.wallet.subscribed();
    const calls: number[] = [];
    const original = h.arkd.subscribeForScripts.bind(h.arkd);
    h.arkd.subscribeForScripts = async (scripts, id) => {
      calls.push(scripts.length);
      await new Promise((r) => setTimeout(r, 5));
      return original(scripts, id);
    };
    const scripts = Array.from({ length: 30 }, () =>
      hex.encode(
        scriptsOf(
          swapVhtlc({
            sender: party().pub,
            receiver: party().pub,
            server: h.arkd.info.signerPubkey,
            preimage: preimagePair().preimage,
          }),
        ).pkScript,
      ),
    );
    const first = Promise.all(scripts.slice(0, 10).map((s) => h.wallet.watchScripts([s])));
    await new Promise((r) => setTimeout(r, 1)); // the first call is in flight now
    const second = Promise.all(scripts.slice(10).map((s) => h.wallet.watchScripts([s])));
    await Promise.all([first, second]);
    // one call for the watches of one tick; those made while it ran go together in the next
    expect(calls).toEqual([10, 20]);
    for (const s of scripts) h.arkd.mint(s, 1_000n);
    await until(() => seen.length === 30);
    expect(new Set(seen.flatMap((a) => a.scripts))).toEqual(new Set(scripts));
  });

  it("reconnects after a stream failure, rescans what it missed and hints every watched script", async () => {
    const h = await startHarness();
    started.push(h.wallet);
    const seen: ScriptActivity[] = [];
    h.wallet.onActivity((a) => seen.push(a));
    const v = swapVhtlc({
      sender: party().pub,
      receiver: party().pub,
      server: h.arkd.info.signerPubkey,
      preimage: preimagePair().preimage,
    });
    const script = hex.encode(scriptsOf(v).pkScript);
    await h.wallet.watchScripts([script]);
    await h.wallet.subscribed();
    const opened = h.arkd.streamsOpened;
    // arkd fails the subscription calls for a while: backoff and retry
    h.arkd.hook("subscribeForScripts", { when: "before", action: new Error("down"), times: 2 });
    h.arkd.breakStreams();
    // while disconnected, a VTXO arrives for the wallet (no stream to tell us)
    h.arkd.mint(h.walletScript, 4_000n);
    await until(() => h.arkd.streamsOpened > opened);
    await until(async () => (await h.wallet.balance()).spendableSats === 4_000n);
    await until(() => seen.some((a) => a.scripts.includes(script) && a.arkTxid === undefined));
    // the new subscription carries the watched script
    h.arkd.mint(script, 1_500n);
    await until(() => seen.some((a) => a.arkTxid !== undefined));
  });
});
