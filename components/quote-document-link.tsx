/** A plain link to a quote's PDF: the browser downloads it (the route answers it as an attachment), JavaScript or not. */
export function QuoteDocumentLink({ href, children }: { href: string; children: string }) {
  return (
    <p className="quote-document-link">
      <a href={href} type="application/pdf" download>
        {children}
      </a>
    </p>
  );
}
