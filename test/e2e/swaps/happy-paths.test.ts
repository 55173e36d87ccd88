/** Both swap flows on the network's block-typed arkd (see happy-paths-suite.ts). */
import { loadNetwork } from "../helpers/network.js";
import { describeHappyPaths } from "./happy-paths-suite.js";
import { openSwapWorld } from "./world.js";

describeHappyPaths("swaps on the real stack (block-typed arkd)", "blocks", () =>
  openSwapWorld(loadNetwork(), 100_000),
);
