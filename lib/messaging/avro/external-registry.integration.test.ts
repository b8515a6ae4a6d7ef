// The external schema registry against the stand-in, run as its own process: a relay publishes with the registry's
// ids, a projector reads them, an id the projector does not know is asked for, a refusal names its subject.
// A database of its own on the suite's PostgreSQL server: the suite's holds other files' unpublished events, which
// this file's relay would publish with the stand-in's ids. The stand-in's ids start at 5000, so no other file's
// reader of the topic mistakes them for the committed ones.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "kafkajs";
import pg from "pg";
import { applyMigrations } from "../../../scripts/db/migrations";
import { repoRoot } from "../../../scripts/lib/paths";
import { startSchemaRegistryStandIn, type StandInProcess } from "../../../scripts/schema-registry/test-process";
import { TEST_PORTS } from "../../../scripts/test/test-environment";
import { config } from "../../config";
import { createPrismaClient } from "../../db/prisma";
import type { QuoteEvent } from "../../domain/quote";
import { createEventStore } from "../../eventstore/event-store";
import type { PrismaClient } from "../../generated/prisma/client";
import { validDetails } from "../../http/testing/quote-api-client";
import { createLogger } from "../../logging/logger";
import { activeGeneration, disconnectReadModelClients, readModelClient } from "../../projections/generations";
import { kafkaSource, startKafkaProjector, type KafkaProjector } from "../../projections/kafka-projector";
import { eventually } from "../../projections/testing/kafka";
import { createKafka } from "../kafka-client";
import { createRelay } from "../relay";
import { quoteEventsTopic } from "../topics";
import { connectExternalRegistry, type ExternalRegistrySettings } from "./external-registry";
import { SchemaRegistry, builtInRegistry, parseSchema, subjectFor, type RegisteredSchema } from "./schema-registry";
import { decodeHeader } from "./wire-format";

const password = "registry-pa55word";
const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
const databaseName = `schema_registry_${offset}`;
const suiteDatabase = config().DATABASE_URL;
const databaseUrl = Object.assign(new URL(suiteDatabase), { pathname: `/${databaseName}` }).toString();
const kafka = createKafka("schema-registry-test")!;
const log = createLogger("schema-registry-test");

let standIn: StandInProcess;
let settings: ExternalRegistrySettings;
let db: PrismaClient;
let projector: KafkaProjector | null = null;
/** The schema ids in the framing of each quote's records, in the order they are on the topic (the events' order). */
const published = new Map<string, number[]>();
const QUOTE_STARTED = 0;
const GEOGRAPHIC_DETAILS_CAPTURED = 1;
let watcher: Consumer;

