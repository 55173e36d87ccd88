/** Why the sandbox stopped: a message the operator can act on (what, why, what to do). */

export class SandboxError extends Error {
  /** @param message several lines are fine: they are printed as they are */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SandboxError";
  }
}

/**
 * The message when arkd is not built (the case on this workplace's machines).
 * @param binDir where arkd and arkd-wallet are expected
 * @param version the arkd tag the regtest network uses
 */
export function arkdMissingMessage(binDir: string, version: string): string {
  return [
    "the sandbox cannot start arkd: it is not built.",
    `  missing: arkd and arkd-wallet ${version} in ${binDir}`,
    "  why:     test/regtest/build.sh builds arkd from the Go module proxy, and the proxy does not serve",
    "           arkd's nested modules (its go.mod replaces them with local paths), so the build fails on",
    "           machines that only reach the proxy, like this workplace's.",
    "  to do:   on a machine with git access, build from a checkout of the tag:",
    `             git clone --depth 1 --branch ${version} https://github.com/arkade-os/arkd /tmp/arkd`,
    "             ARKD_SRC_DIR=/tmp/arkd npm run regtest:build -- arkd",
    `           or copy prebuilt arkd and arkd-wallet binaries into ${binDir}; then run the sandbox again.`,
    "           The Lightning side alone runs without arkd: npm run regtest -- up --skip-ark",
  ].join("\n");
}
