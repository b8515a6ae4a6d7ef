// Imported first by the metrics tests: the configuration is read once, at the first import that needs it.
export const TEST_METRICS_TOKEN = "test-metrics-token-0123456789abcdef";
process.env.METRICS_TOKEN = TEST_METRICS_TOKEN;
