/** Bad usage of the command line: exit code 2 with the command's usage. */

export const EXIT_OK = 0;
/** Bad configuration, unreachable peers, failed work. */
export const EXIT_FAILURE = 1;
/** Bad usage: unknown command or option, missing or extra arguments. */
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  /** @param command the command whose usage to print (e.g. "swaps list"), if known */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}
