import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TEST_DRAIN_SECRET } from "./testing/drain-secret";
import { prisma } from "../db/prisma";
import { capture, startQuoteOverHttp, validDetails } from "../http/testing/quote-api-client";
import { disconnectReadModelClients } from "../projections/generations";
import { testKafka, testKafkaProjector } from "../projections/testing/kafka";
import * as drainRoute from "../../app/api/worker/drain/route";
import * as statusRoute from "../../app/api/worker/route";

const kafka = testKafka();
let projector: Awaited<ReturnType<typeof testKafkaProjector>>;
before(async () => {
  projector = await testKafkaProjector(kafka);
});
after(async () => {
  await projector.stop();
  await disconnectReadModelClients();
  await prisma().$disconnect();
});

const withSecret = { authorization: `Bearer ${TEST_DRAIN_SECRET}` };
const call = (route: (r: Request) => Promise<Response> | Response, method: string, headers: Record<string, string> = {}) =>
  route(new Request("http://127.0.0.1/api/worker", { method, headers }));

describe("worker routes", () => {
  it("refuse callers without an agent session or the drain secret", async () => {
    assert.equal((await call(drainRoute.POST, "POST")).status, 401);
    assert.equal((await call(statusRoute.GET, "GET", { authorization: "Bearer wrong-secret-wrong-secret-wrong" })).status, 401);
  });

  it("drain publishes the outbox and waits for projection; status then shows no lag and no backlog", async () => {
    const { quoteId, auth } = await startQuoteOverHttp();
    await capture("contact", quoteId, validDetails.contact, auth);
    const res = await call(drainRoute.POST, "POST", withSecret);
    assert.equal(res.status, 200);
    const drained = (await res.json()) as { published: number; remainingLag: number };
    assert.ok(drained.published >= 2, JSON.stringify(drained));
    assert.equal(drained.remainingLag, 0);

    const status = (await (await call(statusRoute.GET, "GET", withSecret)).json()) as {
      mode: string;
      relayBacklog: number;
      projection: { partitions: Array<{ source: string; lag: number }>; totalLag: number };
      deadLetters: { parked: number };
    };
    assert.equal(status.mode, "kafka");
    assert.equal(status.relayBacklog, 0);
    assert.equal(status.projection.partitions.length, 6);
    assert.equal(status.projection.totalLag, 0);
  });
});
