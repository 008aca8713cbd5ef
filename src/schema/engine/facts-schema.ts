/**
 * A plugin's facts → the zod schema of its body for one target (zod/mini, as the session plugin's):
 * the fields that exist there, with the attributes they have there. Built on first use per plugin
 * and target, shared afterwards.
 */
import * as z from "zod/mini";
import type { FieldAttributes, FieldFacts, PluginFacts } from "../facts.js";
import { OWNER_TAG_PREFIX } from "../../runtime/ownership.js";
import { entitySchemaParts, LONE_SURROGATE, MESSAGES, NAME_PATTERN, nonEmptyString, oneOf, TAG_PATTERN, UUID_PATTERN } from "../plugin-schema.js";
import type { UnresolvedPredicate } from "../validate.js";
import type { ResolvedTarget } from "./target.js";

/** The attributes of a field in one data version. */
export function attributesAt(field: FieldFacts, index: number): FieldAttributes {
  for (const [mask, attributes] of field.x ?? []) if ((mask & (1 << index)) !== 0) return attributes;
  return field;
}

/** The facts of a field's child at one path segment: a record's field, a list's items, a map's values. */
export function childField(field: FieldFacts | undefined, segment: string | number): FieldFacts | undefined {
  if (field?.t === "record") return field.f?.[String(segment)];
  if (field?.t === "array") return field.i;
  if (field?.t === "map") return field.m;
  return undefined;
}

/** Whether a field exists in one data version (its parent existing). */
export function existsAt(field: FieldFacts, index: number): boolean {
  return field.v === undefined || (field.v & (1 << index)) !== 0;
}

/** The length of a string in characters (code points), as JSON Schema counts `minLength`/`maxLength`. */
export function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

export const FACT_MESSAGES = {
  between: (min: number, max: number) => `value should be between ${min} and ${max}`,
  atLeast: (min: number) => `value should be at least ${min}`,
  atMost: (max: number) => `value should be at most ${max}`,
  lengthAtLeast: (n: number) => `length must be at least ${n}`,
  lengthAtMost: (n: number) => `length must be at most ${n}`,
  pattern: (pattern: string) => `invalid value: does not match ${pattern}`,
  map: "expected a map",
} as const;

/** Builds the schema of one field at one data version. */
function fieldSchema(field: FieldFacts, index: number): z.ZodMiniType {
  const attributes = attributesAt(field, index);
  switch (attributes.t) {
    case "string": {
      if (attributes.e) return oneOf(attributes.e.map(String));
      // Kong's strings are at least 1 character unless the schema says otherwise (`len_min`)
      const min = attributes.minLen ?? 1;
      let schema = min >= 1 ? nonEmptyString() : z.string({ error: MESSAGES.string });
      const checks: z.core.$ZodCheck<string>[] = [];
      if (min > 1) checks.push(z.refine((v: string) => codePoints(v) >= min, { error: FACT_MESSAGES.lengthAtLeast(min) }));
      if (attributes.maxLen !== undefined) {
        const max = attributes.maxLen;
        checks.push(z.refine((v: string) => codePoints(v) <= max, { error: FACT_MESSAGES.lengthAtMost(max) }));
      }
      if (attributes.p !== undefined) {
        const pattern = new RegExp(attributes.p);
        checks.push(z.refine((v: string) => pattern.test(v), { error: FACT_MESSAGES.pattern(attributes.p) }));
      }
      if (checks.length > 0) schema = schema.check(...checks);
      return schema;
    }
    case "integer":
    case "number": {
      if (attributes.e) return z.union(attributes.e.map((v) => z.literal(v as number)), { error: MESSAGES.oneOf(attributes.e.map(String)) });
      const base = attributes.t === "integer" ? z.int({ error: MESSAGES.integer }) : z.number({ error: MESSAGES.number });
      const { min, max } = attributes;
      if (min !== undefined && max !== undefined) return base.check(z.gte(min, { error: FACT_MESSAGES.between(min, max) }), z.lte(max, { error: FACT_MESSAGES.between(min, max) }));
      if (min !== undefined) return base.check(z.gte(min, { error: FACT_MESSAGES.atLeast(min) }));
      if (max !== undefined) return base.check(z.lte(max, { error: FACT_MESSAGES.atMost(max) }));
      return base;
    }
    case "boolean":
      return z.boolean({ error: MESSAGES.boolean });
    case "array": {
      const array = z.array(field.i ? fieldSchema(field.i, index) : z.unknown(), { error: MESSAGES.array });
      // Kong's `len_min` / `len_max` of a list count its items
      const checks: z.core.$ZodCheck<unknown[]>[] = [];
      const { minLen, maxLen } = attributes;
      if (minLen !== undefined && minLen > 0) checks.push(z.refine((v: unknown[]) => v.length >= minLen, { error: FACT_MESSAGES.lengthAtLeast(minLen) }));
      if (maxLen !== undefined) checks.push(z.refine((v: unknown[]) => v.length <= maxLen, { error: FACT_MESSAGES.lengthAtMost(maxLen) }));
      return checks.length > 0 ? array.check(...checks) : array;
    }
    case "map":
      return z.record(z.string(), field.m ? fieldSchema(field.m, index) : z.unknown(), { error: FACT_MESSAGES.map });
    case "record":
      return recordSchema(field, index);
    case "any":
      return z.unknown();
  }
}

