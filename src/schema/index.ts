/**
 * The session plugin's schema: field table, zod schema, camelCase ↔ Kong mapping and validation.
 * Free of cdktf, so the apply-time program and the CLI use it too.
 */
import { workspaceSchema } from "./plugin-schema.js";
import { toKongPayload } from "./to-kong.js";
import type { PluginSessionAttributes } from "./types.js";
import { validateKongPayload, valueAt, type UnresolvedPredicate, type ValidationIssue } from "./validate.js";
import { isVaultReference } from "./vault.js";

export * from "./fields.js";
export * from "./plugin-schema.js";
export * from "./to-kong.js";
export * from "./types.js";
export * from "./validate.js";
export * from "./vault.js";

/** The outcome of {@link validateAttributes}: the Kong body, or every problem found. */
export type AttributesValidation =
  | { readonly success: true; readonly payload: Record<string, unknown>; readonly issues: readonly [] }
  | { readonly success: false; readonly payload: Record<string, unknown>; readonly issues: readonly ValidationIssue[] };

/**
 * Validates camelCase attributes and builds the Kong body: unknown props, every Kong rule, and the
 * workspace name. Values for which `isUnresolved` returns true skip format checks.
 */
export function validateAttributes(
  attributes: PluginSessionAttributes,
  isUnresolved: UnresolvedPredicate = () => false,
): AttributesValidation {
  const { payload, issues } = toKongPayload(attributes, isUnresolved);
  const all = [...issues, ...validateKongPayload(payload, isUnresolved)];
  const workspace = (attributes as { workspace?: unknown }).workspace;
  if (workspace !== undefined && !isUnresolved(workspace)) {
    const result = workspaceSchema().safeParse(workspace);
    if (!result.success) {
      all.push({
        code: "invalid_value",
        kongPath: ["workspace"],
        propPath: "workspace",
        value: workspace,
        message: result.error.issues[0]!.message,
      });
    }
  }
  if (all.length === 0) return { success: true, payload, issues: [] };
  return { success: false, payload, issues: withoutSecret(all, (attributes as { config?: { secret?: unknown } }).config?.secret, isUnresolved) };
}

/**
 * The issues with every value that holds the configured secret replaced by `<redacted>`: the value
 * of `config.secret` is redacted by its path when printed, but the same text may stand in another
 * field too (a tag, a cookie name), where only its content gives it away.
 */
function withoutSecret(issues: ValidationIssue[], secret: unknown, isUnresolved: UnresolvedPredicate): ValidationIssue[] {
  if (typeof secret !== "string" || secret === "" || isUnresolved(secret) || isVaultReference(secret)) return issues;
  const escaped = JSON.stringify(secret).slice(1, -1);
  const holds = (value: unknown): boolean => {
    if (typeof value === "string") return value.includes(secret);
    try {
      return (JSON.stringify(value) ?? "").includes(escaped);
    } catch {
      return false;
    }
  };
  return issues.map((issue) => (issue.propPath !== "config.secret" && holds(issue.value) ? { ...issue, value: "<redacted>" } : issue));
}

export { valueAt };
