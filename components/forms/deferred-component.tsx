"use client";

import { lazy, Suspense, useState, type ComponentType } from "react";

/**
 * A part of the page whose code is not in the page's first load. The browser asks for it while React hydrates the
 * page, which is interactive meanwhile; React hydrates this part when its code arrives, keeping the server's HTML and
 * whatever was typed into it. The server loads the code with this module, so the server's HTML always holds the part
 * itself. `Fallback` takes the same props and works without the code (a form that posts to its server action): it is
 * shown while the code loads for a page opened from another one in the browser, and for good if the code cannot load.
 */
export function deferredComponent<Props extends object>(load: () => Promise<ComponentType<Props>>, Fallback: ComponentType<Props>): ComponentType<Props> {
  let loaded: ComponentType<Props> | undefined;
  let loading: Promise<ComponentType<Props>> | undefined;
  const loadOnce = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      () => Fallback,
    ));
  const Lazy = lazy(() => loadOnce().then((component) => ({ default: component })));
  if (typeof window === "undefined") void loadOnce();
  function Deferred(props: Props) {
    // Chosen once per instance: a switch from the lazy wrapper to the loaded component would remount it.
    const [Component] = useState<ComponentType<Props>>(() => loaded ?? Lazy);
    return (
      <Suspense fallback={<Fallback {...props} />}>
        <Component {...props} />
      </Suspense>
    );
  }
  return Deferred;
}
