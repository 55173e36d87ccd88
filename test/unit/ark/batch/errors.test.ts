/** Every code of the batch catalog, triggered by a table of bad calls (a code without a row fails). */
import { hex } from "@scure/base";
import { describe, expect, it } from "vitest";
import {
  BATCH_ERRORS,
  TreeSigner,
  buildTxTree,
  checkTreeRoot,
  connectorOutputs,
  encodeNote,
  findLeafOutput,
  intentInputs,
  parseNote,
  runBatchSession,
  segwitScript,
  sweepTapRoot,
  sweepTapscript,
  type BatchArkPort,
} from "../../../../src/ark/batch/index.js";
import type { ArkServerPort, ArkdInfo, BatchStreamEvent } from "../../../../src/ark/client/index.js";
import { redeemNotes, type BatchServiceEnv } from "../../../../src/ark/wallet/batch-service.js";
import { SILENT_LOGGER } from "../../../../src/ark/wallet/logger.js";
import { buildWalletScript } from "../../../../src/ark/wallet/wallet-script.js";
import { MemoryWalletStore } from "../../../fakes/memory-wallet-store.js";
import { GatewayError } from "../../../../src/domain/errors.js";
import { p2trScript } from "../../../../src/ark/tx/crypto.js";
import { createKeyRing } from "../../../../src/ark/wallet/keys.js";
import { FakeStream } from "../../../fakes/fake-ark-stream.js";
import { buildBatch, key } from "./tree-fixture.js";

const server = key();
const me = key();
const ROOT = sweepTapRoot(sweepTapscript(hex.encode(server.pub), 144n));
const batch = buildBatch({
  leaves: [
    {
      outputs: [{ script: p2trScript(me.pub.subarray(1)), amount: 1_000n }],
      cosigners: [me.pub, server.pub],
    },
  ],
  sweepRoot: ROOT,
  connectors: 0,
  connectorKey: server.pub,
});
const tree = buildTxTree(batch.vtxoTree);
const batchOut = checkTreeRoot(tree, batch.commitmentTx);

/** A session whose arkd answers with `events` after RegisterIntent. */
function session(events: (intentHash: string) => BatchStreamEvent[], timeoutMs = 5_000) {
  const stream = new FakeStream<BatchStreamEvent>();
  const ark = {
    streamBatchEvents: () => stream,
    registerIntent: async () => {
      const { sha256 } = await import("@noble/hashes/sha2.js");
      const h = hex.encode(sha256(new TextEncoder().encode("intent-1")));
      setImmediate(() => events(h).forEach((e) => stream.push(e)));
      return "intent-1";
    },
    confirmRegistration: async () => undefined,
    submitTreeNonces: async () => undefined,
    submitTreeSignatures: async () => undefined,
    submitSignedForfeitTxs: async () => undefined,
  } as unknown as BatchArkPort;
  return () =>
    runBatchSession({
      ark,
      registerIntent: () => ({ proof: "cHNidP8=", message: "{}" }),
      inputOutpoints: [],
      output: { script: p2trScript(me.pub.subarray(1)), amountSats: 1_000n },
      forfeitVtxos: [],
      forfeitSigner: createKeyRing(new Uint8Array(32).fill(1)).walletKey.signer,
      forfeitScript: Uint8Array.of(0x51),
      forfeitPubkey: hex.encode(server.pub),
      timeoutMs,
    });
}
const started = (h: string): BatchStreamEvent => ({
  type: "batch_started",
  batchId: "b",
  intentIdHashes: [h],
  batchExpiry: 144n,
});

