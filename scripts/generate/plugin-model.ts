/**
 * One plugin's facts read as its typed props: the records (one interface each, named by the PascalCase
 * of their path), every prop with its TypeScript type, whether it must be given, and sentences of facts
 * (kind, enum, bounds, secret and vault markers, the versions that have it, what other versions differ
 * in, Kong's default). The construct emitter and the docs emitter both print this model, so the code and
 * the reference pages cannot disagree. Never a sentence of Kong's documentation.
 */
import { attributesAt, existsAt } from "../../src/schema/engine/facts-schema.js";
import { describeMask, describeOssMask } from "../../src/schema/engine/target.js";
import type { FactKind, FieldAttributes, FieldFacts, PluginFacts } from "../../src/schema/facts.js";
import { PROTOCOLS } from "../../src/schema/fields.js";
import { constructName, propName, resourceName } from "../../src/schema/naming.js";

/** One prop of a record (or of the plugin entity). */
export interface PropModel {
  /** Kong's field name */
  readonly kong: string;
  /** the prop name (the naming rule's camelCase) */
  readonly prop: string;
  /** `config.redis.port`, `config.tools[].name`, `config.limits.*.minute` */
  readonly kongPath: string;
  /** the same path in props */
  readonly propPath: string;
  /** the TypeScript type */
  readonly type: string;
  /** must be given (required without a default in every version that has it) */
  readonly required: boolean;
  /** the one-line summary: a sentence of facts */
  readonly summary: string;
  /** sentences of detail: the Kong field, availability, bounds, what other versions differ in */
  readonly details: readonly string[];
  /** the `@default` text: a JSON value, or `- …` */
  readonly defaultText: string;
  /** the Enterprise versions that have it, e.g. `3.10+` */
  readonly versions: string;
}

/** One record: an interface of the generated code. */
export interface RecordModel {
  readonly name: string;
  readonly kongPath: string;
  readonly versions: string;
  readonly props: PropModel[];
}

/** One plugin as its construct shows it. */
export interface PluginModel {
  readonly facts: PluginFacts;
  readonly name: string;
  readonly construct: string;
  readonly resource: string;
  /** `open-source Kong 3.4+, Kong Enterprise 3.4+` or `Kong Enterprise 3.10+ only` */
  readonly where: string;
  /** the entity props this plugin declares beside KongPluginEntityProps' (protocols, scopes, config) */
  readonly entityProps: PropModel[];
  /** the entity props of KongPluginEntityProps it does not take (`route`, `service`) */
  readonly omitted: readonly string[];
  /** config first, then the records inside it, depth first */
  readonly records: RecordModel[];
  /** every config prop, depth first (a record's props right after it) */
  readonly configProps: PropModel[];
  /** the props must be given: the config has a field to give */
  readonly propsRequired: boolean;
  /** the props of a minimal example, as a TypeScript object literal's lines */
  readonly example: readonly string[];
  /** the type aliases the code uses */
  readonly uses: { oneOf: boolean; resolvable: boolean; entityReference: boolean };
}

const ALL = 0x7fffffff;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const BASE_PROTOCOLS: readonly string[] = PROTOCOLS;

/** Versions of a mask, as a list of indexes. */
function indexes(mask: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 31; i++) if ((mask & (1 << i)) !== 0) out.push(i);
  return out;
}

/** `code` in Markdown, with a fence long enough for the backticks inside. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  return longest > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

const list = (values: readonly (string | number)[]) => values.map((v) => (typeof v === "string" ? code(v) : String(v))).join(", ");
const json = (value: unknown) => JSON.stringify(value);

/** Whether a record is complete without input (the engine's rule): no required field lacks a default. */
function hasDefaults(record: FieldFacts): boolean {
  return Object.values(record.f ?? {}).every((child) => !child.req || child.d !== undefined);
}

/** Whether Kong refuses the parent record without this field at one version (the engine's rule). */
function requiredAt(field: FieldFacts, index: number): boolean {
  if (!existsAt(field, index)) return false;
  const attributes = attributesAt(field, index);
  const filled = attributes.d !== undefined || (attributes.t === "record" && hasDefaults(field));
  return attributes.req === true && !filled;
}

