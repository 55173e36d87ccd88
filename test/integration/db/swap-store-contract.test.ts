import { afterAll } from "vitest";
import { createSwapStore } from "../../../src/db/swap-store.js";
import { describeSwapStoreContract } from "../../contracts/swap-store-contract.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

const databases: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(databases.map((d) => d.destroy()));
});

describeSwapStoreContract("postgres", async () => {
  const t = await createTestDatabase("swap_store_contract");
  databases.push(t);
  return createSwapStore(t.db);
});
