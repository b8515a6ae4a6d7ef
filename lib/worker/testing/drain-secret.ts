// Imported first by tests of the worker routes: the configuration is read once, at the first import that needs it.
export const TEST_DRAIN_SECRET = "test-drain-secret-0123456789abcdef";
process.env.WORKER_DRAIN_SECRET = TEST_DRAIN_SECRET;
