"use client";

import { useEffect, useRef, type ReactNode } from "react";

/** The page's h1. It takes focus when the page opens, so screen readers start at the new step (GOV.UK). */
export function PageHeading({ children, caption }: { children: ReactNode; caption?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div className="page-heading">
      {caption ? <p className="page-caption">{caption}</p> : null}
      <h1 ref={ref} tabIndex={-1}>
        {children}
      </h1>
    </div>
  );
}
