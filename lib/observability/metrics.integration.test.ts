import { TEST_METRICS_TOKEN } from "./testing/metrics-token";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Partitioners } from "kafkajs";
import { config } from "../config";
import { prisma } from "../db/prisma";
import { capture, getQuote, startQuoteOverHttp, submitQuote, validDetails } from "../http/testing/quote-api-client";
import { freePort, startStandIn, type StandIn } from "../integrations/testing/application-number-stand-in";
import { createLogger } from "../logging/logger";
import { builtInRegistry } from "../messaging/avro/schema-registry";
import { quoteEventsTopic } from "../messaging/topics";
import { disconnectReadModelClients } from "../projections/generations";
import { testKafka, testRelay } from "../projections/testing/kafka";
import { startWorker } from "../worker/run-worker";
import { createSystemSampler } from "./system-sampler";
import * as metricsRoute from "../../app/api/metrics/route";

/**
 * What an operator scraping the app would see after customers used it: a wizard journey through the real command
 * path, the relay, a projector, the scheduled application-number request and a poison message, then both metrics
 * endpoints. (In production the web process and the worker each fill their own families, docs/OPERATIONS.md; here
 * they share this process and so one registry.)
 */

type Sample = { name: string; labels: Record<string, string>; value: number };

/** The Prometheus text format's samples (enough of it for these metrics: no escaped quotes in label values). */
function parse(text: string): Sample[] {
  return text
    .split("\n")
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
      assert.ok(match, `a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

const total = (samples: Sample[], name: string, where: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
const series = (samples: Sample[], name: string) => samples.filter((s) => s.name === name);

/** Runs `check` until it stops throwing (bounded), then returns; the last failure otherwise. */
async function eventually(check: () => Promise<void>, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

const kafka = testKafka();
const log = createLogger("metrics-test");
let standIn: StandIn;
let worker: ReturnType<typeof startWorker> | null = null;
let workerPort: number;

before(async () => {
  standIn = await startStandIn({ latencyMs: 20, failureRate: 0 });
  // The suites share one database: requests queued by other files' quotes must not wait in line ahead of this one.
  await prisma().scheduledCommand.deleteMany({ where: { status: "pending" } });
  workerPort = await freePort();
});
after(async () => {
  await worker?.stop();
  await standIn.stop();
  await disconnectReadModelClients();
  await prisma().$disconnect();
});

const scrapeWeb = async (headers: Record<string, string>) => metricsRoute.GET(new Request("http://127.0.0.1/api/metrics", { headers }));
const scrapeWorker = (headers: Record<string, string> = {}, method = "GET") => fetch(`http://127.0.0.1:${workerPort}/metrics`, { method, headers });

describe("metrics after a wizard journey", () => {
  let quoteId: string;

  it("the journey, and the sampler seeing the outbox and the projection fall behind before the worker runs", async () => {
    const started = await startQuoteOverHttp();
    assert.equal(started.res.status, 201);
    quoteId = started.quoteId;
    for (const page of ["geographic", "contact", "family"] as const) assert.equal((await capture(page, quoteId, validDetails[page], started.auth)).status, 200);
    assert.equal((await submitQuote(quoteId, started.auth)).status, 200);
    assert.equal((await getQuote(quoteId, started.auth)).status, 200);

    const sampler = createSystemSampler({ db: prisma(), databaseUrl: config().DATABASE_URL, kafka, workerId: `metrics-test-${randomUUID()}` });
    try {
      const waiting = await sampler.sampleOnce();
      assert.ok(waiting.relayBacklog >= 5, `the journey's events wait in the outbox: ${waiting.relayBacklog}`);
      assert.ok(waiting.scheduledDue >= 1, "the application-number request is due");

      await testRelay(kafka).drain();
      await sampler.sampleOnce();
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const behind = await sampler.sampleOnce();
      assert.equal(behind.relayBacklog, 0);
      const lagging = behind.partitions.filter((p) => p.events > 0);
      assert.ok(lagging.length >= 1, `published, not yet projected: ${JSON.stringify(behind.partitions)}`);
      assert.ok(lagging.every((p) => p.seconds >= 1), `waiting for a second at least: ${JSON.stringify(lagging)}`);
      assert.equal(behind.partitions.length, 6, "one lag per partition");
    } finally {
      await sampler.stop();
    }
  });

  it("the worker projects, gets the application number and parks a poison message; its /metrics shows every family", async () => {
    worker = startWorker(
      {
        ...config(),
        APPLICATION_NUMBER_SERVICE_URL: standIn.baseUrl,
        WORKER_METRICS_PORT: workerPort,
        WORKER_METRICS_HOST: "127.0.0.1",
        TRUSTED_PROXIES: ["127.0.0.1"],
        PROJECTION_GROUP: `metrics-test-${randomUUID()}`,
        PROJECTION_SESSION_TIMEOUT_MS: 6_000,
        WORKER_POLL_INTERVAL_MS: 100,
        RELAY_LEADER_RETRY_MS: 200,
      },
      prisma(),
      log,
      builtInRegistry(),
      ["relay", "projector", "scheduled"],
    );
    await worker.ready;
    assert.ok(await worker.metrics.server, "the worker serves its metrics");

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: quoteEventsTopic(), messages: [{ key: `metrics-poison-${randomUUID()}`, value: Buffer.from("not avro") }] });
    await producer.disconnect();

    let samples: Sample[] = [];
    await eventually(
      async () => {
        await worker!.metrics.sampler.sampleOnce();
        const res = await scrapeWorker();
        assert.equal(res.status, 200);
        assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
        samples = parse(await res.text());
        assert.ok(total(samples, "quoting_projection_dead_letters_parked_total") >= 1, "the poison message parked");
        assert.ok(total(samples, "quoting_application_number_call_duration_seconds_count", { outcome: "success" }) >= 1, "the service was called");
        assert.equal(total(samples, "quoting_projection_lag_events"), 0, "caught up");
        assert.ok(total(samples, "quoting_command_duration_seconds_count", { type: "AssignApplicationNumber", outcome: "ok" }) >= 1, "the worker's own command");
      },
      60_000,
    );

    // Relay and projection.
    assert.ok(total(samples, "quoting_relay_events_published_total") >= 5);
    assert.equal(series(samples, "quoting_relay_backlog_events").length, 1);
    assert.equal(series(samples, "quoting_projection_lag_events").length, 6, "a lag per partition");
    assert.equal(series(samples, "quoting_projection_lag_seconds").length, 6, "a lag in seconds per partition");
    assert.ok(total(samples, "quoting_projection_dead_letters", { state: "parked" }) >= 1);
    // Scheduled commands and the application-number service.
    assert.ok(total(samples, "quoting_scheduled_command_attempts_total", { type: "RequestApplicationNumber" }) >= 1);
    assert.equal(series(samples, "quoting_scheduled_commands_due").length, 1);
    assert.equal(total(samples, "quoting_application_number_circuit_state", { state: "closed" }), 1);
    assert.equal(total(samples, "quoting_application_number_circuit_state", { state: "open" }), 0);
    // The process metrics.
    assert.ok(total(samples, "quoting_process_resident_memory_bytes") > 0);

    // The history behind the system page.
    assert.ok((await prisma().systemSample.count({ where: { workerId: worker.workerId } })) >= 1);
    const heartbeat = await prisma().workerHeartbeat.findUnique({ where: { workerId: worker.workerId } });
    assert.deepEqual(heartbeat?.roles, ["relay", "projector", "scheduled"]);
  });

  it("GET /api/metrics shows the journey: commands, queries, HTTP routes and events appended", async () => {
    const res = await scrapeWeb({ "x-client-address": "127.0.0.1" });
    assert.equal(res.status, 200);
    const samples = parse(await res.text());
    for (const type of ["StartQuote", "CaptureGeographicDetails", "CaptureContactDetails", "CaptureFamilyDetails", "SubmitQuote"]) {
      assert.ok(total(samples, "quoting_command_duration_seconds_count", { type, outcome: "ok" }) >= 1, type);
    }
    assert.ok(total(samples, "quoting_query_duration_seconds_count", { type: "GetQuoteForCustomer", outcome: "ok" }) >= 1);
    assert.ok(total(samples, "quoting_http_request_duration_seconds_count", { route: "/api/quotes/[quoteId]/submit", method: "POST", status: "200" }) >= 1);
    assert.ok(total(samples, "quoting_http_request_duration_seconds_count", { route: "/api/quotes", method: "POST", status: "201" }) >= 1);
    assert.ok(total(samples, "quoting_events_appended_total", { type: "QuoteSubmitted" }) >= 1);
    assert.ok(total(samples, "quoting_events_appended_total", { type: "ApplicationNumberAssigned" }) >= 1);
    assert.ok(!samples.some((s) => s.labels.route?.includes(quoteId)), "routes are patterns, never a quote id");

    // The command history behind the system page, written by this process.
    await eventually(async () => {
      const minutes = await prisma().commandMetricMinute.findMany({ where: { minute: { gte: new Date(Date.now() - 5 * 60_000) } } });
      assert.ok(minutes.reduce((sum, m) => sum + m.count, 0) >= 5, "the journey's commands counted per minute");
    });
  });
});

