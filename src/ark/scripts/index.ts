export * from "./errors.js";
export * from "./timelocks.js";
export * from "./closures.js";
export * from "./taptree.js";
export * from "./taptree-field.js";
export * from "./vhtlc.js";
export * from "./address.js";
export * from "./validate.js";
