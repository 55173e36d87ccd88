import { describe, expect, it } from "vitest";
import { dbError, describeDbCause } from "../../../src/db/errors.js";
import { GatewayError } from "../../../src/domain/errors.js";

/** The shape pg gives a server error: message, SQLSTATE in `code`, optional detail. */
function pgError(message: string, code: string, detail?: string): Error {
  return Object.assign(new Error(message), { code, ...(detail === undefined ? {} : { detail }) });
}

describe("describeDbCause", () => {
  const cases: { description: string; cause: unknown; said: string | undefined }[] = [
    {
      description: "a Postgres error: message and SQLSTATE",
      cause: pgError('relation "kysely_migration_lock" does not exist', "42P01"),
      said: 'relation "kysely_migration_lock" does not exist [SQLSTATE 42P01]',
    },
    {
      description: "a Postgres error with a detail",
      cause: pgError("duplicate key value", "23505", "Key (id)=(x) already exists."),
      said: "duplicate key value (Key (id)=(x) already exists.) [SQLSTATE 23505]",
    },
    {
      description: "a socket error whose message names its code already",
      cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
      said: "connect ECONNREFUSED 127.0.0.1:1",
    },
    {
      description: "an AggregateError without a message (Node's connect to ::1 and 127.0.0.1)",
      cause: new AggregateError(
        [
          Object.assign(new Error("connect ECONNREFUSED ::1:5432"), { code: "ECONNREFUSED" }),
          Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
        ],
        "",
      ),
      said: "connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432",
    },
    { description: "a multi-line message becomes one line", cause: new Error("a\n  b"), said: "a b" },
    {
      description: "a GatewayError: its message",
      cause: new GatewayError("x.y", "it broke"),
      said: "it broke",
    },
    { description: "nothing", cause: undefined, said: undefined },
  ];
  for (const c of cases) {
    it(c.description, () => expect(describeDbCause(c.cause)).toBe(c.said));
  }
});

describe("dbError", () => {
  it("appends what the cause said, records the SQLSTATE and keeps the cause", () => {
    const cause = pgError('relation "swaps" already exists', "42P07");
    const err = dbError("db.migration_failed", "migrating to latest failed", { failed: "m1" }, cause);
    expect(err.message).toBe('migrating to latest failed: relation "swaps" already exists [SQLSTATE 42P07]');
    expect(err.details).toEqual({ failed: "m1", sqlState: "42P07" });
    expect(err.cause).toBe(cause);
  });

  it("does not repeat a cause the message states already, and leaves cause-less errors alone", () => {
    const cause = new Error("boom");
    expect(dbError("db.unavailable", "cannot reach the database: boom", undefined, cause).message).toBe(
      "cannot reach the database: boom",
    );
    const plain = dbError("db.corrupt_row", "swap x has unknown type");
    expect(plain.message).toBe("swap x has unknown type");
    expect(plain.details).toBeUndefined();
  });
});
