import { describe, expect, it } from "vitest";
import { channelFromNumber, numberFromChannel } from "../../../src/lightning/lnd/channel-id.js";

describe("short channel ids", () => {
  const table: { channel: string; number: string }[] = [
    { channel: "0x0x0", number: "0" },
    { channel: "100x1x0", number: "109951162843136" },
    // BOLT7 widths: 3 bytes block, 3 bytes tx index, 2 bytes output
    { channel: "16777215x16777215x65535", number: "18446744073709551615" },
    { channel: "812345x2871x3", number: ((812345n << 40n) | (2871n << 16n) | 3n).toString() },
  ];
  it.each(table)("$channel ↔ $number", ({ channel, number }) => {
    expect(channelFromNumber(number, "chan_id")).toBe(channel);
    expect(numberFromChannel(channel, "channel")).toBe(number);
  });

  it.each(["", "-1", "1e3", "18446744073709551616", 5])("refuses LND's %s as a channel id", (value) => {
    expect(() => channelFromNumber(value, "chan_id")).toThrow(
      expect.objectContaining({ code: "ln.unexpected_response" }),
    );
  });

  it.each(["100x1", "100:1:0", "16777216x0x0", "0x16777216x0", "0x0x65536", "01x1x0"])(
    "refuses %s as a channel",
    (value) => {
      expect(() => numberFromChannel(value, "channel")).toThrow(
        expect.objectContaining({ code: "ln.invalid_argument" }),
      );
    },
  );
});
