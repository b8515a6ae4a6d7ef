import "server-only";
import { quoteDocumentFilename, renderQuoteDocument, type QuoteDocumentView } from "../documents/quote-document";

/** The quote's PDF as a download: never cached, since it holds the customer's answers. */
export async function quoteDocumentResponse(view: QuoteDocumentView): Promise<Response> {
  const bytes = await renderQuoteDocument(view);
  return new Response(bytes, {
    status: 200,
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="${quoteDocumentFilename(view)}"`,
      "cache-control": "no-store",
    },
  });
}
