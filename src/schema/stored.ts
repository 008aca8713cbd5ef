/**
 * Whether Kong already holds what a write would store: a whole-entity `PUT` replaces every field,
 * so the live plugin stores the same as the body exactly when each field the body sets is equal
 * and each field it leaves out holds Kong's default. Used by the apply-time program to skip a write
 * that would change nothing (and spend a request, and move `updated_at`).
 *
 * It answers "same" only when it can tell: a field it does not know (a newer Kong's) that holds a
 * value means "write".
 */
import { CONFIG_FIELDS, PLUGIN_FIELDS, type FieldSpec } from "./fields.js";
import { UUID_PATTERN } from "./plugin-schema.js";

const CONFIG_BY_KONG = new Map(CONFIG_FIELDS.map((f) => [f.kong, f] as const));
const PLUGIN_BY_KONG = new Map(PLUGIN_FIELDS.map((f) => [f.kong, f] as const));
/** Set by Kong on every write, or the identity itself: not compared. */
const NOT_COMPARED = new Set(["id", "name", "created_at", "updated_at"]);

/** True when a `PUT` of `body` would store what `live` holds, timestamps aside. */
export function storesSame(body: Readonly<Record<string, unknown>>, live: Readonly<Record<string, unknown>>): boolean {
  if (body.name !== live.name) return false;
  if (body.created_at !== undefined && body.created_at !== live.created_at) return false;
  const keys = new Set([...Object.keys(body), ...Object.keys(live)]);
  for (const key of keys) {
    if (NOT_COMPARED.has(key)) continue;
    if (key === "config") {
      if (!sameConfig(body.config, live.config)) return false;
      continue;
    }
    const want = key in body ? body[key] : defaultOf(PLUGIN_BY_KONG.get(key));
    if (!sameJson(want, live[key])) return false;
  }
  return true;
}

function sameConfig(want: unknown, have: unknown): boolean {
  const desired = isRecord(want) ? want : {};
  const live = isRecord(have) ? have : {};
  for (const key of new Set([...Object.keys(desired), ...Object.keys(live)])) {
    const value = key in desired ? desired[key] : defaultOf(CONFIG_BY_KONG.get(key));
    if (!sameJson(value, live[key])) return false;
  }
  return true;
}

/** Kong's default of a field; null for a field without one or not in the table (unset). */
function defaultOf(field: FieldSpec | undefined): unknown {
  return field && "kongDefault" in field ? field.kongDefault : null;
}

/**
 * Deep equality of JSON values as Kong stores them: `undefined`, `null` and a record of such are all
 * "unset", but an empty list is a value of its own; lists keep their order; UUIDs compare without
 * letter case.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isUnset(a) && isUnset(b)) return true;
  if (typeof a === "string" && typeof b === "string") return UUID_PATTERN.test(a) && a.toLowerCase() === b.toLowerCase();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) if (!sameJson(a[key], b[key])) return false;
    return true;
  }
  return false;
}

/** Unset: undefined, null, or a record of unset fields (Kong fills a record's absent fields with null); never `[]`. */
export function isUnset(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return isRecord(value) && Object.values(value).every(isUnset);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
