/**
 * Benchmark 5 — Avro (lib/messaging/avro/event-codec.ts: encodeEvent + decodeEvent, Confluent framing, schema
 * check, body guard, resolver, domain mapping) against JSON (JSON.stringify → bytes → JSON.parse) for the same
 * recorded events (a realistic mix: the five events of a wizard run), encode+decode operations per second and
 * bytes per event. Also split: encode alone, decode alone, and avsc's bare toBuffer (no schema check).
 */
import type { RecordedEvent } from "../lib/domain/quote";
import { decodeEvent, encodeEvent, toAvroRecord } from "../lib/messaging/avro/event-codec";
import type { SchemaRegistry } from "../lib/messaging/avro/schema-registry";

export interface CodecResult {
  events: number;
  avro: { opsPerSecond: number; bytesPerEvent: number };
  json: { opsPerSecond: number; bytesPerEvent: number };
  parts: Record<string, number>;
  bytesByType: Record<string, { avro: number; json: number }>;
}

/** Runs `fn` over the events repeatedly for about `ms`; returns operations per second (best of `rounds`). */
function opsPerSecond(events: RecordedEvent[], ms: number, rounds: number, fn: (event: RecordedEvent, i: number) => void): number {
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let ops = 0;
    const started = performance.now();
    while (performance.now() - started < ms) {
      for (let i = 0; i < events.length; i++) fn(events[i]!, i);
      ops += events.length;
    }
    best = Math.max(best, ops / ((performance.now() - started) / 1000));
  }
  return best;
}

export function benchCodec(events: RecordedEvent[], registry: SchemaRegistry, options: { ms: number; rounds: number }): CodecResult {
  const avroBytes = events.map((e) => encodeEvent(e, registry));
  const jsonBytes = events.map((e) => Buffer.from(JSON.stringify(e)));
  // Same result both ways (the codec's contract).
  for (let i = 0; i < Math.min(50, events.length); i++) {
    const back = decodeEvent(avroBytes[i]!, registry);
    if (JSON.stringify(back) !== JSON.stringify(JSON.parse(jsonBytes[i]!.toString("utf8")))) {
      // Key order may differ; compare structurally.
      const sort = (v: unknown): unknown => (Array.isArray(v) ? v.map(sort) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sort(x)])) : v);
      if (JSON.stringify(sort(back)) !== JSON.stringify(sort(events[i]))) throw new Error(`Avro round trip differs for ${events[i]!.type}`);
    }
  }
  let sink = 0;
  const warm = Math.max(100, options.ms / 4);
  opsPerSecond(events, warm, 1, (e) => (sink += decodeEvent(encodeEvent(e, registry), registry).version));
  opsPerSecond(events, warm, 1, (e) => (sink += (JSON.parse(Buffer.from(JSON.stringify(e)).toString("utf8")) as RecordedEvent).version));

  const avro = opsPerSecond(events, options.ms, options.rounds, (e) => (sink += decodeEvent(encodeEvent(e, registry), registry).version));
  const json = opsPerSecond(events, options.ms, options.rounds, (e) => (sink += (JSON.parse(Buffer.from(JSON.stringify(e)).toString("utf8")) as RecordedEvent).version));
  const parts = {
    "Avro encodeEvent (schema check + toBuffer + header)": opsPerSecond(events, options.ms / 2, options.rounds, (e) => (sink += encodeEvent(e, registry).length)),
    "Avro bare type.toBuffer (no schema check)": opsPerSecond(events, options.ms / 2, options.rounds, (e) => (sink += registry.latest(e.type).schema.toBuffer(toAvroRecord(e)).length)),
    "Avro decodeEvent (guard + fromBuffer + mapping)": opsPerSecond(events, options.ms / 2, options.rounds, (_e, i) => (sink += decodeEvent(avroBytes[i]!, registry).version)),
    "JSON encode (stringify + Buffer.from)": opsPerSecond(events, options.ms / 2, options.rounds, (e) => (sink += Buffer.from(JSON.stringify(e)).length)),
    "JSON decode (toString + parse)": opsPerSecond(events, options.ms / 2, options.rounds, (_e, i) => (sink += (JSON.parse(jsonBytes[i]!.toString("utf8")) as RecordedEvent).version)),
  };
  if (sink === 0) throw new Error("unreachable");
  const mean = (list: Buffer[]) => list.reduce((s, b) => s + b.length, 0) / list.length;
  const bytesByType: CodecResult["bytesByType"] = {};
  const byType = new Map<string, number[]>();
  events.forEach((e, i) => byType.set(e.type, [...(byType.get(e.type) ?? []), i]));
  for (const [type, idx] of byType) bytesByType[type] = { avro: mean(idx.map((i) => avroBytes[i]!)), json: mean(idx.map((i) => jsonBytes[i]!)) };
  return { events: events.length, avro: { opsPerSecond: avro, bytesPerEvent: mean(avroBytes) }, json: { opsPerSecond: json, bytesPerEvent: mean(jsonBytes) }, parts, bytesByType };
}
