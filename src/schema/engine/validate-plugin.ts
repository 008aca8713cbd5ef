/**
 * Validation of any plugin by its facts, for one target: camelCase props → the Kong body (unknown
 * props with a "did you mean"), the body against the schema of that version and edition, and what
 * the target lacks said as such (`not in open-source Kong 3.9: Kong Enterprise 3.12+ has it`).
 */
import type { FieldFacts, PluginFacts } from "../facts.js";
import { propName } from "../naming.js";
import { closest } from "../suggest.js";
import { withReferences } from "../references.js";
import { formatPath } from "../fields.js";
import { valueAt, type Path, type UnresolvedPredicate, type ValidationIssue } from "../validate.js";
import { isVaultReference } from "../vault.js";
import { entityCheckIssues } from "./entity-checks.js";
import { acceptsQuickly, attributesAt, childField, existsAt, pluginBodySchema } from "./facts-schema.js";
import { DATA_VERSIONS } from "../generated/versions.js";
import { describeMask, describeOssMask, type ResolvedTarget } from "./target.js";

/** Entity fields of every plugin (beside protocols, config and the scopes), with their props. */
const ENTITY_FIELDS: ReadonlyArray<readonly [kong: string, prop: string]> = [
  ["id", "id"],
  ["instance_name", "instanceName"],
  ["enabled", "enabled"],
  ["tags", "tags"],
  ["created_at", "createdAt"],
  ["updated_at", "updatedAt"],
  ["ordering", "ordering"],
  ["partials", "partials"],
  ["condition", "condition"],
  ["protocols", "protocols"],
  ["config", "config"],
  ["route", "route"],
  ["service", "service"],
  ["consumer", "consumer"],
  ["consumer_group", "consumerGroup"],
];
const ENTITY_PROP_TO_KONG = new Map(ENTITY_FIELDS.map(([kong, prop]) => [prop, kong] as const));
const ENTITY_KONG_TO_PROP = new Map(ENTITY_FIELDS.map(([kong, prop]) => [kong, prop] as const));

/**
 * Entity fields of Kong Enterprise only, and the first Enterprise version of each (from Kong's
 * changelogs: the Admin API specifications contradict themselves, listing `partials` and `condition`
 * for 3.4 and no `instance_name` for 3.5 to 3.9). Open-source Kong has none of them, nor the
 * `ws`/`wss` protocols.
 */
export const ENTERPRISE_ENTITY_FIELDS: Readonly<Record<string, string>> = {
  ordering: "3.4",
  consumer_group: "3.4",
  partials: "3.10",
  condition: "3.15",
};
const ENTERPRISE_PROTOCOLS = new Set(["ws", "wss"]);

const compare = (a: string, b: string) => {
  const [am, an] = a.split(".").map(Number) as [number, number];
  const [bm, bn] = b.split(".").map(Number) as [number, number];
  return am - bm || an - bn;
};

/** Props of a plugin construct that are not part of the Kong body. */
const NON_BODY_PROPS = new Set(["workspace", "provider"]);

/** The result of {@link convertPluginProps}. */
export interface Converted {
  readonly body: Record<string, unknown>;
  readonly issues: ValidationIssue[];
}

/** Where a prop path of the body reads as a Kong path and back. */
export interface Located {
  readonly kongPath: Array<string | number>;
  readonly propPath: Array<string | number>;
}

/**
 * camelCase props → the Kong body (`name` set, unset props left out, empty lists kept). Map keys are
 * the user's and stay as they are; values that are references (tokens) are copied as they are.
 */
