/**
 * Kong's rules of plugin configs that a JSON Schema cannot express (the rules of each plugin are in
 * plugin-rules.ts, written from its `schema.lua`), run the way Kong's schema library runs them
 * (kong/db/schema/init.lua):
 *
 * - field `custom_validator`s (and the `typedefs` that carry one: `header_name`, `ip_or_cidr`, `path`,
 *   `host`), run after the field's other validators, so only where the JSON Schema found nothing;
 * - the config record's own `custom_validator`, run only when every field of the record is valid,
 *   its message put at `config`;
 * - the plugin schema's `entity_checks` (`at_least_one_of`, `only_one_of`, `conditional`, …), run
 *   over the whole plugin with Kong's dotted names (`config.second`); their messages go to the
 *   `@entity` list, a `conditional`'s field error to the field itself.
 */
import { KongInternalError } from "./kong-errors.js";
import { errorAt, putError, type LuaTable, type LuaValue } from "./lua-compat.js";
import type { JsonSchemaNode } from "./plugin-catalog.js";

type JsonObject = Record<string, unknown>;

/** A field's validators in an entity check (`if_match`, `then_match`): a subset of Kong's. */
export interface FieldMatch {
  readonly eq?: string | number | boolean;
  readonly gt?: number;
  readonly required?: boolean;
  readonly contains?: string;
  readonly one_of?: readonly string[];
}

/** One entity check, as a plugin's `schema.lua` declares it. */
export type EntityCheck =
  | { readonly at_least_one_of: readonly string[] }
  | { readonly only_one_of: readonly string[] }
  | { readonly mutually_required: readonly string[] }
  | { readonly mutually_exclusive: readonly string[] }
  | { readonly conditional: { readonly if_field: string; readonly if_match: FieldMatch; readonly then_field: string; readonly then_match: FieldMatch; readonly then_err?: string } }
  | {
      readonly conditional_at_least_one_of: {
        readonly if_field: string;
        readonly if_match: FieldMatch;
        readonly then_at_least_one_of: readonly string[];
        readonly then_err?: string;
        readonly else_match?: FieldMatch;
        readonly else_then_at_least_one_of?: readonly string[];
        readonly else_then_err?: string;
      };
    }
  | { readonly custom_entity_check: { readonly field_sources: readonly string[]; readonly fn: (entity: JsonObject) => string | undefined } };

/** A `custom_validator` of the strings at a config path (`origins[]`: every item of `origins`). */
export interface FieldValidator {
  readonly path: string;
  readonly check: (value: string) => string | undefined;
}

/** The rules of one plugin's config beyond its JSON Schema. */
export interface PluginRules {
  readonly name: string;
  readonly fields?: readonly FieldValidator[];
  /** the config record's `custom_validator` (its message is put at `config`) */
  readonly config?: (config: JsonObject) => string | undefined;
  readonly entityChecks?: readonly EntityCheck[];
}

// ---------------------------------------------------------------------------------------------
// Running them
// ---------------------------------------------------------------------------------------------

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

function valuesAt(value: unknown, segments: readonly string[], at: Array<string | number>, out: Array<{ path: Array<string | number>; value: unknown }>): void {
  if (segments.length === 0) {
    out.push({ path: at, value });
    return;
  }
  const [head, ...rest] = segments as [string, ...string[]];
  const each = head.endsWith("[]");
  const name = each ? head.slice(0, -2) : head;
  if (!isObject(value)) return;
  const next = value[name];
  if (!each) return valuesAt(next, rest, [...at, name], out);
  if (Array.isArray(next)) next.forEach((item, i) => valuesAt(item, rest, [...at, name, i + 1], out));
}

/**
 * The config-level rules, at the end of the config's `validate_field` (ConfigValidator.validate):
 * field custom validators into `table`, then the record's custom validator when `table` is still
 * empty. A message for the whole config, or undefined.
 */
export function runConfigRules(rules: PluginRules | undefined, data: Record<string, unknown>, table: LuaTable, _schema: JsonSchemaNode): string | undefined {
  if (rules === undefined) return undefined;
  for (const { path, check } of rules.fields ?? []) {
    const found: Array<{ path: Array<string | number>; value: unknown }> = [];
    valuesAt(data, path.split("."), [], found);
    for (const { path: where, value } of found) {
      if (typeof value !== "string" || errorAt(table, where) !== undefined) continue;
      if (value.startsWith("{vault://") && value.endsWith("}")) continue;
      const message = check(value);
      if (message !== undefined) putError(table, where, message);
    }
  }
  if (table.size > 0 || rules.config === undefined) return undefined;
  return rules.config(data);
}

// Kong's entity checkers (kong/db/schema/init.lua `Schema.entity_checkers`)

