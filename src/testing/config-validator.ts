/**
 * The `config` of every plugin but `session`, checked the way Kong checks it, by a JSON Schema library
 * (ajv) over the compact JSON Schemas the generator emits from Kong's published schemas
 * (src/testing/generated/): Kong's defaults filled in (records too), Kong's error table built from
 * ajv's errors (same nesting, same messages), then the checks a JSON Schema cannot express
 * (entity-checks.ts). Independent of the library's own validation (src/schema/).
 *
 * Kong's rules the JSON Schema keywords need help with, handled here around ajv:
 * - `null` means "unset": accepted for an optional field (and kept, like Kong stores it), `required
 *   field missing` for a required one, for an array item and for a map value;
 * - a vault reference (`{vault://…}`) passes where the field is `x-referenceable`, whatever its type;
 * - Lua has one empty table: `[]` is an empty record or map, `{}` an empty array;
 * - a map reports the error of one of its values at the map itself (Kong's `validate_field` returns the
 *   first error it meets there), not under the key;
 * - deprecated aliases (`x-shorthands`) are accepted when of the right type, then dropped;
 * - `x-auto` fields get a random value on insert and upsert, like Kong's `auto = true`.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { randomBytes } from "node:crypto";
import { putError, type LuaTable, type LuaValue } from "./lua-compat.js";
import type { JsonSchemaNode, PluginVariant } from "./plugin-catalog.js";
import { runConfigRules, type PluginRules } from "./entity-checks.js";

/** A JSON object as decoded from a request body. */
type JsonObject = Record<string, unknown>;

/** A path in Kong's error table: field names, and 1-based positions in arrays. */
export type KongPath = ReadonlyArray<string | number>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let ajvInstance: Ajv | undefined;

/** One ajv for the process: strict mode off (the `x-` keywords), every error, defaults filled. */
function ajv(): Ajv {
  if (ajvInstance) return ajvInstance;
  const instance = new Ajv({ strict: false, allErrors: true, useDefaults: true, unicodeRegExp: false, verbose: true, validateFormats: false, validateSchema: false });
  instance.addKeyword({ keyword: "x-uuid", type: "string", schemaType: "boolean", validate: (on: boolean, data: string) => !on || UUID.test(data) });
  instance.addKeyword({ keyword: "x-not-one-of", type: "string", schemaType: "array", validate: (values: string[], data: string) => !values.includes(data) });
  ajvInstance = instance;
  return instance;
}

const compiled = new Map<string, ValidateFunction>();

function validatorOf(variant: PluginVariant): ValidateFunction {
  let validate = compiled.get(variant.key);
  if (!validate) {
    validate = ajv().compile(variant.config as object);
    compiled.set(variant.key, validate);
  }
  return validate;
}

/** Kong's `is_reference`. */
export function isVaultReference(value: unknown): value is string {
  return typeof value === "string" && value.startsWith("{vault://") && value.endsWith("}");
}

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);
const isRecordNode = (node: JsonSchemaNode): boolean => node.type === "object" && node.properties !== undefined;
const isMapNode = (node: JsonSchemaNode): boolean => node.type === "object" && node.properties === undefined;
const clone = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/** An error of ours or of ajv's, placed in Kong's table. */
interface Found {
  readonly path: KongPath;
  readonly message: string;
  /** a type error is reported before anything else at its field */
  readonly type: boolean;
  /** Kong's order of validators at one field (`validators_order`) */
  readonly rank: number;
}

/** What the walk before ajv found: our own errors, and the JSON pointers whose ajv errors do not count. */
interface Prepared {
  readonly errors: Found[];
  readonly waived: string[];
  /** nulls taken out of union values so that ajv sees them unset (put back once defaults are filled) */
  readonly nulls?: Array<[JsonObject, string]>;
}

interface At {
  readonly pointer: string;
  readonly path: KongPath;
}

const child = (at: At, key: string): At => ({ pointer: `${at.pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`, path: [...at.path, key] });
const item = (at: At, index: number): At => ({ pointer: `${at.pointer}/${index}`, path: [...at.path, index + 1] });

