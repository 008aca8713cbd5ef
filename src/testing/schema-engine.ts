/**
 * A small re-implementation of Kong's schema library (kong/db/schema/init.lua) for the field
 * types the plugin entity uses: defaults and auto fields (`process_auto_fields`), validation with
 * Kong's messages and error tables (`validate_field`, `validate`), and the PATCH merge
 * (`merge_values`). Written from Kong's source, independently of the library's zod schemas.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { KongInternalError } from "./kong-errors.js";
import type { LuaTable, LuaValue } from "./lua-compat.js";

/** One field of a Kong schema (the subset of Kong's field attributes the plugin entity uses). */
export interface FieldDef {
  readonly type: "string" | "number" | "integer" | "boolean" | "set" | "array" | "record" | "foreign" | "any";
  readonly required?: boolean;
  /** the default (JSON); `undefined` means none, so a missing optional field becomes null */
  readonly default?: unknown;
  readonly oneOf?: ReadonlyArray<string | number>;
  /** `between = { min, max }` of numbers */
  readonly between?: readonly [number, number];
  /** `not_one_of` */
  readonly notOneOf?: readonly string[];
  readonly lenMin?: number;
  readonly lenMax?: number;
  /**
   * `len_max` counted in characters (code points) rather than bytes: Enterprise's `condition`, whose
   * published schema says `maxLength` (JSON Schema counts characters) and which the official
   * provider checks with `UTF8LengthAtMost`
   */
  readonly lenMaxChars?: number;
  readonly uuid?: boolean;
  readonly auto?: boolean;
  readonly timestamp?: boolean;
  /** an auto timestamp in seconds with millisecond precision (`typedefs.auto_timestamp_ms`) */
  readonly millis?: boolean;
  /** `eq = null`: the value must be null (`typedefs.no_consumer`) */
  readonly eqNull?: boolean;
  /** the message of a failed `eq = null` (`typedefs.no_methods { err = … }`) */
  readonly eqNullErr?: string;
  readonly referenceable?: boolean;
  readonly custom?: (value: string) => string | undefined;
  readonly elements?: FieldDef;
  readonly fields?: FieldList;
  readonly shorthands?: readonly Shorthand[];
  /** foreign fields: the referenced entity */
  readonly reference?: string;
  /** abstract record (the plugin `config` before the plugin is known) */
  readonly abstract?: boolean;
  /** a record checked by another validator (a plugin's `config`, config-validator.ts) */
  readonly external?: ExternalRecord;
  /** not validated at all (`updated_at`, see Schema.new) */
  readonly unvalidated?: boolean;
  readonly description?: string;
}

/** The hooks of a record whose fields another validator knows (config-validator.ts `ConfigValidator`). */
export interface ExternalRecord {
  /** `process_auto_fields` of the record */
  process(value: JsonObject | unknown[], context: AutoContext): unknown;
  /** `validate_field` of the record: a message, a nested error table, or undefined when valid */
  validate(value: JsonObject | unknown[]): LuaValue | undefined;
  /** `merge_values` of the record (PATCH) */
  merge(top: JsonObject, bottom: unknown): JsonObject;
  /** the record as Kong returns it */
  output(value: JsonObject): JsonObject;
}

/** Fields in schema order. */
export type FieldList = ReadonlyArray<readonly [string, FieldDef]>;

/** A deprecated alias: validated with `type`, then mapped onto new fields and removed. */
export interface Shorthand {
  readonly name: string;
  readonly type: "string" | "number" | "boolean";
  readonly map: (value: unknown) => Record<string, unknown> | undefined;
}

/** The CRUD context of `process_auto_fields`. */
export type AutoContext = "insert" | "update" | "upsert";

/** A JSON object as decoded from a request body. */
export type JsonObject = Record<string, unknown>;

