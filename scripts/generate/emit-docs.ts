/** The plugin reference: docs/plugins.md (every plugin) and docs/plugins/<name>.md (its props). */
import type { PluginFacts } from "../../src/schema/facts.js";
import type { Files } from "./emit.js";
import type { KongData } from "./kong-data.js";

export function emitDocs(_files: Files, _plugins: readonly PluginFacts[], _kong: KongData): void {
  // written by the docs emitter
}
