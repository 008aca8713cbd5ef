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
export function isSecretField(field: FieldFacts | undefined): boolean {
  if (!field) return false;
  return field.enc === true || field.ref === true || (field.x ?? []).some(([, attributes]) => attributes.enc === true || attributes.ref === true);
}

/**
 * The secret strings of a plugin entity or body (`{ name, config }`): for a plugin of known facts,
 * every string of a secret field; for any other, `config.secret` (the session plugin's convention).
 * Vault references are not secrets.
 */
export function secretStringsOf(plugin: unknown, factsOf: FactsFinder): string[] {
  const found = secretStringsWithDefaults(plugin, factsOf);
  const name = plugin !== null && typeof plugin === "object" ? (plugin as { name?: unknown }).name : undefined;
  const facts = typeof name === "string" && found.length > 0 ? factsOf(name) : undefined;
  if (!facts) return found;
  // Kong's published defaults (`127.0.0.1` for a Redis host, `openid` for the OpenID Connect scopes) are
  // no secrets, and a redactor that knew them would blank the same word wherever it stands: in a
  // server URL, in the name `openid-connect`, in the code the CLI prints
  const defaults = defaultStringsOf(facts);
  return found.filter((secret) => !defaults.has(secret));
}

const defaultsByFacts = new WeakMap<PluginFacts, ReadonlySet<string>>();

/** The strings among the defaults of a plugin's fields, in any version. */
function defaultStringsOf(facts: PluginFacts): ReadonlySet<string> {
  let found = defaultsByFacts.get(facts);
  if (found) return found;
  const strings = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === "string") strings.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
  };
  const visit = (field: FieldFacts | undefined): void => {
    if (!field) return;
    collect(field.d);
    for (const [, attributes] of field.x ?? []) collect(attributes.d);
    Object.values(field.f ?? {}).forEach(visit);
    visit(field.i);
    visit(field.m);
  };
  visit(facts.config);
  found = strings;
  defaultsByFacts.set(facts, found);
  return found;
}

function secretStringsWithDefaults(plugin: unknown, factsOf: FactsFinder): string[] {
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
  else {
    // a plugin without facts (a custom plugin): every string under a name that says secret
    const walk = (value: unknown, secret: boolean): void => {
      if (typeof value === "string") {
        if (secret && !isVaultReference(value)) found.push(value);
      } else if (Array.isArray(value)) value.forEach((item) => walk(item, secret));
      else if (value !== null && typeof value === "object") {
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) walk(item, secret || isSecretName(key));
      }
    };
    walk(config, false);
  }
  return found;
}

/**
 * Whether a field of a plugin without facts (a custom plugin) reads as a secret by its name:
 * `secret`, `client_secret`, `password`, `api_key`, `token`, `private_key`, `credentials`, ….
 */
export function isSecretName(name: string): boolean {
  return /secret|passw(?:or)?d|token|api_?key|private_?key|credential/i.test(name);
}