/** `get_field`: a dotted path in a Lua table; undefined is Lua's nil. */
function getField(table: unknown, name: string): unknown {
  if (table === undefined || table === null) return undefined;
  if (typeof table === "number" || typeof table === "boolean") throw new KongInternalError(`attempt to index a ${typeof table} value`);
  if (typeof table !== "object" || Array.isArray(table)) return undefined;
  const dot = name.indexOf(".");
  if (dot < 0) return (table as JsonObject)[name];
  return getField((table as JsonObject)[name.slice(0, dot)], name.slice(dot + 1));
}

/** `set_field` on the error table: a message at a dotted path (Lua raises an error when a message is in the way). */
function setField(errors: LuaTable, name: string, value: LuaValue): void {
  const dot = name.indexOf(".");
  if (dot < 0) {
    errors.set(name, value);
    return;
  }
  const head = name.slice(0, dot);
  let sub = errors.get(head);
  if (sub === undefined) {
    sub = new Map();
    errors.set(head, sub);
  }
  if (!(sub instanceof Map)) throw new KongInternalError("attempt to index a string value");
  setField(sub, name.slice(dot + 1), value);
}

/** `is_nonempty`. */
function nonEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (typeof value === "object") return Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0;
  return true;
}

const quotedList = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(", ");

/** The schema node of a dotted entity path (`config.redis.host`), within the config's schema. */
function nodeOf(config: JsonSchemaNode, name: string): JsonSchemaNode | undefined {
  const [head, ...rest] = name.split(".");
  if (head !== "config") return undefined;
  let node: JsonSchemaNode | undefined = config;
  for (const segment of rest) node = node?.properties?.[segment];
  return node;
}

const TYPE_MESSAGE: Record<string, string> = { string: "expected a string", number: "expected a number", integer: "expected an integer", boolean: "expected a boolean", array: "expected an array" };

/** `validate_field` of a value against a match table that inherits the field's attributes. */
function matches(match: FieldMatch, node: JsonSchemaNode | undefined, required: boolean, value: unknown): string | undefined {
  if (value === null || value === undefined) {
    if (match.eq !== undefined) return `value must be ${String(match.eq)}`;
    return (match.required ?? required) ? "required field missing" : undefined;
  }
  const type = node?.type;
  if (type === "array" && !Array.isArray(value)) return "expected an array";
  if (type === "integer" && !(typeof value === "number" && Number.isInteger(value))) return TYPE_MESSAGE[type];
  if ((type === "string" || type === "number" || type === "boolean") && typeof value !== type) return TYPE_MESSAGE[type];
  if (match.eq !== undefined && value !== match.eq) return `value must be ${String(match.eq)}`;
  const oneOf = match.one_of ?? (type !== "array" ? (node?.enum as readonly string[] | undefined) : undefined);
  if (oneOf && !oneOf.includes(value as string)) return `expected one of: ${oneOf.join(", ")}`;
  if (match.gt !== undefined && !((value as number) > match.gt)) return `value must be greater than ${match.gt}`;
  if (match.contains !== undefined && !(value as unknown[]).includes(match.contains)) return `expected to contain: ${match.contains}`;
  return undefined;
}

interface Checker {
  readonly runWithMissing: boolean;
  /** `run_with_invalid_fields` (only top-level names can have an error of their own) */
  readonly runWithInvalid?: boolean;
  /** the argument's field names, and those of them that must be present */
  readonly fields: (arg: never) => { all: readonly string[]; required: ReadonlySet<string> };
  readonly fn: (entity: JsonObject, arg: never, config: JsonSchemaNode, required: (name: string) => boolean, errors: LuaTable) => { err: string; err2?: string } | undefined;
}

const listFields = (arg: readonly string[]) => ({ all: arg, required: new Set(arg) });