const JSON_TYPE_MESSAGE: Record<string, string> = {
  string: "expected a string",
  number: "expected a number",
  integer: "expected an integer",
  boolean: "expected a boolean",
  array: "expected an array",
};

function hasJsonType(value: unknown, type: string): boolean {
  switch (type) {
    case "string":
    case "boolean":
      return typeof value === type;
    case "number":
      return typeof value === "number";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    default:
      return typeof value === "object" && value !== null;
  }
}

/**
 * The walk before ajv, over the schema and a copy of the value (which it may change: Lua's empty
 * table, shorthands): nulls, references, maps' null values.
 */
function prepare(node: JsonSchemaNode, value: unknown, at: At, out: Prepared): unknown {
  if (node["x-referenceable"] && isVaultReference(value)) {
    out.waived.push(at.pointer);
    return value;
  }
  if (node.oneOf) {
    // a union of records (datakit's nodes): null is "unset" for a field no branch requires
    if (isObject(value)) {
      for (const [key, given] of Object.entries(value)) {
        if (given !== null) continue;
        const branches = node.oneOf.filter((branch) => branch.properties?.[key] !== undefined);
        if (branches.length === 0 || branches.some((branch) => branch.required?.includes(key))) continue;
        delete value[key];
        out.nulls?.push([value, key]);
      }
    }
    return value;
  }
  if (isRecordNode(node)) {
    const record = Array.isArray(value) && value.length === 0 ? {} : value;
    if (!isObject(record)) return value;
    for (const [name, type] of Object.entries(node["x-shorthands"] ?? {})) {
      if (!(name in record)) continue;
      const given = record[name];
      if (given !== null && !hasJsonType(given, type)) out.errors.push({ path: [...at.path, name], message: JSON_TYPE_MESSAGE[type] ?? "expected a record", type: true, rank: 0 });
      delete record[name];
    }
    const required = node.required ?? [];
    for (const [name, field] of Object.entries(node.properties ?? {})) {
      const given = record[name];
      if (given === undefined) continue;
      const where = child(at, name);
      if (given === null) {
        out.waived.push(where.pointer);
        if (required.includes(name)) out.errors.push({ path: where.path, message: "required field missing", type: true, rank: 0 });
        continue;
      }
      record[name] = prepare(field, given, where, out);
    }
    return record;
  }
  if (node.type === "array") {
    const list = isObject(value) && Object.keys(value).length === 0 ? [] : value;
    if (!Array.isArray(list)) return value;
    list.forEach((element, i) => {
      const where = item(at, i);
      if (element === null) {
        out.waived.push(where.pointer);
        out.errors.push({ path: where.path, message: "required field missing", type: true, rank: 0 });
      } else if (node.items) list[i] = prepare(node.items, element, where, out);
    });
    return list;
  }
  if (isMapNode(node)) {
    const map = Array.isArray(value) && value.length === 0 ? {} : value;
    if (!isObject(map)) return value;
    const values = typeof node.additionalProperties === "object" ? node.additionalProperties : undefined;
    for (const key of Object.keys(map).sort()) {
      const where = child(at, key);
      if (map[key] === null) {
        out.waived.push(where.pointer);
        out.errors.push({ path: at.path, message: "required field missing", type: true, rank: 0 });
      } else if (values) map[key] = prepare(values, map[key], where, out);
    }
    return map;
  }
  return value;
}

/** Kong's `between` prints its bounds with `%d`. */
const bound = (n: number): string => String(Math.trunc(n));

