/**
 * A plugin's facts → the zod schema of its body for one target (zod/mini, as the session plugin's):
 * the fields that exist there, with the attributes they have there. Built on first use per plugin
 * and target, shared afterwards.
 */
import * as z from "zod/mini";
import type { FieldAttributes, FieldFacts, PluginFacts } from "../facts.js";
import { entitySchemaParts, MESSAGES, nonEmptyString, oneOf } from "../plugin-schema.js";
import type { ResolvedTarget } from "./target.js";

/** The attributes of a field in one data version. */
export function attributesAt(field: FieldFacts, index: number): FieldAttributes {
  for (const [mask, attributes] of field.x ?? []) if ((mask & (1 << index)) !== 0) return attributes;
  return field;
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
function recordSchema(field: FieldFacts, index: number): z.ZodMiniType {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const [name, child] of Object.entries(field.f ?? {})) {
    if (!existsAt(child, index)) continue;
    const attributes = attributesAt(child, index);
    const schema = fieldSchema(child, index);
    // a required record whose fields all have defaults is filled in by Kong, like a field with a default
    const filled = attributes.d !== undefined || (attributes.t === "record" && hasDefaults(child));
    shape[name] = attributes.req && !filled ? schema : z.optional(schema);
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
    if ((mask & (1 << target.dataIndex)) !== 0) shape[scope] = z.optional(parts.foreign);
  }
  schema = z.strictObject(shape, { error: MESSAGES.record });
  cache.set(key, schema);
  return schema;
}

/** Whether a record is complete without input: no required field lacks a default. */
function hasDefaults(record: FieldFacts): boolean {
  return Object.values(record.f ?? {}).every((child) => !child.req || child.d !== undefined);
}
