import { describe, expect, it } from "vitest";
import { assertSupportedLndVersion, parseLndVersion } from "../../../src/lightning/version.js";

describe("LND version gate", () => {
  const table: { description: string; version: string; supported: boolean }[] = [
    { description: "0.20.1 with commit", version: "0.20.1-beta commit=v0.20.1-beta", supported: true },
    { description: "0.20.0 (Polar)", version: "0.20.0-beta", supported: true },
    { description: "0.20 built without ldflags", version: "0.20.1-beta commit=", supported: true },
    { description: "0.19.3", version: "0.19.3-beta commit=v0.19.3-beta", supported: true },
    { description: "0.18.0, lowest supported", version: "0.18.0-beta", supported: true },
    { description: "0.18.5 release candidate", version: "0.18.5-beta.rc1", supported: true },
    { description: "leading v", version: "v0.19.0-beta", supported: true },
    { description: "0.17.5, too old", version: "0.17.5-beta commit=v0.17.5-beta", supported: false },
    { description: "0.21.0, too new", version: "0.21.0-beta", supported: false },
    { description: "1.0.0", version: "1.0.0", supported: false },
    { description: "0.9.0 (minor compared numerically)", version: "0.9.0-beta", supported: false },
  ];
  it.each(table)("$description", ({ version, supported }) => {
    if (supported) expect(assertSupportedLndVersion(version).raw).toBe(version);
    else
      expect(() => assertSupportedLndVersion(version)).toThrow(
        expect.objectContaining({ code: "ln.unsupported_version" }),
      );
  });

  it("parses the parts", () => {
    expect(parseLndVersion("0.20.1-beta.rc2 commit=abc")).toMatchObject({
      major: 0,
      minor: 20,
      patch: 1,
      preRelease: "beta.rc2",
    });
  });

  it.each(["", "lnd", "0.20", "0.20.x-beta", "beta-0.20.1"])("refuses unparseable %j", (version) => {
    expect(() => parseLndVersion(version)).toThrow(
      expect.objectContaining({ code: "ln.unsupported_version" }),
    );
  });
});
