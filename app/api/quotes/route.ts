import type { StartQuoteResponse } from "@/lib/commands/start-quote";
import { accessCookieName } from "@/lib/http/request-metadata";
import { handleCommandRoute, json, withRouteMetrics } from "@/lib/http/route-handler";

const THIRTY_DAYS = 30 * 24 * 60 * 60;

/** Starts a quote: 201 {quoteId, version, accessToken} and the access token as an httpOnly cookie. */
async function post(request: Request) {
  const hasBody = (request.headers.get("content-length") ?? "0") !== "0" || request.headers.has("transfer-encoding");
  return handleCommandRoute<StartQuoteResponse>(request, {
    type: "StartQuote",
    quoteId: null,
    takesBody: hasBody,
    payload: (body) => body ?? {},
    respond: (value) => {
      const response = json(value, { status: 201, version: value.version, headers: { location: `/api/quotes/${value.quoteId}` } });
      const secure = process.env.NODE_ENV === "production" && new URL(request.url).protocol === "https:" ? "; Secure" : "";
      response.headers.append("set-cookie", `${accessCookieName(value.quoteId)}=${value.accessToken}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${THIRTY_DAYS}${secure}`);
      return response;
    },
  });
}

export const POST = withRouteMetrics("/api/quotes", post);