export function convertPluginProps(facts: PluginFacts, props: object, isUnresolved: UnresolvedPredicate): Converted {
  const issues: ValidationIssue[] = [];
  const body: Record<string, unknown> = { name: facts.name };
  for (const [prop, value] of Object.entries(withReferences(props))) {
    if (NON_BODY_PROPS.has(prop) || value === undefined || value === null) continue;
    const kong = ENTITY_PROP_TO_KONG.get(prop);
    if (kong === undefined) {
      issues.push(unknownProp(prop, value, [], [], [...ENTITY_PROP_TO_KONG.keys()]));
      continue;
    }
    if (kong === "config") {
      body.config = isUnresolved(value) ? value : convertValue(facts.config, value, { kongPath: ["config"], propPath: ["config"] }, issues, isUnresolved);
    } else if (kong === "protocols" && Array.isArray(value) && !isUnresolved(value)) {
      body.protocols = dedupe(value, isUnresolved);
    } else if (kong === "tags" && Array.isArray(value) && !isUnresolved(value)) {
      body.tags = dedupe(value, isUnresolved);
    } else {
      body[kong] = value;
    }
  }
  return { body, issues };
}

const recordProps = new WeakMap<FieldFacts, ReadonlyMap<string, string>>();

/** A record's fields by prop name (`sslVerify` → `ssl_verify`), made once per record of the facts. */
function propsOfRecord(field: FieldFacts): ReadonlyMap<string, string> {
  let byProp = recordProps.get(field);
  if (!byProp) {
    byProp = new Map(Object.keys(field.f ?? {}).map((kong) => [propName(kong), kong] as const));
    recordProps.set(field, byProp);
  }
  return byProp;
}

export function convertValue(field: FieldFacts, value: unknown, at: Located, issues: ValidationIssue[], isUnresolved: UnresolvedPredicate): unknown {
  if (isUnresolved(value) || value === null || typeof value !== "object") return value;
  switch (field.t) {
    case "record": {
      if (Array.isArray(value)) return value; // the schema reports it
      const byProp = propsOfRecord(field);
      const out: Record<string, unknown> = {};
      for (const [prop, item] of Object.entries(value as Record<string, unknown>)) {
        if (item === undefined || item === null) continue;
        const kong = byProp.get(prop);
        if (kong === undefined) {
          issues.push(unknownProp(prop, item, at.kongPath, at.propPath, [...byProp.keys()]));
          continue;
        }
        out[kong] = convertValue(field.f![kong]!, item, { kongPath: [...at.kongPath, kong], propPath: [...at.propPath, prop] }, issues, isUnresolved);
      }
      return out;
    }
    case "array":
      if (!Array.isArray(value) || !field.i) return value;
      return value.map((item, i) => convertValue(field.i!, item, { kongPath: [...at.kongPath, i], propPath: [...at.propPath, i] }, issues, isUnresolved));
    case "map": {
      if (Array.isArray(value) || !field.m) return value;
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([key, item]) => [
          key,
          convertValue(field.m!, item, { kongPath: [...at.kongPath, key], propPath: [...at.propPath, key] }, issues, isUnresolved),
        ]),
      );
    }
    default:
      return value;
  }
}

export function unknownProp(prop: string, value: unknown, kongPath: Path, propPath: Path, props: readonly string[]): ValidationIssue {
  const exact = props.find((p) => p === propName(prop));
  const guess = exact ?? closest(prop, props);
  return {
    code: "unknown_field",
    kongPath: [...kongPath, prop],
    propPath: formatPath([...propPath, prop]),
    value,
    message: "unknown field",
    ...(guess ? { hint: `did you mean ${formatPath([...propPath, guess])}?` } : {}),
  };
}

