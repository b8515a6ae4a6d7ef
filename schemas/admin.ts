/**
 * Zod schemas of the agents' side: sign-in, new agents, the quote list's URL parameters and the funnel's date range.
 * The decision bodies (approve / reject / refer) live with the quote in ./quote.ts.
 */
import "./zod-without-eval";
import { z } from "zod";
import type { QuoteStatus } from "../lib/domain/quote";
import type { QuoteSortField } from "../lib/queries/contracts";
import { isMultiLineText, isSingleLineText } from "./plain-text";
import { strictObjectOptions } from "./quote-rules";

export const AGENT_PASSWORD_MIN_LENGTH = 12;
export const AGENT_PASSWORD_MAX_LENGTH = 128;

const email = z
  .string({ error: "Enter your email address" })
  .trim()
  .toLowerCase()
  .min(1, { error: "Enter your email address", abort: true })
  .max(254, { error: "Email address must be 254 characters or fewer", abort: true })
  .regex(z.regexes.email, "Enter a valid email address, like name@example.com");

export const signInSchema = z.object({
  email,
  // No length rule at sign-in: a wrong password is simply wrong, and the length policy is not a hint to give away.
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(AGENT_PASSWORD_MAX_LENGTH, "Password is too long"),
});
export type SignInInput = z.input<typeof signInSchema>;

export const newAgentSchema = z.strictObject({
  email,
  name: z.string({ error: "Enter the agent's name" }).trim().min(1, "Enter the agent's name").max(100, "Name must be 100 characters or fewer").refine(isSingleLineText, "Name must be plain text, without control characters"),
  password: z
    .string({ error: "Enter a password" })
    .min(AGENT_PASSWORD_MIN_LENGTH, `Password must be at least ${AGENT_PASSWORD_MIN_LENGTH} characters`)
    .max(AGENT_PASSWORD_MAX_LENGTH, `Password must be ${AGENT_PASSWORD_MAX_LENGTH} characters or fewer`),
  role: z.string().trim().regex(/^[a-z][a-z-]{1,30}$/, "Role must be a lower-case word, like agent").default("agent"),
});
export type NewAgent = z.output<typeof newAgentSchema>;

// ---------------------------------------------------------------------------------------------------------------
// The quote list: filters, search, sort and page, as URL search parameters (pages) or query parameters (API)
// ---------------------------------------------------------------------------------------------------------------

/** Statuses an agent can filter by ("none" is never stored). */
export const LISTABLE_STATUSES = ["draft", "submitted", "referred", "approved", "rejected", "cancelled", "expired"] as const satisfies readonly QuoteStatus[];
export const SORT_FIELDS = ["updatedAt", "createdAt", "monthlyPremium", "status", "referredAt"] as const satisfies readonly QuoteSortField[];
/** `assigned=me`: only the quotes in the signed-in agent's work queue. */
export const ASSIGNED_FILTERS = ["me"] as const;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
export const MAX_SEARCH_LENGTH = 100;

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const single = (value: unknown) => (Array.isArray(value) ? value[0] : value);
const param = <T extends z.ZodType>(schema: T) => z.preprocess((value) => blankToUndefined(single(value)), schema);

export const quoteListQuerySchema = z.object({
  status: param(z.enum(LISTABLE_STATUSES, { error: `status must be one of ${LISTABLE_STATUSES.join(", ")}` }).optional()),
  search: param(
    z
      .string()
      .trim()
      .max(MAX_SEARCH_LENGTH, `search must be ${MAX_SEARCH_LENGTH} characters or fewer`)
      .refine(isSingleLineText, "search must not contain control characters")
      .optional(),
  ),
  assigned: param(z.enum(ASSIGNED_FILTERS, { error: "assigned must be me" }).optional()),
  sort: param(z.enum(SORT_FIELDS, { error: `sort must be one of ${SORT_FIELDS.join(", ")}` }).default("updatedAt")),
  order: param(z.enum(["asc", "desc"], { error: "order must be asc or desc" }).default("desc")),
  page: param(z.coerce.number({ error: "page must be a number" }).int("page must be a whole number").min(1, "page must be 1 or more").default(1)),
  pageSize: param(
    z.coerce
      .number({ error: "pageSize must be a number" })
      .int("pageSize must be a whole number")
      .min(1, "pageSize must be between 1 and 100")
      .max(MAX_PAGE_SIZE, `pageSize must be between 1 and ${MAX_PAGE_SIZE}`)
      .default(DEFAULT_PAGE_SIZE),
  ),
});
export type QuoteListQuery = z.output<typeof quoteListQuerySchema>;

