import { describe, expect, it } from "vitest";
import { errFields } from "../../../src/lib/error-fields.js";

describe("errFields", () => {
  it("a plain Error: its message only", () => {
    expect(errFields(new Error("boom"))).toEqual({ err: { message: "boom" } });
  });

  it("an error with a string code and a boolean retryable keeps both", () => {
    const err = Object.assign(new Error("down"), { code: "ark.unavailable", retryable: true });
    expect(errFields(err)).toEqual({ err: { message: "down", code: "ark.unavailable", retryable: true } });
  });

  it("a non-string code or non-boolean retryable is left out", () => {
    const err = Object.assign(new Error("x"), { code: 14, retryable: "yes" });
    expect(errFields(err)).toEqual({ err: { message: "x" } });
  });

  it("a thrown non-Error becomes its string", () => {
    expect(errFields("nope")).toEqual({ err: { message: "nope" } });
    expect(errFields(undefined)).toEqual({ err: { message: "undefined" } });
  });
});
