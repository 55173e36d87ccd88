/**
 * Refuses to start a component on a port something else already answers on: with fixed
 * loopback ports, that is usually another regtest network (another data dir) or a developer's
 * own node, and talking to it by mistake would be worse than failing.
 */
import { waitForPort } from "./process.js";

/**
 * @param ports the loopback ports the component is about to listen on
 * @throws Error naming the busy port and the component
 */
export async function assertPortsFree(component: string, ports: readonly number[]): Promise<void> {
  for (const port of ports) {
    const busy = await waitForPort(port, 0).then(
      () => true,
      () => false,
    );
    if (busy)
      throw new Error(
        `cannot start ${component}: 127.0.0.1:${port} is already in use (another regtest network from ` +
          "another data dir? stop it with `npm run regtest -- down --datadir <that dir>`)",
      );
  }
}
