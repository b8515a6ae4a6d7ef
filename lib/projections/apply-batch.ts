import type { RecordedEvent } from "../domain/quote";
import type { PrismaClient } from "../generated/prisma/client";
import { activeGeneration, GENERATION_SWITCH_LOCK } from "./generations";
import { projectQuoteEvent, type QuoteReadModel, type TimelineEntry } from "./quote-read-model";
import { addFunnelCounts, loadReadModels, lockCheckpoint, saveCheckpoint, saveReadModels, saveTimeline } from "./read-model-store";

/** One message from either source: a Kafka record (offset) or an event-log row (global position). */
export interface ProjectionMessage {
  /** Checkpoint key: "kafka:<topic>:<partition>" or "postgres:events". */
  source: string;
  position: bigint;
  /** From the Kafka key or the stream id; lets a broken message hold back only its own quote. */
  quoteId: string;
  /** The bytes as received, kept for the dead-letter topic and replay. */
  payload: Buffer;
  decode(): RecordedEvent;
}

export interface DeadLetter {
  message: ProjectionMessage;
  error: string;
}

export interface BatchOutcome {
  applied: number;
  skipped: number;
  parked: DeadLetter[];
  held: number;
  quoteIds: string[];
}

/** The live generation changed under a live projector: it must re-resolve its client and try again. */
export class GenerationChangedError extends Error {}

export const APPLY_ATTEMPTS = 3;
export const READ_MODEL_CHANNEL = "read_model_changed";

/**
 * Applies a batch in ONE transaction together with the checkpoints of its sources, so every message takes effect
 * exactly once: messages at or below a checkpoint are skipped, and so is an event whose quote version the read
 * model already has (a redelivery). A message that cannot be decoded or applied is parked as a dead letter after
 * a few attempts; later messages of the same quote are held behind it, in order, until replay.
 */
export async function applyBatch(db: PrismaClient, schema: string, messages: ProjectionMessage[], options: { live: boolean }): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { applied: 0, skipped: 0, parked: [], held: 0, quoteIds: [] };
  if (messages.length === 0) return outcome;
  await db.$transaction(
    async (tx) => {
      if (options.live) {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${GENERATION_SWITCH_LOCK})`;
        if ((await activeGeneration(tx)) !== schema) throw new GenerationChangedError(`generation ${schema} is no longer active`);
      }
      const sources = [...new Set(messages.map((m) => m.source))].sort();
      const checkpoints = new Map<string, bigint>();
      for (const source of sources) checkpoints.set(source, await lockCheckpoint(tx, schema, source));
      const fresh = messages.filter((m) => m.position > checkpoints.get(m.source)!);
      outcome.skipped = messages.length - fresh.length;

      const quoteIds = [...new Set(fresh.map((m) => m.quoteId))];
      const blocked = new Set(
        (await tx.projectionDeadLetter.findMany({ where: { quoteId: { in: quoteIds } }, select: { quoteId: true }, distinct: ["quoteId"] })).map((r) => r.quoteId),
      );
      const models = await loadReadModels(tx, quoteIds);
      const changed = new Map<string, QuoteReadModel>();
      const timeline: TimelineEntry[] = [];
      const funnel = new Map<string, number>();
      const deadLetters: Array<{ message: ProjectionMessage; state: "parked" | "held"; error: string }> = [];

      for (const message of fresh) {
        if (blocked.has(message.quoteId)) {
          deadLetters.push({ message, state: "held", error: "waiting behind an earlier message of this quote" });
          outcome.held++;
          continue;
        }
        let lastError = "";
        let done = false;
        for (let attempt = 1; attempt <= APPLY_ATTEMPTS && !done; attempt++) {
          try {
            const event = message.decode();
            const model = changed.get(event.quoteId) ?? models.get(event.quoteId) ?? null;
            if (model && event.version <= model.state.version) {
              outcome.skipped++;
            } else {
              const projected = projectQuoteEvent(model, event);
              changed.set(event.quoteId, projected.model);
              timeline.push(projected.timelineEntry);
              for (const step of projected.reached) {
                const key = `${event.occurredAt.slice(0, 10)}|${step}`;
                funnel.set(key, (funnel.get(key) ?? 0) + 1);
              }
              outcome.applied++;
            }
            done = true;
          } catch (error) {
            lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          }
        }
        if (!done) {
          deadLetters.push({ message, state: "parked", error: lastError });
          outcome.parked.push({ message, error: lastError });
          blocked.add(message.quoteId);
        }
      }

      await saveReadModels(tx, schema, [...changed.values()]);
      await saveTimeline(tx, schema, timeline);
      await addFunnelCounts(tx, schema, funnel);
      if (deadLetters.length) {
        await tx.projectionDeadLetter.createMany({
          data: deadLetters.map(({ message, state, error }) => ({ quoteId: message.quoteId, state, source: message.source, position: message.position, payload: new Uint8Array(message.payload), error })),
        });
      }
      for (const source of sources) {
        const last = messages.filter((m) => m.source === source).reduce((max, m) => (m.position > max ? m.position : max), -1n);
        if (last > checkpoints.get(source)!) await saveCheckpoint(tx, schema, source, last);
      }
      outcome.quoteIds = [...changed.keys()];
      if (options.live && changed.size) {
        // Tells servers' read caches which quotes changed (delivered on commit).
        const payload = changed.size > 50 ? "*" : [...changed.keys()].join(",");
        await tx.$executeRaw`SELECT pg_notify(${READ_MODEL_CHANNEL}, ${payload})`;
      }
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
  return outcome;
}

