/**
 * `ark-ln-gateway balance`: the gateway's Ark wallet (live from arkd's indexer, read-only: no
 * spend recovery, so it is safe next to a running gateway) and LND's channel balance.
 */
import { listAllVtxos } from "../../ark/client/index.js";
import { encodeArkAddress } from "../../ark/scripts/index.js";
import { buildWalletScript, createKeyRing, loadSeed, xOnlyFromHex } from "../../ark/wallet/index.js";
import { connectArkd, connectLightning } from "../../gateway/connect.js";
import { startupFailure } from "../../gateway/errors.js";
import { settingOptions } from "../args.js";
import { SETTINGS_HELP, type Command } from "../command.js";
import { loadCliConfig } from "../config-source.js";
import { renderFields, renderJson, satsLabel } from "../format.js";
import { channelBalance } from "../../lightning/lnd/index.js";

const NAME = "balance";

export const balanceCommand: Command = {
  name: NAME,
  summary: "show the gateway's Ark wallet and LND channel balances",
  usage: "ark-ln-gateway balance [settings] [--json]",
  help: `Shows the spendable balance of the gateway's Ark wallet (VTXOs at its address, asked from
arkd's indexer) and LND's channel balance. Needs arkd, LND and the seed; never spends.

Options:
  --json                   {"ark": {...}, "lightning": {...}} (amounts in sats)

${SETTINGS_HELP}`,
  options: { ...settingOptions(), json: { type: "boolean" } },
  async run({ values }, io) {
    const config = loadCliConfig(values, io, NAME);
    const targets = { lnd: config.lnd.socket, arkd: config.arkd.url };
    const lnd = await connectLightning(config).catch((err: unknown) => {
      throw startupFailure("lnd", err, targets);
    });
    try {
      const arkd = await connectArkd(config).catch((err: unknown) => {
        throw startupFailure("arkd", err, targets);
      });
      try {
        const seed = await loadSeed({
          ...(config.seed.kind === "env" ? { hex: config.seed.value } : { file: config.seed.path }),
          create: false,
        }).catch((err: unknown) => {
          throw startupFailure("wallet", err);
        });
        const keys = createKeyRing(seed);
        const script = buildWalletScript(keys.walletKey.xOnly, arkd.info);
        const address = encodeArkAddress({
          network: arkd.info.network,
          serverKey: xOnlyFromHex(arkd.info.signerPubkey),
          vtxoOutputKey: script.tree.outputKey,
        });
        const vtxos = (await listAllVtxos(arkd.client, { scripts: [script.pkScriptHex] })).filter(
          (v) => !v.flags.spent && !v.flags.swept,
        );
        const arkSats = vtxos.reduce((sum, v) => sum + v.amountSats, 0n);
        const ln = await channelBalance(lnd.context);
        if (values.json === true) {
          io.out(
            renderJson({
              ark: { address, spendableSats: arkSats, vtxoCount: vtxos.length },
              lightning: { alias: lnd.info.alias, pubkey: lnd.info.pubkey, ...ln },
            }),
          );
        } else {
          io.out(
            renderFields(
              [
                [
                  "Ark wallet",
                  `${satsLabel(arkSats)} in ${vtxos.length} VTXO${vtxos.length === 1 ? "" : "s"}`,
                ],
                ["  address", address],
                ["LND channels", `${satsLabel(ln.localSats)} local`],
                ["  pending", satsLabel(ln.pendingSats)],
                ["  in flight", satsLabel(ln.unsettledSats)],
                ["  node", `${lnd.info.alias} ${lnd.info.pubkey}`],
              ],
              "",
            ),
          );
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
