/**
 * JSON Schemas of the success bodies, for the OpenAPI document. They mirror `wire.ts` and
 * `restore.ts` and what `@arkade-os/boltz-swap` 0.2.20 and 0.3.x validate (tests check real
 * answers against the required fields listed here).
 */
import { BOLTZ_STATUSES } from "../../domain/swap-types.js";
import type { JsonSchema } from "./schema.js";

const int: JsonSchema = { type: "integer" };
const num: JsonSchema = { type: "number" };
const str: JsonSchema = { type: "string" };

/** Builds `{type: object, required: all keys but the optional ones, properties}`. */
function obj(properties: Record<string, JsonSchema>, optional: readonly string[] = []): JsonSchema {
  return {
    type: "object",
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    properties,
  };
}

export const ERROR_SCHEMA = obj({ error: str, code: str, details: { type: "object" } }, ["details"]);

const status: JsonSchema = { type: "string", enum: [...BOLTZ_STATUSES] };

export const TIMEOUTS_SCHEMA = obj({
  refund: { ...int, description: "absolute CLTV of refundWithoutReceiver (height, or unix time)" },
  unilateralClaim: { ...int, description: "BIP-68 delay: < 512 blocks, else seconds" },
  unilateralRefund: int,
  unilateralRefundWithoutReceiver: int,
});

export const SUBMARINE_PAIRS_SCHEMA = obj({
  ARK: obj({
    BTC: obj({
      hash: str,
      rate: num,
      limits: obj({ minimal: int, maximal: int, maximalZeroConf: int }),
      fees: obj({ percentage: num, minerFees: int }),
    }),
  }),
});

export const REVERSE_PAIRS_SCHEMA = obj({
  BTC: obj({
    ARK: obj({
      hash: str,
      rate: num,
      limits: obj({ minimal: int, maximal: int }),
      fees: obj({ percentage: num, minerFees: obj({ claim: int, lockup: int }) }),
    }),
  }),
});

export const CREATED_SUBMARINE_SCHEMA = obj({
  id: str,
  address: str,
  expectedAmount: int,
  claimPublicKey: str,
  acceptZeroConf: { type: "boolean" },
  timeoutBlockHeight: int,
  timeoutBlockHeights: TIMEOUTS_SCHEMA,
});

export const CREATED_REVERSE_SCHEMA = obj({
  id: str,
  invoice: str,
  onchainAmount: int,
  lockupAddress: str,
  refundPublicKey: str,
  timeoutBlockHeight: int,
  timeoutBlockHeights: TIMEOUTS_SCHEMA,
});

export const STATUS_SCHEMA = obj(
  {
    status,
    transaction: obj({ id: str, hex: str, preimage: str }, ["hex", "preimage"]),
    failureReason: str,
  },
  ["transaction", "failureReason"],
);

export const PREIMAGE_SCHEMA = obj({ preimage: str });

export const REVERSE_TRANSACTION_SCHEMA = obj({ id: str, hex: str, timeoutBlockHeight: int }, ["hex"]);

export const REFUND_ARK_SCHEMA = obj({ transaction: str, checkpoint: str });

export const HEIGHTS_SCHEMA = obj({ BTC: int, ARK: int });

export const VERSION_SCHEMA = obj({ version: str });

const leaf = obj({ version: int, output: { ...str, description: "leaf script, hex" } });
const tree = obj({
  claimLeaf: leaf,
  refundLeaf: leaf,
  refundWithoutBoltzLeaf: leaf,
  unilateralClaimLeaf: leaf,
  unilateralRefundLeaf: leaf,
  unilateralRefundWithoutBoltzLeaf: leaf,
});
const details = (extra: Record<string, JsonSchema>, optional: string[]): JsonSchema =>
  obj(
    {
      tree,
      amount: int,
      keyIndex: int,
      lockupAddress: str,
      serverPublicKey: str,
      timeoutBlockHeight: int,
      timeoutBlockHeights: TIMEOUTS_SCHEMA,
      transaction: obj({ id: str, vout: int }),
      ...extra,
    },
    ["transaction", ...optional],
  );
const restoredBase = {
  id: str,
  createdAt: { ...int, description: "unix time, seconds" },
  preimageHash: str,
  status,
  invoice: { ...str, description: "BOLT11: the invoice paid (submarine) or the hold invoice (reverse)" },
};

export const RESTORE_SCHEMA: JsonSchema = {
  type: "array",
  items: {
    oneOf: [
      obj({
        ...restoredBase,
        type: { const: "submarine" },
        from: { const: "ARK" },
        to: { const: "BTC" },
        refundDetails: details({}, []),
      }),
      obj({
        ...restoredBase,
        type: { const: "reverse" },
        from: { const: "BTC" },
        to: { const: "ARK" },
        claimDetails: details({ preimageHash: str }, []),
      }),
    ],
  },
};
