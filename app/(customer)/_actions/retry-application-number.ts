"use server";

import { cookies } from "next/headers";
import { fail, type Result } from "@/lib/cqrs/app-error";
import { accessCookieName } from "@/lib/customer/cookies";
import { retryApplicationNumberForCustomer, type RetryApplicationNumberOutcome } from "@/lib/customer/retry-application-number";
import { createLogger } from "@/lib/logging/logger";

const log = createLogger("customer-actions");

/** "Try again" on the application number: see lib/customer/retry-application-number.ts for who may and why. */
export async function customerRetryApplicationNumberAction(quoteId: string): Promise<Result<RetryApplicationNumberOutcome>> {
  try {
    const id = typeof quoteId === "string" ? quoteId : "";
    return await retryApplicationNumberForCustomer(id, (await cookies()).get(accessCookieName(id))?.value);
  } catch (error) {
    log.error({ err: error }, "retrying the application number failed");
    return fail({ kind: "unavailable", detail: "We couldn't ask for your application number just now. Please try again in a moment." });
  }
}
