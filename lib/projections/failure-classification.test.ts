import assert from "node:assert/strict";
import net from "node:net";
import { describe, it } from "node:test";
import pg from "pg";
import { Prisma } from "../generated/prisma/client";
import { decodeEvent } from "../messaging/avro/event-codec";
import { builtInRegistry } from "../messaging/avro/schema-registry";
import { classifyFailure, MessageRejectedError, sqlStateOf } from "./failure-classification";
import { projectQuoteEvent } from "./quote-read-model";
import { sampleEvents } from "../messaging/avro/test-samples";

/** A PostgreSQL error as pg raises it. */
function postgresError(code: string, message: string) {
  const error = new pg.DatabaseError(message, message.length, "error");
  error.code = code;
  error.severity = "ERROR";
  return error;
}

/** The same error as Prisma 7 with the pg adapter throws it (the shape seen from `$executeRaw` and model queries). */
function prismaError(code: string, message: string, prismaCode = "P2010") {
  return new Prisma.PrismaClientKnownRequestError(`Raw query failed. Code: \`${code}\`. Message: \`${message}\``, {
    code: prismaCode,
    clientVersion: Prisma.prismaVersion.client,
    meta: { driverAdapterError: { name: "DriverAdapterError", cause: { originalCode: code, originalMessage: message, kind: "postgres" } } },
  });
}

const caught = (work: () => unknown): unknown => {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
};

describe("classifyFailure: whose fault a projection failure is", () => {
  it("the message's own decode and order errors are the message's fault", () => {
    const registry = builtInRegistry();
    for (const bytes of [Buffer.alloc(0), Buffer.from([0, 0, 0]), Buffer.from([1, 0, 0, 0, 1, 2]), Buffer.from([0, 0, 0, 0x27, 0x0f, 2])]) {
      assert.equal(classifyFailure(caught(() => decodeEvent(bytes, registry))).fault, "message", bytes.toString("hex"));
    }
    const gap = caught(() => projectQuoteEvent(null, { ...sampleEvents.ContactDetailsCaptured, version: 3 }));
    assert.equal(classifyFailure(gap).fault, "message");
    assert.equal(classifyFailure(new MessageRejectedError("the message has no key")).fault, "message");
  });

  it("PostgreSQL data exceptions (22) and constraint violations (23) are the message's fault, however Prisma wraps them", () => {
    for (const [code, text] of [["22P02", 'invalid input syntax for type uuid: "poison-1"'], ["22007", 'invalid input syntax for type timestamp with time zone: "soon"'], ["22001", "value too long"], ["23505", "duplicate key value"], ["23502", "null value in column"]] as const) {
      for (const error of [postgresError(code, text), prismaError(code, text), prismaError(code, text, "P2007")]) {
        const failure = classifyFailure(error);
        assert.equal(failure.fault, "message", `${code} ${error.constructor.name}`);
        assert.equal(failure.sqlState, code);
      }
    }
  });

  it("connection, transaction-rollback, resource and operator errors are the environment's: retried, never parked", () => {
    for (const code of ["08006", "08001", "40001", "40P01", "53300", "53100", "57P01", "57014", "58030"]) {
      assert.equal(classifyFailure(postgresError(code, "x")).fault, "environment", code);
      assert.equal(classifyFailure(prismaError(code, "x")).fault, "environment", code);
    }
    const unreachable = new Prisma.PrismaClientKnownRequestError("Can't reach database server at 127.0.0.1:1", {
      code: "P1001",
      clientVersion: Prisma.prismaVersion.client,
      meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 1 } } },
    });
    assert.equal(classifyFailure(unreachable).fault, "environment");
    const timedOut = new Prisma.PrismaClientKnownRequestError("Transaction API error: Transaction already closed", { code: "P2028", clientVersion: Prisma.prismaVersion.client });
    assert.equal(classifyFailure(timedOut).fault, "environment");
  });

  it("a refused connection (a real socket error) is the environment's", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const refused = await new Promise<Error>((resolve) => net.connect(port, "127.0.0.1").once("error", resolve));
    assert.equal(classifyFailure(refused).fault, "environment");
  });

  it("anything unknown is retried rather than parked on a guess", () => {
    assert.equal(classifyFailure(new Error("something odd")).fault, "environment");
    assert.equal(classifyFailure(postgresError("42P01", 'relation "x" does not exist')).fault, "environment");
    assert.equal(classifyFailure("a string").fault, "environment");
  });

  it("finds the SQLSTATE in an error's cause chain", () => {
    assert.equal(sqlStateOf(new Error("wrapped", { cause: postgresError("23503", "fk") })), "23503");
    assert.equal(sqlStateOf(new Error("no code")), undefined);
  });
});
