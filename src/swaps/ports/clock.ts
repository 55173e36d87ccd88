/** Time as the engine sees it: injected so tests can move it and deadlines stay testable. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Unix seconds of a clock reading (floor). */
export function unixSeconds(clock: Clock): bigint {
  return BigInt(Math.floor(clock.now().getTime() / 1000));
}
