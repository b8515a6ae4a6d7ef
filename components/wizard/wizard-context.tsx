"use client";

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";

interface WizardContextValue {
  quoteId: string;
  /**
   * While a customer's "Try again" on the application number is running: the quote's version when it was asked.
   * A failure recorded after that version is a new failure; null when no retry is running.
   */
  retrySince: number | null;
  startRetry(version: number): void;
  /** The browser's own saves move the retry's reference version, so they are not mistaken for its outcome. */
  noteOwnWrite(version: number): void;
}

const WizardContext = createContext<WizardContextValue | null>(null);

export function WizardProvider({ quoteId, children }: { quoteId: string; children: ReactNode }) {
  const [retrySince, setRetrySince] = useState<number | null>(null);
  const startRetry = useCallback((version: number) => setRetrySince(version), []);
  const noteOwnWrite = useCallback((version: number) => setRetrySince((since) => (since === null ? null : Math.max(since, version))), []);
  const value = useMemo(() => ({ quoteId, retrySince, startRetry, noteOwnWrite }), [quoteId, retrySince, startRetry, noteOwnWrite]);
  return <WizardContext.Provider value={value}>{children}</WizardContext.Provider>;
}

export function useWizard(): WizardContextValue {
  const value = useContext(WizardContext);
  if (!value) throw new Error("useWizard must be used inside <WizardProvider>");
  return value;
}