/** Kong drops duplicates of a set, keeping the first. */
export function dedupe(values: unknown[], isUnresolved: UnresolvedPredicate): unknown[] {
  const seen = new Set<unknown>();
  return values.filter((v) => {
    if (isUnresolved(v)) return true;
    const key = typeof v === "string" || typeof v === "number" ? v : JSON.stringify(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Validates a plugin body (Kong's names) at a target: every problem, each naming the prop and the
 * Kong field; what only other versions or Enterprise have says so. A body the facts show valid
 * without a parse ({@link acceptsQuickly}) is not parsed; `quick: false` parses every body (for the
 * tests that hold both ways to one verdict).
 */
export function validatePluginBody(
  facts: PluginFacts,
  body: unknown,
  target: ResolvedTarget,
  isUnresolved: UnresolvedPredicate = () => false,
  propsOf: (kongPath: Path) => string = (kongPath) => kongPathToProps(facts, kongPath),
  { quick = true }: { readonly quick?: boolean } = {},
): ValidationIssue[] {
  const issues = validateAtData(facts, body, target, isUnresolved, propsOf, quick);
  // a version without published schemas (3.5, 3.6) has the facts of the one before or of the one after:
  // only what both refuse is an error, so that nothing it may accept is refused
  const next = target.dataIndex + 1;
  if (issues.length === 0 || DATA_VERSIONS[target.dataIndex] === target.version || next >= DATA_VERSIONS.length) return issues;
  const later = new Set(validateAtData(facts, body, { ...target, dataIndex: next }, isUnresolved, propsOf, quick).map((issue) => JSON.stringify(issue.kongPath)));
  return issues.filter((issue) => later.has(JSON.stringify(issue.kongPath)));
}

function validateAtData(
  facts: PluginFacts,
  body: unknown,
  target: ResolvedTarget,
  isUnresolved: UnresolvedPredicate,
  propsOf: (kongPath: Path) => string,
  quick: boolean,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const availability = pluginAvailability(facts, target);
  if (availability) {
    return [{ code: "unavailable", kongPath: [], propPath: "(plugin)", value: facts.name, message: availability }];
  }
  const record = body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  if (record) issues.push(...entityIssues(facts, record, target, isUnresolved));
  const result = quick && acceptsQuickly(facts, body, target, isUnresolved) ? undefined : pluginBodySchema(facts, target).safeParse(stripNulls(body, isUnresolved));
  if (result?.success === false) {
    for (const issue of result.error.issues) {
      const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)) as Array<string | number>;
      const paths = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...path, key]) : [path];
      for (const kongPath of paths) {
        // what entity-level gating reported, with its reason, is not reported again
        const key = JSON.stringify(kongPath);
        if (issues.some((i) => JSON.stringify(i.kongPath) === key)) continue;
        if (passesThroughUnresolved(body, kongPath, isUnresolved)) continue;
        const value = valueAt(body, kongPath);
        if (isReferenceAt(facts, kongPath, value, target)) continue;
        issues.push(describeIssue(facts, kongPath, value, issue.code === "unrecognized_keys" ? "unknown_field" : "invalid_value", issue.message, target));
      }
    }
  }
  // Kong's entity checks run on invalid fields too; a field the schema already reported is not reported again
  if (record) {
    const reported = new Set(issues.map((i) => JSON.stringify(i.kongPath)));
    for (const issue of entityCheckIssues(facts, record, target, isUnresolved, propsOf)) {
      if (!reported.has(JSON.stringify(issue.kongPath))) issues.push(issue);
    }
  }
  return issues;
}

/** Why the plugin does not exist at the target, or undefined. */
export function pluginAvailability(facts: PluginFacts, target: ResolvedTarget): string | undefined {
  if (target.edition === "oss") {
    if ((facts.oss & (1 << target.ossIndex!)) !== 0) return undefined;
    if (facts.oss !== 0) return `the ${facts.name} plugin is not in ${target.label}: open-source Kong bundles it in ${describeOssMask(facts.oss)}`;
    return `the ${facts.name} plugin is not in open-source Kong: Kong Enterprise ${describeMask(facts.ee)} has it`;
  }
  if ((facts.ee & (1 << target.dataIndex)) !== 0) return undefined;
  return `the ${facts.name} plugin is not in ${target.label}: Kong Enterprise ${describeMask(facts.ee)} has it`;
}

/** The entity fields and protocols the target lacks, and scopes the plugin does not take. */
function entityIssues(facts: PluginFacts, body: Record<string, unknown>, target: ResolvedTarget, isUnresolved: UnresolvedPredicate): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const issue = (kong: string, message: string, code: ValidationIssue["code"] = "unavailable"): void => {
    issues.push({ code, kongPath: [kong], propPath: ENTITY_KONG_TO_PROP.get(kong) ?? kong, value: body[kong], message });
  };
  for (const [field, since] of Object.entries(ENTERPRISE_ENTITY_FIELDS)) {
    if (body[field] === undefined || body[field] === null) continue;
    if (target.edition === "oss") issue(field, `not in open-source Kong: Kong Enterprise ${since}+ has it`);
    else if (compare(target.version, since) < 0) issue(field, `not in ${target.label}: Kong Enterprise ${since}+ has it`);
  }
  for (const scope of ["route", "service", "consumer", "consumer_group"]) {
    if (body[scope] === undefined || body[scope] === null || (target.edition === "oss" && scope === "consumer_group")) continue;
    const mask = facts.scopes[scope];
    if (mask === undefined) issue(scope, `the ${facts.name} plugin cannot be scoped to a ${scope.replace("_", " ")}`, "invalid_value");
    else if ((mask & (1 << target.dataIndex)) === 0) issue(scope, `not in ${target.label} for the ${facts.name} plugin: Kong Enterprise ${describeMask(mask)} has it`);
  }
  const protocols = body.protocols;
  if (Array.isArray(protocols) && !isUnresolved(protocols) && target.edition === "oss") {
    protocols.forEach((protocol, i) => {
      if (typeof protocol === "string" && ENTERPRISE_PROTOCOLS.has(protocol)) {
        // the first Enterprise version in which this plugin takes it, when the facts say
        const mask = facts.protocols.i ? enumVersionsOf(facts.protocols.i, protocol) : 0;
        const which = mask !== 0 ? `Kong Enterprise ${describeMask(mask)} accepts it` : "a protocol of Kong Enterprise";
        issues.push({ code: "unavailable", kongPath: ["protocols", i], propPath: `protocols[${i}]`, value: protocol, message: `not in open-source Kong: ${which}` });
      }
    });
  }
  return issues;
}

