import { openApiDocument } from "@/lib/http/openapi";

/** The OpenAPI 3.1 document of this API, generated from the zod schemas. */
export function GET() {
  return Response.json(openApiDocument());
}
