"use client";

import type { ReactNode } from "react";
import { usePreloaded } from "../forms/use-preloaded";
import { ApplicationNumber } from "./application-number";
import { loadEveryFormScript } from "./form-scripts";
import type { CachedQuote } from "./quote-cache";
import { ResumeLink } from "./resume-link";
import { Stepper } from "./stepper";
import { WizardProvider } from "./wizard-context";

/** Every quote page: the header with the application number, the stepper, the page, and the resume link. */
export function WizardShell({ quoteId, initialQuote, children }: { quoteId: string; initialQuote: CachedQuote; children: ReactNode }) {
  usePreloaded(loadEveryFormScript);
  return (
    <WizardProvider quoteId={quoteId}>
      <div className="wizard-header">
        <p className="wizard-header-title">Your family cover quote</p>
        <ApplicationNumber initialQuote={initialQuote} />
      </div>
      <Stepper initialQuote={initialQuote} />
      <div className="wizard-page">{children}</div>
      <ResumeLink quoteId={quoteId} />
    </WizardProvider>
  );
}
