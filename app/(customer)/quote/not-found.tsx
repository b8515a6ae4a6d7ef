import Link from "next/link";

export default function QuoteNotFound() {
  return (
    <section>
      <h1>We couldn&apos;t find this quote</h1>
      <p>The link may be incomplete, or this browser may not have access to the quote.</p>
      <ul>
        <li>If you saved a resume link, open it to continue your quote in this browser.</li>
        <li>
          Otherwise, <Link href="/">start a new quote</Link>.
        </li>
      </ul>
    </section>
  );
}
