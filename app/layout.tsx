import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { LazyPageToaster } from "@/components/toasts/lazy-page-toaster";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Harbor Family Cover", template: "%s – Harbor Family Cover" },
  description: "Get a family insurance quote in a few minutes.",
  icons: { icon: "/favicon.ico", apple: "/apple-touch-icon.png" },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page, the 404 too, is rendered per request: Next.js puts the request's CSP nonce (proxy.ts) on its
  // scripts only then, and the browser refuses a prerendered page's scripts, which carry none.
  await connection();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">Skip to content</a>
        <header className="site-header">
          <Link href="/" className="brand">Harbor Family Cover</Link>
        </header>
        <main id="main" tabIndex={-1}>{children}</main>
        <LazyPageToaster />
      </body>
    </html>
  );
}
