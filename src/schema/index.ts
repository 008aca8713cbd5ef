/**
 * The session plugin's schema: field table, zod schema, camelCase ↔ Kong mapping and validation.
 * Free of cdktf, so the apply-time program and the CLI use it too.
 */
import { workspaceSchema } from "./plugin-schema.js";
import { toKongPayload } from "./to-kong.js";
import type { PluginSessionAttributes } from "./types.js";
import { validateKongPayload, valueAt, type UnresolvedPredicate, type ValidationIssue } from "./validate.js";

export * from "./fields.js";
export * from "./plugin-schema.js";
export * from "./to-kong.js";
export * from "./types.js";
export * from "./validate.js";

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
  return all.length === 0 ? { success: true, payload, issues: [] } : { success: false, payload, issues: all };
}

export { valueAt };
