import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { config } from "../config";
import { prisma } from "../db/prisma";
import { capture, startQuoteOverHttp, submitQuote, validDetails } from "../http/testing/quote-api-client";
import { builtInRegistry } from "../messaging/avro/schema-registry";
import { activeGeneration, disconnectReadModelClients, readModelClient } from "./generations";
import { rebuildReadModels } from "./rebuild";
import { snapshotReadModels } from "./testing/compare-generations";
import { drainProjector } from "./testing/drain";

after(async () => {
  await disconnectReadModelClients();
  await prisma().$disconnect();
});

describe("rebuild (embedded mode: from the Postgres event log)", () => {
  it("produces the same read models as live projection, then switches the live generation over", async () => {
    const quoteIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { quoteId, auth } = await startQuoteOverHttp();
      quoteIds.push(quoteId);
      await capture("geographic", quoteId, validDetails.geographic, auth);
      await capture("contact", quoteId, { ...validDetails.contact, email: `rebuild-${i}@example.com` }, auth);
      if (i % 2 === 0) {
        await capture("family", quoteId, validDetails.family, auth);
        await submitQuote(quoteId, auth);
      }
    }
    await drainProjector();
    const before = await activeGeneration(prisma());
    // This test's quotes: other suites' quotes may be held behind their dead letters in the live generation.
    const live = await snapshotReadModels(readModelClient(before), quoteIds);

    const progress: number[] = [];
    const result = await rebuildReadModels({ db: prisma(), databaseUrl: config().DATABASE_URL, kafka: null, registry: builtInRegistry(), onProgress: (p) => progress.push(p.applied) });
    assert.equal(await activeGeneration(prisma()), result.schema, "switched over");
    assert.notEqual(result.schema, before);
    assert.equal(result.applied, await prisma().storedEvent.count(), "every event of the log applied once");
    assert.ok(progress.length > 0, "progress reported");

    const rebuilt = await snapshotReadModels(readModelClient(result.schema), quoteIds);
    assert.equal(rebuilt.details.length, 5);
    assert.deepEqual(rebuilt.details, live.details);
    assert.deepEqual(rebuilt.summaries, live.summaries);
    assert.deepEqual(rebuilt.timeline, live.timeline);

    // Live projection carries on in the new generation from the rebuild's checkpoint.
    const { quoteId, auth } = await startQuoteOverHttp();
    await capture("contact", quoteId, validDetails.contact, auth);
    await drainProjector();
    assert.equal((await readModelClient(result.schema).quoteDetails.findUnique({ where: { quoteId } }))?.version, 2);
  });
});
