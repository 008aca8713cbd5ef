/**
 * The typed construct of every plugin: src/plugins/generated/<name>.ts (class, props and config
 * types, JSDoc of facts) and src/plugins/generated/index.ts.
 */
import type { PluginFacts } from "../../src/schema/facts.js";
import type { Files } from "./emit.js";
import type { KongData } from "./kong-data.js";

export function emitConstructs(_files: Files, _plugins: readonly PluginFacts[], _kong: KongData): void {
  // written by the construct emitter
}
