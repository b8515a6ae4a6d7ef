"use client";

import dynamic from "next/dynamic";
import { loadSonner } from "./toast";

function NoToaster() {
  return null;
}

/**
 * Where every page's toasts appear (bottom right, each with a close button, six seconds unless it says otherwise).
 * sonner is loaded once the page is interactive rather than with it; toasts made before it arrives appear when it
 * does. If it cannot be loaded, the page works on without toasts.
 */
export const LazyPageToaster = dynamic(
  () =>
    loadSonner().then(
      ({ Toaster }) =>
        function PageToaster() {
          return <Toaster position="bottom-right" closeButton duration={6_000} toastOptions={{ classNames: { toast: "toast" } }} />;
        },
      () => NoToaster,
    ),
  { ssr: false },
);
