import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../domain/quote";
import type { Command, CommandMetadata } from "./command";

/** A command or query with fresh ids; `metadata` supplies the actor and whatever the caller knows. */
export function message<Payload>(type: string, payload: Payload, metadata: Partial<CommandMetadata> & { actor: Actor }): Command<string, Payload> {
  const commandId = metadata.commandId ?? randomUUID();
  return { type, payload, metadata: { commandId, correlationId: metadata.correlationId ?? commandId, causationId: metadata.causationId ?? null, ...metadata } };
}