/** Kong's message for one ajv error, and its rank among the validators of a field. */
function messageOf(error: ErrorObject): { message: string; type: boolean; rank: number } {
  const schema = (error.parentSchema ?? {}) as JsonSchemaNode;
  switch (error.keyword) {
    case "type": {
      const type = String(error.params["type"]);
      if (type === "object") return { message: isRecordNode(schema) ? "expected a record" : "expected a map", type: true, rank: 0 };
      return { message: JSON_TYPE_MESSAGE[type] ?? `expected a ${type}`, type: true, rank: 0 };
    }
    case "required":
      return { message: "required field missing", type: true, rank: 0 };
    case "additionalProperties":
      return { message: "unknown field", type: true, rank: 0 };
    case "x-not-one-of":
      return { message: `must not be one of: ${(schema["x-not-one-of"] ?? []).join(", ")}`, type: false, rank: 2 };
    case "enum":
      return { message: `expected one of: ${(error.params["allowedValues"] as unknown[]).map(String).join(", ")}`, type: false, rank: 3 };
    case "x-uuid":
      return { message: "expected a valid UUID", type: false, rank: 5 };
    case "minimum":
    case "maximum": {
      const { minimum, maximum } = schema;
      if (minimum !== undefined && maximum !== undefined) return { message: `value should be between ${bound(minimum)} and ${bound(maximum)}`, type: false, rank: 8 };
      return { message: minimum !== undefined ? `value should be at least ${minimum}` : `value should be at most ${maximum}`, type: false, rank: 8 };
    }
    case "minLength":
    case "minItems":
      return { message: `length must be at least ${String(error.params["limit"])}`, type: false, rank: 10 };
    case "maxLength":
    case "maxItems":
      return { message: `length must be at most ${String(error.params["limit"])}`, type: false, rank: 11 };
    case "pattern":
      return { message: `invalid value: ${String(error.data)}`, type: false, rank: 15 };
    default:
      return { message: `failed validating: ${error.message ?? error.keyword}`, type: false, rank: 20 };
  }
}

/** `oneOf`: the errors of the branch that came closest (fewest errors), and none of the others'. */
function resolveOneOf(errors: ErrorObject[]): ErrorObject[] {
  let list = errors;
  const unions = list.filter((e) => e.keyword === "oneOf").sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const union of unions) {
    const prefix = `${union.schemaPath}/`;
    const byBranch = new Map<number, number>();
    for (const e of list) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      const branch = Number(e.schemaPath.slice(prefix.length).split("/")[0]);
      byBranch.set(branch, (byBranch.get(branch) ?? 0) + 1);
    }
    const best = [...byBranch].sort((a, b) => a[1] - b[1] || a[0] - b[0])[0]?.[0];
    list = list.filter((e) => e !== union && (!e.schemaPath.startsWith(prefix) || e.schemaPath.startsWith(`${prefix}${best}/`)));
    if (best === undefined) list.push({ ...union, keyword: "oneOf-none" });
  }
  return list;
}

const unescapePointer = (segment: string): string => segment.replace(/~1/g, "/").replace(/~0/g, "~");

/**
 * An ajv instance path as Kong's path: positions 1-based; inside a map, the key left out (Kong puts a
 * value's error at the map). `mapKey`: the map and the key, so that one key per map is reported.
 */
function kongPathOf(root: JsonSchemaNode, pointer: string, extra?: string): { path: KongPath; maps: Array<[string, string]> } {
  const segments = pointer === "" ? [] : pointer.slice(1).split("/").map(unescapePointer);
  if (extra !== undefined) segments.push(extra);
  const path: Array<string | number> = [];
  const maps: Array<[string, string]> = [];
  let node: JsonSchemaNode | undefined = root;
  for (const segment of segments) {
    if (node?.type === "array") {
      path.push(Number(segment) + 1);
      node = node.items;
    } else if (node && isMapNode(node)) {
      maps.push([JSON.stringify(path), segment]);
      node = typeof node.additionalProperties === "object" ? node.additionalProperties : undefined;
    } else {
      path.push(segment);
      node = node?.properties?.[segment];
    }
  }
  return { path, maps };
}

export { errorAt, putError } from "./lua-compat.js";

function randomString(): string {
  return randomBytes(24).toString("base64url").slice(0, 32);
}

/** The hooks the plugin entity's `config` field calls (schema-engine.ts `FieldDef.external`). */
export class ConfigValidator {
  constructor(
    readonly variant: PluginVariant,
    private readonly rules: PluginRules | undefined,
  ) {}

  /** `process_auto_fields`: defaults filled (insert, upsert), shorthands dropped, auto fields made. */
  process(value: JsonObject | unknown[], context: "insert" | "update" | "upsert"): unknown {
    const copy = clone(value);
    const nulls: Array<[JsonObject, string]> = [];
    const prepared = prepare(this.variant.config, copy, { pointer: "", path: [] }, { errors: [], waived: [], nulls });
    if (context !== "update" && isObject(prepared)) validatorOf(this.variant)(prepared);
    for (const [object, key] of nulls) object[key] = null;
    if (context === "update" || !isObject(prepared)) return prepared;
    for (const [name, field] of Object.entries(this.variant.config.properties ?? {})) {
      if (field["x-auto"] && (prepared[name] === undefined || prepared[name] === null)) prepared[name] = randomString();
    }
    return prepared;
  }