/** One schema issue, said in Kong's words, with what other versions have when the target lacks it. */
function describeIssue(facts: PluginFacts, kongPath: Path, value: unknown, code: "unknown_field" | "invalid_value", message: string, target: ResolvedTarget): ValidationIssue {
  const propPath = kongPathToProps(facts, kongPath);
  const field = fieldAt(facts, kongPath);
  if (code === "unknown_field") {
    if (field) {
      const mask = versionsOf(facts, kongPath);
      return { code: "unavailable", kongPath, propPath, value, message: `not in ${target.label}: Kong Enterprise ${describeMask(mask)} has it` };
    }
    const parent = fieldAt(facts, kongPath.slice(0, -1));
    const siblings = parent?.t === "record" ? Object.keys(parent.f ?? {}).filter((k) => existsAt(parent.f![k]!, target.dataIndex)).map(propName) : [];
    const last = kongPath[kongPath.length - 1];
    const guess = typeof last === "string" ? closest(propName(last), siblings) : undefined;
    const parentProps = kongPathToProps(facts, kongPath.slice(0, -1));
    return {
      code,
      kongPath,
      propPath,
      value,
      message: "unknown field",
      ...(guess ? { hint: `did you mean ${parentProps ? `${parentProps}.` : ""}${guess}?` } : {}),
    };
  }
  // a value the target does not allow but another version does
  if (field && (typeof value === "string" || typeof value === "number")) {
    const mask = enumVersionsOf(field, value);
    if (mask !== 0 && (mask & (1 << target.dataIndex)) === 0) {
      return { code: "unavailable", kongPath, propPath, value, message: `not in ${target.label}: Kong Enterprise ${describeMask(mask)} accepts it` };
    }
    const allowed = attributesAt(field, target.dataIndex).e;
    if (allowed && typeof value === "string") {
      const guess = closest(value, allowed.map(String));
      if (guess) return { code, kongPath, propPath, value, message, hint: `did you mean "${guess}"?` };
    }
  }
  return { code, kongPath, propPath, value, message };
}