async function onServer(sql: string) {
  const client = new pg.Client({ connectionString: suiteDatabase });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The committed schemas plus a newer version of one type, as a newer release would have them. */
function withNewerVersion(base: SchemaRegistry, type: string, extraField: object): SchemaRegistry {
  const latest = base.latest(type);
  const json = latest.schema.schema({ exportAttrs: true }) as { fields: object[] };
  const newer: RegisteredSchema = { ...latest, id: 900_000 + latest.version, version: latest.version + 1, schema: parseSchema({ ...json, fields: [...json.fields, extraField] }) };
  return new SchemaRegistry([...base.entries(), newer]);
}

async function registryVersion(subject: string, version: number | "latest") {
  const res = await fetch(`${standIn.url}/subjects/${subject}/versions/${version}`, { headers: { authorization: `Basic ${Buffer.from(`app:${password}`).toString("base64")}` } });
  return (await res.json()) as { id: number; version: number };
}

/** A new quote's first two events, unpublished, in this file's database. */
async function appendQuote(): Promise<string> {
  const quoteId = randomUUID();
  const events: QuoteEvent[] = [
    { type: "QuoteStarted", data: { quoteId } },
    { type: "GeographicDetailsCaptured", data: { details: { ...validDetails.geographic, country: "US" } } },
  ];
  await createEventStore(db).append(quoteId, 0, events, { correlationId: randomUUID(), causationId: null, actor: { kind: "customer" } });
  return quoteId;
}

async function publish(registry: SchemaRegistry) {
  const relay = createRelay({ db, kafka, registry, log });
  try {
    while ((await relay.publishBatch()) > 0);
  } finally {
    await relay.stop();
  }
}

const projectedVersion = async (quoteId: string) =>
  (await readModelClient(await activeGeneration(db), databaseUrl).quoteDetails.findUnique({ where: { quoteId } }))?.version ?? 0;

before(async () => {
  standIn = await startSchemaRegistryStandIn({ port: TEST_PORTS.schemaRegistry, env: { SCHEMA_REGISTRY_USERNAME: "app", SCHEMA_REGISTRY_PASSWORD: password, SCHEMA_REGISTRY_FIRST_ID: "5000" } });
  settings = { url: standIn.url, username: "app", password };
  await onServer(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await onServer(`CREATE DATABASE ${databaseName}`);
  await applyMigrations(repoRoot, databaseUrl);
  db = createPrismaClient(databaseUrl, 4);

  // This file's projector starts where the topic ends now: what other files published is not its to read.
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(quoteEventsTopic());
  await admin.disconnect();
  const checkpoints = readModelClient(await activeGeneration(db), databaseUrl).projectionCheckpoint;
  await checkpoints.createMany({ data: ends.filter((p) => BigInt(p.high) > 0n).map((p) => ({ source: kafkaSource(quoteEventsTopic(), p.partition), position: BigInt(p.high) - 1n })) });

  watcher = kafka.consumer({ groupId: `schema-registry-watch-${randomUUID()}` });
  await watcher.connect();
  await watcher.subscribe({ topic: quoteEventsTopic(), fromBeginning: false });
  // A new group would start at the end as it is once joined; from the ends read above, nothing of this file is missed.
  await watcher.run({
    eachMessage: async ({ message }) => {
      if (!message.key) return;
      const quoteId = message.key.toString();
      published.set(quoteId, [...(published.get(quoteId) ?? []), decodeHeader(message.value).schemaId]);
    },
  });
  for (const p of ends) watcher.seek({ topic: quoteEventsTopic(), partition: p.partition, offset: p.high });
});

after(async () => {
  await projector?.stop();
  await watcher?.disconnect();
  await db?.$disconnect();
  await disconnectReadModelClients();
  await standIn?.stop();
  await onServer(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
});

describe("an external schema registry (the stand-in, its own process)", () => {
  it("a relay publishes with the registry's ids and a projector, connected on its own, reads them", async () => {
    const registry = await connectExternalRegistry(settings);
    for (const entry of registry.entries()) {
      const there = await registryVersion(subjectFor(entry.type), entry.version);
      assert.deepEqual([entry.id, entry.version], [there.id, there.version], `${entry.type} v${entry.version} has the registry's id`);
      assert.ok(entry.id >= 5000, "not a committed id");
    }
    assert.notEqual(registry.latest("GeographicDetailsCaptured").id, builtInRegistry().latest("GeographicDetailsCaptured").id);

    const consumerSide = await connectExternalRegistry(settings);
    assert.deepEqual(consumerSide.entries().map((e) => e.id), registry.entries().map((e) => e.id), "registering again gives the same ids");
    projector = await startKafkaProjector({ kafka, db, databaseUrl, registry: consumerSide, log, groupId: `schema-registry-test-${randomUUID()}`, sessionTimeoutMs: 6_000 });

    const quoteId = await appendQuote();
    await publish(registry);
    await eventually(async () => (await projectedVersion(quoteId)) === 2);
    await eventually(async () => published.get(quoteId)?.length === 2);
    assert.equal(published.get(quoteId)?.[QUOTE_STARTED], registry.latest("QuoteStarted").id);
    assert.equal(published.get(quoteId)?.[GEOGRAPHIC_DETAILS_CAPTURED], registry.latest("GeographicDetailsCaptured").id);
  });

  it("a schema id the projector does not know (a newer release's version) is asked of the registry, then read", async () => {
    const newer = await connectExternalRegistry(settings, withNewerVersion(builtInRegistry(), "QuoteStarted", { name: "channel", type: ["null", "string"], default: null }));
    const newId = newer.latest("QuoteStarted").id;
    assert.equal((await registryVersion(subjectFor("QuoteStarted"), 2)).id, newId, "registered as the subject's version 2");
    assert.ok(projector, "the projector of the first test runs on");

    const quoteId = await appendQuote();
    await publish(newer);
    await eventually(async () => (await projectedVersion(quoteId)) === 2);
    await eventually(async () => published.get(quoteId)?.length === 2);
    assert.equal(published.get(quoteId)?.[QUOTE_STARTED], newId);
    const live = readModelClient(await activeGeneration(db), databaseUrl);
    assert.equal(await live.projectionDeadLetter.count({ where: { quoteId } }), 0, "nothing parked");
  });

  it("while the registry cannot be reached, a batch with an unknown id is retried, never parked", async () => {
    const newest = await connectExternalRegistry(settings, withNewerVersion(withNewerVersion(builtInRegistry(), "QuoteStarted", { name: "channel", type: ["null", "string"], default: null }), "QuoteStarted", { name: "campaign", type: ["null", "string"], default: null }));
    await standIn.stop();
    const quoteId = await appendQuote();
    await publish(newest);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal(await projectedVersion(quoteId), 0, "waits for the registry");
    await standIn.restart();
    await eventually(async () => (await projectedVersion(quoteId)) === 2, 45_000);
    await eventually(async () => published.get(quoteId)?.length === 2);
    assert.equal(published.get(quoteId)?.[QUOTE_STARTED], newest.latest("QuoteStarted").id);
    assert.equal(await readModelClient(await activeGeneration(db), databaseUrl).projectionDeadLetter.count({ where: { quoteId } }), 0, "nothing parked");
  });

  it("refuses a version incompatible with the earlier ones, naming the subject; registers nothing", async () => {
    const incompatible = withNewerVersion(builtInRegistry(), "QuoteCancelled", { name: "reason", type: "string" });
    await assert.rejects(connectExternalRegistry(settings, incompatible), (error: Error) => {
      assert.match(error.message, /refused registering QuoteCancelled v2 under subject com\.quoting\.events\.QuoteCancelled, as incompatible .*\(HTTP 409\).*default-less/);
      return true;
    });
    assert.equal((await registryVersion(subjectFor("QuoteCancelled"), "latest")).version, 1);
  });

  it("a wrong password, or no registry at the URL, is a clear error that never shows the password", async () => {
    await assert.rejects(connectExternalRegistry({ ...settings, password: "not-the-password" }), (error: Error) => {
      assert.match(error.message, /^The schema registry at http:\/\/127\.0\.0\.1:\d+ refused the credentials \(HTTP 401\) while registering .*: check SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD$/);
      assert.doesNotMatch(error.message, /not-the-password/);
      return true;
    });
    await assert.rejects(connectExternalRegistry({ url: "http://127.0.0.1:9", timeoutMs: 2_000 }), /^SchemaRegistryError: Cannot reach the schema registry at http:\/\/127\.0\.0\.1:9 while registering/);
  });
});
