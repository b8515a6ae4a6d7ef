import type { RequoteResponse } from "@/lib/commands/requote-quote";
import { accessCookieName } from "@/lib/http/request-metadata";
import { handleCommandRoute, json, withRouteMetrics } from "@/lib/http/route-handler";

const THIRTY_DAYS = 30 * 24 * 60 * 60;

/**
 * "Start a new quote with these answers" (RequoteQuote), by the expired quote's customer: 201 {quoteId, version,
 * accessToken, requotedFrom} for the new quote, its token also as an httpOnly cookie, as POST /api/quotes answers.
 * 409 QuoteNotExpired while the quote can still be continued.
 */
async function post(request: Request, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  return handleCommandRoute<RequoteResponse>(request, {
    type: "RequoteQuote",
    quoteId,
    takesBody: false,
    payload: () => ({ quoteId }),
    respond: (value) => {
      const response = json(value, { status: 201, version: value.version, headers: { location: `/api/quotes/${value.quoteId}` } });
      const secure = process.env.NODE_ENV === "production" && new URL(request.url).protocol === "https:" ? "; Secure" : "";
      response.headers.append("set-cookie", `${accessCookieName(value.quoteId)}=${value.accessToken}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${THIRTY_DAYS}${secure}`);
      return response;
    },
  });
}

export const POST = withRouteMetrics("/api/quotes/[quoteId]/requote", post);
