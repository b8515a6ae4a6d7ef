import type { PersonalDataExport } from "@/lib/queries/export-personal-data";
import { customerQueryRoute, json, withRouteMetrics } from "@/lib/http/route-handler";

/** The customer's download of everything held about them for this quote (JSON attachment); 404 without its token. */
const get = customerQueryRoute<PersonalDataExport>({
  type: "ExportPersonalData",
  respond: (exported, quoteId) => json(exported, { headers: { "content-disposition": `attachment; filename="quote-${quoteId}-personal-data.json"` } }),
});

export const GET = withRouteMetrics("/api/quotes/[quoteId]/personal-data", get);
