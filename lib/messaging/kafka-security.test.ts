import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { parseConfig } from "../config";
import { explainKafkaAccessFailure } from "./kafka-security";

// kafkajs's own error classes, shaped as its client throws them after its retries (the last attempt's error as the
// cause). Its CommonJS module spreads them into its exports, which an ES import does not see.
const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSSASLAuthenticationError } = createRequire(import.meta.url)("kafkajs") as typeof import("kafkajs");
// Its declaration takes no arguments; the class takes the message, as kafkajs's SASL authenticators call it.
const SaslAuthenticationError = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;
const afterRetries = (message: string, code?: string) =>
  new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError(`Connection error: ${message}`, { broker: "kafka.example:9096", code }), { retryCount: 8, retryTime: 5000 });

const password = "pa55-in-the-broker-answer";
const settings = (overrides: Record<string, string> = {}) =>
  parseConfig({ KAFKA_BROKERS: "kafka.example:9096", KAFKA_SSL: "true", KAFKA_SASL_MECHANISM: "scram-sha-512", KAFKA_SASL_USERNAME: "quoting", KAFKA_SASL_PASSWORD: password, ...overrides });

describe("what an operator is told when Kafka refuses the connection", () => {
  it("a certificate for another host: use the name it was issued for", () => {
    const message = explainKafkaAccessFailure(afterRetries("Hostname/IP does not match certificate's altnames", "ERR_TLS_CERT_ALTNAME_INVALID"), settings());
    assert.equal(message, "Kafka TLS certificate check failed at kafka.example:9096 (Hostname/IP does not match certificate's altnames): the broker's certificate does not name the host in KAFKA_BROKERS: use the host name the certificate was issued for.");
  });

  it("an expired certificate: the broker needs a current one", () => {
    assert.match(explainKafkaAccessFailure(afterRetries("certificate has expired", "CERT_HAS_EXPIRED"), settings())!, /\(certificate has expired\): the broker's certificate is outside its validity period/);
  });

  it("TLS to a plaintext listener: KAFKA_BROKERS must name the TLS one", () => {
    const message = explainKafkaAccessFailure(afterRetries("Client network socket disconnected before secure TLS connection was established", "ECONNRESET"), settings());
    assert.match(message!, /^Kafka at kafka\.example:9096 did not complete a TLS handshake .*: with KAFKA_SSL=true, KAFKA_BROKERS must name the brokers' TLS \(SSL or SASL_SSL\) listener\.$/);
    assert.equal(explainKafkaAccessFailure(afterRetries("Client network socket disconnected before secure TLS connection was established", "ECONNRESET"), settings({ KAFKA_SSL: "false", KAFKA_SASL_MECHANISM: "scram-sha-512" })), null, "without KAFKA_SSL it is some other failure");
  });

  it("hides the password should the broker's answer echo it", () => {
    const message = explainKafkaAccessFailure(new SaslAuthenticationError(`SASL PLAIN authentication failed: no user for password ${password}`), settings({ KAFKA_SASL_MECHANISM: "plain" }));
    assert.match(message!, /^Kafka authentication failed at kafka\.example:9096 as KAFKA_SASL_USERNAME=quoting with KAFKA_SASL_MECHANISM=plain: /);
    assert.ok(!message!.includes(password), message!);
  });

  it("leaves a broker that is down or slow to kafkajs's own message", () => {
    assert.equal(explainKafkaAccessFailure(afterRetries("connect ECONNREFUSED 127.0.0.1:9096", "ECONNREFUSED"), settings()), null);
    assert.equal(explainKafkaAccessFailure(new Error("Connection timeout"), settings()), null);
  });
});
