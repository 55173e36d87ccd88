/**
 * The gateway's configuration variables that `polar-env.ts` writes. Kept in one `as const` object
 * so the gateway's config loader (src/config) can adopt the same names instead of re-spelling them.
 */
export const GATEWAY_CONFIG_KEYS = {
  /** host:port of the LND gRPC interface (what ln-service's `socket` takes). */
  lndSocket: "GATEWAY_LND_SOCKET",
  /** Path to LND's tls.cert (the loader reads and base64-encodes it). */
  lndCertPath: "GATEWAY_LND_CERT_PATH",
  /** Path to LND's admin.macaroon. */
  lndMacaroonPath: "GATEWAY_LND_MACAROON_PATH",
  /** arkd's public gRPC/REST address (h2c, no TLS on regtest). */
  arkdUrl: "GATEWAY_ARKD_URL",
  /** Postgres connection string for the gateway's own state. */
  databaseUrl: "GATEWAY_DATABASE_URL",
  /** Bitcoin network name: `regtest` for Polar. */
  network: "GATEWAY_NETWORK",
} as const;

export type GatewayConfigField = keyof typeof GATEWAY_CONFIG_KEYS;
export type GatewayConfigKey = (typeof GATEWAY_CONFIG_KEYS)[GatewayConfigField];
