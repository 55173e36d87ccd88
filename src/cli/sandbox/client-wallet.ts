/**
 * The sandbox's own wallet: an ArkWallet of our src/ark core (own seed, own schema), playing
 * the user's side of both swaps: it funds the submarine VHTLC and claims the reverse one.
 */
import { createGrpcArkClient, type ArkServerPort } from "../../ark/client/index.js";
import { BatchDeadlines, withBatchDeadlines, type DeadlineMode } from "../../ark/expiry/index.js";
import type { ChainBlocksPort } from "../../chain/port.js";
import { ArkWallet, createPgWalletStore, loadSeedFile } from "../../ark/wallet/index.js";
import { createDatabase, type Database } from "../../db/client.js";
import { migrateToLatest } from "../../db/migrator.js";
import { arkdAddress } from "../../gateway/connect.js";

export interface ClientWallet {
  readonly wallet: ArkWallet;
  /** Its Ark address (fund it to let it pay submarine swaps). */
  readonly address: string;
  close(): Promise<void>;
}

export interface ClientWalletOptions {
  /**
   * Let the wallet know its VTXOs' real sweep deadlines (src/ark/expiry), as the gateway's wallet
   * does, in the server's locktime unit: then `fund({ minBatchExpiry })` can refuse to fund a
   * VHTLC with a coin whose batch expires before the swap's refund (the gateway would refuse that
   * funding). Without it `expiresAt` stays arkd's expires_at (unix seconds). Block mode needs a
   * chain reader.
   */
  readonly deadlines?: { readonly mode: DeadlineMode; readonly chain?: ChainBlocksPort };
}

/**
 * Opens (creating seed and schema on first use) and starts the client wallet.
 * @param arkdUrl arkd's URL (h2c on regtest)
 * @param databaseUrl a Postgres the wallet keeps its keys and VTXOs in
 * @param seedFile created 0600 when missing
 * @param schema the wallet's own Postgres schema
 * @throws GatewayError `ark.*`, `wallet.*`, `db.*`
 */
export async function openClientWallet(
  arkdUrl: string,
  databaseUrl: string,
  seedFile: string,
  schema = "sandbox_client",
  options: ClientWalletOptions = {},
): Promise<ClientWallet> {
  const database: Database = createDatabase({ connectionString: databaseUrl, schema, maxConnections: 4 });
  const ark: ArkServerPort = createGrpcArkClient({ address: arkdAddress(arkdUrl).address });
  try {
    await migrateToLatest(database.db, schema);
    const { deadlines } = options;
    const wallet = new ArkWallet({
      ark:
        deadlines === undefined
          ? ark
          : withBatchDeadlines(ark, new BatchDeadlines({ ...deadlines, indexer: ark })),
      store: createPgWalletStore(database.db),
      seed: await loadSeedFile(seedFile),
    });
    await wallet.start();
    const { address } = await wallet.walletInfo();
    return {
      wallet,
      address,
      async close() {
        await wallet.stop();
        ark.close();
        await database.close();
      },
    };
  } catch (err) {
    ark.close();
    await database.close();
    throw err;
  }
}

/**
 * Rescans until the wallet's spendable balance reaches `sats`.
 * @throws Error after `timeoutMs`
 */
export async function waitForBalance(wallet: ArkWallet, sats: bigint, timeoutMs = 60_000): Promise<bigint> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await wallet.rescan();
    const { spendableSats } = await wallet.balance();
    if (spendableSats >= sats) return spendableSats;
    if (Date.now() > deadline) throw new Error(`wallet balance stayed at ${spendableSats} sat (< ${sats})`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
