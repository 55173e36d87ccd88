/**
 * LND version parsing and the supported range. LND reports `0.20.1-beta commit=v0.20.1-beta`
 * from GetInfo (`commit=` is empty when built without ldflags, as our regtest build does).
 */
import { lnError } from "./errors.js";

export interface LndVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Pre-release tag after the dash: `beta`, `beta.rc1`; empty when absent. */
  readonly preRelease: string;
  /** The string LND reported, untouched. */
  readonly raw: string;
}

/** Inclusive lower bound and exclusive upper bound: 0.18.0 ≤ v < 0.21.0. */
export const SUPPORTED_LND = {
  min: { major: 0, minor: 18, patch: 0 },
  belowMax: { major: 0, minor: 21, patch: 0 },
} as const;

const VERSION = /^v?(\d{1,4})\.(\d{1,4})\.(\d{1,4})(?:-([0-9A-Za-z.-]+))?(?:\s|$)/;

/**
 * Parses LND's version string.
 * @param raw e.g. `0.20.1-beta commit=v0.20.1-beta`, `0.18.5-beta`, `0.19.0-beta.rc2`
 * @throws GatewayError `ln.unsupported_version` when the string is not `major.minor.patch[-tag]`
 */
export function parseLndVersion(raw: string): LndVersion {
  const m = VERSION.exec(raw.trim());
  if (m === null) {
    throw lnError("ln.unsupported_version", `cannot parse the LND version "${raw}"`, { version: raw });
  }
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    preRelease: m[4] ?? "",
    raw,
  };
}

type Triple = { readonly major: number; readonly minor: number; readonly patch: number };

function compare(a: Triple, b: Triple): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** True when 0.18.0 ≤ version < 0.21.0 (pre-releases of a supported line included). */
export function isSupportedLndVersion(version: LndVersion): boolean {
  return compare(version, SUPPORTED_LND.min) >= 0 && compare(version, SUPPORTED_LND.belowMax) < 0;
}

/**
 * Parses and gates LND's version string.
 * @returns the parsed version
 * @throws GatewayError `ln.unsupported_version` when unparseable or outside 0.18.x–0.20.x
 */
export function assertSupportedLndVersion(raw: string): LndVersion {
  const version = parseLndVersion(raw);
  if (!isSupportedLndVersion(version)) {
    throw lnError(
      "ln.unsupported_version",
      `LND ${version.major}.${version.minor}.${version.patch} is not supported (need 0.18.x to 0.20.x)`,
      { version: raw },
    );
  }
  return version;
}
