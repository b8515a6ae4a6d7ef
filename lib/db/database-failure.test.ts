import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Prisma } from "../generated/prisma/client";
import { isDatabaseUnavailable } from "./database-failure";

const rawQueryFailure = (cause: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError("Raw query failed.", { code: "P2010", clientVersion: "7", meta: { driverAdapterError: { name: "DriverAdapterError", cause } } });

describe("database failures", () => {
  it("a raw statement that cannot reach the server, or whose connection the server closed on shutdown, means unavailable", () => {
    assert.ok(isDatabaseUnavailable(rawQueryFailure({ kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 })));
    assert.ok(isDatabaseUnavailable(rawQueryFailure({ kind: "postgres", code: "57P01", originalCode: "57P01", message: "terminating connection due to administrator command" })));
    assert.ok(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })));
  });

  it("a refused statement is not an outage", () => {
    assert.ok(!isDatabaseUnavailable(rawQueryFailure({ kind: "postgres", code: "23505", originalCode: "23505", message: "duplicate key" })));
    assert.ok(!isDatabaseUnavailable(new Error("something else")));
  });
});
