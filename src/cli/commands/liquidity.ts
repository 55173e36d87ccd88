/**
 * `ark-ln-gateway liquidity status | board <sats> | offboard <sats>`: the operator moves the
 * gateway's money between LND's onchain wallet and Ark (docs/liquidity.md).
 */
import { listAllVtxos } from "../../ark/client/index.js";
import { buildBoardingScript, buildWalletScript, createKeyRing, loadSeed } from "../../ark/wallet/index.js";
import { connectArkd, connectLightning } from "../../gateway/connect.js";
import { startupFailure } from "../../gateway/errors.js";
import { getChannelLiquidity, getOnchainBalances } from "../../lightning/lnd/index.js";
import { boardFromLnd, resumeBoardings, type BoardFlowDeps } from "../../liquidity/board-flow.js";
import { createPgBoardingStore } from "../../db/boarding-store.js";
import type { BoardingRecord } from "../../liquidity/ports.js";
import { describeJoinStep } from "../../liquidity/join-steps.js";
import { bucketByExpiry, reverseCapacity, submarineCapacity } from "../../liquidity/status.js";
import { settingOptions } from "../args.js";
import { SETTINGS_HELP, type Command } from "../command.js";
import { loadCliConfig } from "../config-source.js";
import { withDatabase } from "../database.js";
import { renderFields, renderJson, renderTable, satsLabel } from "../format.js";
import { parseSatsArg } from "../liquidity/amount-arg.js";
import { progressLine } from "../liquidity/progress.js";
import { openLiquiditySession } from "../liquidity/session.js";
import { UsageError } from "../usage.js";

const STATUS = "liquidity status";
const BOARD = "liquidity board";
const OFFBOARD = "liquidity offboard";

export const liquidityStatusCommand: Command = {
  name: STATUS,
  summary: "Ark balance by expiry, LND onchain and channel balances, what each swap direction can take",
  usage: "ark-ln-gateway liquidity status [settings] [--json]",
  help: `Shows where the gateway's money is and what it can still swap:
  - the Ark wallet by how long its VTXOs stay spendable offchain (arkd's expires_at): < 1 h,
    < 1 day, later, and not usable offchain (swept or expired: only a batch recovers it);
  - LND's onchain wallet and its active channels both ways (local = outbound, remote = inbound);
  - the largest invoice each swap direction can take now, given the configured limits and fees:
    submarine (Ark → LN) by LND's outbound, reverse (LN → Ark) by the Ark balance and LND's inbound;
  - boardings not finished yet (see 'liquidity board --resume').
Reads only: never spends.

Options:
  --json                   everything as JSON (amounts in sats)

${SETTINGS_HELP}`,
  options: { ...settingOptions(), json: { type: "boolean" } },
  async run({ values }, io) {
    const config = loadCliConfig(values, io, STATUS);
    const targets = { lnd: config.lnd.socket, arkd: config.arkd.url };
    const lnd = await connectLightning(config).catch((err: unknown) => {
      throw startupFailure("lnd", err, targets);
    });
    try {
      const arkd = await connectArkd(config).catch((err: unknown) => {
        throw startupFailure("arkd", err, targets);
      });
      try {
        const seed = await loadSeed(
          config.seed.kind === "env" ? { hex: config.seed.value } : { file: config.seed.path, create: false },
        ).catch((err: unknown) => {
          throw startupFailure("wallet", err);
        });
        const keys = createKeyRing(seed);
        const script = buildWalletScript(keys.walletKey.xOnly, arkd.info);
        const boarding = buildBoardingScript(keys.walletKey.xOnly, arkd.info);
        const vtxos = (await listAllVtxos(arkd.client, { scripts: [script.pkScriptHex] })).filter(
          (v) => !v.flags.spent,
        );
        const now = BigInt(Math.floor(Date.now() / 1000));
        const buckets = bucketByExpiry(
          vtxos.map((v) => ({ amountSats: v.amountSats, expiresAt: v.expiresAt, swept: v.flags.swept })),
          now,
        );
        const [onchain, channels] = [
          await getOnchainBalances(lnd.context),
          await getChannelLiquidity(lnd.context),
        ];
        const submarine = submarineCapacity({
          lnLocalSats: channels.localSats,
          limits: config.limits.submarine,
          routingFeeBudget: config.routingFeeBudget,
        });
        const reverse = reverseCapacity({
          arkSpendableSats: buckets.usableSats,
          lnRemoteSats: channels.remoteSats,
          limits: config.limits.reverse,
          fees: config.fees.reverse,
        });
        const pending = await openBoardings(config);
        if (values.json === true) {
          io.out(
            renderJson({
              ark: { ...buckets, boardingAddress: boarding.address },
              lnd: { onchain, channels },
              swaps: { submarine, reverse },
              unfinishedBoardings: pending,
            }),
          );
          return 0;
        }
        const count = (n: number) => `${n} VTXO${n === 1 ? "" : "s"}`;
        const can = (c: { maxInvoiceSats: bigint; limitedBy: string }) =>
          c.limitedBy === "below_min"
            ? "nothing (below the configured minimum)"
            : `up to ${satsLabel(c.maxInvoiceSats)} (limited by ${c.limitedBy.replace("_", " ")})`;
        io.out(
          renderFields(
            [
              ["Ark wallet", `${satsLabel(buckets.usableSats)} usable offchain`],
              [
                "  expires < 1 h",
                `${satsLabel(buckets.underHourSats)} in ${count(buckets.counts.underHour)}`,
              ],
              [
                "  expires < 1 day",
                `${satsLabel(buckets.underDaySats)} in ${count(buckets.counts.underDay)}`,
              ],
              ["  later", `${satsLabel(buckets.laterSats)} in ${count(buckets.counts.later)}`],
              [
                "  not usable offchain",
                `${satsLabel(buckets.notUsableSats)} in ${count(buckets.counts.notUsable)} (a batch recovers it)`,
              ],
              ["  boarding address", boarding.address],
              [
                "LND onchain",
                `${satsLabel(onchain.confirmedSats)} confirmed, ${satsLabel(onchain.pendingSats)} unconfirmed`,
              ],
              [
                "LND channels",
                `${satsLabel(channels.localSats)} outbound (local), ${satsLabel(channels.remoteSats)} inbound (remote), ${channels.activeChannels} active`,
              ],
              ["Swaps can take now", ""],
              ["  submarine Ark→LN", can(submarine)],
              ["  reverse LN→Ark", can(reverse)],
            ],
            "",
          ),
        );
        if (pending.length > 0) {
          io.out("Unfinished boardings (liquidity board --resume):");
          io.out(boardingTable(pending));
        }
        return 0;
      } finally {
        arkd.close();
      }
    } finally {
      lnd.close();
    }
  },
};

