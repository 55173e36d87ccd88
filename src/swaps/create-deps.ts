/** What creating a swap needs besides the request. */
import type { LightningPort } from "../lightning/port.js";
import type { ArkSwapPort } from "./ark-port.js";
import type { Clock } from "./clock.js";
import type { SwapSettings } from "./settings.js";
import type { SwapStore } from "./store.js";

export interface CreateDeps {
  readonly ln: LightningPort;
  readonly ark: ArkSwapPort;
  readonly store: SwapStore;
  readonly settings: SwapSettings;
  readonly clock: Clock;
  readonly newId: () => string;
}
