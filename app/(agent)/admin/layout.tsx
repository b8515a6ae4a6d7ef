import type { Metadata } from "next";
import type { ReactNode } from "react";
import "@/components/admin/admin.css";

export const metadata: Metadata = {
  title: { default: "Agent admin — Harbor Family Cover", template: "%s — Agent admin" },
  robots: { index: false, follow: false },
};

/**
 * Every admin page (toasts come from the root layout; React Query from the signed-in pages' layout). The session is
 * checked by each page and action, on the server.
 */
export default function AdminLayout({ children }: { children: ReactNode }) {
  return <div className="admin-shell">{children}</div>;
}