const CHECKERS: Record<string, Checker> = {
  at_least_one_of: {
    runWithMissing: true,
    runWithInvalid: true,
    fields: listFields,
    fn: (entity, names: readonly string[]) => (names.some((n) => nonEmpty(getField(entity, n))) ? undefined : { err: `at least one of these fields must be non-empty: ${quotedList(names)}` }),
  },
  only_one_of: {
    runWithMissing: false,
    runWithInvalid: true,
    fields: listFields,
    fn: (entity, names: readonly string[]) => (names.filter((n) => nonEmpty(getField(entity, n))).length === 1 ? undefined : { err: `exactly one of these fields must be non-empty: ${quotedList(names)}` }),
  },
  mutually_required: {
    runWithMissing: true,
    fields: listFields,
    fn: (entity, names: readonly string[]) => {
      const set = names.filter((n) => nonEmpty(getField(entity, n))).length;
      return set === 0 || set === names.length ? undefined : { err: `all or none of these fields must be set: ${quotedList(names)}` };
    },
  },
  mutually_exclusive: {
    runWithMissing: true,
    fields: listFields,
    fn: (entity, names: readonly string[]) =>
      names.filter((n) => nonEmpty(getField(entity, n))).length <= 1 ? undefined : { err: `only one or none of these fields must be set: ${quotedList(names)}` },
  },
  conditional: {
    runWithMissing: false,
    runWithInvalid: true,
    fields: (arg: { if_field: string; then_field: string }) => ({ all: [arg.if_field, arg.then_field], required: new Set([arg.if_field]) }),
    fn: (entity, arg: Extract<EntityCheck, { conditional: unknown }>["conditional"], config, required, errors) => {
      const ifValue = getField(entity, arg.if_field);
      const thenValue = getField(entity, arg.then_field) ?? null;
      if (matches(arg.if_match, nodeOf(config, arg.if_field), required(arg.if_field), ifValue) !== undefined) return undefined;
      const failed = { err: `failed conditional validation given value of field '${arg.if_field}'`, err2: arg.then_err?.replace("%s", arg.if_field) };
      if (arg.then_match.required === true && thenValue === null) {
        setField(errors, arg.then_field, "required field missing");
        return { err: failed.err };
      }
      const err = matches(arg.then_match, nodeOf(config, arg.then_field), required(arg.then_field), thenValue);
      if (err === undefined) return undefined;
      setField(errors, arg.then_field, err);
      return failed;
    },
  },
  conditional_at_least_one_of: {
    runWithMissing: true,
    runWithInvalid: true,
    fields: (arg: { if_field: string; then_at_least_one_of: readonly string[]; else_then_at_least_one_of?: readonly string[] }) => ({
      all: [arg.if_field, ...arg.then_at_least_one_of, ...(arg.else_then_at_least_one_of ?? [])],
      required: new Set([arg.if_field]),
    }),
    fn: (entity, arg: Extract<EntityCheck, { conditional_at_least_one_of: unknown }>["conditional_at_least_one_of"], config, required) => {
      const ifValue = getField(entity, arg.if_field);
      if (ifValue === undefined) return undefined;
      const node = nodeOf(config, arg.if_field);
      let names = arg.then_at_least_one_of;
      let custom = arg.then_err;
      if (matches(arg.if_match, node, required(arg.if_field), ifValue) !== undefined) {
        if (arg.else_match === undefined || matches(arg.else_match, node, required(arg.if_field), ifValue) !== undefined) return undefined;
        names = arg.else_then_at_least_one_of ?? [];
        custom = arg.else_then_err;
      }
      if (names.some((n) => nonEmpty(getField(entity, n)))) return undefined;
      const list = quotedList(names);
      return { err: `at least one of these fields must be non-empty: ${list}`, err2: custom?.replace("%s", list) };
    },
  },
  custom_entity_check: {
    runWithMissing: false,
    fields: (arg: { field_sources: readonly string[] }) => ({ all: arg.field_sources, required: new Set(arg.field_sources) }),
    fn: (entity, arg: { fn: (entity: JsonObject) => string | undefined }) => {
      const err = arg.fn(entity);
      return err === undefined ? undefined : { err, err2: err };
    },
  },
};

/** Adds a message to the entity-level errors of Kong's error table (`@entity`). */
export function entityError(errors: LuaTable, message: string): void {
  let list = errors.get("@entity");
  if (!(list instanceof Map)) {
    list = new Map();
    errors.set("@entity", list);
  }
  list.set(list.size + 1, message);
}

/** A vault reference (`{vault://…}`), which Kong's checks let stand for a value. */
export const isReference = (value: unknown): boolean => typeof value === "string" && value.startsWith("{vault://") && value.endsWith("}");

/**
 * `run_entity_checks` of a plugin's subschema over the whole plugin (`entity`: its config as Kong
 * holds it, every absent field null), adding to Kong's error table.
 */
export function runEntityChecks(rules: PluginRules | undefined, entity: JsonObject, config: JsonSchemaNode, fullCheck: boolean, errors: LuaTable): void {
  const requiredIn = (name: string): boolean => {
    const parts = name.split(".");
    const field = parts.pop()!;
    const parent = parts.length === 1 ? config : nodeOf(config, parts.join("."));
    return parent?.required?.includes(field) ?? false;
  };
  for (const check of rules?.entityChecks ?? []) {
    const [name, arg] = Object.entries(check)[0] as [string, never];
    const checker = CHECKERS[name]!;
    const { all, required } = checker.fields(arg);
    const missing: string[] = [];
    let allNil = true;
    let skip = false;
    let invalid = false;
    for (const field of all) {
      if (errors.has(field)) invalid = true;
      const value = getField(entity, field);
      if (value === undefined) {
        if (!checker.runWithMissing && required.has(field)) missing.push(field);
      } else {
        allNil = false;
        const node = nodeOf(config, field);
        if (node?.type === "string" && node["x-referenceable"] && isReference(value)) skip = true;
      }
    }
    if (skip || (invalid && !checker.runWithInvalid)) continue;
    if (allNil && !(checker.runWithMissing && fullCheck)) continue;
    if (missing.length > 0) {
      for (const field of missing) setField(errors, field, "field required for entity check");
      continue;
    }
    const failed = checker.fn(entity, arg, config, requiredIn, errors);
    if (failed) entityError(errors, failed.err2 ?? failed.err);
  }
}