/** A record at one data version: its fields there; required ones without a default must be given. */
export function recordSchema(field: FieldFacts, index: number): z.ZodMiniType {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const [name, child] of Object.entries(field.f ?? {})) {
    if (!existsAt(child, index)) continue;
    const attributes = attributesAt(child, index);
    const schema = fieldSchema(child, index);
    // a required record whose fields all have defaults is filled in by Kong, like a field with a default
    shape[name] = attributes.req && !filledIn(child, index) ? schema : z.optional(schema);
  }
  return z.strictObject(shape, { error: MESSAGES.record });
}

const cache = new Map<string, z.ZodMiniType>();

/** The schema of a plugin's whole body (Kong's names) at a target. */
export function pluginBodySchema(facts: PluginFacts, target: ResolvedTarget): z.ZodMiniType {
  const key = `${facts.name}|${target.edition}|${target.dataIndex}`;
  let schema = cache.get(key);
  if (schema) return schema;
  const parts = entitySchemaParts();
  const shape: Record<string, z.ZodMiniType> = {
    name: z.literal(facts.name, { error: `expected ${JSON.stringify(facts.name)}` }),
    ...parts.fields,
    protocols: z.optional(fieldSchema(facts.protocols, target.dataIndex)),
    // a custom plugin's config (`any`) is Kong's alone; a few plugins publish theirs as a map in some versions
    config:
      facts.config.t === "any"
        ? z.optional(z.unknown())
        : attributesAt(facts.config, target.dataIndex).t !== "record"
          ? z.optional(fieldSchema(facts.config, target.dataIndex))
          : attributesAt(facts.config, target.dataIndex).req && !hasDefaults(facts.config) ? recordSchema(facts.config, target.dataIndex) : z.optional(recordSchema(facts.config, target.dataIndex)),
  };
  for (const [scope, mask] of Object.entries(facts.scopes)) {
    if ((mask & (1 << target.dataIndex)) !== 0) shape[scope] = z.optional(parts.foreign(scope === "consumer" ? "username" : "name"));
  }
  schema = z.strictObject(shape, { error: MESSAGES.record });
  cache.set(key, schema);
  return schema;
}

/**
 * Whether a plugin body is valid at a target, decided over the facts without building or running its
 * schema: true only when {@link pluginBodySchema} would find no problem that the validator reports
 * (values that are references pass, as there), false whenever it is not sure. Each field present is
 * checked once, by the rules the schema is built from, and the fields absent cost nothing: a body of
 * three fields of a plugin of 250 is three checks, where the parse visits all 250. Most bodies are
 * valid, so a stack of a thousand plugins builds no schema; an invalid one is parsed, and the parse
 * says what is wrong. The tests hold the two to the same verdict on every plugin's generated bodies.
 */
export function acceptsQuickly(facts: PluginFacts, body: unknown, target: ResolvedTarget, isUnresolved: UnresolvedPredicate): boolean {
  if (!isPlainRecord(body) || body.name !== facts.name) return false;
  const index = target.dataIndex;
  for (const key in body) {
    const value = body[key];
    // null: unset, as the parse takes it; undefined: unset too, where the field exists
    if (value === null || isUnresolved(value) || (value === undefined && OPTIONAL_ENTITY_FIELDS.has(key))) continue;
    switch (key) {
      case "name":
        continue;
      case "config":
        if (!configAccepted(facts, value, index, isUnresolved)) return false;
        continue;
      case "protocols":
        if (!accepted(facts.protocols, value, index, isUnresolved)) return false;
        continue;
      case "id":
        if (!isUuid(value)) return false;
        continue;
      case "instance_name":
        if (typeof value !== "string" || !NAME_PATTERN.test(value) || LONE_SURROGATE.test(value)) return false;
        continue;
      case "enabled":
        if (typeof value !== "boolean") return false;
        continue;
      case "tags":
        if (!Array.isArray(value) || !value.every((tag) => isUnresolved(tag) || isTag(tag))) return false;
        continue;
      case "route":
      case "service":
      case "consumer":
      case "consumer_group": {
        const mask = facts.scopes[key];
        if (mask === undefined || (mask & (1 << index)) === 0) return false;
        if (value === undefined) continue;
        if (!isPlainRecord(value)) return false;
        for (const field in value) if (field !== "id") return false;
        if (!isUnresolved(value.id) && !isUuid(value.id)) return false;
        continue;
      }
      default:
        // the rarer entity fields (ordering, partials, condition, timestamps) and unknown ones: the parse decides
        return false;
    }
  }
  // an absent config passes when Kong fills it in
  return (body.config !== undefined && body.config !== null) || facts.config.t === "any" || !attributesAt(facts.config, index).req || hasDefaults(facts.config);
}

