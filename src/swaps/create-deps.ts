/** What creating a swap needs besides the request. */
import type { LightningPort } from "./ports/lightning.js";
import type { ArkSwapPort } from "./ports/ark.js";
import type { Clock } from "./ports/clock.js";
import type { SwapSettings } from "./settings.js";
import type { SwapStore } from "./ports/swap-store.js";

export interface CreateDeps {
  readonly ln: LightningPort;
  readonly ark: ArkSwapPort;
  readonly store: SwapStore;
  readonly settings: SwapSettings;
  readonly clock: Clock;
  readonly newId: () => string;
}
