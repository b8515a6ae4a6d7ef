import "server-only";
import { randomUUID } from "node:crypto";
import type { Actor } from "../domain/quote";
import { fail, ok, type Result } from "../cqrs/app-error";
import type { CommandMetadata } from "../cqrs/command";
import { clientAddressOf } from "./client-address";

/** What an Idempotency-Key may be: 1–100 letters, digits, '.', ':', '_' or '-'. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\w.:-]{1,100}$/;

export const accessCookieName = (quoteId: string) => `quote_access_${quoteId}`;

function cookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key !== name) continue;
    try {
      return decodeURIComponent(rest.join("="));
    } catch {
      return undefined; // a broken %-escape is no token: the quote answers 404, as for any wrong token
    }
  }
  return undefined;
}

/** The command metadata a request carries: ids, the client's address, the customer's access token, Idempotency-Key and If-Match. */
export function requestMetadata(request: Request, quoteId: string | null, actor: Actor = { kind: "customer" }): Result<Omit<CommandMetadata, "commandId" | "causationId">> {
  const correlationId = request.headers.get("x-correlation-id")?.slice(0, 100) || randomUUID();
  const bearer = request.headers.get("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const accessToken = bearer ?? (quoteId ? cookie(request, accessCookieName(quoteId)) : undefined);
  const idempotencyKey = request.headers.get("idempotency-key") ?? undefined;
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
    return fail({ kind: "validation", detail: "Idempotency-Key must be 1–100 letters, digits, '.', ':', '_' or '-'.", errors: [{ path: "header.Idempotency-Key", message: "Invalid Idempotency-Key" }] });
  }
  const ifMatch = request.headers.get("if-match");
  let expectedVersion: number | undefined;
  if (ifMatch !== null) {
    const match = ifMatch.trim().match(/^(?:W\/)?"(\d+)"$/);
    if (!match) return fail({ kind: "validation", detail: 'If-Match must be a version in quotes, like "3".', errors: [{ path: "header.If-Match", message: 'Expected a quoted version, like "3"' }] });
    expectedVersion = Number(match[1]);
  }
  return ok({ correlationId, actor, accessToken, idempotencyKey, clientAddress: clientAddressOf(request.headers), expectedVersion });
}
