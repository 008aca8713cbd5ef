/**
 * fast-check arbitraries of plugin configurations, drawn from the library's tables of facts: values
 * right for a field, wrong in kind, out of an enum or a bound, and names no field has.
 */
import fc from "fast-check";
import { attributesAt, existsAt } from "../../src/schema/engine/facts-schema.js";
import type { FieldFacts } from "../../src/schema/facts.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A value that is right for the field at the data version (records: some of their fields). */
export function valid(field: FieldFacts, index: number, depth: number): fc.Arbitrary<Json> {
  const a = attributesAt(field, index);
  if (a.e && a.e.length > 0) return fc.constantFrom(...(a.e as Json[]));
  switch (a.t) {
    case "boolean":
      return fc.boolean();
    case "integer":
    case "number": {
      const min = a.min ?? -1000;
      const max = a.max ?? 100_000;
      return a.t === "integer" ? fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER)) }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case "string":
      // a pattern or a length bound: the default, when Kong has one, is a value Kong takes
      if (a.p !== undefined || a.minLen !== undefined || a.maxLen !== undefined) return typeof a.d === "string" ? fc.constant(a.d) : fc.constant("placeholder-value");
      return fc.constantFrom("a", "value-1", "X-Header", "https://example.com/path");
    case "array": {
      if (!field.i || depth > 2) return fc.constant([]);
      const minLength = a.minLen ?? 0;
      return fc.uniqueArray(valid(field.i, index, depth + 1), { minLength, maxLength: Math.max(minLength, Math.min(a.maxLen ?? 2, 2)), selector: (v) => JSON.stringify(v) });
    }
    case "map":
      if (!field.m || depth > 2) return fc.constant({});
      return fc.dictionary(fc.constantFrom("k1", "k2"), valid(field.m, index, depth + 1), { maxKeys: 2 });
    case "record":
      return depth > 2 ? fc.constant({}) : record(field, index, depth + 1, false);
    default:
      return fc.constant("any");
  }
}

/** A value that is wrong for the field: of another kind, outside its enum or bounds. */
export function invalid(field: FieldFacts, index: number): fc.Arbitrary<Json> {
  const a = attributesAt(field, index);
  const wrongKind: Json[] = a.t === "string" ? [12, true] : a.t === "boolean" ? ["yes", 1] : a.t === "integer" || a.t === "number" ? ["12", false] : a.t === "array" ? ["item"] : a.t === "record" || a.t === "map" ? ["record", 3] : [];
  const choices: Array<fc.Arbitrary<Json>> = wrongKind.length > 0 ? [fc.constantFrom(...wrongKind)] : [];
  if (a.e && a.e.length > 0 && typeof a.e[0] === "string") choices.push(fc.constant("not-one-of-them"));
  if (a.max !== undefined && a.max < Number.MAX_SAFE_INTEGER) choices.push(fc.constant(a.max + 1));
  if (a.min !== undefined && a.min > -Number.MAX_SAFE_INTEGER) choices.push(fc.constant(a.min - 1));
  if (a.t === "integer") choices.push(fc.constant(1.5));
  if (a.t === "array" && a.minLen !== undefined && a.minLen > 0) choices.push(fc.constant([]));
  return choices.length > 0 ? fc.oneof(...choices) : valid(field, index, 3);
}

/** A record with its required fields (valid values) and a few others, each right or wrong; sometimes an unknown name. */
export function record(field: FieldFacts, index: number, depth: number, withErrors: boolean): fc.Arbitrary<Json> {
  const fields = Object.entries(field.f ?? {}).filter(([, child]) => existsAt(child, index) && !attributesAt(child, index).g);
  const required = fields.filter(([, child]) => attributesAt(child, index).req && attributesAt(child, index).d === undefined);
  const optional = fields.filter(([, child]) => !(attributesAt(child, index).req && attributesAt(child, index).d === undefined));
  const value = (child: FieldFacts) => (withErrors ? fc.oneof({ weight: 5, arbitrary: valid(child, index, depth) }, { weight: 1, arbitrary: invalid(child, index) }) : valid(child, index, depth));
  const base = fc.record(Object.fromEntries(required.map(([name, child]) => [name, valid(child, index, depth)])) as Record<string, fc.Arbitrary<Json>>);
  const extra =
    optional.length === 0
      ? fc.constant({})
      : fc.uniqueArray(fc.constantFrom(...optional), { maxLength: Math.min(3, optional.length), selector: ([name]) => name }).chain((picked) =>
          fc.record(Object.fromEntries(picked.map(([name, child]) => [name, value(child)])) as Record<string, fc.Arbitrary<Json>>),
        );
  const unknown = withErrors ? fc.oneof({ weight: 7, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: fc.constant({ not_a_field_of_this_plugin: 1 }) }) : fc.constant({});
  return fc.tuple(base, extra, unknown).map(([r, e, u]) => ({ ...r, ...e, ...(u as object) }) as Json);
}
