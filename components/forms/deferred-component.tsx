"use client";

import { lazy, Suspense, useState, type ComponentType } from "react";
import type { DeferredScript } from "./deferred-script";

/**
 * A part of the page whose code is not in the page's first load. The browser asks for it while React hydrates the
 * page, which is interactive meanwhile; React hydrates this part when its code arrives, keeping the server's HTML and
 * whatever was typed into it. The server loads the code with this module, so the server's HTML always holds the part
 * itself; a page opened from another one shows it at once if that page loaded its code beforehand. `Fallback` takes
 * the same props and works without the code (a form that posts to its server action): it is shown while the code
 * loads, and for good if the code cannot load.
 */
export function deferredComponent<Props extends object>(script: DeferredScript<Props>, Fallback: ComponentType<Props>): ComponentType<Props> {
  const Lazy = lazy(() =>
    script.load().then(
      (component) => ({ default: component }),
      () => ({ default: Fallback }),
    ),
  );
  if (typeof window === "undefined") script.load().catch(() => {});
  function Deferred(props: Props) {
    // Chosen once per instance: a switch from the lazy wrapper to the loaded component would remount it.
    const [Component] = useState<ComponentType<Props>>(() => script.loaded() ?? Lazy);
    return (
      <Suspense fallback={<Fallback {...props} />}>
        <Component {...props} />
      </Suspense>
    );
  }
  return Deferred;
}
