/**
 * Both swap flows against a seconds-typed arkd (tree expiry 7 days, exit delays 86528 s), as
 * mainnet and mutinynet run, with the gateway in seconds mode (`timeouts.mode: "seconds"`: unix
 * refund locktimes, BIP68 delays in seconds, the LN side converted to blocks asymmetrically).
 * Refund paths stay on the block-typed arkd: a seconds locktime needs hours of real time to pass.
 */
import { loadNetwork } from "../helpers/network.js";
import { describeHappyPaths } from "./happy-paths-suite.js";
import { startSecondsArkd, type SecondsArkd } from "./seconds-arkd.js";
import { openSwapWorld } from "./world.js";

let arkd: SecondsArkd | undefined;

describeHappyPaths(
  "swaps on the real stack (seconds-typed arkd)",
  "seconds",
  async () => {
    const net = loadNetwork();
    arkd = await startSecondsArkd(net, (line) => console.log(`[seconds-arkd] ${line}`));
    return openSwapWorld(net, 100_000, {
      ark: { arkdUrl: arkd.arkdUrl, arkdAdminUrl: arkd.arkdAdminUrl },
      settings: { timeouts: { mode: "seconds" } },
    });
  },
  async () => {
    await arkd?.stop();
  },
);
