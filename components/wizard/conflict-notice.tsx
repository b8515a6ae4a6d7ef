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
