/**
 * Kong's entity checks of plugin configs that a JSON Schema cannot express. (In progress.)
 */
import type { LuaTable } from "./lua-compat.js";
import type { JsonSchemaNode } from "./plugin-catalog.js";

/** The entity checks of one plugin's config. */
export interface PluginRules {
  readonly name: string;
}

/** Runs a plugin's entity checks after the field checks; a message for the whole config, or undefined. */
export function runConfigRules(rules: PluginRules | undefined, _data: Record<string, unknown>, _table: LuaTable, _schema: JsonSchemaNode): string | undefined {
  if (rules === undefined) return undefined;
  return undefined;
}
