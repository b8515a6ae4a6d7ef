// In-process calls of the real route handlers with real Request objects (no server, nothing mocked).
import * as quotes from "../../../app/api/quotes/route";
import * as quote from "../../../app/api/quotes/[quoteId]/route";
import * as geographic from "../../../app/api/quotes/[quoteId]/geographic-details/route";
import * as contact from "../../../app/api/quotes/[quoteId]/contact-details/route";
import * as family from "../../../app/api/quotes/[quoteId]/family-details/route";
import * as submit from "../../../app/api/quotes/[quoteId]/submit/route";
import * as cancel from "../../../app/api/quotes/[quoteId]/cancel/route";

const base = "http://127.0.0.1:3000";
const params = (quoteId: string) => ({ params: Promise.resolve({ quoteId }) });

export const PAGES = { geographic, contact, family } as const;

export const validDetails = {
  geographic: { country: "US", state: "CA", city: "San Francisco", zipCode: "94103" },
  contact: { email: "ada@example.com", phoneNumber: "+1 415 555 0100" },
  family: { numberOfDependents: 2, spouseName: "Grace", childrenNames: ["Alan", "Barbara"] },
};

export function jsonRequest(path: string, method: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  return new Request(`${base}${path}`, init);
}

export async function startQuoteOverHttp(headers: Record<string, string> = {}) {
  const res = await quotes.POST(jsonRequest("/api/quotes", "POST", undefined, headers));
  const body = (await res.json()) as { quoteId: string; version: number; accessToken: string };
  return { res, ...body, auth: { authorization: `Bearer ${body.accessToken}` } };
}

export function capture(page: keyof typeof PAGES, quoteId: string, body: unknown, headers: Record<string, string> = {}) {
  return PAGES[page].PUT(jsonRequest(`/api/quotes/${quoteId}/${page}-details`, "PUT", body, headers), params(quoteId));
}

export function submitQuote(quoteId: string, headers: Record<string, string> = {}) {
  return submit.POST(jsonRequest(`/api/quotes/${quoteId}/submit`, "POST", undefined, headers), params(quoteId));
}

export function getQuote(quoteId: string, headers: Record<string, string> = {}) {
  return quote.GET(jsonRequest(`/api/quotes/${quoteId}`, "GET", undefined, headers), params(quoteId));
}

export function withdrawQuote(quoteId: string, headers: Record<string, string> = {}) {
  return cancel.POST(jsonRequest(`/api/quotes/${quoteId}/cancel`, "POST", undefined, headers), params(quoteId));
}
