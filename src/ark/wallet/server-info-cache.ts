/**
 * arkd GetInfo, cached for a short time (30 s by default): every spend and VHTLC check needs it,
 * and it changes only when the operator reconfigures arkd. Concurrent callers share one request;
 * a failed request is not cached.
 */
import type { ArkdInfo } from "../client/index.js";

export interface ServerInfoCache {
  /** @throws GatewayError from GetInfo (`ark.*`) */
  get(): Promise<ArkdInfo>;
  /** Forgets the cached value (e.g. after `ark.digest_mismatch`). */
  invalidate(): void;
}

/**
 * @param fetch GetInfo
 * @param ttlMs how long a value is served (ms)
 * @param now clock in ms (tests)
 */
export function createServerInfoCache(
  fetch: () => Promise<ArkdInfo>,
  ttlMs = 30_000,
  now: () => number = Date.now,
): ServerInfoCache {
  let value: { info: ArkdInfo; at: number } | undefined;
  let inflight: Promise<ArkdInfo> | undefined;
  return {
    get() {
      if (value !== undefined && now() - value.at < ttlMs) return Promise.resolve(value.info);
      inflight ??= fetch()
        .then((info) => {
          value = { info, at: now() };
          return info;
        })
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
    invalidate() {
      value = undefined;
    },
  };
}
