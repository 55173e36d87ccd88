/** Every code of the arktx catalog, triggered by a table of bad calls. */
import { hex } from "@scure/base";
import { SigHash } from "@scure/btc-signer";
import { describe, expect, it } from "vitest";
import {
  ARK_TX_ERRORS,
  buildIntentProof,
  buildOffchainTxs,
  buildVhtlcClaim,
  buildVhtlcCooperativeRefund,
  buildVhtlcRefundWithoutReceiver,
  cosignVhtlcCooperativeRefund,
  decodeConditionField,
  decodeTaptreeField,
  encodeIntentMessage,
  extractPreimage,
  mergeTapscriptSignatures,
  parsePsbt,
  signTapscriptInput,
  subdustScript,
  verifyTapscriptSignatures,
  type OffchainTxParams,
  type VtxoInput,
} from "../../../../src/ark/tx/index.js";
import { GatewayError } from "../../../../src/domain/errors.js";
import { keyFrom } from "./helpers.js";
import { vhtlcFixture } from "./vhtlc-fixture.js";

const f = vhtlcFixture(60);
const claimInput: VtxoInput = {
  ...f.vtxo,
  leafScript: f.vhtlc.claim,
  controlBlock: f.vhtlc.controlBlock(f.vhtlc.claim),
  tapTree: f.vhtlc.leaves,
  condition: [f.preimage],
};
const p2tr = (b: number) => Uint8Array.of(0x51, 0x20, ...keyFrom(b).xOnly);
const base: OffchainTxParams = {
  inputs: [claimInput],
  outputs: [f.dest],
  checkpointTapscript: f.cp,
  policy: { dustSats: 330n },
};
const build = (over: Partial<OffchainTxParams>) => () => buildOffchainTxs({ ...base, ...over });
const withInput = (over: Partial<VtxoInput>) => build({ inputs: [{ ...claimInput, ...over }] });
const split = (...outs: [bigint, Uint8Array][]) =>
  build({ outputs: outs.map(([amountSats, pkScript]) => ({ amountSats, pkScript })) });
const signedClaim = () => {
  const t = buildVhtlcClaim({ ...f.common, preimage: f.preimage });
  signTapscriptInput(t.arkTx, 0, f.receiver.priv);
  return t;
};
const cbOther = keyFrom(61);

