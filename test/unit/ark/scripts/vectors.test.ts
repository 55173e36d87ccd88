/**
 * Every valid and invalid vector of both shared VHTLC fixture files (fulmine = Go/arkd side,
 * ts-sdk = @arkade-os/sdk side), byte for byte.
 */
import { hex } from "@scure/base";
import { VHTLC } from "@arkade-os/sdk";
import { describe, expect, it } from "vitest";
import {
  VHTLC_LEAF_NAMES,
  buildVhtlc,
  decodeArkAddress,
  decodeClosure,
  decodeTapTreeField,
  encodeArkAddress,
  encodeTapTreeField,
  NUMS_INTERNAL_KEY,
  type VhtlcLeafName,
} from "../../../../src/ark/scripts/index.js";
import { OP, tokenize } from "../../../../src/ark/scripts/script-codec.js";
import { FIXTURE_FILES, expectCode, fixtureParams, loadFixture, type FixtureCase } from "./helpers.js";

const OP_NAMES = new Map<number, string>(
  Object.entries(OP)
    .filter(([name]) => !name.startsWith("OP_") && !name.startsWith("PUSHDATA"))
    .map(([name, code]) => [code, name]),
);

/** Renders a script the way the ts-sdk vectors' `decodedScripts` do. */
function asm(script: Uint8Array): string {
  return tokenize(script)
    .map((t) => {
      if (t.data !== undefined) return `0x${hex.encode(t.data)}`;
      if (t.opcode >= OP.OP_1 && t.opcode <= OP.OP_16) return String(t.opcode - OP.OP_1 + 1);
      const name = OP_NAMES.get(t.opcode);
      if (name === undefined) throw new Error(`no name for opcode ${t.opcode}`);
      return name;
    })
    .join(" ");
}

/** Expected outcome of each invalid vector, by description; every invalid vector must be listed. */
const INVALID: Record<string, { code: string; field: string }> = {
  "Invalid preimageHash length (too short)": { code: "vhtlc.invalid_preimage_hash", field: "preimageHash" },
  "Invalid preimageHash length (too long)": { code: "vhtlc.invalid_preimage_hash", field: "preimageHash" },
  "Zero timelock value": { code: "timelock.not_positive", field: "unilateralClaimDelay" },
  "Invalid refund locktime (zero)": { code: "vhtlc.refund_locktime_not_positive", field: "refundLocktime" },
  "Invalid seconds timelock (not multiple of 512)": {
    code: "timelock.seconds_not_multiple_of_512",
    field: "unilateralClaimDelay",
  },
  "Invalid seconds timelock (less than 512)": {
    code: "timelock.seconds_below_512",
    field: "unilateralRefundDelay",
  },
};

const scriptKey = (n: VhtlcLeafName): string => `${n}Script`;

function sdkOptions(c: FixtureCase) {
  const p = fixtureParams(c);
  return {
    ...p,
    sender: p.sender.slice(1),
    receiver: p.receiver.slice(1),
    server: p.server.slice(1),
  };
}

for (const file of FIXTURE_FILES) {
  const fixture = loadFixture(file);

  describe(`${file}: valid`, () => {
    it("has valid vectors", () => expect(fixture.valid.length).toBeGreaterThan(0));

    for (const c of fixture.valid) {
      describe(c.description, () => {
        const v = buildVhtlc(fixtureParams(c));

        it("encodes the expected address, which decodes back to the server and output keys", () => {
          expect(c.expected).toBeDefined();
          const address = encodeArkAddress({
            network: "regtest",
            serverKey: hex.decode(c.server),
            vtxoOutputKey: v.outputKey,
          });
          expect(address).toBe(c.expected);
          const decoded = decodeArkAddress(c.expected ?? "", "regtest");
          expect(hex.encode(decoded.serverKey)).toBe(c.server.slice(2));
          expect(hex.encode(decoded.vtxoOutputKey)).toBe(hex.encode(v.outputKey));
          expect(hex.encode(decoded.pkScript)).toBe(hex.encode(v.pkScript));
        });

        if (c.scripts !== undefined) {
          const scripts = c.scripts;
          it("builds the six leaf scripts byte-exactly, in order", () => {
            expect(Object.keys(scripts)).toEqual(VHTLC_LEAF_NAMES.map(scriptKey));
            VHTLC_LEAF_NAMES.forEach((name, i) => {
              expect(hex.encode(v[name]), name).toBe(scripts[scriptKey(name)]);
              expect(hex.encode(v.leaves[i] ?? new Uint8Array()), name).toBe(scripts[scriptKey(name)]);
            });
          });
        }

        if (c.decodedScripts !== undefined) {
          const decodedScripts = c.decodedScripts;
          it("leaf scripts read as the vector's ASM and decode to the right closure", () => {
            const types = [
              "condition-multisig",
              "multisig",
              "cltv-multisig",
              "condition-csv-multisig",
              "csv-multisig",
              "csv-multisig",
            ];
            VHTLC_LEAF_NAMES.forEach((name, i) => {
              expect(asm(v[name]), name).toBe(decodedScripts[scriptKey(name)]);
              expect(decodeClosure(v[name]).type, name).toBe(types[i]);
            });
          });
        }

        if (c.taproot !== undefined) {
          const taproot = c.taproot;
          it("has the expected output key, internal key and PSBT taptree field", () => {
            expect(hex.encode(v.outputKey)).toBe(taproot.tweakedPublicKey);
            expect(taproot.internalKey).toBe(`02${hex.encode(NUMS_INTERNAL_KEY)}`);
            expect(hex.encode(v.tree.internalKey)).toBe(taproot.internalKey.slice(2));
            expect(hex.encode(encodeTapTreeField(v.leaves))).toBe(taproot.tapTree);
            expect(decodeTapTreeField(hex.decode(taproot.tapTree)).map((s) => hex.encode(s))).toEqual(
              v.leaves.map((s) => hex.encode(s)),
            );
          });
        }

        if (c.expectedTapTree !== undefined) {
          const tree = c.expectedTapTree;
          it("has the expected merkle root (Go chainhash display order) and every control block", () => {
            // chainhash.Hash.String() prints the bytes reversed
            expect(hex.encode(v.tree.root.slice().reverse())).toBe(tree.root);
            const proofs = Object.entries(tree.merkleProofs);
            expect(proofs).toHaveLength(6);
            for (const [script, { controlBlock }] of proofs) {
              expect(hex.encode(v.controlBlock(hex.decode(script))), script).toBe(controlBlock);
            }
            expect(new Set(proofs.map(([s]) => s))).toEqual(new Set(v.leaves.map((s) => hex.encode(s))));
          });
        }
      });
    }
  });

  describe(`${file}: invalid`, () => {
    it("has invalid vectors, each listed in the expectations table", () => {
      expect(fixture.invalid.length).toBeGreaterThan(0);
      for (const c of fixture.invalid) expect(INVALID[c.description], c.description).toBeDefined();
    });

    for (const c of fixture.invalid) {
      it(`rejects: ${c.description}`, () => {
        const want = INVALID[c.description];
        if (want === undefined) throw new Error(`no expectation for ${c.description}`);
        const err = expectCode(() => buildVhtlc(fixtureParams(c)), want.code);
        expect(err.details?.field).toBe(want.field);
        expect(err.httpStatus).toBe(400);
        if (file === "vhtlc-vectors-fulmine.json") expect(err.message).toContain(c.error);
        // the independent implementation refuses it too
        expect(() => new VHTLC.Script(sdkOptions(c))).toThrow();
      });
    }
  });
}
