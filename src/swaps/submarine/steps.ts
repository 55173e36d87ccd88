/** The submarine steps, one per non-terminal state (the table's recovery edges, executed). */
import type { Step } from "../context.js";
import { claimVhtlc, startClaim } from "./claim-steps.js";
import { awaitFunding, judgeDetectedFunding, watchRefund } from "./funding-steps.js";
import { decidePayment, followPayment } from "./payment-steps.js";
import type { SubmarineEvent } from "./transitions.js";
import type { SubmarineStatus } from "../../domain/swap-types.js";

export const SUBMARINE_STEPS: Readonly<Partial<Record<SubmarineStatus, Step<"submarine", SubmarineEvent>>>> =
  {
    awaiting_funding: awaitFunding,
    funding_detected: judgeDetectedFunding,
    funded: decidePayment,
    paying: followPayment,
    paid: startClaim,
    claiming: claimVhtlc,
    claiming_onchain: claimVhtlc,
    payment_failed: watchRefund,
    funding_rejected: watchRefund,
  };
