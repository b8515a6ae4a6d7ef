// Benchmark baseline only (bench/run.ts): the same JSON and headers as PUT /api/quotes/{id}/contact-details
// ({quoteId, version}, etag, cache-control: no-store), with none of the work. Answers only when the server runs
// with BENCH_ROUTES=1; 404 otherwise.
export const dynamic = "force-dynamic";

const notFound = () => new Response(null, { status: 404 });

export async function PUT(request: Request) {
  if (process.env.BENCH_ROUTES !== "1") return notFound();
  // Read and parse the body as the real route does, so only the command's own work is left out.
  const body = (await request.json().catch(() => null)) as unknown;
  const quoteId = new URL(request.url).searchParams.get("quoteId") ?? "bench";
  const version = body === null ? 0 : 1;
  return Response.json({ quoteId, version }, { headers: { etag: `"${version}"`, "cache-control": "no-store" } });
}
