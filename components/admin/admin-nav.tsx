"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { SignOutButton } from "./sign-out-button";

const LINKS = [
  { href: "/admin/quotes", label: "Quotes" },
  { href: "/admin/funnel", label: "Funnel" },
  { href: "/admin/parked-messages", label: "Parked messages" },
  { href: "/admin/system", label: "System" },
];

export function AdminNav({ agentName, agentEmail }: { agentName: string; agentEmail: string }) {
  const pathname = usePathname();
  return (
    <nav className="admin-nav" aria-label="Agent admin">
      <ul>
        {LINKS.map((link) => (
          <li key={link.href}>
            <Link href={link.href} aria-current={pathname === link.href ? "page" : undefined}>
              {link.label}
            </Link>
          </li>
        ))}
      </ul>
      <div className="who">
        <span>
          Signed in as <strong>{agentName}</strong> <span className="muted">({agentEmail})</span>
        </span>
        <SignOutButton />
      </div>
    </nav>
  );
}
