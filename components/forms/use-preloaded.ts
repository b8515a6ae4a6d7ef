"use client";

import { useEffect } from "react";

/** Starts loading code the page needs only on interaction (a form's checks), once the page is interactive. */
export function usePreloaded(load: () => Promise<unknown>): void {
  useEffect(() => {
    load().catch(() => {}); // loaded again, or done without, when it is needed
  }, [load]);
}