const TABLE: { code: keyof typeof ARK_TX_ERRORS; description: string; run: () => unknown }[] = [
  { code: "arktx.no_inputs", description: "no inputs", run: build({ inputs: [] }) },
  { code: "arktx.invalid_txid", description: "short txid", run: withInput({ txid: "ab" }) },
  { code: "arktx.invalid_vout", description: "negative vout", run: withInput({ vout: -1 }) },
  { code: "arktx.invalid_amount", description: "zero input amount", run: withInput({ amountSats: 0n }) },
  {
    code: "arktx.invalid_amount",
    description: "number amount",
    run: withInput({ amountSats: 5 as unknown as bigint }),
  },
  {
    code: "arktx.duplicate_input",
    description: "same outpoint twice",
    run: build({ inputs: [claimInput, claimInput], outputs: [{ ...f.dest, amountSats: 100_000n }] }),
  },
  {
    code: "arktx.invalid_script",
    description: "truncated leaf",
    run: withInput({ leafScript: Uint8Array.of(0x20, 1, 2), tapTree: [Uint8Array.of(0x20, 1, 2)] }),
  },
  {
    code: "arktx.invalid_control_block",
    description: "control block of 34 bytes",
    run: withInput({ controlBlock: new Uint8Array(34).fill(0xc0) }),
  },
  {
    code: "arktx.invalid_control_block",
    description: "wrong parity bit",
    run: withInput({
      controlBlock: Uint8Array.of(
        f.vhtlc.controlBlock(f.vhtlc.claim)[0]! ^ 1,
        ...f.vhtlc.controlBlock(f.vhtlc.claim).subarray(1),
      ),
    }),
  },
  {
    code: "arktx.leaf_not_in_taptree",
    description: "leaf missing from taptree",
    run: withInput({ tapTree: [f.vhtlc.refund] }),
  },
  {
    code: "arktx.script_mismatch",
    description: "pkScript of another VTXO",
    run: withInput({ pkScript: p2tr(62) }),
  },
  { code: "arktx.mixed_locktime_units", description: "height + time CLTV inputs", run: mixedUnits },
  {
    code: "arktx.invalid_checkpoint_tapscript",
    description: "checkpoint without CSV",
    run: build({ checkpointTapscript: f.vhtlc.refund }),
  },
  { code: "arktx.no_outputs", description: "no outputs", run: build({ outputs: [] }) },
  { code: "arktx.amount_mismatch", description: "outputs short by 1 sat", run: split([49_999n, p2tr(64)]) },
  {
    code: "arktx.output_below_dust",
    description: "sub-dust P2TR",
    run: split([49_800n, p2tr(64)], [200n, p2tr(65)]),
  },
  {
    code: "arktx.output_not_taproot",
    description: "P2WPKH output",
    run: split([50_000n, Uint8Array.of(0x00, 0x14, ...new Uint8Array(20))]),
  },
  {
    code: "arktx.subdust_not_below_dust",
    description: "OP_RETURN sub-dust of dust value",
    run: split([49_670n, p2tr(64)], [330n, subdustScript(cbOther.xOnly)]),
  },
  {
    code: "arktx.op_return_with_value",
    description: "data OP_RETURN with value",
    run: split([49_000n, p2tr(64)], [1_000n, Uint8Array.of(0x6a, 0x01, 0x01)]),
  },
  {
    code: "arktx.too_many_op_returns",
    description: "two OP_RETURNs, max one",
    run: build({
      outputs: [
        { amountSats: 50_000n, pkScript: p2tr(64) },
        { amountSats: 0n, pkScript: Uint8Array.of(0x6a) },
        { amountSats: 0n, pkScript: Uint8Array.of(0x6a) },
      ],
      policy: { dustSats: 330n, maxOpReturnOutputs: 1 },
    }),
  },
  {
    code: "arktx.output_above_max",
    description: "above vtxo max",
    run: build({ policy: { dustSats: 330n, vtxoMaxAmountSats: 10_000n } }),
  },
  {
    code: "arktx.output_below_min",
    description: "below vtxo min",
    run: build({ policy: { dustSats: 330n, vtxoMinAmountSats: 60_000n } }),
  },
  {
    code: "arktx.anchor_output",
    description: "caller adds the anchor",
    run: split([50_000n, p2tr(64)], [0n, Uint8Array.of(0x51, 0x02, 0x4e, 0x73)]),
  },
  {
    code: "arktx.invalid_taptree_field",
    description: "truncated taptree",
    run: () => decodeTaptreeField(Uint8Array.of(1, 0xc0, 5)),
  },
  {
    code: "arktx.invalid_condition_field",
    description: "truncated condition",
    run: () => decodeConditionField(Uint8Array.of(1, 5)),
  },
  {
    code: "arktx.invalid_condition_field",
    description: "condition not bytes",
    run: withInput({ condition: ["aa"] as unknown as Uint8Array[] }),
  },
  { code: "arktx.invalid_psbt", description: "garbage PSBT", run: () => parsePsbt("cHNidP8=") },
  {
    code: "arktx.invalid_private_key",
    description: "zero key",
    run: () => signTapscriptInput(signedClaim().arkTx, 0, new Uint8Array(32)),
  },
  {
    code: "arktx.input_out_of_range",
    description: "input 5",
    run: () => verifyTapscriptSignatures(signedClaim().arkTx, 5),
  },
  {
    code: "arktx.missing_leaf_script",
    description: "sign for another leaf",
    run: () => signTapscriptInput(signedClaim().arkTx, 0, f.receiver.priv, { leafScript: f.vhtlc.refund }),
  },
  {
    code: "arktx.missing_witness_utxo",
    description: "intent fee without prevout",
    run: () => missingWitnessUtxo(),
  },
  {
    code: "arktx.key_not_in_leaf",
    description: "sender signs claim",
    run: () => signTapscriptInput(signedClaim().arkTx, 0, f.sender.priv),
  },
  {
    code: "arktx.invalid_signature",
    description: "signature moved to another tx",
    run: () => movedSignature(),
  },
  {
    code: "arktx.missing_signature",
    description: "server did not sign",
    run: () => verifyTapscriptSignatures(signedClaim().arkTx, 0, { requiredSigners: [f.server.xOnly] }),
  },
  { code: "arktx.sighash_not_allowed", description: "SIGHASH_ALL on an ark tx", run: () => sighashAll() },
  {
    code: "arktx.merge_mismatch",
    description: "merge different txs",
    run: () => mergeTapscriptSignatures(signedClaim().arkTx, signedClaim().checkpoints[0]!),
  },
  {
    code: "arktx.invalid_preimage",
    description: "31-byte preimage",
    run: () => buildVhtlcClaim({ ...f.common, preimage: new Uint8Array(31) }),
  },
  {
    code: "arktx.preimage_not_found",
    description: "refund has no condition",
    run: () => extractPreimage(buildVhtlcCooperativeRefund(f.common).arkTx),
  },
  {
    code: "arktx.preimage_mismatch",
    description: "wrong payment hash",
    run: () => extractPreimage(signedClaim().arkTx, { hash: { sha256: new Uint8Array(32) } }),
  },
  {
    code: "arktx.wrong_leaf",
    description: "claim leaf without HASH160",
    run: () =>
      buildVhtlcClaim({ ...f.common, vhtlc: { ...f.vhtlc, claim: f.vhtlc.refund }, preimage: f.preimage }),
  },
  {
    code: "arktx.locktime_not_reached",
    description: "refund before locktime",
    run: () => buildVhtlcRefundWithoutReceiver({ ...f.common, currentLocktime: 1n }),
  },
  {
    code: "arktx.tx_mismatch",
    description: "co-sign a claim as refund",
    run: () =>
      cosignVhtlcCooperativeRefund({
        ...f.common,
        arkTx: signedClaim().arkTx,
        checkpoint: signedClaim().checkpoints[0]!,
        key: f.receiver.priv,
      }),
  },
  {
    code: "arktx.invalid_intent_message",
    description: "unknown message type",
    run: () => encodeIntentMessage({ type: "nope" } as never),
  },
  {
    code: "arktx.invalid_intent_message",
    description: "bad cosigner key",
    run: () =>
      buildIntentProof({
        message: {
          type: "register",
          onchainOutputIndexes: [],
          validAt: 0,
          expireAt: 0,
          cosignersPublicKeys: ["04ab"],
        },
        inputs: [claimInput],
      }),
  },
];

