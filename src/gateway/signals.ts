/**
 * Graceful shutdown on SIGINT/SIGTERM: the first signal stops the gateway (HTTP, engine,
 * clients, pool) and exits 0; a second signal while stopping exits at once (130).
 */

export interface SignalOptions {
  /** Default: process. */
  readonly process?: Pick<NodeJS.Process, "once" | "removeListener" | "exit">;
  /** Called with each line to show the operator (default: stderr). */
  readonly say?: (line: string) => void;
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * Stops `target` on the first signal, forces exit on the second.
 * @returns a function removing the handlers (for embedders that stop the gateway themselves)
 */
export function runUntilSignal(target: { stop(): Promise<void> }, opts: SignalOptions = {}): () => void {
  const proc = opts.process ?? process;
  const say = opts.say ?? ((line: string) => process.stderr.write(`${line}\n`));
  const signals = opts.signals ?? ["SIGINT", "SIGTERM"];
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) {
      say(`${signal} again: exiting without waiting`);
      proc.exit(130);
      return;
    }
    stopping = true;
    say(`${signal}: stopping (send it again to force)`);
    // `once` consumed this signal's handler: listen for it again while stopping.
    proc.once(signal, handler);
    target.stop().then(
      () => proc.exit(0),
      (err: unknown) => {
        say(`stopping failed: ${(err as Error).message}`);
        proc.exit(1);
      },
    );
  };
  for (const s of signals) proc.once(s, handler);
  return () => {
    for (const s of signals) proc.removeListener(s, handler);
  };
}
