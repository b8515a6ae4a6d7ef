import "server-only";
import type { z } from "zod";
import type { AppError, Result } from "./app-error";
import type { Command } from "./command";

export type Authorize<Payload> = (command: Command<string, Payload>) => Promise<AppError | null>;
export type Handle<Payload, Response> = (command: Command<string, Payload>) => Promise<Result<Response>>;

/** One operation (a command or a query): its payload schema, who may run it, and what it does. */
export interface CommandDefinition<Payload = unknown, Response = unknown> {
  type: string;
  schema: z.ZodType<Payload>;
  authorize: Authorize<Payload>;
  handle: Handle<Payload, Response>;
  /**
   * What a repeat of an idempotent command gets, from the first response as stored. Without it, the stored response
   * itself; a command whose real response holds a secret stores less and decides here who may have the rest.
   */
  replay?: (stored: unknown, command: Command<string, Payload>) => Promise<Result<Response>>;
}

// Definitions differ in payload type (in both variance positions), so the registry holds them loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDefinition = CommandDefinition<any, any>;

export type Middleware = (command: Command, definition: CommandDefinition, next: (command: Command) => Promise<Result<unknown>>) => Promise<Result<unknown>>;

/**
 * Dispatches messages to their definitions through middleware, in the order given. Built from the full list of
 * message types, so a type without a handler fails at start-up, not at its first request. The command bus and
 * the query bus are two instances with different middleware.
 */
export class Bus {
  private readonly definitions = new Map<string, CommandDefinition>();

  constructor(
    expectedTypes: readonly string[],
    definitions: ReadonlyArray<AnyDefinition>,
    private readonly middleware: readonly Middleware[],
  ) {
    for (const definition of definitions) {
      if (this.definitions.has(definition.type)) throw new Error(`Two handlers registered for ${definition.type}`);
      this.definitions.set(definition.type, definition as unknown as CommandDefinition);
    }
    const missing = expectedTypes.filter((type) => !this.definitions.has(type));
    if (missing.length) throw new Error(`No handler registered for: ${missing.join(", ")}`);
  }

  async execute<Response = unknown>(command: Command): Promise<Result<Response>> {
    const definition = this.definitions.get(command.type);
    if (!definition) return { ok: false, error: { kind: "validation", detail: `Unknown message type ${command.type}`, errors: [] } };
    const run = this.middleware.reduceRight<(command: Command) => Promise<Result<unknown>>>(
      (next, middleware) => (current) => middleware(current, definition, next),
      (current) => definition.handle(current),
    );
    return (await run(command)) as Result<Response>;
  }
}

export type QueryDefinition<Payload = unknown, Response = unknown> = CommandDefinition<Payload, Response>;