/** The overrides of a field that apply in the given versions: [versions, attributes]. */
function overrides(field: FieldFacts, versions: number): Array<readonly [number, FieldAttributes]> {
  return (field.x ?? []).map(([mask, attributes]) => [mask & versions, attributes] as const).filter(([mask]) => mask !== 0);
}

/**
 * The kinds a field has in the given versions, the newest first. `any` counts only when it is the
 * only kind: in a version's schema it says that the schema did not give the type, not another one.
 */
function kindsOf(field: FieldFacts, versions: number): FactKind[] {
  const kinds = [field.t];
  for (const [, attributes] of overrides(field, versions)) if (!kinds.includes(attributes.t)) kinds.push(attributes.t);
  return kinds.length > 1 ? kinds.filter((kind) => kind !== "any") : kinds;
}

/** The string values of an enum in any of the versions, in order of first appearance. */
function enumUnion(field: FieldFacts, versions: number): string[] | undefined {
  const all = [field, ...overrides(field, versions).map(([, a]) => a)].filter((a) => a.t === "string");
  if (!all.some((a) => a.e)) return undefined;
  const values: string[] = [];
  for (const attributes of all) for (const v of attributes.e ?? []) if (!values.includes(String(v))) values.push(String(v));
  return values;
}

const paren = (type: string) => (/[|&]/.test(type) ? `(${type})` : type);

const ARTICLE: Record<FactKind, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "a boolean",
  array: "a list",
  record: "a record",
  map: "a map",
  any: "any value",
};

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** `from 0 to 65535`, `at least 0`, `at most 5`, or undefined. */
function boundsPhrase(a: FieldAttributes): string | undefined {
  if (a.min !== undefined && a.max !== undefined) return `from ${a.min} to ${a.max}`;
  if (a.min !== undefined) return `at least ${a.min}`;
  if (a.max !== undefined) return `at most ${a.max}`;
  return undefined;
}

/** `1 to 64 characters`, `at least 1 item`, … (a string's characters, a list's items, a map's entries). */
function lengthPhrase(a: FieldAttributes): string | undefined {
  const unit = a.t === "string" ? ["character", "characters"] : a.t === "map" ? ["entry", "entries"] : ["item", "items"];
  const of = (n: number) => `${n} ${n === 1 ? unit[0] : unit[1]}`;
  if (a.minLen !== undefined && a.maxLen !== undefined) return a.minLen === a.maxLen ? `exactly ${of(a.minLen)}` : `${a.minLen} to ${of(a.maxLen)}`;
  if (a.maxLen !== undefined) return `at most ${of(a.maxLen)}`;
  if (a.minLen !== undefined) return a.minLen === 0 && a.t === "string" ? "may be empty" : `at least ${of(a.minLen)}`;
  return undefined;
}

/** What one version's attributes say otherwise than the newest's (children excluded). */
function differences(newest: FieldAttributes, other: FieldAttributes): string[] {
  const out: string[] = [];
  if (other.t !== newest.t) out.push(ARTICLE[other.t]);
  if (json(other.d) !== json(newest.d)) out.push(other.d === undefined ? "no default" : `default ${code(json(other.d))}`);
  if (json(other.e) !== json(newest.e)) {
    if (!other.e) out.push(other.t === "string" ? "any string" : "any value");
    else if (!newest.e || other.t !== newest.t) out.push(`one of ${list(other.e)}`);
    else {
      const without = newest.e.filter((v) => !other.e!.includes(v));
      const also = other.e.filter((v) => !newest.e!.includes(v));
      if (without.length > 0) out.push(`without ${list(without)}`);
      if (also.length > 0) out.push(`also ${list(also)}`);
      if (without.length === 0 && also.length === 0) out.push(`one of ${list(other.e)}`);
    }
  }
  if (other.min !== newest.min || other.max !== newest.max) out.push(boundsPhrase(other) ?? "no bounds");
  if (other.minLen !== newest.minLen || other.maxLen !== newest.maxLen) {
    out.push(lengthPhrase(other) ?? (other.t === "string" ? "not empty" : "no length bounds"));
  }
  if (other.p !== newest.p) out.push(other.p === undefined ? "no pattern" : `pattern ${code(other.p)}`);
  if (Boolean(other.req) !== Boolean(newest.req)) out.push(other.req ? "required" : "optional");
  if (Boolean(other.enc) !== Boolean(newest.enc)) out.push(other.enc ? "a secret" : "not a secret");
  if (Boolean(other.ref) !== Boolean(newest.ref)) out.push(other.ref ? "referenceable" : "not referenceable");
  return out;
}

