/**
 * Cross-implementation: random input/output sets built by ours and by @arkade-os/sdk's
 * buildOffchainTx must give the same checkpoint and ark tx PSBT bytes and txids. One known
 * difference is asserted explicitly: for an ark tx mixing CLTV and non-CLTV inputs the SDK puts
 * nSequence 0xFFFFFFFE on every input, while arkd (whose rebuild decides) does so only on the CLTV
 * inputs; we follow arkd.
 */
import { ConditionWitness, CSVMultisigTapscript, buildOffchainTx, setArkPsbtField } from "@arkade-os/sdk";
import { hex } from "@scure/base";
import { describe, expect, it } from "vitest";
import { buildOffchainTxs, type VtxoInput } from "../../../../src/ark/tx/index.js";
import {
  checkpointTapscript,
  prng,
  randomKey,
  randomLeaf,
  sdkTree,
  testSeed,
  type LeafKind,
  type Rng,
} from "./helpers.js";

const SEED = testSeed();
const CASES = 200;
const DUST = 330n;

interface Case {
  ours: VtxoInput[];
  sdkInputs: Parameters<typeof buildOffchainTx>[0];
  outputs: { amountSats: bigint; pkScript: Uint8Array }[];
  conditions: (Uint8Array | undefined)[];
  cltv: boolean[];
  server: Uint8Array;
}

function randomCase(rng: Rng, mode: "none" | "all" | "mixed"): Case {
  const server = randomKey(rng).xOnly;
  const nIn = mode === "mixed" ? rng.int(2, 4) : rng.int(1, 4);
  const ours: VtxoInput[] = [];
  const sdkInputs: Parameters<typeof buildOffchainTx>[0] = [];
  const conditions: (Uint8Array | undefined)[] = [];
  const cltv: boolean[] = [];
  const unit: LeafKind = rng.bool() ? "cltv-blocks" : "cltv-seconds";
  let total = 0n;
  for (let i = 0; i < nIn; i++) {
    const owners = Array.from({ length: rng.int(1, 2) }, () => randomKey(rng).xOnly);
    const preimage = rng.bytes(32);
    const isCltv = mode === "all" || (mode === "mixed" && i % 2 === 0);
    const kind: LeafKind = isCltv ? unit : rng.pick(["multisig", "condition"] as const);
    const spend = randomLeaf(rng, kind, server, owners, preimage);
    const extra = Array.from({ length: rng.int(0, 4) }, () =>
      randomLeaf(
        rng,
        rng.pick(["multisig", "condition", "cltv-blocks"] as const),
        server,
        [randomKey(rng).xOnly],
        rng.bytes(32),
      ),
    );
    const leaves = [...extra];
    leaves.splice(rng.int(0, leaves.length), 0, spend);
    const tree = sdkTree(leaves, spend);
    const amount = BigInt(rng.int(1, 2_000_000));
    total += amount;
    const txid = hex.encode(rng.bytes(32));
    const vout = rng.int(0, 5);
    const condition = kind === "condition" ? preimage : undefined;
    conditions.push(condition);
    cltv.push(isCltv);
    ours.push({
      txid,
      vout,
      amountSats: amount,
      leafScript: spend,
      controlBlock: tree.controlBlock,
      tapTree: leaves,
      ...(rng.bool() ? { pkScript: tree.pkScript } : {}),
      ...(condition === undefined ? {} : { condition: [condition] }),
    });
    sdkInputs.push({
      txid,
      vout,
      value: Number(amount),
      tapLeafScript: tree.tapLeafScript,
      tapTree: tree.encoded,
    });
  }
  // split the total over 1..4 receivers, one of them possibly a sub-dust OP_RETURN
  const outputs: { amountSats: bigint; pkScript: Uint8Array }[] = [];
  let left = total;
  if (left > DUST && rng.bool()) {
    const sub = BigInt(rng.int(1, Number(DUST) - 1));
    outputs.push({ amountSats: sub, pkScript: Uint8Array.of(0x6a, 0x20, ...rng.bytes(32)) });
    left -= sub;
  }
  const nOut = rng.int(1, 3);
  for (let i = 0; i < nOut - 1 && left >= 2n * DUST; i++) {
    const a = DUST + BigInt(Math.floor(rng.next() * Number(left - 2n * DUST)));
    outputs.push({ amountSats: a, pkScript: Uint8Array.of(0x51, 0x20, ...randomKey(rng).xOnly) });
    left -= a;
  }
  if (left < DUST) {
    // fold the rest into the first output to keep everything ≥ dust
    const first = outputs.find((o) => o.pkScript[0] === 0x51);
    if (first !== undefined) first.amountSats += left;
    else outputs.push({ amountSats: left, pkScript: Uint8Array.of(0x6a, 0x20, ...rng.bytes(32)) });
  } else outputs.push({ amountSats: left, pkScript: Uint8Array.of(0x51, 0x20, ...randomKey(rng).xOnly) });
  if (rng.bool()) outputs.reverse();
  return { ours, sdkInputs, outputs, conditions, cltv, server };
}

