"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Toaster } from "sonner";
import { z } from "zod";

// zod probes `new Function` to pick a faster parser; the Content-Security-Policy refuses eval, so skip the probe.
z.config({ jitless: true });

/** React Query (one client per browser tab) and sonner's toasts, for every page. */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { retry: 1, refetchOnWindowFocus: false },
          mutations: { retry: false },
        },
      }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      <Toaster position="bottom-right" closeButton duration={6_000} toastOptions={{ classNames: { toast: "toast" } }} />
    </QueryClientProvider>
  );
}
