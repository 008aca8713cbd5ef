/**
 * `storesSame` for any plugin of known facts: whether a whole-entity `PUT` of a body would store what
 * the live plugin holds, each field the body leaves out compared with Kong's default at the target
 * (records field by field, down to the defaults of their own fields; the record items of a list item
 * by item). A field the facts do not know at the target (a newer Kong's) that holds a value means
 * "write": it answers "same" only when it can tell.
 */
import type { FieldFacts, PluginFacts } from "../facts.js";
import { isRecord, sameJson } from "../stored.js";
import { attributesAt, existsAt } from "./facts-schema.js";
import type { ResolvedTarget } from "./target.js";

/** Set by Kong on every write, or the identity itself: not compared. */
const NOT_COMPARED = new Set(["id", "name", "created_at", "updated_at"]);
/** The entity fields with a default other than "unset". */
const ENTITY_DEFAULTS: Readonly<Record<string, unknown>> = { enabled: true };

/** True when a `PUT` of `body` would store what `live` holds, timestamps aside. */
export function storesSameByFacts(
  body: Readonly<Record<string, unknown>>,
  live: Readonly<Record<string, unknown>>,
  facts: PluginFacts,
  target: ResolvedTarget,
): boolean {
  if (body.name !== live.name) return false;
  if (body.created_at !== undefined && body.created_at !== live.created_at) return false;
  const index = target.dataIndex;
  for (const key of new Set([...Object.keys(body), ...Object.keys(live)])) {
    if (NOT_COMPARED.has(key)) continue;
    if (key === "config") {
      if (!sameField(facts.config, body.config, live.config, index)) return false;
    } else if (key === "protocols") {
      // open-source Kong's default leaves out the protocols only Enterprise has (ws, wss)
      const wanted = body.protocols === undefined && target.edition === "oss" ? ossDefaultProtocols(facts, index) : body.protocols;
      if (!sameField(facts.protocols, wanted, live.protocols, index)) return false;
    } else if (!sameJson(key in body ? body[key] : (ENTITY_DEFAULTS[key] ?? null), live[key])) {
      return false;
    }
  }
  return true;
}

function ossDefaultProtocols(facts: PluginFacts, index: number): unknown {
  const protocols = defaultOf(facts.protocols, index);
  return Array.isArray(protocols) ? protocols.filter((p) => p !== "ws" && p !== "wss") : protocols;
}

/** A value the body gives (undefined: left out) against the live one, by the field's facts. */
export function sameField(field: FieldFacts | undefined, want: unknown, have: unknown, index: number): boolean {
  if (field === undefined || !existsAt(field, index)) return sameJson(want ?? null, have);
  // Kong expands a record a write leaves out into its defaults unless the plugin marks it optional
  // (`required = false`, which the published schemas do not tell): null is what such a write stores too
  if (want === undefined && field.t === "record" && attributesAt(field, index).d === undefined) {
    if (have === null || have === undefined) return true;
    if (isRecord(have)) {
      for (const key of new Set([...Object.keys(have), ...Object.keys(field.f ?? {})])) if (!sameField(field.f?.[key], undefined, have[key], index)) return false;
      return true;
    }
  }
  const desired = want === undefined ? defaultOf(field, index) : want;
  if (field.t === "record" && isRecord(desired) && isRecord(have)) {
    for (const key of new Set([...Object.keys(desired), ...Object.keys(have), ...Object.keys(field.f ?? {})])) {
      if (!sameField(field.f?.[key], desired[key], have[key], index)) return false;
    }
    return true;
  }
  if (field.t === "array" && field.i?.t === "record" && Array.isArray(desired) && Array.isArray(have)) {
    return desired.length === have.length && desired.every((item, i) => sameField(field.i, item, have[i], index));
  }
  return sameJson(desired, have);
}

/** What Kong stores for a field a write leaves out: its default, a record of its fields' defaults, or unset. */
export function defaultOf(field: FieldFacts, index: number): unknown {
  const attributes = attributesAt(field, index);
  if (attributes.d !== undefined) return attributes.d;
  if (attributes.t === "record" && field.f) {
    const record: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(field.f)) if (existsAt(child, index)) record[key] = defaultOf(child, index);
    return record;
  }
  return null;
}
