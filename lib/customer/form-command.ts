/**
 * A customer's command posted from a wizard form without JavaScript, run as the browser's script runs it: with the
 * version the form was loaded at (If-Match) and one idempotency key for every attempt. When the quote moved on
 * meanwhile but the answers this form was loaded with are still the latest (the application number arrived, another
 * page was saved), it is sent again at the newer version; when someone changed those answers, it stops and says so.
 */
import "server-only";
import { cookies } from "next/headers";
import { isVersionConflict, currentVersionOf } from "@/components/wizard/errors";
import { sameAnswers } from "@/components/wizard/quote-cache";
import type { AppError } from "../cqrs/app-error";
import { createLogger } from "../logging/logger";
import { accessCookieName, versionCookieName, versionCookieOptions } from "./cookies";
import { runCustomerCommand } from "./customer-command";
import { queryCustomerQuote, type CustomerQuote } from "./load-quote";

const log = createLogger("customer-actions");
const MAX_ATTEMPTS = 3;

export type FormCommandOutcome<Value> = { kind: "done"; value: Value } | { kind: "conflict"; latest: CustomerQuote } | { kind: "refused"; error: AppError };

export interface FormCommandOptions {
  expectedVersion: number | undefined;
  idempotencyKey: string;
  /** The answers the command depends on, read from a quote; compared with `loadedAnswers` after a version conflict. */
  answersOf: (quote: CustomerQuote) => unknown;
  /** Those answers as the form showed them when it was loaded. */
  loadedAnswers: unknown;
}

async function latestQuote(quoteId: string, minVersion: number): Promise<CustomerQuote | AppError> {
  try {
    const token = (await cookies()).get(accessCookieName(quoteId))?.value;
    const latest = token ? await queryCustomerQuote(quoteId, token, minVersion) : null;
    return latest ?? { kind: "not_found", detail: "We couldn't find this quote. Check the link, or start a new quote." };
  } catch (error) {
    log.error({ err: error, quoteId }, "reading the quote after a version conflict failed");
    return { kind: "unavailable", detail: "We couldn't save that just now. Nothing was lost: please try again in a moment." };
  }
}

export async function runFormCommand<Value>(type: string, payload: { quoteId: string } & Record<string, unknown>, options: FormCommandOptions): Promise<FormCommandOutcome<Value>> {
  let expectedVersion = options.expectedVersion;
  for (let attempt = 1; ; attempt++) {
    const result = await runCustomerCommand<Value>(type, payload, { expectedVersion, idempotencyKey: options.idempotencyKey });
    if (result.ok) return { kind: "done", value: result.value };
    if (!isVersionConflict(result.error) || expectedVersion === undefined || attempt >= MAX_ATTEMPTS) return { kind: "refused", error: result.error };
    const latest = await latestQuote(payload.quoteId, currentVersionOf(result.error, expectedVersion));
    if ("kind" in latest) return { kind: "refused", error: latest };
    if (!sameAnswers(options.answersOf(latest), options.loadedAnswers)) return { kind: "conflict", latest };
    expectedVersion = latest.version;
  }
}

/** After a save: the pages this browser opens next wait for this version (read-your-writes), as after a script's save. */
export async function rememberSavedVersion(quoteId: string, version: number): Promise<void> {
  (await cookies()).set(versionCookieName(quoteId), String(version), await versionCookieOptions());
}

