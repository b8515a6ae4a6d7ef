"use client";

import { useEffect, useRef } from "react";

/** Shown after a save met a conflicting change from another tab: says so, and takes focus so it is heard. */
export function ConflictNotice({ count }: { count: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (count > 0) ref.current?.focus();
  }, [count]);
  if (count === 0) return null;
  return (
    <div ref={ref} className="notice notice--warning" role="alert" tabIndex={-1}>
      <h2 className="notice-title">Your answers were changed in another tab or window</h2>
      <p>We&apos;ve loaded the latest answers below. Check them, change anything you need, then continue.</p>
    </div>
  );
}

/** Server errors that belong to no field on this page (rare: the server knows something the form does not). */
export function FormErrors({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div className="notice notice--error" role="alert">
      <h2 className="notice-title">There is a problem</h2>
      <ul>
        {messages.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
    </div>
  );
}

/** The page's main button. aria-disabled (not disabled) while saving, so keyboard focus stays on it. */
export function SubmitButton({ pending, children }: { pending: boolean; children: string }) {
  return (
    <div className="form-actions">
      <button type="submit" className="button" aria-disabled={pending || undefined}>
        {children}
      </button>
      <span className="saving-status" role="status">
        {pending ? "Saving your answers…" : ""}
      </span>
    </div>
  );
}
