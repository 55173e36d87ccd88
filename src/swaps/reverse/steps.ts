/** The reverse steps, one per non-terminal state (the table's recovery edges, executed). */
import type { ReverseStatus } from "../../domain/swap-types.js";
import type { Step } from "../context.js";
import { awaitClaim, refundVhtlc, settleInvoice } from "./claim-steps.js";
import { awaitOnchainRefund } from "./onchain-steps.js";
import { decideFunding, fundVhtlc } from "./funding-steps.js";
import { awaitPayer, cancelAfterFailure } from "./invoice-steps.js";
import type { ReverseEvent } from "./transitions.js";

export const REVERSE_STEPS: Readonly<Partial<Record<ReverseStatus, Step<"reverse", ReverseEvent>>>> = {
  invoice_created: awaitPayer,
  invoice_held: decideFunding,
  funding: fundVhtlc,
  funding_failed: cancelAfterFailure,
  funded: awaitClaim,
  preimage_learned: settleInvoice,
  refunding: refundVhtlc,
  refunding_onchain: awaitOnchainRefund,
};
