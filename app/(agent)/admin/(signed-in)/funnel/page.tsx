import type { Metadata } from "next";
import { FunnelChart } from "@/components/admin/funnel-chart";
import { requireAgentPage } from "@/lib/auth/server";
import { defaultFunnelRange, funnelRangeSchema } from "@/schemas/admin";
import { funnel } from "@/lib/agent/queries";

export const metadata: Metadata = { title: "Funnel" };

type Params = Record<string, string | string[] | undefined>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function FunnelPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const defaults = defaultFunnelRange();
  const typed = { from: first(params.from) ?? defaults.from, to: first(params.to) ?? defaults.to };
  const session = await requireAgentPage(`/admin/funnel?${new URLSearchParams(typed)}`);
  const range = funnelRangeSchema.safeParse(typed);
  const fieldError = (field: "from" | "to") => (range.success ? undefined : range.error.issues.find((issue) => issue.path[0] === field)?.message);
  const result = range.success ? await funnel(session, range.data) : null;

  return (
    <>
      <h1>Funnel</h1>
      <p>How many quotes reached each step of the wizard, and how many customers dropped off between steps. A quote counts on the day (UTC) it reached a step.</p>
      <form method="get" action="/admin/funnel" className="filters" aria-label="Date range">
        {(["from", "to"] as const).map((field) => {
          const error = fieldError(field);
          return (
            <div key={field} className={`field${error ? " invalid" : ""}`}>
              <label htmlFor={field}>{field === "from" ? "From" : "To"}</label>
              {error && (
                <p className="field-error" id={`${field}-error`}>
                  {error}
                </p>
              )}
              <input id={field} name={field} type="date" defaultValue={typed[field]} aria-invalid={error ? true : undefined} aria-describedby={error ? `${field}-error` : undefined} />
            </div>
          );
        })}
        <button type="submit" className="button">
          Show funnel
        </button>
      </form>
      {result && !result.ok && (
        <div className="alert" role="alert">
          <p>The funnel could not be loaded: {result.error.detail}</p>
        </div>
      )}
      {result?.ok && <FunnelChart funnel={result.value} />}
    </>
  );
}
