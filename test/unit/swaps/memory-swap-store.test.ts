import { MemorySwapStore } from "../../fakes/memory-swap-store.js";
import { describeSwapStoreContract } from "../../contracts/swap-store-contract.js";

describeSwapStoreContract("memory", async () => new MemorySwapStore());