function mixedUnits(): unknown {
  const other = vhtlcFixture(63, 1_700_000_000n);
  const a = {
    ...f.vtxo,
    leafScript: f.vhtlc.refundWithoutReceiver,
    controlBlock: f.vhtlc.controlBlock(f.vhtlc.refundWithoutReceiver),
    tapTree: f.vhtlc.leaves,
  };
  const b = {
    ...f.vtxo,
    vout: 7,
    leafScript: other.vhtlc.refundWithoutReceiver,
    controlBlock: other.vhtlc.controlBlock(other.vhtlc.refundWithoutReceiver),
    tapTree: other.vhtlc.leaves,
  };
  return buildOffchainTxs({ ...base, inputs: [a, b], outputs: [{ ...f.dest, amountSats: 100_000n }] });
}
function missingWitnessUtxo(): unknown {
  const t = signedClaim().arkTx;
  const bare = parsePsbt(t.toPSBT());
  bare.updateInput(0, { witnessUtxo: undefined }, true);
  return verifyTapscriptSignatures(bare, 0);
}
function movedSignature(): unknown {
  const sig = signedClaim().arkTx.getInput(0).tapScriptSig!;
  const other = buildVhtlcClaim({
    ...f.common,
    outputs: [{ ...f.dest, pkScript: p2tr(66) }],
    preimage: f.preimage,
  }).arkTx;
  other.updateInput(0, { tapScriptSig: sig }, true);
  return verifyTapscriptSignatures(other, 0);
}
function sighashAll(): unknown {
  const t = buildVhtlcClaim({ ...f.common, preimage: f.preimage }).arkTx;
  signTapscriptInput(t, 0, f.receiver.priv, { sighashType: SigHash.ALL });
  return verifyTapscriptSignatures(t, 0);
}

describe("arktx error catalog", () => {
  it.each(TABLE)("$code: $description", ({ code, run }) => {
    let thrown: unknown;
    try {
      run();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect((thrown as GatewayError).code).toBe(code);
    expect((thrown as GatewayError).httpStatus).toBe(ARK_TX_ERRORS[code].httpStatus);
  });

  it("covers every code of the catalog", () => {
    const covered = new Set(TABLE.map((t) => t.code));
    expect(Object.keys(ARK_TX_ERRORS).filter((c) => !covered.has(c as keyof typeof ARK_TX_ERRORS))).toEqual(
      [],
    );
  });

  it("builds fine with the untouched base parameters (the table's failures are the changes)", () => {
    expect(buildOffchainTxs(base).arkTx.outputsLength).toBe(2);
    expect(hex.encode(extractPreimage(signedClaim().arkTx))).toBe(hex.encode(f.preimage));
  });
});
