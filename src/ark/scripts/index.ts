export * from "./errors.js";
export * from "./timelocks.js";
export * from "./closures.js";
export * from "./taptree.js";