const SECRET = "A secret: encrypted by Kong Enterprise, never printed";
const REFERENCEABLE = "Referenceable: a vault reference (`{vault://…}`) is accepted.";

/** The noun of a list's items or a map's values: `strings`, `integers from 0 to 5`, `` `Name` records``. */
function noun(field: FieldFacts | undefined, type: string): string {
  if (!field) return "values of any kind";
  switch (field.t) {
    case "string":
      return field.e ? `strings, each one of ${list(field.e)}` : "strings";
    case "integer":
    case "number": {
      if (field.e) return `${field.t === "integer" ? "integers" : "numbers"}, each one of ${list(field.e)}`;
      const bounds = boundsPhrase(field);
      return `${field.t === "integer" ? "integers" : "numbers"}${bounds ? ` ${bounds}` : ""}`;
    }
    case "boolean":
      return "booleans";
    case "record":
      return field.f && Object.keys(field.f).length > 0 ? `${code(type.replace(/\[\]| \| Resolvable/g, ""))} records` : "empty records";
    case "array":
      return `lists of ${noun(field.i, type)}`;
    case "map":
      return `maps of ${noun(field.m, type)}`;
    case "any":
      return "values of any kind";
  }
}

/** The one-line summary of a field: its kind and constraints in the newest version that has it. */
function summaryOf(field: FieldFacts, type: string, itemType: string): string {
  const a: FieldAttributes = field;
  const sentences: string[] = [];
  switch (a.t) {
    case "string":
      if (a.enc) sentences.push(a.ref ? `${SECRET}; a vault reference (\`{vault://…}\`) is accepted.` : `${SECRET}.`);
      else sentences.push(a.e ? `One of ${list(a.e)}.` : "A string.");
      if (a.enc && a.e) sentences.push(`One of ${list(a.e)}.`);
      break;
    case "integer":
    case "number": {
      const bounds = boundsPhrase(a);
      sentences.push(a.e ? `One of ${list(a.e)}.` : `${a.t === "integer" ? "An integer" : "A number"}${bounds ? (a.min !== undefined && a.max !== undefined ? ` ${bounds}` : `, ${bounds}`) : ""}.`);
      break;
    }
    case "boolean":
      sentences.push("A boolean.");
      break;
    case "array": {
      const length = lengthPhrase(a);
      sentences.push(`A list of ${noun(field.i, itemType)}${length ? `, ${length}` : ""}.`);
      break;
    }
    case "map": {
      const length = lengthPhrase(a);
      sentences.push(`A map from keys (kept as written) to ${noun(field.m, itemType)}${length ? `, ${length}` : ""}.`);
      break;
    }
    case "record":
      sentences.push(field.f && Object.keys(field.f).length > 0 ? `A record (${code(type.split(" | ")[0]!)}).` : "An empty record.");
      break;
    case "any":
      sentences.push("Any JSON value.");
      break;
  }
  if (a.ref && !(a.t === "string" && a.enc)) sentences.push(REFERENCEABLE);
  else if (a.enc && a.t !== "string") sentences.push(`${SECRET}.`);
  return sentences.join(" ");
}

/** The constraints of a list's items or a map's values that the summary does not say. */
function elementDetails(element: FieldFacts | undefined, versions: number, what: "Each item" | "Each value"): string[] {
  if (!element) return [];
  const phrases: string[] = [];
  if (element.t === "string") {
    const length = lengthPhrase(element);
    if (length) phrases.push(length);
    if (element.p !== undefined) phrases.push(`matches ${code(element.p)}`);
    if (element.enc) phrases.push("a secret (encrypted by Kong Enterprise, never printed)");
    if (element.ref) phrases.push("referenceable (a vault reference is accepted)");
  }
  const out = phrases.length > 0 ? [`${what}: ${phrases.join(", ")}.`] : [];
  for (const [mask, attributes] of overrides(element, versions)) {
    const found = differences(element, attributes);
    if (found.length > 0) out.push(`${what} in Kong Enterprise ${describeMask(mask)}: ${found.join(", ")}.`);
  }
  return out;
}