function sdkBuild(c: Case, cpScript: Uint8Array) {
  const unroll = CSVMultisigTapscript.decode(cpScript);
  const built = buildOffchainTx(
    c.sdkInputs,
    c.outputs.map((o) => ({ amount: o.amountSats, script: o.pkScript })),
    unroll,
  );
  c.conditions.forEach((pre, i) => {
    if (pre === undefined) return;
    setArkPsbtField(built.arkTx, i, ConditionWitness, [pre]);
    setArkPsbtField(built.checkpoints[i]!, i === 0 ? 0 : 0, ConditionWitness, [pre]);
  });
  return built;
}

describe(`buildOffchainTxs vs @arkade-os/sdk buildOffchainTx (seed ${SEED})`, () => {
  it(`matches byte for byte on ${CASES} random input/output sets`, () => {
    const rng = prng(SEED);
    let compared = 0;
    for (let n = 0; n < CASES; n++) {
      const mode = n % 5 === 4 ? "mixed" : n % 2 === 0 ? "none" : "all";
      const c = randomCase(rng, mode);
      const cp = checkpointTapscript(c.server, BigInt(rng.int(1, 1000)));
      const ours = buildOffchainTxs({
        inputs: c.ours,
        outputs: c.outputs,
        checkpointTapscript: cp,
        policy: { dustSats: DUST },
      });
      const sdk = sdkBuild(c, cp);
      const ctx = `case ${n} (seed ${SEED}, mode ${mode})`;
      expect(ours.checkpoints.length, ctx).toBe(sdk.checkpoints.length);
      ours.checkpoints.forEach((tx, i) => {
        expect(tx.id, ctx).toBe(sdk.checkpoints[i]!.id);
        expect(hex.encode(tx.toPSBT()), ctx).toBe(hex.encode(sdk.checkpoints[i]!.toPSBT()));
      });
      if (mode !== "mixed") {
        expect(ours.arkTx.id, ctx).toBe(sdk.arkTx.id);
        expect(hex.encode(ours.arkTx.toPSBT()), ctx).toBe(hex.encode(sdk.arkTx.toPSBT()));
      } else {
        // arkd's rule: only CLTV inputs signal nLockTime; the SDK marks all of them.
        expect(ours.arkTx.lockTime, ctx).toBe(sdk.arkTx.lockTime);
        c.cltv.forEach((isCltv, i) => {
          expect(ours.arkTx.getInput(i).sequence, ctx).toBe(isCltv ? 0xfffffffe : 0xffffffff);
          expect(sdk.arkTx.getInput(i).sequence, ctx).toBe(0xfffffffe);
        });
      }
      compared++;
    }
    expect(compared).toBe(CASES);
  });

  it("refuses mixed height/time locktimes like the SDK does", () => {
    const rng = prng(SEED + 1);
    const server = randomKey(rng).xOnly;
    const owner = randomKey(rng).xOnly;
    const inputs: VtxoInput[] = (["cltv-blocks", "cltv-seconds"] as const).map((kind) => {
      const leaf = randomLeaf(rng, kind, server, [owner], rng.bytes(32));
      const tree = sdkTree([leaf], leaf);
      return {
        txid: hex.encode(rng.bytes(32)),
        vout: 0,
        amountSats: 1000n,
        leafScript: leaf,
        controlBlock: tree.controlBlock,
        tapTree: [leaf],
      };
    });
    const outputs = [{ amountSats: 2000n, pkScript: Uint8Array.of(0x51, 0x20, ...randomKey(rng).xOnly) }];
    expect(() =>
      buildOffchainTxs({
        inputs,
        outputs,
        checkpointTapscript: checkpointTapscript(server),
        policy: { dustSats: DUST },
      }),
    ).toThrowError(expect.objectContaining({ code: "arktx.mixed_locktime_units" }));
  });
});