/** The facts of the field at a Kong path of the body (entity fields have none but protocols and config). */
export function fieldAt(facts: PluginFacts, kongPath: Path): FieldFacts | undefined {
  if (kongPath.length === 0) return undefined;
  let field: FieldFacts | undefined = kongPath[0] === "config" ? facts.config : kongPath[0] === "protocols" ? facts.protocols : undefined;
  for (const segment of kongPath.slice(1)) field = childField(field, segment);
  return field;
}

/** The versions in which a field exists: the intersection of its and its parents' masks. */
function versionsOf(facts: PluginFacts, kongPath: Path): number {
  let mask = facts.ee;
  for (let i = 1; i <= kongPath.length; i++) {
    const field = fieldAt(facts, kongPath.slice(0, i));
    if (field?.v !== undefined) mask &= field.v;
  }
  return mask;
}

/** The versions in which a value is one of a field's enum values. */
function enumVersionsOf(field: FieldFacts, value: string | number): number {
  let mask = 0;
  const all = field.v ?? 0x7fffffff;
  const overridden = (field.x ?? []).reduce((m, [versions]) => m | versions, 0);
  if (field.e?.includes(value)) mask |= all & ~overridden;
  for (const [versions, attributes] of field.x ?? []) if (attributes.e?.includes(value)) mask |= versions;
  return mask;
}

/** A Kong path in props: record fields by their prop names, map keys and indexes as they are. */
export function kongPathToProps(facts: PluginFacts, kongPath: Path): string {
  const out: Array<string | number> = [];
  let field: FieldFacts | undefined;
  kongPath.forEach((segment, i) => {
    if (i === 0) {
      out.push(ENTITY_KONG_TO_PROP.get(String(segment)) ?? String(segment));
      field = segment === "config" ? facts.config : segment === "protocols" ? facts.protocols : undefined;
      return;
    }
    if (field?.t === "record" && typeof segment === "string") {
      out.push(field.f?.[segment] ? propName(segment) : segment);
      field = field.f?.[segment];
    } else if (field?.t === "array") {
      out.push(segment);
      field = field.i;
    } else if (field?.t === "map") {
      out.push(segment);
      field = field.m;
    } else {
      out.push(segment);
      field = undefined;
    }
  });
  return formatPath(out);
}

/** A vault reference in a referenceable field: Kong resolves it where the plugin runs, so it passes. */
function isReferenceAt(facts: PluginFacts, kongPath: Path, value: unknown, target: ResolvedTarget): boolean {
  if (!isVaultReference(value)) return false;
  const field = fieldAt(facts, kongPath);
  return field !== undefined && attributesAt(field, target.dataIndex).ref === true;
}

export function passesThroughUnresolved(root: unknown, path: Path, isUnresolved: UnresolvedPredicate): boolean {
  let node = root;
  for (const key of path) {
    if (isUnresolved(node)) return true;
    if (node === null || typeof node !== "object") return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  return isUnresolved(node);
}

/**
 * Records without their null fields: Kong takes a null as "unset". Lists and maps keep theirs. A
 * token is kept as it is (an unresolved object may be cyclic; the schema's issues on it are dropped).
 */
export function stripNulls(value: unknown, isUnresolved: UnresolvedPredicate): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value) || isUnresolved(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== null)
      .map(([key, item]) => [key, key === "config" || typeof item !== "object" ? stripNestedNulls(item, isUnresolved) : item]),
  );
}

function stripNestedNulls(value: unknown, isUnresolved: UnresolvedPredicate): unknown {
  if (value === null || typeof value !== "object" || isUnresolved(value)) return value;
  if (Array.isArray(value)) return value.map((item) => stripNestedNulls(item, isUnresolved));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== null)
      .map(([k, v]) => [k, stripNestedNulls(v, isUnresolved)]),
  );
}
