import { Metadata, type ServerUnaryCall, type sendUnaryData } from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import { createGrpcArkClient } from "../../../../src/ark/client/grpc-ark-client.js";
import type { ArkServerPort } from "../../../../src/ark/client/port.js";
import { listAllVtxos } from "../../../../src/ark/client/vtxo-paging.js";
import { GatewayError } from "../../../../src/domain/errors.js";
import {
  PSBT,
  SCRIPT_A,
  TXID_A,
  TXID_B,
  startFakeArkd,
  type FakeArkd,
} from "../../../fakes/fake-arkd-grpc.js";

type Handler = (call: ServerUnaryCall<any, any>, cb: sendUnaryData<any>) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

const SIGNER = `02${"ab".repeat(32)}`;
const FORFEIT = `03${"cd".repeat(32)}`;
const BEYOND_2_53 = "9007199254740993"; // 2^53 + 1: a JS number would round it

const GET_INFO = {
  version: "v0.9.15",
  signer_pubkey: SIGNER,
  forfeit_pubkey: FORFEIT,
  forfeit_address: "bcrt1qforfeit",
  checkpoint_tapscript: "AB",
  network: "regtest",
  session_duration: "10",
  unilateral_exit_delay: "20",
  boarding_exit_delay: "30",
  utxo_min_amount: "-1",
  utxo_max_amount: "-1",
  vtxo_min_amount: "1",
  vtxo_max_amount: BEYOND_2_53,
  dust: "330",
  fees: {
    intent_fee: { offchain_input: "0.0", offchain_output: "", onchain_input: "200.0", onchain_output: "" },
    tx_fee_rate: "1.5",
  },
  deprecated_signers: [{ pubkey: FORFEIT, cutoff_date: "1700000000" }],
  digest: "d1",
  max_tx_weight: "40000",
  max_op_return_outputs: "3",
};

const wireVtxo = (txid: string, vout: number, amount: string) => ({
  outpoint: { txid, vout },
  created_at: "1700000000",
  expires_at: "1700086400",
  amount,
  script: SCRIPT_A,
  is_preconfirmed: true,
  is_swept: false,
  is_unrolled: false,
  is_spent: vout === 1,
  spent_by: vout === 1 ? TXID_B : "",
  commitment_txids: [TXID_B],
  settled_by: "",
  ark_txid: vout === 1 ? TXID_B : "",
  assets: [],
  depth: 2,
});

let server: FakeArkd | undefined;
let client: ArkServerPort | undefined;

async function setup(
  ark: Record<string, Handler>,
  indexer: Record<string, Handler> = {},
  opts: { timeoutMs?: number; buildVersion?: string; sendDigest?: boolean } = {},
): Promise<ArkServerPort> {
  server = await startFakeArkd({ ark, indexer });
  client = createGrpcArkClient({
    address: server.address,
    defaultTimeoutMs: opts.timeoutMs ?? 5_000,
    ...(opts.buildVersion === undefined ? {} : { buildVersion: opts.buildVersion }),
    ...(opts.sendDigest === undefined ? {} : { sendDigest: opts.sendDigest }),
  });
  return client;
}

