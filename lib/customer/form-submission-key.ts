/**
 * The idempotency key of a form posted without JavaScript (the browser cannot make one up). It is derived from what
 * the form says, the version it was loaded at and who sent it, so posting the same form twice (a double click, a
 * reload that repeats the POST) is one submission, while any different answer or a later version is a new one.
 */
import "server-only";
import { createHash } from "node:crypto";

export function formSubmissionKey(...parts: unknown[]): string {
  return `form-${createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 48)}`;
}
