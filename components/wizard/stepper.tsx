"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { CachedQuote } from "./quote-cache";
import { quotePath, WIZARD_STEPS } from "@/lib/customer/wizard-steps";
import { useQuote } from "./use-quote";
import { useWizard } from "./wizard-context";

/** Where the customer is (aria-current="step") and which pages are done; done pages link back. */
export function Stepper({ initialQuote }: { initialQuote: CachedQuote }) {
  const { quoteId } = useWizard();
  const quote = useQuote(initialQuote);
  const pathname = usePathname();
  const current = WIZARD_STEPS.find((step) => pathname === quotePath(quoteId, step.slug));
  if (!current) return null; // the submitted page has no steps left

  return (
    <nav className="stepper" aria-label="Quote progress">
      <ol>
        {WIZARD_STEPS.map((step, index) => {
          const isCurrent = step === current;
          const done = step.page !== null ? quote[step.page] !== null : false;
          const state = isCurrent ? "current" : done ? "done" : "todo";
          const label = (
            <>
              <span className="stepper-number" aria-hidden="true">
                {done && !isCurrent ? "✓" : index + 1}
              </span>
              <span className="stepper-label">{step.label}</span>
              <span className="visually-hidden">{isCurrent ? (done ? " (current step, completed)" : " (current step)") : done ? " (completed)" : " (not started)"}</span>
            </>
          );
          return (
            <li key={step.slug} className={`stepper-step stepper-step--${state}`} aria-current={isCurrent ? "step" : undefined}>
              {isCurrent ? (
                <span className="stepper-item">{label}</span>
              ) : (
                <Link className="stepper-item" href={quotePath(quoteId, step.slug)}>
                  {label}
                </Link>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
