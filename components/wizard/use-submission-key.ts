"use client";

import { useMemo, useRef } from "react";

/** 128 random bits as hex; works outside secure contexts too (crypto.randomUUID does not). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * One idempotency key per form submission, and at most one submission in flight.
 * - A second submit while one is running (a double click, Enter pressed twice) is ignored.
 * - After an unknown outcome (network error), retrying the same answers reuses the key: if the first request did
 *   reach the server, the retry gets its result and appends nothing.
 * - After a known outcome, the next submission gets a fresh key.
 */
export function useSubmissionKey() {
  const inFlight = useRef(false);
  const kept = useRef<{ fingerprint: string; key: string } | null>(null);
  return useMemo(
    () => ({
      begin(fingerprint: string): string | null {
        if (inFlight.current) return null;
        inFlight.current = true;
        const previous = kept.current;
        const key = previous && previous.fingerprint === fingerprint ? previous.key : newIdempotencyKey();
        kept.current = { fingerprint, key };
        return key;
      },
      end(outcomeKnown: boolean) {
        inFlight.current = false;
        if (outcomeKnown) kept.current = null;
      },
    }),
    [],
  );
}