/** Boardings not finished (none when the database has no liquidity table yet). */
async function openBoardings(config: Parameters<typeof withDatabase>[0]): Promise<BoardingRecord[]> {
  return withDatabase(config, { requireTables: false }, async (database) => {
    try {
      return await createPgBoardingStore(database.db).open();
    } catch {
      return []; // not migrated to the liquidity table yet
    }
  });
}

function boardingTable(records: readonly BoardingRecord[]): string {
  return renderTable(
    [
      { header: "ID", value: (r: BoardingRecord) => r.id },
      { header: "AMOUNT", value: (r) => satsLabel(r.amountSats), align: "right" },
      { header: "STATUS", value: (r) => r.status },
      { header: "OUTPOINT", value: (r) => (r.txid === undefined ? "-" : `${r.txid}:${r.vout ?? "?"}`) },
      { header: "LAST ERROR", value: (r) => r.lastError ?? "-" },
    ],
    records,
  );
}

export const liquidityBoardCommand: Command = {
  name: BOARD,
  summary: "move sats from LND's onchain wallet into the gateway's Ark wallet (boarding)",
  usage: "ark-ln-gateway liquidity board <sats> | --resume [--wait <seconds>] [settings] [--json]",
  help: `Boards <sats> from LND's onchain wallet into Ark: LND pays exactly <sats> (plus its chain
fee) to the gateway's boarding address, the command waits for the confirmation, then joins the
next batch with that output and gets one VTXO of <sats> − arkd's intent fee. Every step is
recorded first: after a crash or a failed batch, --resume continues every unfinished boarding.
arkd takes a boarding output only until its exit path opens (the boarding exit delay after
confirmation); after that only the gateway's key can spend it onchain.

Options:
  --resume                 continue every unfinished boarding instead of starting one
  --wait <seconds>         how long to wait for the confirmation (default 3600)
  --json                   the boarding record(s) as JSON

${SETTINGS_HELP}`,
  options: {
    ...settingOptions(),
    json: { type: "boolean" },
    resume: { type: "boolean" },
    wait: { type: "string" },
  },
  maxPositionals: 1,
  async run({ values, positionals }, io) {
    const resume = values.resume === true;
    if (resume && positionals.length > 0) throw new UsageError("give <sats> or --resume, not both", BOARD);
    const amount = resume ? undefined : parseSatsArg(positionals[0], BOARD);
    const waitSeconds = typeof values.wait === "string" ? parseWait(values.wait) : 3_600;
    const config = loadCliConfig(values, io, BOARD);
    const say = progressLine(io);
    say("opening the wallet (database, LND, arkd)");
    const session = await openLiquiditySession(config);
    try {
      const deps: BoardFlowDeps = {
        onchain: session.onchain,
        ark: session.wallet,
        store: session.boardings,
        confirmationTimeoutMs: waitSeconds * 1_000,
        pollMs: 1_000,
        progress: say,
      };
      if (amount === undefined) {
        const results = await resumeBoardings(deps);
        if (values.json === true) io.out(renderJson(results.map((r) => r.record)));
        else if (results.length === 0) io.out("no unfinished boarding");
        else io.out(boardingTable(results.map((r) => r.record)));
        const failed = results.find((r) => r.error !== undefined);
        if (failed !== undefined) throw failed.error;
        return 0;
      }
      const record = await boardFromLnd(deps, amount);
      const chainFee = (await session.onchain.transactions()).find((t) => t.txid === record.txid)?.feeSats;
      if (values.json === true) io.out(renderJson({ ...record, lndChainFeeSats: chainFee }));
      else io.out(describeBoarded(record, chainFee));
      return 0;
    } finally {
      await session.close();
    }
  },
};

