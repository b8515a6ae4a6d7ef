"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { ResumeLinkResponse, ResumeQuoteResponse, RevokeOtherAccessResponse } from "@/lib/access/access-commands";
import { authBaseUrl } from "@/lib/auth/settings";
import { runCustomerCommand } from "@/lib/customer/customer-command";
import { accessCookieName, accessCookieOptions, LAST_QUOTE_COOKIE } from "@/lib/customer/cookies";
import { queryCustomerQuote } from "@/lib/customer/load-quote";
import { resumePath } from "@/lib/customer/wizard-steps";

export interface ResumeLinkState {
  link: string | null;
  code: string | null;
  error: string | null;
}

export interface RevokeAccessState {
  message: string | null;
  error: string | null;
}

export interface ResumeQuoteState {
  error: string | null;
  fieldError: string | null;
}

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/**
 * A new resume link for the quote this browser holds. The code travels in the link's fragment (after #), which
 * browsers never send to a server, so it reaches no server log; only its hash is stored.
 */
export async function createResumeLinkAction(_previous: ResumeLinkState, form: FormData): Promise<ResumeLinkState> {
  const quoteId = field(form, "quoteId");
  const result = await runCustomerCommand<ResumeLinkResponse>("CreateResumeLink", { quoteId });
  if (!result.ok) return { link: null, code: null, error: result.error.detail };
  return { link: `${authBaseUrl()}/resume/${quoteId}#${result.value.resumeCode}`, code: result.value.resumeCode, error: null };
}

/** Turns off every resume link of the quote and every other device that opened it; this browser keeps access. */
export async function revokeOtherAccessAction(_previous: RevokeAccessState, form: FormData): Promise<RevokeAccessState> {
  const result = await runCustomerCommand<RevokeOtherAccessResponse>("RevokeOtherAccess", { quoteId: field(form, "quoteId") });
  if (!result.ok) return { message: null, error: result.error.detail };
  return { message: "Done: your resume links no longer work, and only this browser can open your quote.", error: null };
}

/** On another device: the customer confirmed, so this browser gets a token of its own and goes to the next page. */
export async function resumeQuoteAction(_previous: ResumeQuoteState, form: FormData): Promise<ResumeQuoteState> {
  const quoteId = field(form, "quoteId");
  const result = await runCustomerCommand<ResumeQuoteResponse>("ResumeQuote", { quoteId, resumeCode: field(form, "resumeCode") });
  if (!result.ok) {
    if (result.error.kind === "validation") return { error: null, fieldError: result.error.errors.find((e) => e.path === "resumeCode")?.message ?? result.error.detail };
    return { error: result.error.detail, fieldError: null };
  }
  const jar = await cookies();
  const options = await accessCookieOptions();
  jar.set(accessCookieName(quoteId), result.value.accessToken, options);
  jar.set(LAST_QUOTE_COOKIE, quoteId, options);
  const view = await queryCustomerQuote(quoteId, result.value.accessToken).catch(() => null);
  redirect(view ? resumePath(quoteId, view) : `/quote/${quoteId}`);
}
