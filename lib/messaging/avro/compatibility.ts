/**
 * BACKWARD_TRANSITIVE compatibility, checked with avsc itself: every version of a type must be able to read what
 * every earlier version wrote. avsc's `reader.createResolver(writer)` throws when it cannot (a new field without a
 * default, a removed enum symbol, a changed field type, a renamed record without an alias), and a resolver that
 * builds must also decode real values written with the old schema into valid values of the new one.
 */
import "server-only";
import type { Type } from "avsc";
import { SchemaCompatibilityError } from "./errors";
import type { RegisteredSchema } from "./schema-registry";

type Resolver = ReturnType<Type["createResolver"]>;

export interface Labelled {
  readonly schema: Type;
  readonly label: string;
}

/**
 * Checks that `reader` can read what `writer` wrote: the resolver builds, and each sample (plus `randomSamples`
 * values avsc makes up for the writer schema) decodes into a value the reader schema accepts.
 * Throws SchemaCompatibilityError naming both schemas.
 */
export function assertCanRead(reader: Labelled, writer: Labelled, samples: readonly unknown[] = [], randomSamples = 10): Resolver {
  let resolver: Resolver;
  try {
    resolver = reader.schema.createResolver(writer.schema);
  } catch (error) {
    throw new SchemaCompatibilityError(`${reader.label} cannot read data written with ${writer.label}: ${(error as Error).message}`);
  }
  const values = [...samples, ...Array.from({ length: randomSamples }, () => writer.schema.random())];
  values.forEach((value, i) => {
    let decoded: unknown;
    try {
      decoded = reader.schema.fromBuffer(writer.schema.toBuffer(value), resolver);
    } catch (error) {
      throw new SchemaCompatibilityError(`${reader.label} cannot decode sample ${i} written with ${writer.label}: ${(error as Error).message}`);
    }
    if (!reader.schema.isValid(decoded)) {
      throw new SchemaCompatibilityError(`Sample ${i} written with ${writer.label} decodes into an invalid ${reader.label} value`);
    }
  });
  return resolver;
}

const label = (s: RegisteredSchema) => `${s.type} v${s.version} (id ${s.id})`;

/**
 * Every problem with BACKWARD_TRANSITIVE compatibility across the versions of one type (oldest first): for each
 * pair N < M, vM must read vN. `samplesFor(version)` gives hand-made values for version N's writer. Empty when fine.
 */
export function backwardTransitiveProblems(
  versions: readonly RegisteredSchema[],
  samplesFor: (version: number) => readonly unknown[] = () => [],
  randomSamples = 10,
): string[] {
  const problems: string[] = [];
  for (const [m, reader] of versions.entries()) {
    for (const writer of versions.slice(0, m)) {
      try {
        assertCanRead({ schema: reader.schema, label: label(reader) }, { schema: writer.schema, label: label(writer) }, samplesFor(writer.version), randomSamples);
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
  }
  return problems;
}
