import { schnorr } from "@noble/curves/secp256k1.js";
import { hex } from "@scure/base";
import * as musig from "@scure/btc-signer/musig2.js";
import { describe, expect, it } from "vitest";
import {
  TreeSigner,
  aggregateTreeKeys,
  buildTxTree,
  checkTreeScripts,
  checkTreeRoot,
  cosignerKeys,
  sweepTapRoot,
  sweepTapscript,
  treeTxSighash,
  type TxTree,
} from "../../../../src/ark/batch/index.js";
import { p2trScript } from "../../../../src/ark/tx/crypto.js";
import { buildBatch, key } from "./tree-fixture.js";

const FORFEIT = "02" + "aa".repeat(32);
const server = key();
const alice = key();
const bob = key();
const out = (k: { pub: Uint8Array }, amount: bigint) => ({ script: p2trScript(k.pub.subarray(1)), amount });

describe("sweep leaf and key aggregation", () => {
  it("builds `<expiry> CSV DROP <forfeit xonly> CHECKSIG` for block and seconds expiries", () => {
    expect(hex.encode(sweepTapscript(FORFEIT, 144n))).toBe(`029000b27520${"aa".repeat(32)}ac`);
    expect(hex.encode(sweepTapscript(FORFEIT, 20n))).toBe(`0114b27520${"aa".repeat(32)}ac`);
    // 1024 s = 2 × 512 → (1 << 22) | 2 = 0x400002
    expect(hex.encode(sweepTapscript(FORFEIT, 1024n))).toBe(`03020040b27520${"aa".repeat(32)}ac`);
  });

  it("aggregates sorted keys with the BIP-341 tweak of the sweep root (as @arkade-os/sdk does)", () => {
    const root = sweepTapRoot(sweepTapscript(FORFEIT, 144n));
    const keys = [server.pub, alice.pub, bob.pub];
    const ours = aggregateTreeKeys(keys, root);
    // independent derivation: BIP-327 KeySort + KeyAgg, then TapTweak(xonly(P) || root) x-only
    const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const pre = musig.keyAggregate(sorted).aggPublicKey.toBytes(true);
    const t = schnorr.utils.taggedHash("TapTweak", pre.subarray(1), root);
    const final = musig.keyAggregate(sorted, [t], [true]).aggPublicKey.toBytes(true).subarray(1);
    expect(hex.encode(ours.finalKey)).toBe(hex.encode(final));
    // order of the input keys does not matter
    expect(hex.encode(aggregateTreeKeys([bob.pub, server.pub, alice.pub], root).finalKey)).toBe(
      hex.encode(final),
    );
  });
});

type Party = { priv: Uint8Array; pub: Uint8Array };
const PARTIES: Party[] = [server, alice, bob];
const same = (a: Uint8Array, b: Uint8Array) => hex.encode(a) === hex.encode(b);

/** Every other cosigner's half of the round (the server and the other user), with scure's MuSig2. */
function othersCosign(
  tree: TxTree,
  batchOutput: { script: Uint8Array; amountSats: bigint },
  root: Uint8Array,
  me: Party,
) {
  const others = PARTIES.filter((p) => !same(p.pub, me.pub));
  const nonces = new Map<string, Map<string, { secret: Uint8Array; public: Uint8Array }>>();
  for (const node of tree.nodes.values()) {
    const keys = cosignerKeys(node.tx);
    const m = new Map<string, { secret: Uint8Array; public: Uint8Array }>();
    for (const o of others)
      if (keys.some((k) => same(k, o.pub))) m.set(hex.encode(o.pub), musig.nonceGen(o.pub, o.priv));
    nonces.set(node.txid, m);
  }
  return {
    /** What arkd's tree_nonces event would carry for a tx (x-only hex keys), ours excluded. */
    event(txid: string): Map<string, string> {
      const m = nonces.get(txid) as Map<string, { public: Uint8Array }>;
      return new Map([...m].map(([k, n]) => [k.slice(2), hex.encode(n.public)]));
    },
    /** The aggregate signature of a tx given our nonce and partial signature. */
    complete(txid: string, ourNonce: Uint8Array, ourPartial: Uint8Array) {
      const node = tree.nodes.get(txid);
      if (node === undefined) throw new Error("unknown tx");
      const { sorted, tweak } = aggregateTreeKeys(cosignerKeys(node.tx), root);
      const m = nonces.get(txid) as Map<string, { secret: Uint8Array; public: Uint8Array }>;
      const pubNonces = sorted.map((k) =>
        same(k, me.pub) ? ourNonce : (m.get(hex.encode(k))?.public as Uint8Array),
      );
      const msg = treeTxSighash(node.tx, tree.prevoutOf(txid, batchOutput));
      const session = new musig.Session(musig.nonceAggregate(pubNonces), sorted, msg, [tweak], [true]);
      const myIndex = sorted.findIndex((k) => same(k, me.pub));
      const partialOk = session.partialSigVerify(ourPartial, pubNonces, myIndex);
      const partials = sorted.map((k) => {
        if (same(k, me.pub)) return ourPartial;
        const o = others.find((p) => same(p.pub, k)) as Party;
        return session.sign(m.get(hex.encode(k))?.secret as Uint8Array, o.priv);
      });
      return {
        partialOk,
        sig: session.partialSigAgg(partials),
        msg,
        aggNonce: musig.nonceAggregate(pubNonces),
      };
    },
  };
}

