import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { parseConfig } from "../config";
import { prisma } from "../db/prisma";
import { startQuoteOverHttp } from "../http/testing/quote-api-client";
import { createLogger } from "../logging/logger";
import { serverNodeArgs } from "../../scripts/lib/server-node";
import { decodeEvent } from "./avro/event-codec";
import { builtInRegistry } from "./avro/schema-registry";
import { createKafka } from "./kafka-client";
import { KafkaAccessError } from "./kafka-security";
import { createRelay } from "./relay";
import { countUnpublished } from "./relay-progress";
import { quoteEventsTopic } from "./topics";

// The test broker's SASL_SSL listener (scripts/test/test-environment.ts): TLS with a CA of its own, SCRAM and PLAIN.
const brokers = process.env.TEST_KAFKA_SASL_SSL_BROKERS;
const caFile = process.env.TEST_KAFKA_SSL_CA_FILE;
const username = process.env.TEST_KAFKA_SASL_USERNAME;
const password = process.env.TEST_KAFKA_SASL_PASSWORD;
const skip = !(brokers && caFile && username && password) && "no SASL_SSL listener: TEST_KAFKA_SASL_SSL_BROKERS, TEST_KAFKA_SSL_CA_FILE, TEST_KAFKA_SASL_USERNAME and TEST_KAFKA_SASL_PASSWORD are set by npm test's own broker";

/** What an operator would put in the environment for a managed Kafka; only these, nothing else. */
const settings = (overrides: Record<string, string | undefined> = {}) => ({
  KAFKA_BROKERS: brokers,
  KAFKA_SSL: "true",
  KAFKA_SSL_CA_FILE: caFile,
  KAFKA_SASL_MECHANISM: "scram-sha-512",
  KAFKA_SASL_USERNAME: username,
  KAFKA_SASL_PASSWORD: password,
  ...overrides,
});
const clientFor = (overrides: Record<string, string | undefined> = {}) => createKafka(`sasl-ssl-test-${randomUUID().slice(0, 8)}`, parseConfig(settings(overrides)))!;

const registry = builtInRegistry();
after(() => prisma().$disconnect());

async function connectFailure(overrides: Record<string, string | undefined>): Promise<Error> {
  const admin = clientFor(overrides).admin();
  try {
    await admin.connect();
  } catch (error) {
    return error as Error;
  } finally {
    await admin.disconnect().catch(() => {});
  }
  assert.fail(`connecting with ${JSON.stringify({ ...overrides, KAFKA_SASL_PASSWORD: "…" })} succeeded`);
}

describe("Kafka over SASL_SSL, configured from the settings alone", { skip }, () => {
  for (const mechanism of ["scram-sha-512", "scram-sha-256", "plain"]) {
    it(`${mechanism}: the relay publishes a quote's Avro event to quote-events, and a consumer reads it back`, async () => {
      const kafka = clientFor({ KAFKA_SASL_MECHANISM: mechanism });
      const { quoteId } = await startQuoteOverHttp();
      const relay = createRelay({ db: prisma(), kafka, registry, log: createLogger(`sasl-ssl-test-${mechanism}`) });
      try {
        while ((await relay.publishBatch()) > 0);
      } finally {
        await relay.stop();
      }
      assert.equal(await countUnpublished(prisma(), [quoteId]), 0, "the relay marked the quote's events published");
      const [stored] = await prisma().storedEvent.findMany({ where: { streamId: quoteId }, orderBy: { version: "asc" } });

      const consumer = kafka.consumer({ groupId: `sasl-ssl-test-${randomUUID()}`, maxWaitTimeInMs: 100 });
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: quoteEventsTopic(), fromBeginning: true });
        const event = await new Promise<ReturnType<typeof decodeEvent>>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no message of quote ${quoteId} on ${quoteEventsTopic()} within 30 s`)), 30_000);
          void consumer.run({
            eachMessage: async ({ message }) => {
              if (message.key?.toString() !== quoteId) return;
              clearTimeout(timer);
              resolve(decodeEvent(message.value!, registry));
            },
          });
        });
        assert.equal(event.type, "QuoteStarted");
        assert.equal(event.eventId, stored?.eventId);
      } finally {
        await consumer.disconnect();
      }
    });
  }

  it("a wrong password: the connection fails saying authentication failed and which settings to check, never showing a password", async () => {
    const wrong = `wrong-${randomUUID()}`;
    for (const mechanism of ["scram-sha-512", "plain"]) {
      const error = await connectFailure({ KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_PASSWORD: wrong });
      assert.ok(error instanceof KafkaAccessError, `${mechanism}: ${error.name}: ${error.message}`);
      assert.match(error.message, /^Kafka authentication failed at 127\.0\.0\.1:\d+ as KAFKA_SASL_USERNAME=\S+ with KAFKA_SASL_MECHANISM=/);
      assert.match(error.message, /Check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM/);
      assert.ok(!error.message.includes(wrong) && !error.message.includes(password!), "no password in the message");
    }
  });

  it("a worker given a wrong password stops, and what it prints names the failure but no password", async () => {
    const wrong = `wrong-${randomUUID()}`;
    const child = spawn(process.execPath, serverNodeArgs("scripts/worker.ts", "--only=projector"), {
      env: { ...process.env, ...settings({ KAFKA_SASL_PASSWORD: wrong }), LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.once("exit", (exitCode) => (clearTimeout(timer), resolve(exitCode)));
    });
    await prisma().workerHeartbeat.deleteMany({ where: { pid: child.pid! } });
    assert.notEqual(code, 0, output);
    assert.match(output, /Kafka authentication failed at 127\.0\.0\.1:\d+ as KAFKA_SASL_USERNAME=/);
    assert.ok(!output.includes(wrong) && !output.includes(password!), "no password in what the worker printed");
  });

  it("TLS without the CA that signed the broker's certificate: the connection fails naming the certificate check and KAFKA_SSL_CA_FILE", async () => {
    const error = await connectFailure({ KAFKA_SSL_CA_FILE: undefined });
    assert.ok(error instanceof KafkaAccessError, `${error.name}: ${error.message}`);
    assert.match(error.message, /^Kafka TLS certificate check failed at 127\.0\.0\.1:\d+ \(unable to verify the first certificate\)/);
    assert.match(error.message, /not signed by the system's CAs \(KAFKA_SSL_CA_FILE is not set\): set KAFKA_SSL_CA_FILE to the PEM file of the CA/);
  });
});