/** Builds the model of one plugin. Throws when two interfaces of the plugin would get one name. */
export function pluginModel(facts: PluginFacts): PluginModel {
  const construct = constructName(facts.name);
  const uses = { oneOf: false, resolvable: false, entityReference: false };
  const records: RecordModel[] = [];
  const configProps: PropModel[] = [];
  const names = new Map<string, string>([[construct, "(class)"], [`${construct}Props`, "(props)"]]);

  const claim = (name: string, kongPath: string) => {
    const taken = names.get(name);
    if (taken !== undefined && taken !== kongPath) throw new Error(`${facts.name}: ${kongPath} and ${taken} would both be the interface ${name}`);
    names.set(name, kongPath);
  };

  /** The TypeScript type of a field in the given versions; registers the records it holds. */
  const typeOf = (field: FieldFacts, name: string, kongPath: string, propPath: string, versions: number): string => {
    const kinds = kindsOf(field, versions);
    if (kinds.includes("any")) return "unknown";
    const types: string[] = [];
    const add = (type: string) => {
      if (!types.includes(type)) types.push(type);
    };
    const hasFields = field.f !== undefined && Object.keys(field.f).length > 0;
    for (const kind of kinds) {
      switch (kind) {
        case "string": {
          const values = enumUnion(field, versions);
          if (values) {
            uses.oneOf = true;
            add(`OneOf<${values.map((v) => json(v)).join(" | ")}>`);
          } else add("string");
          break;
        }
        case "integer":
        case "number":
          add("number");
          break;
        case "boolean":
          uses.resolvable = true;
          add("boolean | Resolvable");
          break;
        case "array": {
          const item = field.i ? typeOf(field.i, name, `${kongPath}[]`, `${propPath}[]`, versions) : "unknown";
          const complex = field.i !== undefined && field.i.t !== "string" && field.i.t !== "integer" && field.i.t !== "number" && field.i.t !== "boolean";
          if (complex) uses.resolvable = true;
          add(`${paren(item)}[]${complex ? " | Resolvable" : ""}`);
          break;
        }
        case "map": {
          const value = field.m ? typeOf(field.m, `${name}Value`, `${kongPath}.*`, `${propPath}.*`, versions) : "unknown";
          const complex = field.m?.t === "record" || field.m?.t === "array" || field.m?.t === "map";
          if (complex) uses.resolvable = true;
          add(`Record<string, ${value}>${complex ? " | Resolvable" : ""}`);
          break;
        }
        case "record":
          if (hasFields) add(recordOf(field, name, kongPath, propPath, versions));
          else if (!kinds.includes("map")) add("Record<string, never>");
          break;
        case "any":
          break;
      }
    }
    return types.join(" | ");
  };

  /** Registers the interface of a record (once per record) and returns its name. */
  const recordOf = (field: FieldFacts, name: string, kongPath: string, propPath: string, versions: number): string => {
    if (records.some((r) => r.name === name)) return name;
    claim(name, kongPath);
    const record: RecordModel = { name, kongPath, versions: describeMask(versions), props: [] };
    records.push(record);
    for (const [kong, child] of Object.entries(field.f ?? {})) {
      const prop = propName(kong);
      const childVersions = versions & (child.v ?? ALL);
      const childKong = `${kongPath}.${kong}`;
      const childProp = `${propPath}.${prop}`;
      const model = propOf(child, kong, prop, `${name}${prop.charAt(0).toUpperCase()}${prop.slice(1)}`, childKong, childProp, childVersions, versions);
      record.props.push(model.prop);
      configProps.splice(model.at, 0, model.prop);
    }
    return name;
  };

  /** The model of one field (its records registered first, so that it lists before their props). */
  const propOf = (field: FieldFacts, kong: string, prop: string, name: string, kongPath: string, propPath: string, versions: number, parentVersions: number) => {
    const at = configProps.length;
    const type = typeOf(field, name, kongPath, propPath, versions);
    const element = field.t === "array" ? field.i : field.t === "map" ? field.m : undefined;
    const elementType = element ? typeOf(element, field.t === "map" ? `${name}Value` : name, kongPath, propPath, versions) : "unknown";
    const parentIndexes = indexes(parentVersions & facts.ee);
    const requiredIn = parentIndexes.filter((i) => requiredAt(field, i));
    const required = requiredIn.length > 0 && requiredIn.length === parentIndexes.length;

    const details: string[] = [`Kong: ${code(kongPath)}.`];
    if (required) details.push("Required.");
    else if (requiredIn.length > 0) details.push(`Required in Kong Enterprise ${describeMask(requiredIn.reduce((m, i) => m | (1 << i), 0))}.`);
    if ((versions & facts.ee) !== facts.ee) details.push(`Kong Enterprise ${describeMask(versions & facts.ee)}.`);
    if (field.t === "string") {
      const length = lengthPhrase(field);
      if (length) details.push(`${capital(length)}.`);
      if (field.p !== undefined) details.push(`Pattern: ${code(field.p)}.`);
    }
    details.push(...elementDetails(element, versions, field.t === "map" ? "Each value" : "Each item"));
    for (const [mask, attributes] of overrides(field, versions)) {
      const found = differences(field, attributes);
      if (found.length > 0) details.push(`Kong Enterprise ${describeMask(mask)}: ${found.join(", ")}.`);
    }
    const filled = field.t === "record" && field.req && hasDefaults(field);
    if (field.g) details.push("Kong generates a value when it is unset.");
    const defaultText =
      field.d !== undefined ? json(field.d) : field.g ? "- a value Kong generates; the one Kong holds is kept by every apply" : filled ? "- filled in by Kong from its fields' defaults" : "- none";
    const model: PropModel = {
      kong,
      prop,
      kongPath,
      propPath,
      type,
      required,
      summary: summaryOf(field, type, elementType),
      details,
      defaultText,
      versions: describeMask(versions & facts.ee),
    };
    return { prop: model, at };
  };

  // the config
  const configName = `${construct}Config`;
  const configType = typeOf(facts.config, configName, "config", "config", facts.ee);
  const configRequired = records[0]?.name === configName && records[0].props.some((p) => p.required) && indexes(facts.ee).every((i) => attributesAt(facts.config, i).req === true);

  // the entity props it declares beside the base's
  const entityProps: PropModel[] = [];
  const protocolValues = [...new Set([...(facts.protocols.i?.e ?? []), ...(facts.protocols.i?.x ?? []).flatMap(([, a]) => a.e ?? [])].map(String))];
  const protocolDetails = [`Kong: ${code("protocols")}.`];
  const enterpriseOnly = protocolValues.filter((p) => p === "ws" || p === "wss");
  if (enterpriseOnly.length > 0) protocolDetails.push(`${capital(list(enterpriseOnly))}: Kong Enterprise only.`);
  for (const [mask, attributes] of overrides(facts.protocols, facts.ee)) {
    const found = differences(facts.protocols, attributes);
    if (found.length > 0) protocolDetails.push(`Kong Enterprise ${describeMask(mask)}: ${found.join(", ")}.`);
  }
  protocolDetails.push(...elementDetails(facts.protocols.i, facts.ee, "Each item").filter((d) => d.includes(" in Kong Enterprise ")));
  const narrowed = protocolValues.length > 0 && json([...protocolValues].sort()) !== json([...BASE_PROTOCOLS].sort());
  if (narrowed || protocolDetails.length > 1) {
    uses.oneOf = true;
    entityProps.push({
      kong: "protocols",
      prop: "protocols",
      kongPath: "protocols",
      propPath: "protocols",
      type: `OneOf<${(narrowed ? protocolValues : BASE_PROTOCOLS).map((v) => json(v)).join(" | ")}>[]`,
      required: false,
      summary: `A list of protocols, each one of ${list(protocolValues)}; it must overlap the route's.`,
      details: protocolDetails,
      defaultText: facts.protocols.d !== undefined ? json(facts.protocols.d) : "- none",
      versions: describeMask(facts.ee),
    });
  }
  const scope = (kong: string, prop: string, summary: string, everything: string) => {
    const mask = facts.scopes[kong];
    if (mask === undefined) return;
    const limited = (mask & facts.ee) !== facts.ee;
    if (!limited && (kong === "route" || kong === "service")) return; // the base declares them
    uses.entityReference = true;
    entityProps.push({
      kong,
      prop,
      kongPath: kong,
      propPath: prop,
      type: "KongEntityReference",
      required: false,
      summary,
      details: [`Kong: ${code(kong)}.`, ...(limited ? [`Kong Enterprise ${describeMask(mask & facts.ee)} for this plugin.`] : [])],
      defaultText: `- ${everything}`,
      versions: describeMask(mask & facts.ee),
    });
  };
  scope("route", "route", "Only requests through this route.", "every route");
  scope("service", "service", "Only requests through the routes of this service.", "every service");
  scope("consumer", "consumer", "Only requests of this consumer.", "every consumer");
  scope("consumer_group", "consumerGroup", "Only requests of the consumers of this consumer group (Kong Enterprise).", "every consumer group");
  entityProps.push({
    kong: "config",
    prop: "config",
    kongPath: "config",
    propPath: "config",
    type: configType,
    required: configRequired,
    summary: records[0]?.name === configName ? `The plugin's configuration (${code(configName)}).` : `The plugin's configuration: ${summaryOf(facts.config, configType, "unknown").replace(/^A /, "a ")}`,
    details: [`Kong: ${code("config")}.`, ...(configRequired ? ["Required."] : []), ...overrides(facts.config, facts.ee).map(([mask, a]) => `Kong Enterprise ${describeMask(mask)}: ${differences(facts.config, a).join(", ")}.`)],
    defaultText: configRequired ? "- none" : "- every field takes Kong's default",
    versions: describeMask(facts.ee),
  });
  const omitted = ["route", "service"].filter((s) => facts.scopes[s] === undefined);

  const where = facts.oss !== 0 ? `open-source Kong ${describeOssMask(facts.oss)}, Kong Enterprise ${describeMask(facts.ee)}` : `Kong Enterprise ${describeMask(facts.ee)} only`;
  return {
    facts,
    name: facts.name,
    construct,
    resource: resourceName(facts.name),
    where,
    entityProps,
    omitted,
    records,
    configProps,
    propsRequired: configRequired,
    example: exampleProps(facts, configRequired),
    uses,
  };
}

