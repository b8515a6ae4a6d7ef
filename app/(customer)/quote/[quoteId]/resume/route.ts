import { NextResponse, type NextRequest } from "next/server";
import { resumePath } from "@/lib/customer/wizard-steps";
import { hasQuoteAccess } from "@/lib/access/quote-access";
import { accessCookieName, accessCookieOptions, LAST_QUOTE_COOKIE } from "@/lib/customer/cookies";
import { queryCustomerQuote } from "@/lib/customer/load-quote";
import { createLogger } from "@/lib/logging/logger";
import { services } from "@/lib/services";
import { quoteIdSchema } from "@/schemas/quote-commands";

const log = createLogger("customer-resume");

/**
 * The resume link: /quote/{id}/resume?token=… . A valid token is stored in this browser's httpOnly cookie and the
 * customer lands on the first page still to answer; the token leaves the address bar at once (303 redirect,
 * no Referer sent on).
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  const token = request.nextUrl.searchParams.get("token") ?? "";
  // A relative Location: the browser stays on the host it used (and whose cookie this sets). Next's request.url
  // may name another host for the same server (localhost for 127.0.0.1).
  const redirectTo = (path: string) => new NextResponse(null, { status: 303, headers: { location: path, "referrer-policy": "no-referrer", "cache-control": "no-store" } });
  try {
    const valid = quoteIdSchema.safeParse(quoteId).success && /^[\w-]{1,200}$/.test(token) && (await hasQuoteAccess(services().db, quoteId, token));
    if (!valid) return redirectTo("/?resume=invalid");
    const view = await queryCustomerQuote(quoteId, token);
    const response = redirectTo(view ? resumePath(quoteId, view) : `/quote/${quoteId}`);
    const options = await accessCookieOptions();
    response.cookies.set(accessCookieName(quoteId), token, options);
    response.cookies.set(LAST_QUOTE_COOKIE, quoteId, options);
    return response;
  } catch (error) {
    log.error({ err: error, quoteId }, "resume failed");
    return redirectTo("/?resume=unavailable");
  }
}