describe("TreeSigner: a MuSig2 round with the other cosigners simulated", () => {
  const root = sweepTapRoot(sweepTapscript(FORFEIT, 144n));
  const batch = buildBatch({
    leaves: [
      { outputs: [out(alice, 10_000n)], cosigners: [alice.pub, server.pub] },
      { outputs: [out(bob, 20_000n)], cosigners: [bob.pub, server.pub] },
    ],
    sweepRoot: root,
    connectors: 0,
    connectorKey: server.pub,
  });
  const tree = buildTxTree(batch.vtxoTree);
  const batchOut = checkTreeRoot(tree, batch.commitmentTx);

  it("signs exactly the txs listing its key; the aggregate signatures verify against each prevout key", () => {
    const signer = new TreeSigner(alice.priv, tree, batchOut, root);
    expect(signer.publicKey).toBe(hex.encode(alice.pub));
    const aliceLeaf = [...tree.nodes.values()].find(
      (n) => n.children.size === 0 && cosignerKeys(n.tx).some((k) => same(k, alice.pub)),
    );
    expect(signer.txids).toEqual([tree.root.txid, aliceLeaf?.txid].sort());
    const others = othersCosign(tree, batchOut, root, alice);
    const ourNonces = signer.nonces();
    expect([...ourNonces.keys()].sort()).toEqual(signer.txids);
    let ready = false;
    for (const txid of signer.txids) {
      expect(ready).toBe(false);
      const ev = others.event(txid);
      ev.set(hex.encode(alice.pub.subarray(1)), "02".repeat(66)); // a wrong echo of ours must not matter
      ready = signer.addNonces(txid, ev);
    }
    expect(ready).toBe(true);
    const partials = signer.sign();
    for (const txid of signer.txids) {
      const ourPartial = hex.decode(partials.get(txid) as string);
      expect(ourPartial.length).toBe(32);
      const r = others.complete(txid, hex.decode(ourNonces.get(txid) as string), ourPartial);
      expect(r.partialOk).toBe(true);
      expect(schnorr.verify(r.sig, r.msg, tree.prevoutOf(txid, batchOut).script.subarray(2))).toBe(true);
    }
    // secret nonces are used once
    expect(() => signer.sign()).toThrow(expect.objectContaining({ code: "batch.protocol_violation" }));
  });

  it("takes arkd's aggregated nonces (tree_nonces_aggregated) as well", () => {
    const signer = new TreeSigner(bob.priv, tree, batchOut, root);
    const others = othersCosign(tree, batchOut, root, bob);
    const ours = signer.nonces();
    const agg = new Map(
      signer.txids.map((txid) => {
        const node = tree.nodes.get(txid) as TxTree["root"];
        const ev = others.event(txid);
        const pub = cosignerKeys(node.tx).map((k) =>
          same(k, bob.pub)
            ? hex.decode(ours.get(txid) as string)
            : hex.decode(ev.get(hex.encode(k.subarray(1))) as string),
        );
        return [txid, hex.encode(musig.nonceAggregate(pub))];
      }),
    );
    expect(signer.setAggregatedNonces(agg)).toBe(true);
    const partials = signer.sign();
    for (const txid of signer.txids) {
      const r = others.complete(
        txid,
        hex.decode(ours.get(txid) as string),
        hex.decode(partials.get(txid) as string),
      );
      expect(r.partialOk).toBe(true);
      expect(schnorr.verify(r.sig, r.msg, tree.prevoutOf(txid, batchOut).script.subarray(2))).toBe(true);
    }
  });

  it("checks every tx spends an output locked to its own cosigners", () => {
    expect(() => checkTreeScripts(tree, batchOut, root)).not.toThrow();
    const other = sweepTapRoot(sweepTapscript(FORFEIT, 145n));
    expect(() => checkTreeScripts(tree, batchOut, other)).toThrow(
      expect.objectContaining({ code: "batch.invalid_tree" }),
    );
  });

  it("refuses a batch output that is not the root's aggregate key, and missing nonces", () => {
    expect(
      () =>
        new TreeSigner(alice.priv, tree, { ...batchOut, script: p2trScript(alice.pub.subarray(1)) }, root),
    ).toThrow(expect.objectContaining({ code: "batch.invalid_tree" }));
    const wrongRoot = sweepTapRoot(sweepTapscript(FORFEIT, 145n));
    expect(() => new TreeSigner(alice.priv, tree, batchOut, wrongRoot)).toThrow(
      expect.objectContaining({ code: "batch.invalid_tree" }),
    );
    const signer = new TreeSigner(alice.priv, tree, batchOut, root);
    signer.nonces();
    expect(() => signer.addNonces(tree.root.txid, new Map())).toThrow(
      expect.objectContaining({ code: "batch.invalid_nonce" }),
    );
    expect(() => signer.sign()).toThrow(expect.objectContaining({ code: "batch.protocol_violation" }));
  });
});

