/**
 * `GET /schemas/plugins/{name}`: a plugin's schema in the JSON form Kong's `schema_to_jsonable`
 * gives (fields as a list of one-key objects, functions left out).
 */
import type { FieldDef } from "./schema-engine.js";

function fieldJson(field: FieldDef): Record<string, unknown> {
  const out: Record<string, unknown> = { type: field.type === "any" ? "record" : field.type };
  if (field.description) out["description"] = field.description;
  if (field.required) out["required"] = true;
  if (field.default !== undefined) out["default"] = field.default;
  if (field.oneOf) out["one_of"] = [...field.oneOf];
  if (field.lenMin !== undefined) out["len_min"] = field.lenMin;
  if (field.lenMax !== undefined) out["len_max"] = field.lenMax;
  if (field.uuid) out["uuid"] = true;
  if (field.auto) out["auto"] = true;
  if (field.timestamp) out["timestamp"] = true;
  if (field.eqNull) out["eq"] = null;
  if (field.reference) out["reference"] = field.reference;
  if (field.referenceable) {
    out["referenceable"] = true;
    out["encrypted"] = true;
  }
  if (field.elements) out["elements"] = fieldJson(field.elements);
  if (field.fields) out["fields"] = field.fields.map(([name, f]) => ({ [name]: fieldJson(f) }));
  if (field.shorthands) out["shorthand_fields"] = field.shorthands.map((s) => ({ [s.name]: { type: s.type } }));
  return out;
}

/** The JSON description of a plugin's subschema: the fields the plugin itself defines. */
export function describeSubschema(def: FieldDef, name: string): Record<string, unknown> {
  const own = name === "session" ? ["consumer", "consumer_group", "protocols", "config"] : ["protocols", "config"];
  const fields = (def.fields ?? []).filter(([key]) => own.includes(key)).map(([key, field]) => ({ [key]: fieldJson(field) }));
  return { fields };
}