/** Outcome of {@link processAutoFields}: the completed value, or Kong's error table. */
export type Processed = { readonly value: JsonObject; readonly errors?: undefined } | { readonly value?: undefined; readonly errors: LuaTable };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Kong's `is_valid_uuid`: 36 characters in the 8-4-4-4-12 hex form, any case. */
export function isValidUuid(value: unknown): value is string {
  return typeof value === "string" && value.length === 36 && UUID_RE.test(value);
}

/** A Lua table: a JSON object or array. */
export function isTable(value: unknown): value is JsonObject | unknown[] {
  return typeof value === "object" && value !== null;
}

/** Lua's `is_sequence` on decoded JSON: any array, or the empty object `{}`. */
function isSequence(value: unknown): value is unknown[] | JsonObject {
  if (Array.isArray(value)) return true;
  return isTable(value) && Object.keys(value).length === 0;
}

function asArray(value: unknown[] | JsonObject): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * kong/tools/rand.lua `random_string`: 24 random bytes in base64, `/` and `+` replaced by a random
 * capital or small letter, 32 characters (auto string fields: a key-auth key, an hmac secret).
 */
export function randomString(): string {
  const letter = (from: number): string => String.fromCharCode(from + Math.floor(Math.random() * 26));
  return [...randomBytes(24).toString("base64")].map((ch) => (ch === "/" ? letter(65) : ch === "+" ? letter(97) : ch)).join("").slice(0, 32);
}

/** A deep copy of decoded JSON. */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function isReference(value: string): boolean {
  return value.startsWith("{vault://") && value.endsWith("}");
}

function byteLength(value: string): number {
  return Buffer.byteLength(value, "utf8");
}

function handleMissing(field: FieldDef): unknown {
  if (field.default !== undefined) return cloneJson(field.default);
  if (field.required !== true) return null;
  if (field.abstract) return undefined;
  if (field.type === "record" && field.fields) return processAutoFields(field, {}, "insert").value;
  return undefined;
}

