/**
 * sonner, loaded when a page first needs it (the root layout's LazyPageToaster asks for it once the page is
 * interactive, or a toast is shown before that), so it is not part of any page's first load; and its toast calls,
 * which wait for it. Calls run in the order they were made; a toast made before the toaster is on the page appears
 * when it is.
 */
import type * as Sonner from "sonner";

type Method = "success" | "error" | "info" | "loading" | "dismiss";

let loading: Promise<typeof Sonner> | undefined;

/** The one place sonner is imported from, so the toaster and the toasts share one chunk. */
export function loadSonner(): Promise<typeof Sonner> {
  loading ??= import("sonner").catch((error: unknown) => {
    loading = undefined; // the next toast tries again
    throw error;
  });
  return loading;
}

function whenLoaded<M extends Method>(method: M) {
  return (...args: Parameters<(typeof Sonner.toast)[M]>): void => {
    loadSonner().then(
      (sonner) => (sonner.toast[method] as (...callArgs: Parameters<(typeof Sonner.toast)[M]>) => unknown)(...args),
      () => {}, // sonner could not be loaded (offline): the page says what matters in its own text
    );
  };
}

export const toast = {
  success: whenLoaded("success"),
  error: whenLoaded("error"),
  info: whenLoaded("info"),
  loading: whenLoaded("loading"),
  dismiss: whenLoaded("dismiss"),
};
