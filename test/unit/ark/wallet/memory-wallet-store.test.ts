import { MemoryWalletStore } from "../../../fakes/memory-wallet-store.js";
import { describeWalletStoreContract } from "../../../contracts/wallet-store-contract.js";

describeWalletStoreContract("memory", async () => new MemoryWalletStore());
