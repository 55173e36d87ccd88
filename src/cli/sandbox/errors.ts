/** Why the sandbox stopped: a message the operator can act on (what, why, what to do). */

export class SandboxError extends Error {
  /** @param message several lines are fine: they are printed as they are */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SandboxError";
  }
}

/**
 * The message when arkd and arkd-wallet are not in the binary cache.
 * @param binDir where arkd and arkd-wallet are expected
 * @param version the arkd tag the regtest network uses
 */
export function arkdMissingMessage(binDir: string, version: string): string {
  return [
    "the sandbox cannot start arkd: its binaries are not in the cache.",
    `  missing: arkd and arkd-wallet ${version} in ${binDir}`,
    "  why:     npm run regtest:build -- arkd builds arkd from the Go module proxy, which does not",
    "           serve arkd's nested modules everywhere (its go.mod replaces them with local paths).",
    `  to do:   build arkd ${version} from its own repository as its README says`,
    "           (CGO_ENABLED=0 go build ./cmd/arkd ./cmd/arkd-wallet at the tag), copy the two",
    `           binaries into ${binDir} and run the sandbox again.`,
    "           The Lightning side alone runs without arkd: npm run regtest -- up --skip-ark",
  ].join("\n");
}
