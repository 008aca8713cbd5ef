/**
 * The apply-time side, for the package's public surface: the Admin API client and its errors.
 * (The program itself is `main.ts`, bundled into `kong-session.cjs`.)
 */
export {
  KongAdminClient,
  MAX_BODY_BYTES,
  parseRetryAfter,
  type KongAdminClientOptions,
  type KongInfo,
  type KongPlugin,
  type ListPluginsOptions,
} from "./client.js";
export * from "./errors.js";
export { REDACTED, Redactor, type RetryEvent } from "./log.js";
export { run, type RunIo } from "./main.js";
