import "server-only";
import type { PrismaClient } from "../generated/prisma/client";

/** A parked (dead-lettered) message as an operator sees it. */
export interface ParkedMessage {
  id: string;
  /** The quote id, or the message key as received when it is not one ("" when the message had none). */
  quoteId: string;
  /** "kafka:<topic>:<partition>" or "postgres:events". */
  source: string;
  /** The Kafka offset, or the event-log position. */
  offset: string;
  reason: string;
  parkedAt: string;
  /** Later messages of the same quote waiting behind this one. */
  heldBehind: number;
}

export const RECENT_PARKED_LIMIT = 20;

export interface DeadLetterSummary {
  parked: number;
  held: number;
  /** The most recent parked messages, newest first (at most RECENT_PARKED_LIMIT). */
  recent: ParkedMessage[];
}

/** Counts of a generation's dead letters and its most recent parked messages. */
export async function deadLetterSummary(readModels: PrismaClient): Promise<DeadLetterSummary> {
  const [parked, held, recent] = await Promise.all([
    readModels.projectionDeadLetter.count({ where: { state: "parked" } }),
    readModels.projectionDeadLetter.count({ where: { state: "held" } }),
    recentParkedMessages(readModels),
  ]);
  return { parked, held, recent };
}

/** The most recently parked messages of a generation, newest first (at most `limit`). */
export async function recentParkedMessages(readModels: PrismaClient, limit = RECENT_PARKED_LIMIT): Promise<ParkedMessage[]> {
  const parked = await readModels.projectionDeadLetter.findMany({
    where: { state: "parked" },
    orderBy: { id: "desc" },
    take: limit,
    select: { id: true, quoteId: true, source: true, position: true, error: true, createdAt: true },
  });
  const held = await readModels.projectionDeadLetter.groupBy({
    by: ["quoteId"],
    where: { state: "held", quoteId: { in: [...new Set(parked.map((p) => p.quoteId))] } },
    _count: { _all: true },
  });
  const heldBy = new Map(held.map((h) => [h.quoteId, h._count._all]));
  return parked.map((p) => ({
    id: p.id.toString(),
    quoteId: p.quoteId,
    source: p.source,
    offset: p.position.toString(),
    reason: p.error,
    parkedAt: p.createdAt.toISOString(),
    heldBehind: heldBy.get(p.quoteId) ?? 0,
  }));
}
