import "server-only";
import fs from "node:fs";
import type { ConnectionOptions } from "node:tls";
import type { SASLOptions } from "kafkajs";
import type { Env } from "../config";

export type KafkaSecuritySettings = Pick<Env, "KAFKA_SSL" | "KAFKA_SSL_CA_FILE" | "KAFKA_SASL_MECHANISM" | "KAFKA_SASL_USERNAME" | "KAFKA_SASL_PASSWORD">;

/** kafkajs's `ssl` and `sasl` options from the settings (lib/config has checked that they go together). */
export function kafkaSecurityOptions(settings: KafkaSecuritySettings): { ssl?: true | ConnectionOptions; sasl?: SASLOptions } {
  const ssl = settings.KAFKA_SSL ? (settings.KAFKA_SSL_CA_FILE ? { ca: [fs.readFileSync(settings.KAFKA_SSL_CA_FILE, "utf8")] } : true) : undefined;
  if (!settings.KAFKA_SASL_MECHANISM) return { ssl };
  const credentials = { username: settings.KAFKA_SASL_USERNAME!, password: settings.KAFKA_SASL_PASSWORD! };
  const sasl: SASLOptions =
    settings.KAFKA_SASL_MECHANISM === "plain"
      ? { mechanism: "plain", ...credentials }
      : settings.KAFKA_SASL_MECHANISM === "scram-sha-256"
        ? { mechanism: "scram-sha-256", ...credentials }
        : { mechanism: "scram-sha-512", ...credentials };
  return { ssl, sasl };
}

/** A connection refused for a reason only the settings can fix: bad credentials, an untrusted certificate. */
export class KafkaAccessError extends Error {
  readonly retriable = false;
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "KafkaAccessError";
  }
}

// Node's codes for a certificate chain it could not verify, and for a certificate naming another host.
const UNTRUSTED_CERTIFICATE = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
]);
const EXPIRED_CERTIFICATE = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);

/** The error and those it wraps (kafkajs keeps the last attempt's error as `cause` after its retries). */
function* chain(error: unknown): Generator<Error & { code?: string; broker?: string }> {
  const seen = new Set<unknown>();
  for (let current = error; current instanceof Error && !seen.has(current); current = (current as { cause?: unknown }).cause) {
    seen.add(current);
    yield current;
  }
}

/**
 * An operator's message for a failure to reach Kafka that only the settings can fix, naming the settings to check;
 * null for any other failure (an unreachable broker, a timeout), which kafkajs's own message describes well enough.
 * Never holds the password, even should a broker's message echo it.
 */
export function explainKafkaAccessFailure(error: unknown, settings: KafkaSecuritySettings & Pick<Env, "KAFKA_BROKERS">): string | null {
  const errors = [...chain(error)];
  const where = errors.find((e) => typeof e.broker === "string")?.broker ?? settings.KAFKA_BROKERS?.join(",") ?? "(no brokers)";
  const said = (e: Error) => e.message.replace(/^Connection error: /, "");
  let explained: string | null = null;

  const authentication = errors.find((e) => e.name === "KafkaJSSASLAuthenticationError");
  const certificate = errors.find((e) => e.code !== undefined && (UNTRUSTED_CERTIFICATE.has(e.code) || EXPIRED_CERTIFICATE.has(e.code) || e.code === "ERR_TLS_CERT_ALTNAME_INVALID"));
  // What Node says when the other end is no TLS server: a Kafka plaintext listener drops the handshake, others answer garbage.
  const notTls = errors.find((e) => settings.KAFKA_SSL && (/before secure TLS connection was established/.test(e.message) || e.code === "EPROTO" || /wrong version number/i.test(e.message)));
  if (authentication) {
    const who = settings.KAFKA_SASL_USERNAME === undefined ? "" : ` as KAFKA_SASL_USERNAME=${settings.KAFKA_SASL_USERNAME}`;
    explained =
      `Kafka authentication failed at ${where}${who} with KAFKA_SASL_MECHANISM=${settings.KAFKA_SASL_MECHANISM ?? "(unset)"}: ${said(authentication)}. ` +
      `Check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM against the user the brokers know.`;
  } else if (certificate) {
    const trust = settings.KAFKA_SSL_CA_FILE ? `the CA in KAFKA_SSL_CA_FILE=${settings.KAFKA_SSL_CA_FILE}` : "the system's CAs (KAFKA_SSL_CA_FILE is not set)";
    const fix =
      certificate.code === "ERR_TLS_CERT_ALTNAME_INVALID"
        ? "the broker's certificate does not name the host in KAFKA_BROKERS: use the host name the certificate was issued for"
        : EXPIRED_CERTIFICATE.has(certificate.code!)
          ? "the broker's certificate is outside its validity period: the broker needs a current one"
          : `its certificate is not signed by ${trust}: set KAFKA_SSL_CA_FILE to the PEM file of the CA that signed the brokers' certificates`;
    explained = `Kafka TLS certificate check failed at ${where} (${said(certificate)}): ${fix}.`;
  } else if (notTls) {
    explained = `Kafka at ${where} did not complete a TLS handshake (${said(notTls)}): with KAFKA_SSL=true, KAFKA_BROKERS must name the brokers' TLS (SSL or SASL_SSL) listener.`;
  }
  const password = settings.KAFKA_SASL_PASSWORD;
  return explained && password ? explained.replaceAll(password, "***") : explained;
}