function adjust(field: FieldDef, input: unknown, context: AutoContext): { value?: unknown; errors?: LuaTable } {
  let value = input;
  if (field.abstract) return { value };
  if (field.external) {
    if (value === undefined && context !== "update") value = handleMissing(field);
    return { value: isTable(value) ? field.external.process(value, context) : value };
  }
  if (field.type === "record" && field.fields) {
    const recurse =
      context === "update" ? value !== null && value !== undefined : value !== null && (value !== undefined || field.required === true);
    if (recurse) {
      if (value === undefined) value = handleMissing(field);
      if (isTable(value)) return processAutoFields(field, value, context);
    }
  } else if (isTable(value) && (field.type === "array" || field.type === "set") && field.elements) {
    let items: unknown = value;
    if (isSequence(value)) items = asArray(value);
    if (field.type === "set" && Array.isArray(items)) {
      const seen = new Set<unknown>();
      items = items.filter((item) => {
        const key = isTable(item) ? {} : item;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    }
    if (Array.isArray(items)) {
      const out: unknown[] = [];
      for (const item of items) {
        const adjusted = adjust(field.elements, item, context);
        if (adjusted.errors) return adjusted;
        out.push(adjusted.value);
      }
      value = out;
    }
  }
  if (value === undefined && context !== "update") value = handleMissing(field);
  return { value };
}

/** Whether the record input was a JSON array (its positions are Lua integer keys). */
const ARRAY_INPUT = Symbol("arrayInput");

/**
 * Kong's `process_auto_fields`: applies deprecated aliases, generates ids and timestamps, fills
 * defaults (insert and upsert), removes duplicate set items, recursively for records.
 */
export function processAutoFields(def: FieldDef, input: JsonObject | unknown[], context: AutoContext): Processed {
  const data: JsonObject = {};
  if (Array.isArray(input)) {
    input.forEach((item, i) => (data[String(i + 1)] = cloneJson(item)));
    if (input.length > 0) Object.defineProperty(data, ARRAY_INPUT, { value: true, enumerable: false });
  } else {
    for (const key of Object.keys(input)) Object.defineProperty(data, key, { value: cloneJson(input[key]), enumerable: true, writable: true, configurable: true });
  }
  if (def.shorthands) {
    const errors: LuaTable = new Map();
    for (const shorthand of def.shorthands) {
      const value = data[shorthand.name];
      if (value === undefined) continue;
      const err = validateField({ type: shorthand.type }, value);
      if (err !== undefined) {
        errors.set(shorthand.name, err);
        continue;
      }
      delete data[shorthand.name];
      const mapped = shorthand.map(value);
      if (mapped) for (const [k, v] of Object.entries(mapped)) data[k] = v;
    }
    if (errors.size > 0) return { errors };
  }
  const nowMs = Date.now();
  for (const [key, field] of def.fields ?? []) {
    let value = data[key];
    const now = field.millis ? Math.floor(nowMs) / 1000 : Math.floor(nowMs / 1000);
    if (field.auto) {
      const creating = context === "insert" || context === "upsert";
      if (field.uuid) {
        if (creating && value === undefined) value = randomUUID();
      } else if (field.type === "string" && !field.timestamp) {
        if (creating && value === undefined) value = randomString();
      } else if ((key === "created_at" && creating && (value === null || value === undefined)) || (key === "updated_at" && (creating || context === "update"))) {
        value = now;
      }
    }
    const adjusted = adjust(field, value, context);
    if (adjusted.errors) return { errors: adjusted.errors };
    if (adjusted.value === undefined) delete data[key];
    else data[key] = adjusted.value;
  }
  return { value: data };
}

/**
 * Kong's `validate_field`: the error of one value (a message, or a table of nested errors), or
 * `undefined` when valid. Throws {@link KongInternalError} where Kong raises a Lua error.
 */
export function validateField(field: FieldDef, value: unknown): LuaValue | undefined {
  if (value === null) return field.required ? "required field missing" : undefined;
  if (field.eqNull) return field.eqNullErr ?? "value must be null";
  if (field.abstract) return "error in schema definition: abstract field was not specialized";
  switch (field.type) {
    case "array":
    case "set": {
      if (!isSequence(value)) return field.type === "array" ? "expected an array" : "expected a set";
      if (field.lenMin !== undefined && asArray(value).length < field.lenMin) return `length must be at least ${field.lenMin}`;
      const errors: LuaTable = new Map();
      asArray(value).forEach((item, i) => {
        const err = validateField({ ...field.elements!, required: true }, item);
        if (err !== undefined) errors.set(i + 1, err);
      });
      return errors.size > 0 ? errors : undefined;
    }
    case "record": {
      if (!isTable(value)) return "expected a record";
      if (field.external) return field.external.validate(value);
      if (!field.fields) return undefined;
      const copy = processAutoFields(field, value, "insert");
      if (!copy.value) throw new KongInternalError("validate called without an input table");
      const errors = validateRecord(field, copy.value, true);
      return errors.size > 0 ? errors : undefined;
    }
    case "foreign":
      return validateForeignKey(value, field.reference);
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) return "expected an integer";
      break;
    case "string":
      if (typeof value !== "string") return "expected a string";
      if (field.referenceable && isReference(value)) return undefined;
      break;
    case "number":
      if (typeof value !== "number") return "expected a number";
      break;
    case "boolean":
      if (typeof value !== "boolean") return "expected a boolean";
      break;
    case "any":
      return undefined;
  }
  return runValidators(field, value as string | number);
}

function runValidators(field: FieldDef, value: string | number): string | undefined {
  if (field.between && typeof value === "number" && (value < field.between[0] || value > field.between[1])) {
    return `value should be between ${field.between[0]} and ${field.between[1]}`;
  }
  if (field.oneOf && !field.oneOf.includes(value)) return `expected one of: ${field.oneOf.join(", ")}`;
  if (field.notOneOf && field.notOneOf.includes(value as string)) return `must not be one of: ${field.notOneOf.join(", ")}`;
  if (field.timestamp && !((value as number) > 0)) return "expected a valid timestamp";
  if (field.uuid && !isValidUuid(value)) return "expected a valid UUID";
  if (typeof value === "string") {
    const lenMin = field.lenMin ?? 1;
    if (byteLength(value) < lenMin) return `length must be at least ${lenMin}`;
    if (field.lenMax !== undefined && byteLength(value) > field.lenMax) return `length must be at most ${field.lenMax}`;
    if (field.lenMaxChars !== undefined && [...value].length > field.lenMaxChars) return `length must be at most ${field.lenMaxChars}`;
    if (field.custom) return field.custom(value);
  }
  return undefined;
}

/**
 * `validate_primary_key(value, true)` of a foreign field: a table with a valid `id`. Strings have
 * no `id` (missing primary key); numbers and booleans make Kong raise a Lua error. When the key is
 * invalid and the value is a table, Kong validates it as the referenced entity and reports those
 * errors instead: for routes, whose schema is keyed by `protocols`, that is
 * `protocols: required field missing` unless the table carries `protocols`.
 */
export function validateForeignKey(value: unknown, reference?: string): LuaValue | undefined {
  if (typeof value === "string") return new Map([["id", "missing primary key"]]);
  if (!isTable(value)) throw new KongInternalError("attempt to index a non-table primary key");
  const id = (value as JsonObject)["id"];
  let err: LuaValue | undefined;
  if (id === undefined || id === false) err = "missing primary key";
  else if (id === null) err = "required field missing";
  else err = validateField({ type: "string", uuid: true }, id);
  if (err === undefined) return undefined;
  const protocols = (value as JsonObject)["protocols"];
  if (reference === "routes" && (protocols === undefined || protocols === null)) return new Map([["protocols", "required field missing"]]);
  return new Map([["id", err]]);
}

/**
 * Kong's `Schema:validate` for a record: every given key against its field (`unknown field`
 * otherwise), then required fields (null always fails; missing fails when `fullCheck`).
 */
export function validateRecord(def: FieldDef, input: JsonObject, fullCheck: boolean): LuaTable {
  const errors: LuaTable = new Map();
  const fields = new Map(def.fields ?? []);
  const positional = (input as { [ARRAY_INPUT]?: boolean })[ARRAY_INPUT] === true;
  for (const key of Object.keys(input)) {
    const field = fields.get(key);
    if (!field) {
      errors.set(positional && /^[1-9]\d*$/.test(key) ? Number(key) : key, "unknown field");
      continue;
    }
    if (field.unvalidated) continue;
    const err = validateField(field, input[key]);
    if (err !== undefined) errors.set(key, err);
  }
  for (const [name, field] of def.fields ?? []) {
    if (field.required && (input[name] === null || (fullCheck && input[name] === undefined))) errors.set(name, "required field missing");
  }
  return errors;
}

/** Kong's `merge_values`: `top` over `bottom`, records merged field by field, arrays replaced. */
export function mergeValues(def: FieldDef, top: JsonObject, bottom: JsonObject): JsonObject {
  const out: JsonObject = { ...bottom, ...top };
  for (const [key, field] of def.fields ?? []) {
    const topValue = top[key];
    if (topValue === undefined) out[key] = bottom[key];
    else if (field.external && isTable(topValue) && !Array.isArray(topValue)) out[key] = field.external.merge(topValue, bottom[key]);
    else if (field.type === "record" && field.fields && !field.abstract && isTable(topValue) && !Array.isArray(topValue)) {
      const below = bottom[key];
      out[key] = mergeValues(field, topValue, isTable(below) && !Array.isArray(below) ? below : {});
    } else out[key] = topValue;
  }
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}
