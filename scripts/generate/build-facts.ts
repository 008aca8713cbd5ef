/**
 * Kong's per-version JSON Schemas of one plugin → its facts (src/schema/facts.ts): one tree over all
 * versions, each field with the versions that have it and the attributes that differ between them.
 */
import type { FactKind, FieldAttributes, FieldFacts, PluginFacts } from "../../src/schema/facts.js";
import { KONG_GENERATED_FIELDS } from "../../src/schema/kong-generated.js";
import type { KongData, SchemaNode } from "./kong-data.js";

/** A field in the versions that have it: version index → its JSON Schema node (and whether required). */
export type Sources = Map<number, { readonly node: SchemaNode; readonly required: boolean; readonly referenceable: boolean }>;

const maskOf = (indexes: Iterable<number>) => [...indexes].reduce((mask, i) => mask | (1 << i), 0);

/**
 * Kong writes `match` rules as Lua patterns (`%.` is a literal dot, `%%` a percent sign, `%w` a word
 * character); the JSON Schemas carry them as they are. The same rule as a JavaScript regular expression.
 */
export function luaPatternToRegExp(pattern: string): string {
  const classes: Record<string, string> = { a: "A-Za-z", d: "0-9", l: "a-z", s: "\\s", u: "A-Z", w: "A-Za-z0-9", x: "A-Fa-f0-9", p: "!-/:-@\\[-`{-~" };
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "%" && i + 1 < pattern.length) {
      const next = pattern[++i]!;
      const cls = classes[next];
      if (cls) out += inClass ? cls : `[${cls}]`;
      else out += /[A-Za-z0-9]/.test(next) ? next : `\\${next}`;
      continue;
    }
    if (c === "[" && !inClass) inClass = true;
    else if (c === "]" && inClass) inClass = false;
    // a backslash before a character without a meaning of its own: the character itself
    if (c === "\\" && i + 1 < pattern.length && /[`'"/]/.test(pattern[i + 1]!)) {
      out += pattern[++i];
      continue;
    }
    out += c;
  }
  return out;
}

function kindOf(node: SchemaNode): FactKind {
  if (node.oneOf) return "any";
  switch (node.type) {
    case "string":
    case "integer":
    case "number":
    case "boolean":
    case "array":
      return node.type;
    case "object":
      if (node["x-foreign"] || node.properties) return "record";
      return "map";
    default:
      return "any";
  }
}

function attributesOf(source: { node: SchemaNode; required: boolean; referenceable: boolean; generated?: boolean }): FieldAttributes {
  const { node } = source;
  const t = kindOf(node);
  const attributes: { -readonly [K in keyof FieldAttributes]: FieldAttributes[K] } = { t };
  if (node.default !== undefined && node.default !== null) attributes.d = node.default;
  if (node.enum) attributes.e = node.enum.filter((v): v is string | number => typeof v === "string" || typeof v === "number");
  if (node.minimum !== undefined) attributes.min = node.minimum;
  if (node.maximum !== undefined) attributes.max = node.maximum;
  if (node.minLength !== undefined) attributes.minLen = node.minLength;
  if (node.maxLength !== undefined) attributes.maxLen = node.maxLength;
  if (node.pattern !== undefined) attributes.p = luaPatternToRegExp(node.pattern);
  if (source.required) attributes.req = true;
  if (node["x-encrypted"]) attributes.enc = true;
  if (node["x-referenceable"] || source.referenceable) attributes.ref = true;
  if (source.generated) {
    // Kong makes the value: a published default is one random value, "required" means "always set"
    delete attributes.d;
    delete attributes.req;
    attributes.g = true;
  }
  return attributes;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * One field over the versions that have it. `parentMask`: the versions its parent exists in; the
 * field's own `v` is written only when it differs. `path`: Kong's dotted path, for referenceable lists.
 */
export function buildField(sources: Sources, parentMask: number, path: string, data: PluginData): FieldFacts {
  const indexes = [...sources.keys()].sort((a, b) => a - b);
  const mask = maskOf(indexes);
  const newest = indexes[indexes.length - 1]!;
  const generated = data.generated(path);
  const base = attributesOf({ ...sources.get(newest)!, generated });
  const others = new Map<string, { mask: number; attributes: FieldAttributes }>();
  for (const index of indexes) {
    const attributes = attributesOf({ ...sources.get(index)!, generated });
    if (same(attributes, base)) continue;
    const key = JSON.stringify(attributes);
    const group = others.get(key) ?? { mask: 0, attributes };
    group.mask |= 1 << index;
    others.set(key, group);
  }
  const field: { -readonly [K in keyof FieldFacts]: FieldFacts[K] } = { ...base };
  if (mask !== parentMask) field.v = mask;
  if (others.size > 0) field.x = [...others.values()].map((g) => [g.mask, g.attributes] as const);

  // children: record fields (the newest order first, then fields only older versions have), items, map values
  const children = new Map<string, Sources>();
  const items: Sources = new Map();
  const values: Sources = new Map();
  for (const index of [...indexes].reverse()) {
    const { node } = sources.get(index)!;
    const kind = kindOf(node);
    if (kind === "record") {
      const properties = node.properties ?? (node["x-foreign"] ? { id: { type: "string" } } : {});
      for (const [name, child] of Object.entries(properties)) {
        const childSources = children.get(name) ?? new Map();
        const childPath = `${path}.${name}`;
        childSources.set(index, { node: child, required: (node.required ?? []).includes(name), referenceable: data.referenceable(index, childPath) });
        children.set(name, childSources);
      }
    } else if (kind === "array" && node.items) {
      items.set(index, { node: node.items, required: false, referenceable: data.referenceable(index, `${path}[]`) });
    } else if (kind === "map") {
      const additional = typeof node.additionalProperties === "object" ? node.additionalProperties : {};
      values.set(index, { node: additional, required: false, referenceable: false });
    }
  }
  if (children.size > 0) {
    field.f = Object.fromEntries([...children].map(([name, childSources]) => [name, buildField(childSources, mask, `${path}.${name}`, data)]));
  } else if (base.t === "record") {
    field.f = {};
  }
  if (items.size > 0) field.i = buildField(items, maskOf(items.keys()), `${path}[]`, data);
  if (values.size > 0) field.m = buildField(values, maskOf(values.keys()), `${path}{}`, data);
  return field;
}

export interface PluginData {
  referenceable(index: number, path: string): boolean;
  /** whether Kong generates the field's value (the hand table of `kong-generated.ts`) */
  generated(path: string): boolean;
}

/** The facts of one plugin. */
export function buildPluginFacts(name: string, kong: KongData): PluginFacts {
  const byVersion = kong.schemas.get(name)!;
  const indexes = kong.versions.map((v, i) => [v, i] as const).filter(([v]) => byVersion.has(v));
  const ee = maskOf(indexes.map(([, i]) => i));
  const data: PluginData = {
    referenceable: (index, path) => kong.referenceable.get(name)?.get(kong.versions[index]!)?.has(path) ?? false,
    generated: (path) => (KONG_GENERATED_FIELDS[name] ?? []).includes(path),
  };
  const top = (field: string): Sources => {
    const sources: Sources = new Map();
    for (const [version, index] of indexes) {
      const node = byVersion.get(version)!.properties?.[field];
      if (node) sources.set(index, { node, required: (byVersion.get(version)!.required ?? []).includes(field), referenceable: false });
    }
    return sources;
  };
  const config = top("config");
  const protocols = top("protocols");
  const scopes: Record<string, number> = {};
  for (const scope of ["route", "service", "consumer", "consumer_group"]) {
    const sources = top(scope);
    if (sources.size > 0) scopes[scope] = maskOf(sources.keys());
  }
  const partials: Record<string, number> = {};
  for (const [version, index] of indexes) {
    for (const partial of byVersion.get(version)!["x-supported-partials"] ?? []) partials[partial.name] = (partials[partial.name] ?? 0) | (1 << index);
  }
  let oss = 0;
  kong.ossVersions.forEach((version, i) => {
    if (kong.ossPlugins.get(version)!.has(name)) oss |= 1 << i;
  });
  return {
    name,
    ee,
    oss,
    protocols: buildField(protocols, ee, "protocols", data),
    scopes,
    config: config.size > 0 ? buildField(config, ee, "config", data) : { t: "record", f: {} },
    ...(Object.keys(partials).length > 0 ? { partials } : {}),
  };
}