/** The entity fields the quick proof decides, every one optional. */
const OPTIONAL_ENTITY_FIELDS = new Set(["config", "protocols", "id", "instance_name", "enabled", "tags"]);

function configAccepted(facts: PluginFacts, value: unknown, index: number, isUnresolved: UnresolvedPredicate): boolean {
  return facts.config.t === "any" || accepted(facts.config, value, index, isUnresolved);
}

const isPlainRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
const isUuid = (value: unknown) => typeof value === "string" && UUID_PATTERN.test(value);
const isTag = (value: unknown) => typeof value === "string" && TAG_PATTERN.test(value) && !LONE_SURROGATE.test(value) && !value.startsWith(OWNER_TAG_PREFIX);

const patterns = new Map<string, RegExp>();

/** Whether a value (not null) passes the field's schema at one data version, as {@link fieldSchema} builds it. */
function accepted(field: FieldFacts, value: unknown, index: number, isUnresolved: UnresolvedPredicate): boolean {
  if (isUnresolved(value)) return true;
  const attributes = attributesAt(field, index);
  switch (attributes.t) {
    case "string": {
      if (typeof value !== "string") return false;
      if (attributes.e) return attributes.e.some((allowed) => String(allowed) === value);
      const min = attributes.minLen ?? 1;
      if (min >= 1 && (value.length === 0 || LONE_SURROGATE.test(value))) return false;
      if ((min > 1 || attributes.maxLen !== undefined) && !withinLength(codePoints(value), min, attributes.maxLen)) return false;
      if (attributes.p !== undefined) {
        let pattern = patterns.get(attributes.p);
        if (!pattern) patterns.set(attributes.p, (pattern = new RegExp(attributes.p)));
        if (!pattern.test(value)) return false;
      }
      return true;
    }
    case "integer":
    case "number": {
      if (typeof value !== "number") return false;
      if (attributes.e) return attributes.e.includes(value);
      if (attributes.t === "integer" ? !Number.isSafeInteger(value) : !Number.isFinite(value)) return false;
      return (attributes.min === undefined || value >= attributes.min) && (attributes.max === undefined || value <= attributes.max);
    }
    case "boolean":
      return typeof value === "boolean";
    case "array": {
      if (!Array.isArray(value) || !withinLength(value.length, attributes.minLen ?? 0, attributes.maxLen)) return false;
      const item = field.i;
      return item === undefined || value.every((v) => v !== null && v !== undefined && accepted(item, v, index, isUnresolved));
    }
    case "map": {
      if (!isPlainRecord(value)) return false;
      const item = field.m;
      if (item === undefined) return true;
      for (const key in value) {
        const v = value[key];
        if (v === undefined || (v !== null && !accepted(item, v, index, isUnresolved))) return false;
      }
      return true;
    }
    case "record": {
      if (!isPlainRecord(value)) return false;
      const fields = field.f ?? {};
      for (const key in value) {
        const v = value[key];
        if (v === null) continue; // unset
        const child = Object.hasOwn(fields, key) ? fields[key] : undefined;
        if (child === undefined || !existsAt(child, index)) return false;
        if (v !== undefined && !accepted(child, v, index, isUnresolved)) return false; // undefined: as absent
      }
      for (const name of requiredAt(field, index)) if (value[name] === undefined || value[name] === null) return false;
      return true;
    }
    case "any":
      return true;
  }
}

const withinLength = (length: number, min: number, max: number | undefined) => length >= min && (max === undefined || length <= max);

const required = new WeakMap<FieldFacts, Map<number, readonly string[]>>();

/** The fields of a record that must be given at one data version: required, and neither defaulted nor filled in by Kong. */
function requiredAt(record: FieldFacts, index: number): readonly string[] {
  let byIndex = required.get(record);
  if (!byIndex) required.set(record, (byIndex = new Map()));
  let names = byIndex.get(index);
  if (!names) {
    names = Object.entries(record.f ?? {})
      .filter(([, child]) => existsAt(child, index) && !filledIn(child, index) && attributesAt(child, index).req === true)
      .map(([name]) => name);
    byIndex.set(index, names);
  }
  return names;
}

/** A field Kong fills in when it is not given: one with a default, or a record whose fields all have one. */
function filledIn(field: FieldFacts, index: number): boolean {
  const attributes = attributesAt(field, index);
  return attributes.d !== undefined || (attributes.t === "record" && hasDefaults(field));
}

/** Whether a record is complete without input: no required field lacks a default. */
function hasDefaults(record: FieldFacts): boolean {
  return Object.values(record.f ?? {}).every((child) => !child.req || child.d !== undefined);
}
