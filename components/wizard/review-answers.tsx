"use client";

import Link from "next/link";
import { countryName, POSTCODE_LABEL_BY_COUNTRY, REGION_LABEL_BY_COUNTRY, type CountryCode } from "@/schemas/country-names";
import type { CachedQuote } from "./quote-cache";
import { quotePath, type StepSlug } from "@/lib/customer/wizard-steps";
import { useQuote } from "./use-quote";
import { useWizard } from "./wizard-context";

interface Row {
  label: string;
  value: string | string[] | null;
}

function Section({ title, slug, rows }: { title: string; slug: StepSlug; rows: Row[] }) {
  const { quoteId } = useWizard();
  const href = `${quotePath(quoteId, slug)}?from=review`;
  return (
    <section className="answers" aria-labelledby={`answers-${slug}`}>
      <h2 id={`answers-${slug}`}>{title}</h2>
      <dl className="summary-list">
        {rows.map((row) => (
          <div key={row.label} className="summary-row">
            <dt className="summary-key">{row.label}</dt>
            <dd className="summary-value">
              {row.value === null ? (
                <span className="not-answered">Not answered yet</span>
              ) : Array.isArray(row.value) ? (
                row.value.length === 0 ? (
                  "None"
                ) : (
                  <ul className="plain-list">
                    {row.value.map((item, index) => (
                      <li key={`${item}-${index}`}>{item}</li>
                    ))}
                  </ul>
                )
              ) : (
                row.value
              )}
            </dd>
            <dd className="summary-action">
              <Link href={href}>
                {row.value === null ? "Answer" : "Change"}
                <span className="visually-hidden"> {row.label.toLowerCase()}</span>
              </Link>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The name of the region the page was rendered with ("California" for US/CA). */
export interface RegionName {
  country: CountryCode;
  code: string;
  name: string;
}

/**
 * Check your answers: every answer with a "Change" link back to its page. Reads the cached (latest) quote. The
 * region's name comes from the server, so the browser does not load every country's list of regions to show one;
 * an answer changed since the page was rendered shows its code.
 */
export function ReviewAnswers({ initialQuote, region }: { initialQuote: CachedQuote; region: RegionName | null }) {
  const quote = useQuote(initialQuote);
  const geo = quote.geographicDetails;
  const contact = quote.contactDetails;
  const family = quote.familyDetails;
  const country = geo?.country ?? "US";
  return (
    <>
      <Section
        title="Where you live"
        slug="geographic"
        rows={[
          { label: "Country", value: geo ? countryName(geo.country) : null },
          { label: REGION_LABEL_BY_COUNTRY[country], value: geo ? (region?.country === geo.country && region.code === geo.state ? region.name : geo.state) : null },
          { label: "City", value: geo?.city ?? null },
          { label: POSTCODE_LABEL_BY_COUNTRY[country], value: geo?.zipCode ?? null },
        ]}
      />
      <Section
        title="Contact details"
        slug="contact"
        rows={[
          { label: "Email", value: contact?.email ?? null },
          { label: "Phone number", value: contact?.phoneNumber ?? null },
        ]}
      />
      <Section
        title="Your family"
        slug="family"
        rows={[
          { label: "Number of dependents", value: family ? String(family.numberOfDependents) : null },
          { label: "Spouse name", value: family ? (family.spouseName ?? "None") : null },
          { label: "Children's names", value: family ? family.childrenNames : null },
        ]}
      />
    </>
  );
}
