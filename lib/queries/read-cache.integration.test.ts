import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, describe, it } from "node:test";
import { prisma } from "../db/prisma";
import { capture, startQuoteOverHttp, validDetails } from "../http/testing/quote-api-client";
import { disconnectReadModelClients } from "../projections/generations";
import { eventually } from "../projections/testing/kafka";
import { drainProjector } from "../projections/testing/drain";
import { message } from "../cqrs/message";
import { createServices } from "../services";
import { READ_MODEL_CHANNEL } from "../projections/apply-batch";
import type { ListQuotesResult, QuoteDetailsView } from "./contracts";
import { createReadCache } from "./read-cache";

const services = createServices(prisma(), { cacheReads: true });
const agent = { actor: { kind: "agent" as const, agentId: "agent-cache-test" } };
after(async () => {
  await disconnectReadModelClients();
  await prisma().$disconnect();
});

async function query<T>(type: string, payload: unknown): Promise<T> {
  const result = await services.queryBus.execute<T>(message(type, payload, agent));
  assert.ok(result.ok, JSON.stringify(result));
  return result.value;
}

describe("server read cache, invalidated by the projector", () => {
  it("serves hot reads from the cache, and never older data once the projector has applied a change", async () => {
    const email = `cache-${randomUUID().slice(0, 8)}@example.com`;
    assert.equal((await query<ListQuotesResult>("ListQuotes", { search: email })).total, 0);

    const { quoteId, auth } = await startQuoteOverHttp();
    await capture("contact", quoteId, { ...validDetails.contact, email }, auth);
    await drainProjector();
    // The empty answer above was cached; the projector's notification drops it.
    await eventually(async () => (await query<ListQuotesResult>("ListQuotes", { search: email })).total === 1, 5_000);

    const first = await query<QuoteDetailsView>("GetQuoteDetails", { quoteId });
    assert.equal(first.version, 2);
    assert.equal((await query<QuoteDetailsView>("GetQuoteDetails", { quoteId })).version, 2, "a repeat is served (from the cache)");
    await capture("geographic", quoteId, validDetails.geographic, auth);
    await drainProjector();
    await eventually(async () => (await query<QuoteDetailsView>("GetQuoteDetails", { quoteId })).version === 3, 5_000);
    const timeline = await query<{ entries: unknown[] }>("GetQuoteTimeline", { quoteId });
    assert.equal(timeline.entries.length, 3);
  });

  it("sorts, filters and pages the agents' list", async () => {
    const page = await query<ListQuotesResult>("ListQuotes", { status: "draft", sort: "monthlyPremium", order: "asc", page: 1, pageSize: 5 });
    assert.ok(page.items.length <= 5);
    assert.ok(page.items.every((item) => item.status === "draft"));
    const bad = await services.queryBus.execute(message("ListQuotes", { status: "lost", pageSize: 1000 }, agent));
    assert.ok(!bad.ok && bad.error.kind === "validation");
    assert.deepEqual(!bad.ok && bad.error.kind === "validation" ? bad.error.errors.map((e) => e.path).sort() : [], ["pageSize", "status"]);
    const customer = await services.queryBus.execute(message("ListQuotes", {}, { actor: { kind: "customer" } }));
    assert.ok(!customer.ok && customer.error.kind === "unauthorized");
  });
});

describe("a load racing a change notification", () => {
  const notify = (payload: string) => prisma().$executeRaw`SELECT pg_notify(${READ_MODEL_CHANNEL}, ${payload})`;

  /**
   * Starts a load of `key` that is held until released, sends `payload` on the projector's channel, waits until the
   * cache has received it (a sentinel entry of `sentinelQuoteId` is dropped), then lets the load finish with "old".
   */
  async function loadHeldAcrossNotify(cache: ReturnType<typeof createReadCache>, key: string, quoteId: string | null, payload: string, sentinelQuoteId: string) {
    let sentinelLoads = 0;
    const sentinel = () => cache.get(`sentinel-${sentinelQuoteId}`, sentinelQuoteId, async () => ++sentinelLoads);
    await sentinel();
    let release: ((value: string) => void) | undefined;
    const held = cache.get(key, quoteId, () => new Promise<string>((resolve) => (release = resolve)));
    await eventually(async () => release !== undefined, 5_000);
    await notify(payload);
    await eventually(async () => (await sentinel()) > 1, 5_000);
    release!("old");
    assert.equal(await held, "old", "the caller that started before the change still gets its answer");
  }

  for (const [name, keyQuote, payload] of [
    ["a quote's entry, and a NOTIFY of that quote", "same", "same"],
    ["a quote's entry, and a NOTIFY of everything", "same", "*"],
    ["a list entry (any change), and a NOTIFY of another quote", null, "other"],
  ] as const) {
    it(`${name}: the old value is not stored, the next read loads again`, async () => {
      const cache = createReadCache((await import("../config")).config().DATABASE_URL);
      try {
        const quoteId = randomUUID();
        const other = randomUUID();
        const notified = payload === "same" ? quoteId : payload === "other" ? other : "*";
        await loadHeldAcrossNotify(cache, "entry", keyQuote === "same" ? quoteId : null, notified, notified === "*" ? quoteId : notified);
        assert.equal(await cache.get("entry", keyQuote === "same" ? quoteId : null, async () => "new"), "new");
      } finally {
        await cache.close();
      }
    });
  }

  it("a NOTIFY of another quote does not stop a quote's load from being cached", async () => {
    const cache = createReadCache((await import("../config")).config().DATABASE_URL);
    try {
      const quoteId = randomUUID();
      const other = randomUUID();
      await loadHeldAcrossNotify(cache, "entry", quoteId, other, other);
      assert.equal(await cache.get("entry", quoteId, async () => "new"), "old", "served from the cache");
    } finally {
      await cache.close();
    }
  });
});

describe("read-your-writes in embedded mode (projector reading the Postgres event log)", () => {
  it("right after a page submit, the review query returns the new values", async () => {
    const { config } = await import("../config");
    const { createPostgresProjector } = await import("../projections/postgres-projector");
    const projector = createPostgresProjector({ db: prisma(), databaseUrl: config().DATABASE_URL });
    let running = true;
    const loop = (async () => {
      while (running) if ((await projector.runOnce()).read === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    })();
    try {
      const { quoteId, auth, accessToken } = await startQuoteOverHttp();
      const res = await capture("family", quoteId, validDetails.family, auth);
      const { version } = (await res.json()) as { version: number };
      const view = await services.queryBus.execute<{ stale: boolean; version: number; familyDetails: unknown }>(
        message("GetQuoteForCustomer", { quoteId, minVersion: version }, { actor: { kind: "customer" }, accessToken }),
      );
      assert.ok(view.ok);
      assert.equal(view.value.stale, false);
      assert.equal(view.value.version, version);
      assert.deepEqual(view.value.familyDetails, validDetails.family);
    } finally {
      running = false;
      await loop;
    }
  });

  it("answers stale: true, not silently old data, when the projection has not caught up in time", async () => {
    const { quoteId, accessToken } = await startQuoteOverHttp();
    const view = await services.queryBus.execute<{ stale: boolean }>(message("GetQuoteForCustomer", { quoteId, minVersion: 2 }, { actor: { kind: "customer" }, accessToken }));
    assert.ok(view.ok);
    assert.equal(view.value.stale, true);
  });
});
