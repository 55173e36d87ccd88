/**
 * The checks `@arkade-os/boltz-swap` 0.3.61 applies to our answers, restated from its `dist/`
 * (MIT; the wire format it parses is a fact we follow): the `is*Response` guards of
 * BoltzSwapProvider, `isSwapNotFoundBody`, the submarine `expectedAmount` bound of
 * `assertSubmarineExpectedAmount` and the timeouts `resolveVhtlcTimeouts` rebuilds a restored
 * VHTLC from. The client itself needs Node >= 22.12 and is not a dependency of the unit tests.
 */

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null;
const optional = (v: unknown, t: string): boolean => v === undefined || typeof v === t;

export function isTimeoutBlockHeights(d: unknown): boolean {
  return (
    isObj(d) &&
    typeof d["refund"] === "number" &&
    typeof d["unilateralClaim"] === "number" &&
    typeof d["unilateralRefund"] === "number" &&
    typeof d["unilateralRefundWithoutReceiver"] === "number"
  );
}

const isLeaf = (d: unknown): boolean =>
  isObj(d) && typeof d["version"] === "number" && typeof d["output"] === "string";

function isTree(d: unknown): boolean {
  if (!isObj(d) || !isLeaf(d["claimLeaf"]) || !isLeaf(d["refundLeaf"])) return false;
  return [
    "covenantClaimLeaf",
    "refundWithoutBoltzLeaf",
    "unilateralClaimLeaf",
    "unilateralRefundLeaf",
    "unilateralRefundWithoutBoltzLeaf",
  ].every((k) => d[k] === undefined || isLeaf(d[k]));
}

function isDetails(d: unknown): boolean {
  if (!isObj(d) || !isTree(d["tree"])) return false;
  const tx = d["transaction"];
  return (
    optional(d["amount"], "number") &&
    optional(d["keyIndex"], "number") &&
    (tx === undefined || (isObj(tx) && typeof tx["id"] === "string" && typeof tx["vout"] === "number")) &&
    typeof d["lockupAddress"] === "string" &&
    typeof d["serverPublicKey"] === "string" &&
    optional(d["timeoutBlockHeight"], "number") &&
    (d["timeoutBlockHeights"] === undefined || isTimeoutBlockHeights(d["timeoutBlockHeights"])) &&
    optional(d["preimageHash"], "string")
  );
}

function isRestored(d: unknown, type: string, from: string, to: string, details: string): boolean {
  return (
    isObj(d) &&
    d["type"] === type &&
    d["from"] === from &&
    d["to"] === to &&
    typeof d["id"] === "string" &&
    typeof d["createdAt"] === "number" &&
    optional(d["preimageHash"], "string") &&
    typeof d["status"] === "string" &&
    isDetails(d[details]) &&
    optional(d["invoice"], "string")
  );
}

/** `isCreateSwapsRestoreResponse` without the chain variant (never served). */
export function isCreateSwapsRestoreResponse(d: unknown): boolean {
  return (
    Array.isArray(d) &&
    d.every(
      (i) =>
        isRestored(i, "submarine", "ARK", "BTC", "refundDetails") ||
        isRestored(i, "reverse", "BTC", "ARK", "claimDetails"),
    )
  );
}

/** `isCreateReverseSwapResponse`, plus ArkadeSwaps' "response carries no claim-side amount". */
export function isCreateReverseSwapResponse(d: unknown): boolean {
  return (
    isObj(d) &&
    typeof d["id"] === "string" &&
    typeof d["invoice"] === "string" &&
    typeof d["onchainAmount"] === "number" &&
    optional(d["lockupAddress"], "string") &&
    optional(d["refundPublicKey"], "string") &&
    optional(d["timeoutBlockHeight"], "number") &&
    (d["timeoutBlockHeights"] === undefined || isTimeoutBlockHeights(d["timeoutBlockHeights"]))
  );
}

/** `isSwapNotFoundBody`: what turns a 404 of `GET /v2/swap/{id}` into a SwapNotFoundError. */
export function isSwapNotFoundBody(status: number, body: unknown): boolean {
  const error = isObj(body) ? body["error"] : undefined;
  return status === 404 && typeof error === "string" && error.toLowerCase().includes("could not find swap");
}

/**
 * `assertSubmarineExpectedAmount`: the most a wallet funds for an invoice of `invoiceMsat`,
 * from the advertised submarine pair (float arithmetic as the client does it).
 */
export function maxAcceptableExpected(
  invoiceMsat: bigint,
  fees: { percentage: number; minerFees: number },
): number {
  const invoiceSats = Number(invoiceMsat / 1000n);
  return invoiceSats + fees.minerFees + Math.ceil((invoiceSats * fees.percentage) / 100);
}

/** `resolveVhtlcTimeouts`: undefined (the swap is skipped) unless all four are non-zero. */
export function resolvedTimeouts(details: Json): Json | undefined {
  const t = details["timeoutBlockHeights"];
  if (!isObj(t)) return undefined;
  const all = ["refund", "unilateralClaim", "unilateralRefund", "unilateralRefundWithoutReceiver"];
  return all.every((k) => typeof t[k] === "number" && t[k] !== 0) ? t : undefined;
}
