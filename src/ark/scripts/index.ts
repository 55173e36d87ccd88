/**
 * Ark scripts: pure, byte-exact builders and parsers for tapscript closures, BIP-68/CLTV
 * timelocks, btcd-shaped taproot trees, the VHTLC, Ark addresses, and VHTLC checks against
 * the server's GetInfo. No IO.
 */
export { SCRIPT_ERRORS, scriptError, type ScriptErrorCode, type ScriptIssue } from "./errors.js";
export {
  LOCKTIME_THRESHOLD,
  MAX_LOCKTIME,
  MAX_RELATIVE_BLOCKS,
  MAX_RELATIVE_SECONDS,
  SECONDS_GRANULARITY,
  SEQUENCE_TYPE_FLAG,
  absoluteLocktimeIssues,
  assertRelativeTimelock,
  decodeAbsoluteTimelock,
  decodeRelativeTimelock,
  encodeAbsoluteTimelock,
  encodeRelativeTimelock,
  relativeTimelockFromNumber,
  relativeTimelockIssues,
  type AbsoluteTimelock,
  type RelativeTimelock,
  type TimelockType,
} from "./timelocks.js";
export {
  decodeClosure,
  encodeClosure,
  encodeCltvMultisig,
  encodeConditionCsvMultisig,
  encodeConditionMultisig,
  encodeCsvMultisig,
  encodeMultisig,
  type Closure,
  type ClosureType,
} from "./closures.js";
export {
  NUMS_INTERNAL_KEY,
  TAP_LEAF_VERSION,
  buildTapTree,
  tapBranchHash,
  tapLeafHash,
  taggedHash,
  tweakXOnlyKey,
  type TapTree,
} from "./taptree.js";
export { decodeTapTreeField, encodeTapTreeField } from "./taptree-field.js";
export {
  VHTLC_DELAY_FIELDS,
  VHTLC_LEAF_NAMES,
  buildVhtlc,
  h160FromPaymentHash,
  h160FromPreimage,
  vhtlcCondition,
  vhtlcParamIssues,
  type Vhtlc,
  type VhtlcLeafName,
  type VhtlcParams,
} from "./vhtlc.js";
export {
  ARK_NETWORKS,
  arkHrp,
  decodeArkAddress,
  encodeArkAddress,
  type ArkAddress,
  type ArkHrp,
  type ArkNetwork,
} from "./address.js";
export { preimageHash160, vhtlcParamsFromStored, type StoredVhtlc } from "./stored-vhtlc.js";
export { assertVhtlcForServer, validateVhtlcForServer, type VhtlcServerCheck } from "./validate.js";
export { rememberedVhtlc } from "./vhtlc-memo.js";
export { mulBaseAdd } from "./fixed-base.js";
