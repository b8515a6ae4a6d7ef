import "server-only";
import type { PrismaClient } from "../generated/prisma/client";
import type { RecordedEvent } from "../domain/quote";
import type { SchemaRegistry } from "../messaging/avro/schema-registry";
import { decodeEvent } from "../messaging/avro/event-codec";
import { schemaIdOf } from "../messaging/avro/wire-format";
import { classifyFailure, describeError } from "./failure-classification";
import { isQuoteId, projectMessage } from "./project-message";
import type { ProjectedEvent } from "./quote-read-model";
import { loadReadModels, saveProjectedEvents } from "./read-model-store";
import { dataKeyring } from "../privacy/configured-keyring";
import { openEvent } from "../privacy/event-sealing";

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
 * A quote whose parked message still fails stays parked, with the new error; so does a message whose key is no
 * quote id (it never will be one). A failure of the database itself is thrown: nothing is marked, run it again.
 */
export async function replayDeadLetters(readModels: PrismaClient, schema: string, registry: SchemaRegistry): Promise<ReplayResult> {
  const result: ReplayResult = { quotes: 0, applied: 0, stillFailing: [] };
  // Schemas an external registry has and this process does not know yet: asked for before decoding, which is synchronous.
  const fromKafka = await readModels.projectionDeadLetter.findMany({ where: { source: { startsWith: "kafka:" } }, select: { payload: true } });
  await registry.resolveUnknown(fromKafka.map((letter) => schemaIdOf(letter.payload)).filter((id) => id !== undefined));
  const quoteIds = (await readModels.projectionDeadLetter.findMany({ select: { quoteId: true }, distinct: ["quoteId"] })).map((r) => r.quoteId);
  for (const quoteId of quoteIds) {
    result.quotes++;
    let applied = 0;
    try {
      await readModels.$transaction(async (tx) => {
        const letters = await tx.projectionDeadLetter.findMany({ where: { quoteId }, orderBy: { id: "asc" } });
        let model = isQuoteId(quoteId) ? ((await loadReadModels(tx, [quoteId])).get(quoteId) ?? null) : null;
        const key = isQuoteId(quoteId) ? await dataKeyring().key(quoteId) : null;
        const projected: ProjectedEvent[] = [];
        const done: bigint[] = [];
        for (const letter of letters) {
          try {
            const step = projectMessage(model, quoteId, () => openEvent(decodeDeadLetter(letter.source, letter.payload, registry), key));
            if (step !== "redelivery") {
              model = step.model;
              projected.push(step);
            }
            done.push(letter.id);
          } catch (error) {
            const message = describeError(error);
            await tx.projectionDeadLetter.update({ where: { id: letter.id }, data: { state: "parked", error: message } });
            result.stillFailing.push({ quoteId, error: message });
            // A message that is no quote's holds nothing back: the next one is tried on its own.
            if (isQuoteId(quoteId)) break;
          }
        }
        await saveProjectedEvents(tx, schema, [projected]);
        await tx.projectionDeadLetter.deleteMany({ where: { id: { in: done } } });
        applied = projected.length;
      });
      result.applied += applied;
    } catch (error) {
      if (classifyFailure(error).fault === "environment") throw error;
      // The read model refused one of the quote's values: its first letter stays parked, with the reason.
      const message = `the read model refused it: ${describeError(error)}`;
      const first = await readModels.projectionDeadLetter.findFirst({ where: { quoteId }, orderBy: { id: "asc" } });
      if (first) await readModels.projectionDeadLetter.update({ where: { id: first.id }, data: { state: "parked", error: message } });
      result.stillFailing.push({ quoteId, error: message });
    }
  }
  return result;
}
