/** The operator's words for the steps of a batch join (progress lines). */

/** @param fields what the batch session reported with the step */
export function describeJoinStep(step: string, fields: Record<string, unknown>): string {
  const f = (k: string) => String(fields[k]);
  switch (step) {
    case "selected":
      return `selected ${f("inputs")} VTXO(s) worth ${f("inputSats")} sat (fee ${f("feeSats")} sat, change ${f("changeSats")} sat)`;
    case "registered":
      return "intent registered; waiting for the next batch";
    case "confirmed":
      return `batch ${f("batchId")} started; registration confirmed`;
    case "nonces_sent":
      return "VTXO tree nonces sent";
    case "signed":
      return fields.treeSigned === false ? "no VTXO tree to co-sign" : "VTXO tree signed";
    case "forfeits_sent":
      return `signatures sent (${f("forfeits")} forfeit(s), ${f("boardingSigned")} boarding input(s) of the commitment tx)`;
    case "finalized":
      return `batch finalized: commitment tx ${f("commitmentTxid")}`;
    case "attempt_failed":
      return `batch attempt ${f("attempt")} failed: ${f("error")}`;
    default:
      return step.replace(/_/g, " ");
  }
}