function parseWait(text: string): number {
  if (!/^[1-9][0-9]{0,6}$/.test(text))
    throw new UsageError(`--wait must be a positive whole number of seconds, got "${text}"`, BOARD);
  return Number(text);
}

function describeBoarded(r: BoardingRecord, chainFee: bigint | undefined): string {
  return renderFields(
    [
      [
        "boarded",
        `${satsLabel(r.vtxoSats)} into Ark (${satsLabel(r.amountSats)} − intent fee ${satsLabel(r.feeSats)})`,
      ],
      ["LND paid", `${satsLabel(r.amountSats)} + chain fee ${satsLabel(chainFee)}`],
      ["boarding tx", `${r.txid ?? "-"}:${r.vout ?? "?"}`],
      ["commitment tx", r.commitmentTxid ?? "-"],
      ["VTXO", r.vtxoOutpoint ?? "-"],
      ["id", r.id],
    ],
    "",
  );
}

export const liquidityOffboardCommand: Command = {
  name: OFFBOARD,
  summary: "move sats from the gateway's Ark wallet to LND's onchain wallet (collaborative exit)",
  usage: "ark-ln-gateway liquidity offboard <sats> [--address <address>] [settings] [--json]",
  help: `Pays exactly <sats> from the gateway's Ark wallet to an onchain address (default: a new
address of LND's wallet) in the next batch: the commitment transaction itself pays it. The wallet
spends VTXOs worth <sats> + arkd's intent fee (forfeited in the batch) and gets the rest back as
one VTXO. The VTXOs are reserved before the intent is registered: a crash leaves a reservation
the gateway's next start settles (spent if the batch went through, else released).

Options:
  --address <address>      where to pay (default: a new p2tr address of LND's wallet)
  --json                   the result as JSON

${SETTINGS_HELP}`,
  options: { ...settingOptions(), json: { type: "boolean" }, address: { type: "string" } },
  maxPositionals: 1,
  async run({ values, positionals }, io) {
    const amount = parseSatsArg(positionals[0], OFFBOARD);
    const config = loadCliConfig(values, io, OFFBOARD);
    const say = progressLine(io);
    say("opening the wallet (database, LND, arkd)");
    const session = await openLiquiditySession(config);
    try {
      const address =
        typeof values.address === "string" ? values.address : await session.onchain.newAddress();
      say(`offboarding ${satsLabel(amount)} to ${address}`);
      const res = await session.wallet.offboard({ amountSats: amount, address }, (step, fields) =>
        say(describeJoinStep(step, fields)),
      );
      if (values.json === true) io.out(renderJson({ address, ...res }));
      else
        io.out(
          renderFields(
            [
              ["offboarded", `${satsLabel(res.amountSats)} to ${address}`],
              ["intent fee", satsLabel(res.feeSats)],
              [
                "change",
                res.change === undefined
                  ? "none"
                  : `${satsLabel(res.change.amountSats)} in ${res.change.outpoint}`,
              ],
              ["commitment tx", res.commitmentTxid],
              ["VTXOs spent", String(res.inputs.length)],
            ],
            "",
          ),
        );
      return 0;
    } finally {
      await session.close();
    }
  },
};
