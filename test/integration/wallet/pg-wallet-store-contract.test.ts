import { afterAll } from "vitest";
import { createPgWalletStore } from "../../../src/ark/wallet/index.js";
import { describeWalletStoreContract } from "../../contracts/wallet-store-contract.js";
import { createTestDatabase, type TestDatabase } from "../db/test-database.js";

const databases: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(databases.map((d) => d.destroy()));
});

describeWalletStoreContract("postgres", async () => {
  const t = await createTestDatabase("wallet_store_contract");
  databases.push(t);
  return createPgWalletStore(t.db);
});