describe("who may read the metrics", () => {
  it("the web route: loopback without a token; anyone else only with METRICS_TOKEN, whatever X-Forwarded-For says", async () => {
    assert.equal((await scrapeWeb({ "x-client-address": "::1" })).status, 200);
    const stranger = await scrapeWeb({ "x-client-address": "192.0.2.7", "x-forwarded-for": "127.0.0.1" });
    assert.equal(stranger.status, 401);
    assert.equal(stranger.headers.get("www-authenticate"), 'Bearer realm="metrics"');
    assert.match(stranger.headers.get("content-type") ?? "", /problem\+json/);
    assert.equal((await scrapeWeb({ "x-client-address": "192.0.2.7", authorization: "Bearer wrong-token-wrong-token-wrong" })).status, 401);
    assert.equal((await scrapeWeb({})).status, 401, "no decided address is not loopback");
    const scraper = await scrapeWeb({ "x-client-address": "192.0.2.7", authorization: `Bearer ${TEST_METRICS_TOKEN}` });
    assert.equal(scraper.status, 200);
    assert.match(await scraper.text(), /quoting_command_duration_seconds_bucket/);
  });

  it("the web route answers other methods 405 with Allow", async () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
      const res = metricsRoute[method]();
      assert.equal(res.status, 405, method);
      assert.equal(res.headers.get("allow"), "GET, HEAD, OPTIONS");
    }
  });

  it("the worker's endpoint: the socket's address, or what a trusted proxy forwarded for", async () => {
    assert.equal((await scrapeWorker()).status, 200, "loopback");
    assert.equal((await scrapeWorker({ "x-forwarded-for": "192.0.2.7" })).status, 401, "forwarded by a trusted proxy for a stranger");
    assert.equal((await scrapeWorker({ "x-forwarded-for": "192.0.2.7", authorization: `Bearer ${TEST_METRICS_TOKEN}` })).status, 200);
    const post = await scrapeWorker({}, "POST");
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD, OPTIONS");
    assert.equal((await fetch(`http://127.0.0.1:${workerPort}/other`)).status, 404);
  });
});
