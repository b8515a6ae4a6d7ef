import "server-only";
/** Another writer appended to the stream first: the caller's view is stale and nothing was written. */
export class ConcurrencyConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`Quote ${streamId} is at version ${actualVersion}, not ${expectedVersion}: it changed meanwhile.`);
    this.name = "ConcurrencyConflictError";
  }
}

/** The idempotency key was used before: nothing was written, and the first response stands. */
export class IdempotencyReplayError extends Error {
  constructor(readonly key: string) {
    super(`Idempotency key ${key} was already used`);
    this.name = "IdempotencyReplayError";
  }
}
