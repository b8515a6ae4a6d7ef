// Confluent's compatibility levels, checked with the project's own Avro compatibility check (assertCanRead).
import type { Type } from "avsc";
import { assertCanRead, type Labelled } from "../../lib/messaging/avro/compatibility";

export const COMPATIBILITY_LEVELS = ["NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export const isCompatibilityLevel = (value: unknown): value is CompatibilityLevel => COMPATIBILITY_LEVELS.includes(value as CompatibilityLevel);

export interface SubjectVersion {
  readonly version: number;
  readonly schema: Type;
}

/**
 * Why `candidate` may not follow `earlier` (a subject's versions, oldest first) under `level`; empty when it may.
 * BACKWARD: the new schema reads what the latest wrote; FORWARD: the latest reads what the new one writes; FULL: both.
 * The _TRANSITIVE levels hold against every earlier version, not only the latest.
 */
export function compatibilityProblems(level: CompatibilityLevel, candidate: Type, earlier: readonly SubjectVersion[]): string[] {
  if (level === "NONE" || earlier.length === 0) return [];
  const against = level.endsWith("_TRANSITIVE") ? earlier : earlier.slice(-1);
  const backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
  const forward = level.startsWith("FORWARD") || level.startsWith("FULL");
  const fresh: Labelled = { schema: candidate, label: "the new schema" };
  const problems: string[] = [];
  const check = (reader: Labelled, writer: Labelled) => {
    try {
      assertCanRead(reader, writer);
    } catch (error) {
      problems.push((error as Error).message);
    }
  };
  for (const old of against) {
    const existing: Labelled = { schema: old.schema, label: `version ${old.version}` };
    if (backward) check(fresh, existing);
    if (forward) check(existing, fresh);
  }
  return problems;
}
