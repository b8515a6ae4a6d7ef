import type { PrismaClient } from "../generated/prisma/client";
import type { RecordedEvent } from "../domain/quote";
import type { SchemaRegistry } from "../messaging/avro/schema-registry";
import { decodeEvent } from "../messaging/avro/event-codec";
import { projectQuoteEvent, type TimelineEntry } from "./quote-read-model";
import { addFunnelCounts, loadReadModels, saveReadModels, saveTimeline } from "./read-model-store";

export interface ReplayResult {
  quotes: number;
  applied: number;
  stillFailing: Array<{ quoteId: string; error: string }>;
}

function decodeDeadLetter(source: string, payload: Uint8Array, registry: SchemaRegistry): RecordedEvent {
  return source.startsWith("kafka:") ? decodeEvent(payload, registry) : (JSON.parse(Buffer.from(payload).toString("utf8")) as RecordedEvent);
}

/**
 * Re-applies parked messages and the messages held behind them, quote by quote and in order (run after the fix).
 * A quote whose parked message still fails stays parked, with the new error.
 */
export async function replayDeadLetters(readModels: PrismaClient, schema: string, registry: SchemaRegistry): Promise<ReplayResult> {
  const result: ReplayResult = { quotes: 0, applied: 0, stillFailing: [] };
  const quoteIds = (await readModels.projectionDeadLetter.findMany({ select: { quoteId: true }, distinct: ["quoteId"] })).map((r) => r.quoteId);
  for (const quoteId of quoteIds) {
    result.quotes++;
    await readModels.$transaction(async (tx) => {
      const letters = await tx.projectionDeadLetter.findMany({ where: { quoteId }, orderBy: { id: "asc" } });
      let model = (await loadReadModels(tx, [quoteId])).get(quoteId) ?? null;
      const timeline: TimelineEntry[] = [];
      const funnel = new Map<string, number>();
      const done: bigint[] = [];
      for (const letter of letters) {
        try {
          const event = decodeDeadLetter(letter.source, letter.payload, registry);
          if (!model || event.version > model.state.version) {
            const projected = projectQuoteEvent(model, event);
            model = projected.model;
            timeline.push(projected.timelineEntry);
            for (const step of projected.reached) funnel.set(`${event.occurredAt.slice(0, 10)}|${step}`, (funnel.get(`${event.occurredAt.slice(0, 10)}|${step}`) ?? 0) + 1);
            result.applied++;
          }
          done.push(letter.id);
        } catch (error) {
          const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          await tx.projectionDeadLetter.update({ where: { id: letter.id }, data: { state: "parked", error: message } });
          result.stillFailing.push({ quoteId, error: message });
          break;
        }
      }
      if (model) await saveReadModels(tx, schema, [model]);
      await saveTimeline(tx, schema, timeline);
      await addFunnelCounts(tx, schema, funnel);
      await tx.projectionDeadLetter.deleteMany({ where: { id: { in: done } } });
    });
  }
  return result;
}
