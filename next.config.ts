import type { NextConfig } from "next";

/** Headers on every response; the full CSP and HSTS come with the operations issue. */
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The contract's paths keep their trailing slash (`GET /api/finished-goods/`, `/api/inventory/`):
  // serve both spellings directly instead of a 308 on every ApexAPI poll.
  skipTrailingSlashRedirect: true,
  // Native and worker-thread packages stay outside the server bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pino", "pino-pretty"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
