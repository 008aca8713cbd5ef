import * as z from "zod/mini";
import { isUnresolved } from "./internal/tokens.js";
import { CONDITION_MAX_LENGTH, sessionPluginSchema, validateAttributes, type AttributesValidation, type PluginSessionAttributes } from "./schema/index.js";

/**
 * Validates session plugin attributes (camelCase, as given to `PluginSession`) with the same rules
 * and messages as the construct, without creating one. cdktf tokens skip format checks.
 *
 * @returns `{ success: true, payload }` with the Kong request body, or `{ success: false, issues }`
 *
 * @example
 * const result = validatePluginSession({ config: { cookieSameSite: "Lax" } });
 * if (!result.success) console.error(formatValidationIssues("session config", result.issues));
 */
export function validatePluginSession(attributes: PluginSessionAttributes): AttributesValidation {
  return validateAttributes(attributes, isUnresolved);
}

/** The JSON Schema (draft 2020-12) of the plugin body in Kong's names, as Kong receives it. */
export function pluginSessionJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(sessionPluginSchema()) as { properties: Record<string, Record<string, unknown>> };
  // the schema counts characters of condition with a refinement; JSON Schema's maxLength counts them too
  schema.properties.condition = { ...schema.properties.condition, maxLength: CONDITION_MAX_LENGTH };
  // a route or service by its id or by its name, one of them (a refinement of the schema)
  for (const scope of ["route", "service"]) schema.properties[scope] = { ...schema.properties[scope], oneOf: [{ required: ["id"] }, { required: ["name"] }] };
  return schema as unknown as Record<string, unknown>;
}

/** The JSON Schema (draft 2020-12) of the plugin's `config` in Kong's names. */
export function pluginSessionConfigJsonSchema(): Record<string, unknown> {
  const schema = pluginSessionJsonSchema() as { properties: { config: Record<string, unknown> }; $schema?: string };
  return { $schema: schema.$schema, ...schema.properties.config };
}