  /** `validate_field` of the config record: Kong's nested error table, a message, or undefined when valid. */
  validate(value: JsonObject | unknown[]): LuaValue | undefined {
    const schema = this.variant.config;
    const out: Prepared = { errors: [], waived: [] };
    const data = prepare(schema, clone(value), { pointer: "", path: [] }, out);
    if (!isObject(data)) return "expected a record";
    const validate = validatorOf(this.variant);
    const found: Found[] = [...out.errors];
    const perMap = new Map<string, string>();
    const pending: Array<{ found: Found; maps: Array<[string, string]> }> = [];
    if (!validate(data)) {
      for (const error of resolveOneOf(validate.errors ?? [])) {
        const extra =
          error.keyword === "required" ? String(error.params["missingProperty"]) : error.keyword === "additionalProperties" ? String(error.params["additionalProperty"]) : undefined;
        const pointer = extra === undefined ? error.instancePath : `${error.instancePath}/${extra.replace(/~/g, "~0").replace(/\//g, "~1")}`;
        if (out.waived.some((w) => pointer === w || pointer.startsWith(`${w}/`))) continue;
        const { path, maps } = kongPathOf(schema, error.instancePath, extra);
        const message = error.keyword === "oneOf-none" ? { message: "failed validating: matches none of the allowed shapes", type: true, rank: 0 } : messageOf(error);
        pending.push({ found: { path, ...message }, maps });
      }
    }
    // one key per map: Kong stops at the first value in error
    for (const { maps } of pending) for (const [map, key] of maps) if (!perMap.has(map) || key < perMap.get(map)!) perMap.set(map, key);
    for (const { found: f, maps } of pending) if (maps.every(([map, key]) => perMap.get(map) === key)) found.push(f);
    const table: LuaTable = new Map();
    found.sort((a, b) => Number(b.type) - Number(a.type) || b.path.length - a.path.length || a.rank - b.rank);
    for (const f of found) putError(table, f.path, f.message);
    const message = runConfigRules(this.rules, data, table, schema);
    if (message !== undefined) return message;
    return table.size > 0 ? table : undefined;
  }

  /** `merge_values` for PATCH: records merged field by field, everything else replaced. */
  merge(top: JsonObject, bottom: unknown): JsonObject {
    return mergeRecord(this.variant.config, top, isObject(bottom) ? bottom : {});
  }

  /** A stored config as Kong returns it: every field of the schema, absent ones null. */
  output(value: JsonObject): JsonObject {
    return withNulls(this.variant.config, value) as JsonObject;
  }
}

function mergeRecord(node: JsonSchemaNode, top: JsonObject, bottom: JsonObject): JsonObject {
  const out: JsonObject = { ...bottom, ...top };
  for (const [name, field] of Object.entries(node.properties ?? {})) {
    const above = top[name];
    if (above === undefined) continue;
    if (isRecordNode(field) && isObject(above)) out[name] = mergeRecord(field, above, isObject(bottom[name]) ? (bottom[name] as JsonObject) : {});
  }
  return out;
}

function withNulls(node: JsonSchemaNode, value: unknown): unknown {
  if (isRecordNode(node) && isObject(value)) {
    const out: JsonObject = {};
    for (const [name, field] of Object.entries(node.properties ?? {})) out[name] = value[name] === undefined ? null : withNulls(field, value[name]);
    for (const key of Object.keys(value)) if (!(key in out)) out[key] = clone(value[key]);
    return out;
  }
  if (node.type === "array" && node.items && Array.isArray(value)) return value.map((v) => withNulls(node.items!, v));
  if (isMapNode(node) && typeof node.additionalProperties === "object" && isObject(value)) {
    const values = node.additionalProperties;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withNulls(values, v)]));
  }
  return clone(value);
}
