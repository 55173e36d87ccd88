/** The Bitcoin networks the gateway runs on (the configuration's `network`). */
export const NETWORKS = ["bitcoin", "testnet", "signet", "mutinynet", "regtest"] as const;
export type Network = (typeof NETWORKS)[number];
