/**
 * Which values of a plugin are secrets, by its facts: every string of a field Kong marks encrypted or
 * referenceable (in any version), wherever it stands in `config`. The apply-time program and the CLI
 * hand every such value of every plugin they see (desired or live) to their redactor. Light: it reads
 * the facts it is given, nothing else (no schema is built, no table loaded: the CLI passes the
 * catalog's loader, the apply-time program the one table its stack gave it).
 */
import type { FieldFacts, PluginFacts } from "./facts.js";
import { isVaultReference } from "./vault.js";

/** The facts of a plugin by Kong's name, or undefined when there are none. */
export type FactsFinder = (name: string) => PluginFacts | undefined;

/** Whether a field is a secret in some version: encrypted or referenceable. */
function isSecretField(field: FieldFacts): boolean {
  return field.enc === true || field.ref === true || (field.x ?? []).some(([, attributes]) => attributes.enc === true || attributes.ref === true);
}

/**
 * The secret strings of a plugin entity or body (`{ name, config }`): for a plugin of known facts,
 * every string of a secret field; for any other, `config.secret` (the session plugin's convention).
 * Vault references are not secrets.
 */
export function secretStringsOf(plugin: unknown, factsOf: FactsFinder): string[] {
  if (plugin === null || typeof plugin !== "object") return [];
  const { name, config } = plugin as { name?: unknown; config?: unknown };
  const facts = typeof name === "string" ? factsOf(name) : undefined;
  const found: string[] = [];
  const visit = (field: FieldFacts | undefined, value: unknown, secret: boolean): void => {
    if (value === undefined || value === null) return;
    if (typeof value === "string") {
      if (secret && !isVaultReference(value)) found.push(value);
      return;
    }
    if (typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (const item of value) visit(field?.i, item, secret || (field?.i ? isSecretField(field.i) : false));
      return;
    }
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const child = field?.t === "record" ? field.f?.[key] : field?.t === "map" ? field.m : undefined;
      visit(child, item, secret || (child ? isSecretField(child) : false));
    }
  };
  if (facts) visit(facts.config, config, false);
  else if (config !== null && typeof config === "object") {
    const secret = (config as { secret?: unknown }).secret;
    if (typeof secret === "string" && !isVaultReference(secret)) found.push(secret);
  }
  return found;
}
