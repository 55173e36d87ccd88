/**
 * `@arkade-os/sdk`'s ArkProvider and IndexerProvider over the faithful fake arkd
 * (test/fakes/fake-arkd.ts), so the client side (the SDK's Wallet and the boltz-swap
 * library) talks to the same in-memory Ark server as the gateway. The shapes follow the SDK's
 * own REST providers (`RestArkProvider.getInfo`, `convertVtxo` in RestIndexerProvider); a
 * method the flows do not need throws, naming itself.
 *
 * One gap is bridged: the SDK's `Wallet.sendBitcoin` re-parses the server-signed checkpoints
 * with plain btc-signer (no allowUnknown), which drops the checkpoint's `taptree` PSBT field
 * before FinalizeTx. Real arkd keeps the checkpoint from SubmitTx and accepts that; the fake
 * asks for the field again. So FinalizeTx here puts back, on a final checkpoint that lost them,
 * the unknown fields of the checkpoint the client submitted (same txid). Signatures are
 * untouched, and the fake still verifies all of them.
 */
import { Transaction } from "@arkade-os/sdk";
import type { ArkInfo, ArkProvider, IndexerProvider, OnchainProvider, VirtualCoin } from "@arkade-os/sdk";
import { base64 } from "@scure/base";
import type { Vtxo } from "../../../src/ark/client/index.js";
import type { FakeArkd } from "../../fakes/fake-arkd.js";

function strict<T extends object>(name: string, impl: Partial<T>): T {
  return new Proxy(impl, {
    get(target, prop, receiver) {
      if (prop in target) return Reflect.get(target, prop, receiver) as unknown;
      if (prop === "then") return undefined; // not a thenable
      return () => {
        throw new Error(`${name}.${String(prop)} is not implemented over the fake arkd`);
      };
    },
  }) as T;
}

/** As RestIndexerProvider's convertVtxo maps arkd's JSON. */
export function toVirtualCoin(v: Vtxo): VirtualCoin {
  return {
    txid: v.outpoint.txid,
    vout: v.outpoint.vout,
    value: Number(v.amountSats),
    status: { confirmed: !v.flags.swept && !v.flags.preconfirmed, isLeaf: !v.flags.preconfirmed },
    virtualStatus: {
      state: v.flags.swept ? "swept" : v.flags.preconfirmed ? "preconfirmed" : "settled",
      commitmentTxIds: [...v.commitmentTxids],
      batchExpiry: v.expiresAt > 0n ? Number(v.expiresAt) * 1000 : undefined,
    },
    spentBy: v.spentBy ?? "",
    ...(v.settledBy === undefined ? {} : { settledBy: v.settledBy }),
    ...(v.arkTxid === undefined ? {} : { arkTxId: v.arkTxid }),
    createdAt: new Date(Number(v.createdAt) * 1000),
    isUnrolled: v.flags.unrolled,
    isSpent: v.flags.spent,
  };
}

type UnknownFields = NonNullable<ReturnType<Transaction["getInput"]>["unknown"]>;

export function sdkArkProvider(arkd: FakeArkd): ArkProvider {
  const submitted = new Map<string, UnknownFields>();
  const restoreDropped = (psbt: string): string => {
    const tx = Transaction.fromPSBT(base64.decode(psbt));
    const fields = submitted.get(tx.id);
    if (fields === undefined || (tx.getInput(0).unknown ?? []).length > 0) return psbt;
    tx.updateInput(0, { unknown: fields });
    return base64.encode(tx.toPSBT());
  };
  return strict<ArkProvider>("ArkProvider", {
    async getInfo(): Promise<ArkInfo> {
      const i = await arkd.getInfo();
      return {
        boardingExitDelay: i.boardingExitDelay,
        checkpointTapscript: i.checkpointTapscript,
        deprecatedSigners: [],
        digest: i.digest,
        dust: i.dustSats,
        fees: {
          intentFee: { offchainInput: "", offchainOutput: "", onchainInput: "", onchainOutput: "" },
          txFeeRate: "",
        } as unknown as ArkInfo["fees"],
        forfeitAddress: i.forfeitAddress,
        forfeitPubkey: i.forfeitPubkey,
        network: i.network,
        serviceStatus: {} as ArkInfo["serviceStatus"],
        sessionDuration: i.sessionDurationSeconds,
        signerPubkey: i.signerPubkey,
        unilateralExitDelay: i.unilateralExitDelay,
        utxoMaxAmount: i.utxoMaxAmountSats,
        utxoMinAmount: i.utxoMinAmountSats,
        version: i.version,
        vtxoMaxAmount: i.vtxoMaxAmountSats,
        vtxoMinAmount: i.vtxoMinAmountSats,
      };
    },
    async submitTx(signedArkTx: string, checkpointTxs: string[]) {
      for (const c of checkpointTxs) {
        const tx = Transaction.fromPSBT(base64.decode(c));
        const fields = tx.getInput(0).unknown;
        if (fields !== undefined) submitted.set(tx.id, fields);
      }
      const r = await arkd.submitTx({ signedArkTx, checkpointTxs });
      return {
        arkTxid: r.arkTxid,
        finalArkTx: r.finalArkTx,
        signedCheckpointTxs: [...r.signedCheckpointTxs],
      };
    },
    async finalizeTx(arkTxid: string, finalCheckpointTxs: string[]) {
      await arkd.finalizeTx({ arkTxid, finalCheckpointTxs: finalCheckpointTxs.map(restoreDropped) });
    },
  });
}

export function sdkIndexerProvider(arkd: FakeArkd): IndexerProvider {
  return strict<IndexerProvider>("IndexerProvider", {
    async getVtxos(opts?: {
      scripts?: string[];
      outpoints?: { txid: string; vout: number }[];
      spendableOnly?: boolean;
      spentOnly?: boolean;
    }) {
      const status = opts?.spendableOnly ? "spendable" : opts?.spentOnly ? "spent" : undefined;
      const page = await arkd.getVtxos({
        ...(opts?.scripts === undefined ? {} : { scripts: opts.scripts }),
        ...(opts?.outpoints === undefined ? {} : { outpoints: opts.outpoints }),
        ...(status === undefined ? {} : { status }),
      });
      return { vtxos: page.vtxos.map(toVirtualCoin) };
    },
  });
}

/** The client never goes on chain in these flows. */
export function noOnchainProvider(): OnchainProvider {
  return strict<OnchainProvider>("OnchainProvider", {});
}
