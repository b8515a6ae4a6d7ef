import "server-only";
import nodemailer from "nodemailer";
import type { Env } from "../config";

/** One email as the sender hands it over: the address only ever lives here, for the length of the send. */
export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface MailTransport {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/** Where the worker sends email: SMTP_URL, or the local mail catcher outside production; null: nowhere (production without SMTP_URL). */
export function smtpUrlOf(env: Pick<Env, "SMTP_URL" | "NODE_ENV" | "MAIL_CATCHER_SMTP_PORT">): string | null {
  if (env.SMTP_URL) return env.SMTP_URL;
  return env.NODE_ENV === "production" ? null : `smtp://127.0.0.1:${env.MAIL_CATCHER_SMTP_PORT}`;
}

/** A refusal the server means for good (5xx: no such mailbox, message refused); a 4xx or a lost connection is worth another try. */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === "number" && code >= 500 && code < 600;
}

export function createSmtpTransport(url: string): MailTransport {
  // One connection per send: a few emails a minute, and nothing to keep alive while the server is down.
  const transporter = nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, logger: false, debug: false } as never);
  return {
    async send(email) {
      await transporter.sendMail({ from: email.from, to: email.to, subject: email.subject, text: email.text, html: email.html, messageId: email.messageId });
    },
    close: () => transporter.close(),
  };
}
