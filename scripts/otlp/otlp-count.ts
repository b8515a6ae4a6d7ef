// Counts the spans of an OTLP ExportTraceServiceRequest without a protobuf library: only the fields on the way to a
// span's trace id and name are read (ExportTraceServiceRequest.resource_spans = 1 → ResourceSpans.scope_spans = 2 →
// ScopeSpans.spans = 2 → Span.trace_id = 1, Span.name = 5); everything else is skipped by its wire type.

export interface SpanCounts {
  spans: number;
  byName: Record<string, number>;
  traces: Set<string>;
}

type Field = { number: number; wireType: number; bytes?: Buffer };

function* fields(buffer: Buffer): Generator<Field> {
  let offset = 0;
  const varint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (offset >= buffer.length) throw new Error("truncated varint");
      const byte = buffer[offset++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (offset < buffer.length) {
    const key = Number(varint());
    const number = key >>> 3;
    const wireType = key & 7;
    if (wireType === 0) varint();
    else if (wireType === 1) offset += 8;
    else if (wireType === 5) offset += 4;
    else if (wireType === 2) {
      const length = Number(varint());
      const bytes = buffer.subarray(offset, offset + length);
      offset += length;
      yield { number, wireType, bytes };
      continue;
    } else throw new Error(`unsupported wire type ${wireType}`);
    yield { number, wireType };
  }
}

const nested = (buffer: Buffer, number: number) => [...fields(buffer)].filter((f) => f.number === number && f.bytes).map((f) => f.bytes!);

export function countSpans(body: Buffer, encoding: "protobuf" | "json"): SpanCounts {
  const counts: SpanCounts = { spans: 0, byName: {}, traces: new Set() };
  const add = (name: string, traceId: string) => {
    counts.spans++;
    counts.byName[name] = (counts.byName[name] ?? 0) + 1;
    counts.traces.add(traceId);
  };
  if (encoding === "json") {
    const request = JSON.parse(body.toString("utf8")) as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ name?: string; traceId?: string }> }> }> };
    for (const resource of request.resourceSpans ?? []) for (const scope of resource.scopeSpans ?? []) for (const span of scope.spans ?? []) add(span.name ?? "", span.traceId ?? "");
    return counts;
  }
  for (const resource of nested(body, 1)) {
    for (const scope of nested(resource, 2)) {
      for (const span of nested(scope, 2)) {
        let name = "";
        let traceId = "";
        for (const field of fields(span)) {
          if (field.number === 1 && field.bytes) traceId = field.bytes.toString("hex");
          else if (field.number === 5 && field.bytes) name = field.bytes.toString("utf8");
        }
        add(name, traceId);
      }
    }
  }
  return counts;
}
