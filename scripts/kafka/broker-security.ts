/**
 * The local broker's SASL_SSL listener, as a managed Kafka offers it: TLS with a certificate from a CA of its own
 * and SASL with SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN, one user for all three. Made once under the broker's data
 * directory (the certificate again when it nears its end):
 *
 *   <dataDir>/sasl-ssl/ca.pem            the CA's certificate: what a client trusts (KAFKA_SSL_CA_FILE)
 *   <dataDir>/sasl-ssl/broker.pem        the broker's private key and certificate (ssl.keystore.type=PEM)
 *   <dataDir>/sasl-ssl/credentials.json  the user and its random password
 *   <dataDir>/sasl-ssl/scram-users       present once the SCRAM credentials are in the cluster's metadata
 *
 * Only openssl is run (three short processes, on the first start only): a PEM keystore needs no keytool JVM.
 */
import { spawnSync } from "node:child_process";
import { randomBytes, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const SASL_SSL_LISTENER = "SASL_SSL";
export const BROKER_SASL_MECHANISMS = ["SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"] as const;
const SCRAM_MECHANISMS = BROKER_SASL_MECHANISMS.filter((m) => m.startsWith("SCRAM-"));
const USERNAME = "quoting";
const CERTIFICATE_DAYS = 825;
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

export interface SaslSslMaterial {
  /** The CA's certificate (PEM) that signed the broker's: clients trust it through KAFKA_SSL_CA_FILE. */
  caFile: string;
  /** The broker's private key (PKCS#8, unencrypted) followed by its certificate. */
  keystoreFile: string;
  username: string;
  password: string;
  /** Present once the SCRAM credentials are in the cluster's metadata (formatted with them, or added later). */
  scramMarker: string;
}

const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = quoting-platform local Kafka
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[broker]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

function openssl(args: string[], cwd: string) {
  const run = spawnSync(process.env.OPENSSL ?? "openssl", args, { cwd, encoding: "utf8" });
  if (run.error || run.status !== 0) {
    const why = run.error ? run.error.message : `exit code ${run.status}: ${`${run.stderr ?? ""}`.trim()}`;
    throw new Error(`openssl ${args[0]} failed while making the local Kafka broker's TLS certificate (${why}). openssl must be installed.`);
  }
}

function certificateIsCurrent(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const certificate = new X509Certificate(readFileSync(file));
    return Date.parse(certificate.validTo) - Date.now() > RENEW_BEFORE_MS && certificate.checkIP("127.0.0.1") !== undefined;
  } catch {
    return false;
  }
}

/** A CA and a certificate for 127.0.0.1 and localhost signed by it, unless current ones are there already. */
function ensureCertificates(dir: string, caFile: string, keystoreFile: string, log: (line: string) => void) {
  if (existsSync(caFile) && certificateIsCurrent(keystoreFile)) return;
  const config = join(dir, "openssl.cnf");
  writeFileSync(config, OPENSSL_CONFIG);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(["req", "-x509", "-new", "-config", config, "-extensions", "ca", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", String(CERTIFICATE_DAYS + 1), "-subj", "/CN=quoting-platform local Kafka CA"], dir);
  openssl(["req", "-new", "-config", config, ...ec, "-keyout", "broker.key", "-out", "broker.csr", "-subj", "/CN=localhost"], dir);
  openssl(
    ["x509", "-req", "-in", "broker.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", `0x${randomBytes(16).toString("hex")}`, "-days", String(CERTIFICATE_DAYS), "-extfile", config, "-extensions", "broker", "-out", "broker.crt"],
    dir,
  );
  writeFileSync(keystoreFile, readFileSync(join(dir, "broker.key"), "utf8") + readFileSync(join(dir, "broker.crt"), "utf8"), { mode: 0o600 });
  // The CA signs nothing more: a new certificate comes with a new CA.
  for (const file of ["ca.key", "broker.key", "broker.csr", "broker.crt", "openssl.cnf"]) rmSync(join(dir, file), { force: true });
  log(`made a CA (${caFile}) and a TLS certificate for 127.0.0.1 and localhost signed by it`);
}

/** The listener's certificates and credentials under `dataDir`, made where missing. */
export function ensureSaslSslMaterial(dataDir: string, log: (line: string) => void): SaslSslMaterial {
  const dir = join(dataDir, "sasl-ssl");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caFile = join(dir, "ca.pem");
  const keystoreFile = join(dir, "broker.pem");
  ensureCertificates(dir, caFile, keystoreFile, log);
  const credentialsFile = join(dir, "credentials.json");
  if (!existsSync(credentialsFile)) {
    writeFileSync(credentialsFile, `${JSON.stringify({ username: USERNAME, password: randomBytes(24).toString("hex") })}\n`, { mode: 0o600 });
  }
  const { username, password } = JSON.parse(readFileSync(credentialsFile, "utf8")) as { username: string; password: string };
  return { caFile, keystoreFile, username, password, scramMarker: join(dir, "scram-users") };
}

/** The server.properties lines of the SASL_SSL listener (added to `listeners` by serverProperties). */
export function saslSslProperties(material: SaslSslMaterial): string {
  const prefix = `listener.name.${SASL_SSL_LISTENER.toLowerCase()}`;
  return `# ${SASL_SSL_LISTENER}: TLS (${material.keystoreFile}, signed by ${material.caFile}) and SASL; the credentials are in credentials.json beside them.
sasl.enabled.mechanisms=${BROKER_SASL_MECHANISMS.join(",")}
${prefix}.ssl.keystore.type=PEM
${prefix}.ssl.keystore.location=${material.keystoreFile}
${SCRAM_MECHANISMS.map((m) => `${prefix}.${m.toLowerCase()}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`).join("\n")}
${prefix}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${material.username}="${material.password}";
`;
}

/** `kafka-storage format` arguments that put the SCRAM credentials into the cluster's first metadata. */
export const scramFormatArguments = (material: SaslSslMaterial): string[] =>
  SCRAM_MECHANISMS.flatMap((m) => ["--add-scram", `${m}=[name=${material.username},password=${material.password}]`]);

/** Notes that the SCRAM credentials are in the cluster's metadata. */
export const recordScramUsers = (material: SaslSslMaterial) => writeFileSync(material.scramMarker, `${SCRAM_MECHANISMS.join(",")}\n`);

/**
 * For storage formatted before it had a SASL_SSL listener: the SCRAM credentials through the running broker's
 * plaintext listener (kafka-configs, one JVM per mechanism, as one request may not alter a user twice: a few
 * seconds, once).
 */
export function addScramUsers(material: SaslSslMaterial, plaintextBrokers: string, java: string, classpath: string, log: (line: string) => void) {
  for (const mechanism of SCRAM_MECHANISMS) {
    const run = spawnSync(
      java,
      ["-Xmx128m", "-cp", classpath, "kafka.admin.ConfigCommand", "--bootstrap-server", plaintextBrokers, "--alter", "--add-config", `${mechanism}=[password=${material.password}]`, "--entity-type", "users", "--entity-name", material.username],
      { encoding: "utf8" },
    );
    if (run.error || run.status !== 0) {
      const output = `${run.stdout ?? ""}${run.stderr ?? ""}`.replaceAll(material.password, "***").trim();
      throw new Error(`Adding the ${mechanism} user ${material.username} to the local Kafka broker failed (${run.error ? run.error.message : `exit code ${run.status}`}):\n${output}`);
    }
  }
  recordScramUsers(material);
  log(`added the SCRAM user ${material.username} to storage formatted without it`);
}
