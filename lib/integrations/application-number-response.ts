// The shapes the application-number service answers with: a 201 body, and an RFC 9457 problem on errors.
import "server-only";
import { z } from "zod";
import { toPlainText } from "../../schemas/plain-text";

export const APPLICATION_NUMBER_PATTERN = /^APP-\d{4}-\d{6}$/;

export const issuedNumberSchema = z.object({
  requestId: z.string(),
  applicationNumber: z.string().regex(APPLICATION_NUMBER_PATTERN, "must look like APP-2026-000123"),
});
export type IssuedNumber = z.infer<typeof issuedNumberSchema>;

const problemSchema = z.object({ title: z.string().optional(), detail: z.string().optional() });

/** Parses a 2xx body; returns the number or a reason why the body breaks the contract. */
export function parseIssuedNumber(text: string, requestId: string): { ok: true; applicationNumber: string } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: `body is not JSON: ${JSON.stringify(text.slice(0, 100))}` };
  }
  const parsed = issuedNumberSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") };
  if (parsed.data.requestId !== requestId) return { ok: false, reason: `requestId: answered for ${JSON.stringify(parsed.data.requestId)}, asked for ${JSON.stringify(requestId)}` };
  return { ok: true, applicationNumber: parsed.data.applicationNumber };
}

/**
 * "Invalid request: requestId: requestId must not be empty" from a problem+json body, or the raw text; as plain
 * text, since it is stored with the quote when the service gives up.
 */
export function describeProblem(text: string, statusText: string): string {
  return toPlainText(problemText(text, statusText));
}

function problemText(text: string, statusText: string): string {
  try {
    const parsed = problemSchema.safeParse(JSON.parse(text));
    if (parsed.success && (parsed.data.title || parsed.data.detail)) {
      return [parsed.data.title, parsed.data.detail].filter(Boolean).join(": ");
    }
  } catch {
    /* not JSON: fall through */
  }
  return text.trim().slice(0, 200) || statusText;
}
