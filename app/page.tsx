import { cookies } from "next/headers";
import Link from "next/link";
import { StartQuoteForm } from "@/components/start-quote-form";
import { accessCookieName, LAST_QUOTE_COOKIE } from "@/lib/customer/cookies";
import { quoteIdSchema } from "@/schemas/quote-commands";

/** The quote this browser worked on last, if it still holds its access cookie. */
async function quoteInProgress(): Promise<string | null> {
  const jar = await cookies();
  const quoteId = jar.get(LAST_QUOTE_COOKIE)?.value;
  if (!quoteId || !quoteIdSchema.safeParse(quoteId).success || !jar.has(accessCookieName(quoteId))) return null;
  return quoteId;
}

export default async function HomePage() {
  const inProgress = await quoteInProgress();
  return (
    <section className="hero">
      <h1>Family cover, quoted in minutes</h1>
      <p>Tell us where you live, how to reach you and who you want to cover. You will see your premium before you submit.</p>
      <StartQuoteForm />
      {inProgress ? (
        <p className="continue-quote">
          Already started? <Link href={`/quote/${inProgress}`}>Continue your quote</Link>
        </p>
      ) : null}
    </section>
  );
}
