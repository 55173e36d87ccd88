/** The wallet logs through the one logger type (src/lib/logger.ts). */
export type { LogSink as WalletLogger } from "../../lib/logger.js";
export { SILENT_LOGGER } from "../../lib/logger.js";

/** The one shape of a logged error, re-exported for the wallet's modules. */
export { errFields } from "../../lib/error-fields.js";
