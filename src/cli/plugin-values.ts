/**
 * Values of a session plugin as Kong holds them: the defaults Kong fills in (from the field table),
 * and equality with Kong's semantics. A set ignores order and duplicates; undefined and null both
 * mean "unset" (Kong answers an unset field with null); an empty list is a value of its own: Kong
 * stores `[]` as given and fills a default only into a missing field, so `[]` and null differ.
 * Shared by `import` and `diff`.
 */
import { CONFIG_FIELDS, PLUGIN_FIELDS, type FieldSpec } from "../schema/fields.js";

const CONFIG_BY_KONG = new Map(CONFIG_FIELDS.map((f) => [f.kong, f] as const));
const PLUGIN_BY_KONG = new Map(PLUGIN_FIELDS.map((f) => [f.kong, f] as const));

/** The field of a Kong path (`["config", "cookie_name"]`, `["protocols"]`), if the table has it. */
export function fieldAt(kongPath: readonly string[]): FieldSpec | undefined {
  if (kongPath.length === 2 && kongPath[0] === "config") return CONFIG_BY_KONG.get(kongPath[1]!);
  if (kongPath.length === 1) return PLUGIN_BY_KONG.get(kongPath[0]!);
  return undefined;
}

/**
 * True when the value means "unset": undefined, null, or a record whose fields are all unset (Kong
 * answers a nested record given without its fields with nulls in them). An empty list is not unset.
 */
export function isUnset(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (isRecord(value)) return Object.values(value).every(isUnset);
  return false;
}

/** Kong's default of a field, or undefined when it has none (the secret, timestamps). */
export function kongDefault(field: FieldSpec | undefined): unknown {
  return field?.kongDefault;
}

/** True when a live value is Kong's default for the field (so `import` leaves it out). */
export function isKongDefault(field: FieldSpec, value: unknown): boolean {
  if (!("kongDefault" in field)) return false;
  return sameValue(field, value, field.kongDefault);
}

/**
 * Equality of two values of one field with Kong's semantics: sets ignore order and duplicates,
 * unset values are equal, `[]` is not unset, records compare key by key.
 */
export function sameValue(field: FieldSpec | undefined, a: unknown, b: unknown): boolean {
  if (isUnset(a) && isUnset(b)) return true;
  if (field?.kind === "set" && Array.isArray(a) && Array.isArray(b)) {
    const left = new Set(a.map(key));
    const right = new Set(b.map(key));
    return left.size === right.size && [...left].every((item) => right.has(item));
  }
  return sameJson(a, b);
}

/** Deep equality of JSON values; unset values are equal to each other, and `[]` to no unset one. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isUnset(a) && isUnset(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameJson(a[k], b[k]));
  }
  return false;
}

function key(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export { isVaultReference } from "../schema/vault.js";
