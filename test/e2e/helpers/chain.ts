/**
 * The chain side of e2e tests: mine blocks and pay addresses from the regtest faucet (coinbase
 * outputs of btcd's mining key), against the btcd in network.json.
 */
import type { BtcdHandle } from "../../../src/regtest/btcd.js";
import { btcdHandle } from "../../../src/regtest/btcd.js";
import type { NetworkFile } from "../../../src/regtest/network-file.js";

const handles = new Map<string, BtcdHandle>();

/** The btcd of a network (RPC, mine, faucet send), cached per data dir. */
export function btcdOf(net: NetworkFile): BtcdHandle {
  let h = handles.get(net.dataDir);
  if (h === undefined) {
    h = btcdHandle(net.dataDir);
    handles.set(net.dataDir, h);
  }
  return h;
}

/** Mines `blocks` blocks; returns the new height. */
export async function mine(net: NetworkFile, blocks = 1): Promise<number> {
  const btcd = btcdOf(net);
  await btcd.mine(blocks);
  return btcd.height();
}

/**
 * Pays `sats` to `address` from the faucet and, unless `confirmations` is 0, mines that many
 * blocks. @returns the funding txid
 */
export async function fundAddress(
  net: NetworkFile,
  address: string,
  sats: bigint,
  confirmations = 1,
): Promise<string> {
  const btcd = btcdOf(net);
  const txid = await btcd.send([{ address, sats }]);
  if (confirmations > 0) await btcd.mine(confirmations);
  return txid;
}