const TABLE: { code: keyof typeof BATCH_ERRORS; description: string; run: () => unknown }[] = [
  { code: "batch.invalid_note", description: "a note without the prefix", run: () => parseNote("note") },
  {
    code: "batch.invalid_request",
    description: "a join without inputs",
    run: () => intentInputs({ vtxos: [], notes: [] }),
  },
  { code: "batch.invalid_tree", description: "no tree txs", run: () => buildTxTree([]) },
  {
    code: "batch.output_missing",
    description: "our output absent",
    run: () => findLeafOutput(tree, Uint8Array.of(0x51), 1n),
  },
  {
    code: "batch.invalid_nonce",
    description: "a cosigner's nonce missing",
    run: () => {
      const s = new TreeSigner(me.priv, tree, batchOut, ROOT);
      s.nonces();
      return s.addNonces(tree.root.txid, new Map());
    },
  },
  {
    code: "batch.connector_missing",
    description: "a connector leaf with only an anchor",
    run: () => connectorOutputs({ ...tree, leaves: [{ ...tree.root, tx: anchorOnly() }] }),
  },
  {
    code: "batch.protocol_violation",
    description: "signing before nonces",
    run: () => new TreeSigner(me.priv, tree, batchOut, ROOT).sign(),
  },
  {
    code: "batch.failed",
    description: "arkd fails our batch",
    run: session((h) => [started(h), { type: "batch_failed", batchId: "b", reason: "x" }]),
  },
  { code: "batch.timeout", description: "no batch in time", run: session(() => [], 50) },
  {
    code: "batch.outcome_unknown",
    description: "the session breaks after our forfeits (the wallet's batch service)",
    run: async () => {
      const { FakeBatchArkd } = await import("../../../fakes/fake-batch-arkd.js");
      const { memoryBatchStore } = await import("../../../fakes/memory-batch-store.js");
      const { renew } = await import("../../../../src/ark/wallet/batch-service.js");
      const arkd = new FakeBatchArkd();
      arkd.breakAfterForfeits = true;
      const env = feeEnv();
      const store = env.store as MemoryWalletStore;
      await store.observeVtxos([
        {
          outpoint: `${"cd".repeat(32)}:0`,
          amountSats: 9_000n,
          script: env.walletScript().pkScriptHex,
          spent: false,
          swept: false,
          spentBy: undefined,
          expiresAt: undefined,
        },
      ]);
      return renew(
        {
          ...env,
          ark: Object.assign(arkd, {}) as unknown as ArkServerPort,
          batchStore: memoryBatchStore(store),
          serverInfo: fakeInfoOf,
          // the stream breaks right after the forfeits: no timeout involved
          batchTimeoutMs: 60_000,
        },
        undefined,
      );
    },
  },
  {
    code: "batch.amount_too_small",
    description: "a fee that eats the note (the wallet's batch service)",
    run: () => redeemNotes(feeEnv(), [encodeNote(new Uint8Array(32).fill(3), 500n)]),
  },
];

/** Just enough of a BatchServiceEnv for arkd to quote a 600-sat fee. */
function feeEnv(): BatchServiceEnv {
  const keys = createKeyRing(new Uint8Array(32).fill(1));
  const info = {
    signerPubkey: hex.encode(server.pub),
    unilateralExitDelay: 20n,
    dustSats: 330n,
    vtxoMinAmountSats: 1n,
  };
  return {
    ark: { estimateIntentFee: async () => 600n } as unknown as ArkServerPort,
    store: new MemoryWalletStore(),
    batchStore: undefined,
    keys,
    serverInfo: async () => info as unknown as ArkdInfo,
    walletScript: () => buildWalletScript(keys.walletKey.xOnly, info as unknown as ArkdInfo),
    log: SILENT_LOGGER,
    maxInputs: 8,
    batchTimeoutMs: 6_000,
    batchAttempts: 1,
    withSelectionLock: (work) => work(),
    activeBatches: new Set(),
  };
}

/** GetInfo as the scripted arkd (fake-batch-arkd.ts) expects it. */
async function fakeInfoOf(): Promise<ArkdInfo> {
  const { FORFEIT_PUBKEY } = await import("../../../fakes/fake-batch-arkd.js");
  return {
    signerPubkey: hex.encode(server.pub),
    forfeitPubkey: FORFEIT_PUBKEY,
    forfeitAddress: "bcrt1qmhmu3gzqgp5j6rad92g0nr9vl3ansx240lhynq",
    unilateralExitDelay: 20n,
    dustSats: 330n,
    vtxoMinAmountSats: 1n,
  } as unknown as ArkdInfo;
}

function anchorOnly() {
  const b = buildBatch({
    leaves: [
      { outputs: [{ script: Uint8Array.of(0x51, 0x02, 0x4e, 0x73), amount: 0n }], cosigners: [server.pub] },
    ],
    sweepRoot: ROOT,
    connectors: 0,
    connectorKey: server.pub,
  });
  return buildTxTree(b.vtxoTree).root.tx;
}

describe("batch error catalog", () => {
  it("has a row for every code", () => {
    expect(new Set(TABLE.map((r) => r.code))).toEqual(new Set(Object.keys(BATCH_ERRORS)));
  });

  it.each(TABLE)("$code: $description", async ({ code, run }) => {
    let caught: unknown;
    try {
      await run();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(GatewayError);
    expect((caught as GatewayError).code).toBe(code);
    expect((caught as GatewayError).retryable).toBe(BATCH_ERRORS[code].retryable);
  });

  it("refuses a non-segwit forfeit address with batch.invalid_request", () => {
    expect(() => segwitScript("tark1xyz")).toThrow(
      expect.objectContaining({ code: "batch.invalid_request" }),
    );
  });
});
