/**
 * The secrets the CLI's redactor learns from a plugin: every string of a field the facts mark
 * encrypted or referenceable, except Kong's published defaults (see `secretStringsOf`).
 */
import { loadPluginFacts } from "../schema/generated/catalog.js";
import { secretStringsOf } from "../schema/plugin-secrets.js";

/** The secret strings of a plugin entity or body, by the catalog's facts. */
export function cliSecretStringsOf(plugin: unknown): string[] {
  return secretStringsOf(plugin, loadPluginFacts);
}