/** For pages: a bad parameter in a hand-edited URL falls back to its default instead of failing the page. */
export function parseQuoteListQueryLeniently(raw: Record<string, unknown>): QuoteListQuery {
  const strict = quoteListQuerySchema.safeParse(raw);
  if (strict.success) return strict.data;
  const bad = new Set(strict.error.issues.map((issue) => String(issue.path[0])));
  return quoteListQuerySchema.parse(Object.fromEntries(Object.entries(raw).filter(([key]) => !bad.has(key))));
}

/** The URL search string for a list query, leaving out defaults so URLs stay short. */
export function quoteListSearchString(query: Partial<QuoteListQuery>): string {
  const params = new URLSearchParams();
  if (query.status) params.set("status", query.status);
  if (query.search) params.set("search", query.search);
  if (query.assigned) params.set("assigned", query.assigned);
  if (query.sort && query.sort !== "updatedAt") params.set("sort", query.sort);
  if (query.order && query.order !== "desc") params.set("order", query.order);
  if (query.page && query.page !== 1) params.set("page", String(query.page));
  if (query.pageSize && query.pageSize !== DEFAULT_PAGE_SIZE) params.set("pageSize", String(query.pageSize));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The referred queue: referred quotes (by an agent or the underwriting rules), the longest waiting first. */
export const REFERRED_QUEUE = { status: "referred", sort: "referredAt", order: "asc" } as const satisfies Partial<QuoteListQuery>;

// ---------------------------------------------------------------------------------------------------------------
// Notes and assignment
// ---------------------------------------------------------------------------------------------------------------

export const MAX_NOTE_LENGTH = 2000;

export const addQuoteNoteBodySchema = z.strictObject(
  {
    note: z
      .string({ error: "Enter the note's text" })
      .trim()
      .min(1, "Enter the note's text")
      .max(MAX_NOTE_LENGTH, `Note must be ${MAX_NOTE_LENGTH} characters or fewer`)
      .refine(isMultiLineText, "Note must be plain text, without control characters"),
  },
  strictObjectOptions,
);
export type AddQuoteNoteBody = z.output<typeof addQuoteNoteBodySchema>;

/** An agent's id as the sign-in library issues it (letters, digits, '-' and '_'), so no NUL reaches PostgreSQL. */
export const agentIdSchema = z
  .string({ error: "agentId must be an agent's id" })
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, "agentId must be an agent's id");

/** No agentId (or no body) assigns the quote to the agent who asks. */
export const assignQuoteBodySchema = z.strictObject({ agentId: agentIdSchema.optional() }, strictObjectOptions);
export type AssignQuoteBody = z.output<typeof assignQuoteBodySchema>;

// ---------------------------------------------------------------------------------------------------------------
// The funnel's date range
// ---------------------------------------------------------------------------------------------------------------

export const MAX_FUNNEL_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

const isRealDate = (value: unknown): value is string =>
  typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

const isoDate = (label: string) =>
  z
    .string({ error: `Enter the ${label} date` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `The ${label} date must look like 2026-01-31`, abort: true })
    .refine(isRealDate, `The ${label} date is not a real date`);

export const funnelRangeSchema = z
  .object({ from: param(isoDate("start")), to: param(isoDate("end")) })
  .superRefine((range, ctx) => {
    if (!isRealDate(range.from) || !isRealDate(range.to)) return;
    const days = (Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS;
    if (days < 0) ctx.addIssue({ code: "custom", path: ["to"], message: "The end date must be on or after the start date" });
    else if (days + 1 > MAX_FUNNEL_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: `Choose a range of at most ${MAX_FUNNEL_DAYS} days` });
  });
export type FunnelRange = z.output<typeof funnelRangeSchema>;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The last 30 days, today included (UTC). */
export function defaultFunnelRange(now = new Date()): FunnelRange {
  return { from: isoDay(new Date(now.getTime() - 29 * DAY_MS)), to: isoDay(now) };
}