afterEach(async () => {
  client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

async function rejection(p: Promise<unknown>): Promise<GatewayError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  return err as GatewayError;
}

describe("GetInfo", () => {
  it("maps every int64 exactly to bigint and keys to lower-case hex", async () => {
    const ark = await setup({ GetInfo: (_c, cb) => cb(null, GET_INFO) });
    const info = await ark.getInfo();
    expect(info.vtxoMaxAmountSats).toBe(9007199254740993n);
    expect(info.utxoMinAmountSats).toBe(-1n);
    expect(info.signerPubkey).toBe(SIGNER);
    expect(info.forfeitPubkey).toBe(FORFEIT);
    expect(info.checkpointTapscript).toBe("ab");
    expect(info).toMatchObject({
      network: "regtest",
      version: "v0.9.15",
      digest: "d1",
      sessionDurationSeconds: 10n,
      unilateralExitDelay: 20n,
      boardingExitDelay: 30n,
      vtxoMinAmountSats: 1n,
      dustSats: 330n,
      maxTxWeight: 40000n,
      maxOpReturnOutputs: 3n,
    });
    expect(info.fees?.intentFee.onchainInput).toBe("200.0");
    expect(info.fees?.txFeeRate).toBe("1.5");
    expect(info.deprecatedSigners).toEqual([{ pubkey: FORFEIT, cutoffDate: 1700000000n }]);
  });

  it("refuses a malformed signer key as ark.invalid_response", async () => {
    const ark = await setup({ GetInfo: (_c, cb) => cb(null, { ...GET_INFO, signer_pubkey: "02zz" }) });
    expect((await rejection(ark.getInfo())).code).toBe("ark.invalid_response");
  });

  it("sends x-build-version, and x-digest of the last GetInfo when asked", async () => {
    const seen: Metadata[] = [];
    const ark = await setup(
      {
        GetInfo: (c, cb) => {
          seen.push(c.metadata);
          cb(null, GET_INFO);
        },
        FinalizeTx: (c, cb) => {
          seen.push(c.metadata);
          cb(null, {});
        },
      },
      {},
      { buildVersion: "0.9.15", sendDigest: true },
    );
    await ark.getInfo();
    await ark.finalizeTx({ arkTxid: TXID_A, finalCheckpointTxs: [PSBT] });
    expect(seen[0]?.get("x-build-version")).toEqual(["0.9.15"]);
    expect(seen[0]?.get("x-digest")).toEqual([]);
    expect(seen[1]?.get("x-digest")).toEqual(["d1"]);
  });
});

describe("SubmitTx / FinalizeTx", () => {
  it("round-trips requests and responses", async () => {
    const requests: unknown[] = [];
    const ark = await setup({
      SubmitTx: (c, cb) => {
        requests.push(c.request);
        cb(null, { ark_txid: TXID_A, final_ark_tx: "ZmluYWw=", signed_checkpoint_txs: ["Y3A="] });
      },
      FinalizeTx: (c, cb) => {
        requests.push(c.request);
        cb(null, {});
      },
    });
    const submitted = await ark.submitTx({ signedArkTx: PSBT, checkpointTxs: [PSBT, PSBT] });
    expect(submitted).toEqual({
      arkTxid: TXID_A,
      finalArkTx: "ZmluYWw=",
      signedCheckpointTxs: ["Y3A="],
    });
    await ark.finalizeTx({ arkTxid: submitted.arkTxid, finalCheckpointTxs: ["Y3A="] });
    expect(requests).toEqual([
      { signed_ark_tx: PSBT, checkpoint_txs: [PSBT, PSBT] },
      { ark_txid: TXID_A, final_checkpoint_txs: ["Y3A="] },
    ]);
  });

  it("validates arguments before calling", async () => {
    const ark = await setup({});
    const e1 = await rejection(ark.submitTx({ signedArkTx: "not base64!", checkpointTxs: [PSBT] }));
    expect(e1.code).toBe("ark.invalid_request");
    const e2 = await rejection(ark.finalizeTx({ arkTxid: "abc", finalCheckpointTxs: [PSBT] }));
    expect(e2.code).toBe("ark.invalid_request");
  });

  it("GetPendingTx sends the intent in the oneof and maps pending txs", async () => {
    let request: unknown;
    const ark = await setup({
      GetPendingTx: (c, cb) => {
        request = c.request;
        cb(null, { pending_txs: [{ ark_txid: TXID_B, final_ark_tx: PSBT, signed_checkpoint_txs: [] }] });
      },
    });
    const pending = await ark.getPendingTxs({ proof: PSBT, message: '{"type":"get-pending-tx"}' });
    expect(pending).toEqual([{ arkTxid: TXID_B, finalArkTx: PSBT, signedCheckpointTxs: [] }]);
    expect(request).toMatchObject({
      identifier: "intent",
      intent: { proof: PSBT, message: '{"type":"get-pending-tx"}' },
    });
  });
});

describe("GetVtxos", () => {
  const vtxos = [wireVtxo(TXID_A, 0, BEYOND_2_53), wireVtxo(TXID_A, 1, "1000"), wireVtxo(TXID_B, 0, "5")];

  const pagedIndexer: Record<string, Handler> = {
    GetVtxos: (c, cb) => {
      const { index, size } = c.request.page as { index: number; size: number };
      const total = Math.ceil(vtxos.length / size);
      cb(null, {
        vtxos: vtxos.slice((index - 1) * size, index * size),
        page: { current: index, next: Math.min(index + 1, total), total },
      });
    },
  };

  it("maps VTXOs (bigint amounts, outpoints, flags, empty strings to undefined)", async () => {
    const ark = await setup({}, pagedIndexer);
    const page = await ark.getVtxos({
      scripts: [SCRIPT_A],
      status: "spendable",
      page: { index: 1, size: 2 },
    });
    expect(page.page).toEqual({ current: 1, next: 2, total: 2 });
    expect(page.vtxos).toHaveLength(2);
    expect(page.vtxos[0]).toEqual({
      outpoint: { txid: TXID_A, vout: 0 },
      amountSats: 9007199254740993n,
      script: SCRIPT_A,
      createdAt: 1700000000n,
      expiresAt: 1700086400n,
      flags: { preconfirmed: true, swept: false, unrolled: false, spent: false },
      spentBy: undefined,
      arkTxid: undefined,
      settledBy: undefined,
      commitmentTxids: [TXID_B],
      depth: 2,
    });
    expect(page.vtxos[1]?.spentBy).toBe(TXID_B);
    expect(page.vtxos[1]?.flags.spent).toBe(true);
  });

  it("maps the indexer's is_unrolled and is_swept flags", async () => {
    const exited = {
      ...wireVtxo(TXID_A, 0, "1000"),
      is_unrolled: true,
      is_swept: true,
      is_preconfirmed: false,
    };
    const ark = await setup(
      {},
      { GetVtxos: (_c, cb) => cb(null, { vtxos: [exited, wireVtxo(TXID_B, 0, "5")] }) },
    );
    const { vtxos: got } = await ark.getVtxos({ scripts: [SCRIPT_A] });
    expect(got.map((v) => v.flags)).toEqual([
      { preconfirmed: false, swept: true, unrolled: true, spent: false },
      { preconfirmed: true, swept: false, unrolled: false, spent: false },
    ]);
  });

  it("sends the filter fields arkd expects", async () => {
    let request: Record<string, unknown> = {};
    const ark = await setup(
      {},
      {
        GetVtxos: (c, cb) => {
          request = c.request as Record<string, unknown>;
          cb(null, { vtxos: [] });
        },
      },
    );
    const res = await ark.getVtxos({ outpoints: [{ txid: TXID_A, vout: 3 }] });
    expect(res).toEqual({ vtxos: [], page: undefined });
    expect(request).toMatchObject({ outpoints: [`${TXID_A}:3`], scripts: [], spendable_only: false });
    await ark.getVtxos({ scripts: [SCRIPT_A], status: "pending" });
    expect(request).toMatchObject({ scripts: [SCRIPT_A], pending_only: true, spendable_only: false });
  });

  it("follows pages until the last one", async () => {
    const ark = await setup({}, pagedIndexer);
    const all = await listAllVtxos(ark, { scripts: [SCRIPT_A] }, 2);
    expect(all.map((v) => v.amountSats)).toEqual([9007199254740993n, 1000n, 5n]);
  });

  it("refuses scripts and outpoints together", async () => {
    const ark = await setup({}, pagedIndexer);
    const err = await rejection(
      ark.getVtxos({ scripts: [SCRIPT_A], outpoints: [{ txid: TXID_A, vout: 0 }] }),
    );
    expect(err.code).toBe("ark.invalid_request");
  });

  it("refuses a VTXO without an outpoint as ark.invalid_response", async () => {
    const ark = await setup(
      {},
      { GetVtxos: (_c, cb) => cb(null, { vtxos: [{ ...wireVtxo(TXID_A, 0, "1"), outpoint: null }] }) },
    );
    expect((await rejection(ark.getVtxos({ scripts: [SCRIPT_A] }))).code).toBe("ark.invalid_response");
  });
});

describe("GetVirtualTxs", () => {
  it("sends txids and the auth oneof, returns the PSBTs", async () => {
    const requests: unknown[] = [];
    const ark = await setup(
      {},
      {
        GetVirtualTxs: (c, cb) => {
          requests.push(c.request);
          cb(null, { txs: [PSBT] });
        },
      },
    );
    const res = await ark.getVirtualTxs({ txids: [TXID_A], auth: { token: "tok" } });
    expect(res).toEqual({ txs: [PSBT], page: undefined });
    await ark.getVirtualTxs({
      txids: [TXID_B],
      page: { index: 1, size: 10 },
      auth: { intent: { proof: PSBT, message: "{}" } },
    });
    expect(requests[0]).toMatchObject({ txids: [TXID_A], auth: "token", token: "tok" });
    expect(requests[1]).toMatchObject({
      txids: [TXID_B],
      page: { index: 1, size: 10 },
      auth: "intent",
      intent: { proof: PSBT, message: "{}" },
    });
  });
});
