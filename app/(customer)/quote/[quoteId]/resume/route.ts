import { NextResponse, type NextRequest } from "next/server";

/**
 * Resume links made before links carried their code in the fragment pointed here with the token in the query. The
 * token is dropped (never stored in a cookie by a GET); the customer lands on the confirmation page.
 */
export async function GET(_request: NextRequest, { params }: { params: Promise<{ quoteId: string }> }) {
  const { quoteId } = await params;
  return new NextResponse(null, { status: 303, headers: { location: `/resume/${encodeURIComponent(quoteId)}`, "referrer-policy": "no-referrer", "cache-control": "no-store" } });
}
