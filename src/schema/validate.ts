/**
 * Validation of a session plugin: issue data (what is wrong, where) kept apart from how it is printed.
 */
import type * as z from "zod/mini";
import { CONFIG_FIELDS, PLUGIN_FIELDS, formatPath, kongPathToPropPath } from "./fields.js";
import { sessionPluginSchema } from "./plugin-schema.js";
import { closest } from "./suggest.js";

export type Path = ReadonlyArray<string | number>;

/** One problem with one value. */
export interface ValidationIssue {
  /** stable kind of problem; `unavailable`: what the targeted Kong version or edition lacks */
  readonly code: "invalid_value" | "unknown_field" | "conflict" | "unavailable";
  /** where, in Kong's names (`["config", "cookie_same_site"]`) */
  readonly kongPath: Path;
  /** where, in the TypeScript props (`config.cookieSameSite`) */
  readonly propPath: string;
  /** the value given (undefined for a missing one); secrets are replaced before printing */
  readonly value: unknown;
  /** what is allowed, in Kong's words where Kong has them */
  readonly message: string;
  /** a likely intended value or name */
  readonly hint?: string;
  /** the value is a secret: messages never show it */
  readonly secret?: boolean;
}

/** Tells whether a value is not known at synth (a cdktf token); such values skip format checks. */
export type UnresolvedPredicate = (value: unknown) => boolean;

const SECRET_PATHS = new Set(["config.secret"]);
const ENUM_VALUES = new Map(
  [...CONFIG_FIELDS.map((f) => [`config.${f.kong}`, f] as const), ...PLUGIN_FIELDS.map((f) => [f.kong, f] as const)]
    .filter(([, f]) => f.oneOf)
    .map(([key, f]) => [key, f.oneOf!] as const),
);

/**
 * Validates a plugin body in Kong's names (as the apply-time program sends it).
 *
 * @returns every problem found; empty when the body is valid
 */
export function validateKongPayload(payload: unknown, isUnresolved?: UnresolvedPredicate): ValidationIssue[] {
  const result = sessionPluginSchema().safeParse(payload);
  if (result.success) return [];
  const issues: ValidationIssue[] = [];
  for (const issue of result.error.issues) {
    for (const kongPath of issuePaths(issue)) {
      if (isUnresolved && passesThroughUnresolved(payload, kongPath, isUnresolved)) continue;
      const value = valueAt(payload, kongPath);
      const unknown = issue.code === "unrecognized_keys";
      issues.push({
        code: unknown ? "unknown_field" : "invalid_value",
        kongPath,
        propPath: kongPathToPropPath(kongPath),
        value,
        message: unknown ? "unknown field" : issue.message,
        ...hintFor(kongPath, value, unknown, issue.code === "invalid_value"),
      });
    }
  }
  return issues;
}

function issuePaths(issue: z.core.$ZodIssue): Path[] {
  const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
  if (issue.code === "unrecognized_keys") return issue.keys.map((key) => [...path, key]);
  return [path];
}

function hintFor(kongPath: Path, value: unknown, unknown: boolean, notAllowed: boolean): { hint?: string } {
  const last = kongPath[kongPath.length - 1];
  if (unknown && typeof last === "string") {
    const parent = kongPath.slice(0, -1);
    const siblings = parent.length === 1 && parent[0] === "config" ? CONFIG_FIELDS.map((f) => f.kong) : [];
    const match = closest(last, siblings);
    return match ? { hint: `did you mean ${formatPath([...parent, match])}?` } : {};
  }
  const field = kongPath.filter((p): p is string => typeof p === "string").join(".");
  const allowed = ENUM_VALUES.get(field);
  if (allowed && notAllowed && typeof value === "string") {
    const match = closest(value, allowed);
    if (match) return { hint: `did you mean "${match}"?` };
  }
  return {};
}

/** The value at a path, or undefined. */
export function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** A copy of `root` with the value at `path` replaced (the records and lists on the way copied, `root` unchanged). */
export function withValueAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(root)) return root.map((item, i) => (i === head ? withValueAt(item, rest, value) : item));
  const record = (root ?? {}) as Record<string, unknown>;
  return { ...record, [head!]: withValueAt(record[head as string], rest, value) };
}

function passesThroughUnresolved(root: unknown, path: Path, isUnresolved: UnresolvedPredicate): boolean {
  let node = root;
  for (const key of path) {
    if (isUnresolved(node)) return true;
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  return isUnresolved(node);
}

/** How a value reads in a message: JSON, shortened, secrets never shown. */
export function describeValue(value: unknown, propPath: string): string {
  if (value === undefined) return "nothing";
  if (SECRET_PATHS.has(propPath) || SECRET_PATHS.has(propPath.replace(/\[\d+\]$/, ""))) return "<redacted>";
  let text: string;
  try {
    // NaN and ±Infinity read as themselves, not as JSON's `null`; a nested `secret` is redacted too
    text =
      typeof value === "bigint" || typeof value === "function" || typeof value === "symbol" || typeof value === "number"
        ? String(value)
        : (JSON.stringify(value, (key, v: unknown) => (key === "secret" && v !== undefined ? "<redacted>" : v)) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One line per issue: `config.cookieSameSite (Kong: config.cookie_same_site): expected …, got "lax"`. */
export function formatIssue(issue: ValidationIssue): string {
  const kong = formatPath(issue.kongPath);
  const sameName = kong === issue.propPath || kong === "" || issue.code === "unknown_field";
  const where = sameName ? issue.propPath || "(plugin)" : `${issue.propPath} (Kong: ${kong})`;
  // nothing to show for an unknown field (its name says it) or a missing value
  const got = issue.code === "unknown_field" || issue.value === undefined ? "" : `, got ${issue.secret ? "<redacted>" : describeValue(issue.value, issue.propPath)}`;
  return `${where}: ${issue.message}${got}${issue.hint ? ` (${issue.hint})` : ""}`;
}

/**
 * All issues in one message: `<subject>: N problems` and one indented line each.
 *
 * @param subject what was validated, e.g. `session plugin at "stack/session"`
 */
export function formatValidationIssues(subject: string, issues: readonly ValidationIssue[]): string {
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  return [`invalid ${subject}, ${count}:`, ...issues.map((issue) => `  - ${formatIssue(issue)}`)].join("\n");
}

/** Thrown when a plugin's configuration is invalid (at synth, at apply, or by `validate`). */
export class KongPluginValidationError extends Error {
  readonly code = "KONG_CDKTF_INVALID_CONFIG" as const;
  override readonly name: string = "KongPluginValidationError";
  constructor(
    readonly subject: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(formatValidationIssues(subject, issues));
  }
}

/** Thrown when a session plugin's (or a provider's) configuration is invalid. */
export class PluginSessionValidationError extends KongPluginValidationError {
  override readonly name: string = "PluginSessionValidationError";
}

/** Thrown when a core entity's configuration (a service's, a route's, a credential's, …) is invalid at synth. */
export class KongEntityValidationError extends Error {
  readonly code = "KONG_CDKTF_INVALID_CONFIG" as const;
  override readonly name: string = "KongEntityValidationError";
  constructor(
    readonly subject: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(formatValidationIssues(subject, issues));
  }
}
