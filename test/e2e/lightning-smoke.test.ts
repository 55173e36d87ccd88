/**
 * Smoke test of the regtest Lightning topology (alice ↔ carol ↔ bob): payments go both ways
 * over one hop through carol and move channel balances by exactly the amount (payee) and the
 * amount plus carol's fee (payer).
 */
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { lnService } from "../../src/regtest/ln-client.js";
import type { NetworkFile } from "../../src/regtest/network-file.js";
import { sleep } from "../../src/regtest/process.js";
import type { LndNodeName } from "../../src/regtest/settings.js";
import { createInvoice, lndOf, payInvoice, waitForInvoicePaid } from "./helpers/lightning.js";
import { loadNetwork } from "./helpers/network.js";

let net: NetworkFile;

beforeAll(() => {
  net = loadNetwork();
});

/** A node's total local channel balance in millisatoshis. */
async function balanceMsat(node: LndNodeName): Promise<bigint> {
  const r = await lnService().getChannelBalance({ lnd: lndOf(net, node) });
  if (r.channel_balance_mtokens === undefined) throw new Error("LND returned no channel_balance_mtokens");
  return BigInt(r.channel_balance_mtokens);
}

/**
 * The balance once the HTLCs are fully resolved: a settled invoice or payment can precede the
 * last commitment update by a few ms, so poll until `expected` shows up (or give the last value).
 */
async function settledBalanceMsat(node: LndNodeName, expected: bigint): Promise<bigint> {
  let last = await balanceMsat(node);
  const deadline = Date.now() + 15_000;
  while (last !== expected && Date.now() < deadline) {
    await sleep(200);
    last = await balanceMsat(node);
  }
  return last;
}

describe.each([
  { payer: "bob", payee: "alice", sats: 12_345 },
  { payer: "alice", payee: "bob", sats: 54_321 },
] as const)("$payer pays an invoice of $payee through carol", ({ payer, payee, sats }) => {
  it("routes over carol and moves balances by the exact amounts", async () => {
    const payerBefore = await balanceMsat(payer);
    const payeeBefore = await balanceMsat(payee);
    const carolBefore = await balanceMsat("carol");

    const invoice = await createInvoice(net, payee, sats, `smoke ${payer}→${payee}`);
    const paid = await payInvoice(net, payer, invoice.request);

    expect(paid.hops.map((h) => h.public_key)).toEqual([
      net.lnd.carol.identityPubkey,
      net.lnd[payee].identityPubkey,
    ]);
    expect(createHash("sha256").update(Buffer.from(paid.secret, "hex")).digest("hex")).toBe(invoice.id);
    expect(await waitForInvoicePaid(net, payee, invoice.id)).toBe(sats);

    // ln-service's `mtokens` is what the payer sent: the amount plus carol's forwarding fee.
    const feeMsat = BigInt(paid.fee_mtokens);
    expect(feeMsat).toBeGreaterThan(0n);
    expect(BigInt(paid.mtokens)).toBe(BigInt(sats) * 1000n + feeMsat);
    expect(await settledBalanceMsat(payee, payeeBefore + BigInt(sats) * 1000n)).toBe(
      payeeBefore + BigInt(sats) * 1000n,
    );
    expect(await settledBalanceMsat(payer, payerBefore - BigInt(sats) * 1000n - feeMsat)).toBe(
      payerBefore - BigInt(sats) * 1000n - feeMsat,
    );
    // Carol forwards: she gains exactly her fee across her two channels.
    expect(await settledBalanceMsat("carol", carolBefore + feeMsat)).toBe(carolBefore + feeMsat);
  });
});
