/**
 * The schema functions the apply-time program uses, in one place: the runtime re-validates a
 * resolved payload with the very schema the construct used at synth, and maps Kong's field names
 * back to the TypeScript props in messages. Loaded lazily (`await import`), so `delete` and `reap`
 * do not evaluate the schema.
 */
export { formatValidationIssues, kongPathToPropPath, validateKongPayload } from "../schema/index.js";
export type { ValidationIssue } from "../schema/index.js";
export { storesSame } from "../schema/stored.js";