/** The prop name as a TypeScript property key. */
export function key(prop: string): string {
  return IDENTIFIER.test(prop) ? prop : json(prop);
}

/**
 * The props of a minimal example: the fields to give, with placeholder values of their type; or,
 * when none must be given, the first field with a default in every version, set to it.
 */
function exampleProps(facts: PluginFacts, configRequired: boolean): string[] {
  const all = indexes(facts.ee);
  const mustGive = (field: FieldFacts, parentVersions: number) => {
    const at = indexes(parentVersions & facts.ee);
    return at.length > 0 && at.every((i) => requiredAt(field, i));
  };
  const value = (field: FieldFacts, versions: number, indent: string): string => {
    switch (field.t) {
      case "string":
        return json(field.e ? String(field.e[0]) : "...");
      case "integer":
      case "number":
        return String(field.e ? field.e[0] : (field.min ?? 0));
      case "boolean":
        return "false";
      case "array":
        return field.minLen !== undefined && field.minLen > 0 && field.i ? `[${value(field.i, versions, indent)}]` : "[]";
      case "map":
        return "{}";
      case "any":
        return "{}";
      case "record": {
        const fields = Object.entries(field.f ?? {}).filter(([, child]) => mustGive(child, versions));
        if (fields.length === 0) return "{}";
        const inner = `${indent}  `;
        return `{\n${fields.map(([kong, child]) => `${inner}${key(propName(kong))}: ${value(child, versions & (child.v ?? ALL), inner)},`).join("\n")}\n${indent}}`;
      }
    }
  };
  if (configRequired) return [`config: ${value(facts.config, facts.ee, "")},`];
  const fields = Object.entries(facts.config.f ?? {});
  const shown = fields.find(([, child]) => child.v === undefined && ["string", "integer", "number", "boolean"].includes(child.t) && all.every((i) => attributesAt(child, i).d !== undefined && attributesAt(child, i).t === child.t));
  if (!shown) return facts.scopes.route !== undefined ? ['route: { id: "3473c251-5b6c-4f45-b1ff-7ede735a366d" },'] : [];
  return [`config: { ${key(propName(shown[0]))}: ${json(shown[1].d)} },`];
}
