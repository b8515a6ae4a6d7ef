import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Quoting platform",
  description: "Get a family insurance quote in a few minutes.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">Skip to content</a>
        <header className="site-header">
          <a href="/" className="brand">Harbor Family Cover</a>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
