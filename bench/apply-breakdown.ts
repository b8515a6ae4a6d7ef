/**
 * Where the projection's time goes (benchmark 3): applyBatch (lib/projections/apply-batch.ts) on batches of 500
 * events (the live projector's chunk; 100 whole quotes a batch), two ways, each into a fresh generation:
 *   1. applyBatch itself;
 *   2. its steps, replayed with the same exported functions (read-model-store.ts) and timed one by one.
 */
import type { PrismaClient } from "../lib/generated/prisma/client";
import type { RecordedEvent } from "../lib/domain/quote";
import { applyBatch, type ProjectionMessage } from "../lib/projections/apply-batch";
import { createGeneration, disconnectReadModelClients, readModelClient } from "../lib/projections/generations";
import { projectQuoteEvent, type QuoteReadModel, type TimelineEntry } from "../lib/projections/quote-read-model";
import { addFunnelCounts, loadReadModels, lockCheckpoint, saveCheckpoint, saveReadModels, saveTimeline } from "../lib/projections/read-model-store";

export interface ApplyBreakdown {
  events: number;
  batchSize: number;
  applyBatch: { eventsPerSecond: number };
  steps: Record<string, { perBatchMs: number; share: number }>;
}

const SOURCE = "bench:apply";

function messagesOf(events: RecordedEvent[]): ProjectionMessage[] {
  return events.map((event, i) => ({ source: SOURCE, position: BigInt(i), quoteId: event.quoteId, payload: Buffer.alloc(0), decode: () => event }));
}

/** applyBatch's steps (offline rebuild: no generation lock), timed one by one. */
async function timedApply(db: PrismaClient, schema: string, messages: ProjectionMessage[], totals: Record<string, number>) {
  const add = (step: string, t: number) => (totals[step] = (totals[step] ?? 0) + performance.now() - t);
  let t = performance.now();
  await db.$transaction(
    async (tx) => {
      add("BEGIN", t);
      t = performance.now();
      const checkpoint = await lockCheckpoint(tx, schema, SOURCE);
      add("lock checkpoint", t);
      const fresh = messages.filter((m) => m.position > checkpoint);
      const quoteIds = [...new Set(fresh.map((m) => m.quoteId))];
      t = performance.now();
      await tx.projectionDeadLetter.findMany({ where: { quoteId: { in: quoteIds } }, select: { quoteId: true }, distinct: ["quoteId"] });
      add("dead-letter check", t);
      t = performance.now();
      const models = await loadReadModels(tx, quoteIds);
      add("load read models", t);
      t = performance.now();
      const changed = new Map<string, QuoteReadModel>();
      const timeline: TimelineEntry[] = [];
      const funnel = new Map<string, number>();
      for (const message of fresh) {
        const event = message.decode();
        const projected = projectQuoteEvent(changed.get(event.quoteId) ?? models.get(event.quoteId) ?? null, event);
        changed.set(event.quoteId, projected.model);
        timeline.push(projected.timelineEntry);
        for (const s of projected.reached) funnel.set(`${event.occurredAt.slice(0, 10)}|${s}`, (funnel.get(`${event.occurredAt.slice(0, 10)}|${s}`) ?? 0) + 1);
      }
      add("project (pure)", t);
      t = performance.now();
      await saveReadModels(tx, schema, [...changed.values()]);
      add("save read models (saveReadModels)", t);
      t = performance.now();
      await saveTimeline(tx, schema, timeline);
      add("save timeline (saveTimeline)", t);
      t = performance.now();
      await addFunnelCounts(tx, schema, funnel);
      add("funnel counts", t);
      t = performance.now();
      await saveCheckpoint(tx, schema, SOURCE, messages[messages.length - 1]!.position);
      add("save checkpoint", t);
      t = performance.now();
    },
    { timeout: 60_000 },
  );
  add("COMMIT", t);
}

export async function applyBreakdown(options: { db: PrismaClient; databaseUrl: string; events: RecordedEvent[]; batchSize?: number }): Promise<ApplyBreakdown> {
  const batchSize = options.batchSize ?? 500;
  const messages = messagesOf(options.events);
  const batches: ProjectionMessage[][] = [];
  for (let i = 0; i < messages.length; i += batchSize) batches.push(messages.slice(i, i + batchSize));
  const stamp = Date.now().toString(36);
  const fresh = async (name: string) => {
    const schema = `bench_${name}_${stamp}`;
    await createGeneration(options.db, schema);
    return { schema, client: readModelClient(schema, options.databaseUrl) };
  };
  const share = (totals: Record<string, number>) => {
    const all = Object.values(totals).reduce((a, b) => a + b, 0);
    return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, { perBatchMs: v / batches.length, share: v / all }]));
  };
  try {
    const real = await fresh("apply");
    const started = performance.now();
    for (const batch of batches) await applyBatch(real.client, real.schema, batch, { live: false });
    const applyRate = messages.length / ((performance.now() - started) / 1000);

    const steps = await fresh("steps");
    const totals: Record<string, number> = {};
    for (const batch of batches) await timedApply(steps.client, steps.schema, batch, totals);

    return { events: messages.length, batchSize, applyBatch: { eventsPerSecond: applyRate }, steps: share(totals) };
  } finally {
    await disconnectReadModelClients();
  }
}