describe("cosigner fields", () => {
  it("reads arkd's 4-byte index and @arkade-os/sdk's 1-byte index alike, in index order", async () => {
    const { CosignerPublicKey, setArkPsbtField } = await import("@arkade-os/sdk");
    const { newArkTransaction } = await import("../../../../src/ark/tx/index.js");
    const { cosignerField } = await import("./tree-fixture.js");
    const arkdTx = newArkTransaction(3, 0);
    arkdTx.addInput({ txid: "22".repeat(32), index: 0 });
    arkdTx.updateInput(0, { unknown: [cosignerField(1, bob.pub), cosignerField(0, alice.pub)] }, true);
    expect(cosignerKeys(arkdTx).map((k) => hex.encode(k))).toEqual([
      hex.encode(alice.pub),
      hex.encode(bob.pub),
    ]);
    const sdkTx = newArkTransaction(3, 0);
    sdkTx.addInput({ txid: "22".repeat(32), index: 0 });
    setArkPsbtField(sdkTx as never, 0, CosignerPublicKey, { index: 0, key: alice.pub });
    setArkPsbtField(sdkTx as never, 0, CosignerPublicKey, { index: 1, key: bob.pub });
    expect(cosignerKeys(sdkTx).map((k) => hex.encode(k))).toEqual([
      hex.encode(alice.pub),
      hex.encode(bob.pub),
    ]);
  });
});

describe("one cosigner", () => {
  it("is a plain taproot tweak of that key, as arkd's AggregateKeys falls back to", () => {
    const root = new Uint8Array(32).fill(4);
    const k = key();
    const { finalKey } = aggregateTreeKeys([k.pub], root);
    const t = schnorr.utils.taggedHash("TapTweak", k.pub.subarray(1), root);
    const P = schnorr.utils.lift_x(BigInt(`0x${hex.encode(k.pub.subarray(1))}`));
    const Q = P.add(schnorr.Point.BASE.multiply(BigInt(`0x${hex.encode(t)}`)));
    expect(hex.encode(finalKey)).toBe(Q.toAffine().x.toString(16).padStart(64, "0"));
  });
});
