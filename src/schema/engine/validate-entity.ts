/**
 * Validation of a core entity (service, route, consumer, credential, …) by its facts, for one target,
 * as the plugins' (validate-plugin.ts): camelCase props → the Kong body, the body against the schema
 * of that version and edition, what the target lacks said as such, and the entity checks of Kong's
 * source that the specifications cannot say (a route's `conditional_at_least_one_of` of
 * kong/db/schema/entities/routes_subschemas.lua, a service's `url` shorthand and path of
 * kong/db/schema/entities/services.lua).
 */
import { createPrivateKey, createPublicKey } from "node:crypto";
import { posix } from "node:path";
import type { EntityFacts, FieldFacts } from "../facts.js";
import { ENTITY_KIND_BY_NAME, type EntityKind } from "../entity-kinds.js";
import { nameReference } from "../references.js";
import { formatPath } from "../fields.js";
import { propName } from "../naming.js";
import { LONE_SURROGATE, NAME_PATTERN, TAG_PATTERN, UUID_PATTERN } from "../plugin-schema.js";
import { valueAt, type Path, type UnresolvedPredicate, type ValidationIssue } from "../validate.js";
import { isSecretName } from "../plugin-secrets.js";
import { isVaultReference } from "../vault.js";
import { attributesAt, childField, existsAt, recordSchema } from "./facts-schema.js";
import { hostProblem, hostWithPortProblem, routeHostProblem, sniProblem, targetProblem, upstreamNameProblem } from "./hosts.js";
import { describeMask, describeOssMask, type ResolvedTarget } from "./target.js";
import { convertValue, dedupe, passesThroughUnresolved, stripNulls, unknownProp, type Converted } from "./validate-plugin.js";
import { OWNER_TAG_PREFIX } from "../../runtime/ownership.js";

/** Fields no construct sets: Kong sets them on every write (and the apply-time program keeps `created_at`). */
export const TIMESTAMP_FIELDS = new Set(["created_at", "updated_at"]);

/** Props of an entity construct that are not part of the Kong body. */
const NON_BODY_PROPS = new Set(["workspace", "provider", "adopt"]);

/**
 * camelCase props → the Kong body (unset props left out, empty lists kept, `tags` without duplicates).
 * References (the foreign keys) must be `{ id }` records already (the construct turns constructs into
 * them) or name the entity by its endpoint key (`{ name }`), which the sync resolves.
 */
export function convertEntityProps(facts: EntityFacts, props: object, isUnresolved: UnresolvedPredicate): Converted {
  const issues: ValidationIssue[] = [];
  const body: Record<string, unknown> = {};
  const fields = facts.fields.f ?? {};
  const byProp = new Map(Object.keys(fields).filter((kong) => !TIMESTAMP_FIELDS.has(kong)).map((kong) => [propName(kong), kong] as const));
  const kind = ENTITY_KIND_BY_NAME.get(facts.name);
  for (const [prop, value] of Object.entries(props)) {
    if (NON_BODY_PROPS.has(prop) || value === undefined || value === null) continue;
    const kong = byProp.get(prop);
    if (kong === undefined) {
      issues.push(unknownProp(prop, value, [], [], [...byProp.keys()]));
      continue;
    }
    const target = kind?.foreign[kong];
    const byName = target !== undefined ? nameReference(value, ENTITY_KIND_BY_NAME.get(target)?.endpointKey) : undefined;
    if (byName !== undefined) body[kong] = { [byName.key]: byName.value };
    else body[kong] = kong === "tags" && Array.isArray(value) && !isUnresolved(value) ? dedupe(value, isUnresolved) : convertValue(fields[kong]!, value, { kongPath: [kong], propPath: [prop] }, issues, isUnresolved);
  }
  return { body, issues };
}

/** Why the entity does not exist at the target, or undefined. */
export function entityAvailability(kind: EntityKind, facts: EntityFacts, target: ResolvedTarget): string | undefined {
  if (target.edition === "oss") {
    if ((facts.oss & (1 << target.ossIndex!)) !== 0) return undefined;
    if (facts.oss !== 0) return `the ${kind.what} is not in ${target.label}: open-source Kong ${describeOssMask(facts.oss)} has it`;
    return `the ${kind.what} is not in open-source Kong: Kong Enterprise ${describeMask(facts.ee)} has it`;
  }
  if ((facts.ee & (1 << target.dataIndex)) !== 0) return undefined;
  return `the ${kind.what} is not in ${target.label}: Kong Enterprise ${describeMask(facts.ee)} has it`;
}

/**
 * Validates an entity body (Kong's names) at a target: every problem, each naming the prop and the
 * Kong field. A reference (token) passes where it stands; a vault reference passes in a field that
 * takes one.
 */
export function validateEntityBody(kind: EntityKind, facts: EntityFacts, body: Record<string, unknown>, target: ResolvedTarget, isUnresolved: UnresolvedPredicate = () => false): ValidationIssue[] {
  const availability = entityAvailability(kind, facts, target);
  if (availability) return [{ code: "unavailable", kongPath: [], propPath: `(${kind.what})`, value: kind.name, message: availability }];
  const issues: ValidationIssue[] = [];
  const fields = facts.fields.f ?? {};
  const index = target.dataIndex;
  const reported = new Set<string>();
  const report = (issue: ValidationIssue) => {
    const key = JSON.stringify(issue.kongPath);
    if (reported.has(key)) return;
    reported.add(key);
    issues.push(issue);
  };

  // what the target lacks, before the schema (which would call it unknown)
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    const field = fields[name];
    if (!field) continue;
    const ossLacks = target.edition === "oss" && field.o !== undefined && (field.o & (1 << target.ossIndex!)) === 0;
    if (ossLacks) {
      report({
        code: "unavailable",
        kongPath: [name],
        propPath: propName(name),
        value,
        message: field.o === 0 ? `not in open-source Kong: Kong Enterprise ${describeMask(field.v ?? facts.ee)} has it` : `not in ${target.label}: open-source Kong ${describeOssMask(field.o!)} has it`,
      });
    } else if (!existsAt(field, index)) {
      report({ code: "unavailable", kongPath: [name], propPath: propName(name), value, message: `not in ${target.label}: Kong Enterprise ${describeMask(field.v ?? facts.ee)} has it` });
    }
  }

  // open-source Kong has no ws and wss (kong/constants.lua `protocols_with_subsystem`)
  if (target.edition === "oss") {
    const enterpriseOnly = (value: unknown) => value === "ws" || value === "wss";
    if (kind.name === "services" && enterpriseOnly(body.protocol)) report({ code: "unavailable", kongPath: ["protocol"], propPath: "protocol", value: body.protocol, message: "not in open-source Kong: a protocol of Kong Enterprise" });
    if (kind.name === "routes" && Array.isArray(body.protocols) && !isUnresolved(body.protocols)) {
      body.protocols.forEach((protocol, i) => {
        if (enterpriseOnly(protocol)) report({ code: "unavailable", kongPath: ["protocols", i], propPath: `protocols[${i}]`, value: protocol, message: "not in open-source Kong: a protocol of Kong Enterprise" });
      });
    }
  }
  const result = entitySchema(narrowedFor(facts, target), index, target.edition === "oss" ? target.ossIndex : undefined).safeParse(withoutNameReferences(kind, stripNulls(body, isUnresolved) as Record<string, unknown>));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)) as Array<string | number>;
      const paths = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...path, key]) : [path];
      for (const kongPath of paths) {
        if (passesThroughUnresolved(body, kongPath, isUnresolved)) continue;
        const value = valueAt(body, kongPath);
        const field = fieldAt(facts, kongPath);
        if (isVaultReference(value) && field && attributesAt(field, index).ref === true) continue;
        const unknown = issue.code === "unrecognized_keys";
        // a service's `url` (a reference: not split at synth) stands for its host
        if (kind.name === "services" && kongPath.length === 1 && kongPath[0] === "host" && value === undefined && body.url !== undefined) continue;
        report({ code: unknown ? "unknown_field" : "invalid_value", kongPath, propPath: entityPathToProps(facts, kongPath), value, message: unknown ? "unknown field" : issue.message });
      }
    }
  }
  for (const issue of [...commonIssues(kind, body, isUnresolved), ...entityChecks(kind, body, isUnresolved)]) report(issue);
  return issues;
}

/** The body with each foreign key given by name made `{}` for the schema (of `{ id }`): {@link commonIssues} checks the name. */
function withoutNameReferences(kind: EntityKind, body: Record<string, unknown>): Record<string, unknown> {
  let out = body;
  for (const [name, target] of Object.entries(kind.foreign)) {
    if (nameReference(body[name], ENTITY_KIND_BY_NAME.get(target)?.endpointKey) === undefined) continue;
    if (out === body) out = { ...body };
    out[name] = {};
  }
  return out;
}

const schemas = new Map<string, ReturnType<typeof recordSchema>>();

/**
 * The facts as open-source Kong of the target's version has them: the allowed values its source
 * narrows (`oe`) in the place of the Enterprise data version's; the facts themselves otherwise.
 */
function narrowedFor(facts: EntityFacts, target: ResolvedTarget): EntityFacts {
  if (target.edition !== "oss") return facts;
  const bit = 1 << target.ossIndex!;
  const valuesOf = (field: FieldFacts) => field.oe?.find(([mask]) => (mask & bit) !== 0)?.[1];
  const fields = facts.fields.f ?? {};
  if (!Object.values(fields).some((field) => valuesOf(field) !== undefined)) return facts;
  const f = Object.fromEntries(
    Object.entries(fields).map(([name, field]) => {
      const values = valuesOf(field);
      return [name, values === undefined ? field : { ...field, e: values, ...(field.x ? { x: field.x.map(([mask, a]) => [mask, a.e ? { ...a, e: values } : a] as const) } : {}) }];
    }),
  );
  return { ...facts, fields: { ...facts.fields, f } };
}

/** The schema of an entity's body at one data version (timestamps left out: Kong sets them), built once per open-source version too. */
function entitySchema(facts: EntityFacts, index: number, ossIndex: number | undefined): ReturnType<typeof recordSchema> {
  const key = `${facts.name}|${index}|${ossIndex ?? ""}`;
  let schema = schemas.get(key);
  if (!schema) schemas.set(key, (schema = recordSchema({ ...facts.fields, f: withoutTimestamps(facts.fields.f ?? {}) }, index)));
  return schema;
}

function withoutTimestamps(fields: Readonly<Record<string, FieldFacts>>): Record<string, FieldFacts> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !TIMESTAMP_FIELDS.has(name)));
}

/** The rules every entity shares: UUIDs of foreign keys and ids, names, tags. */
function commonIssues(kind: EntityKind, body: Record<string, unknown>, isUnresolved: UnresolvedPredicate): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const at = (kongPath: Path, value: unknown, message: string) => issues.push({ code: "invalid_value", kongPath, propPath: formatPath(kongPath.map((s) => (typeof s === "string" ? propName(s) : s))), value, message });
  for (const [name, target] of Object.entries(kind.foreign)) {
    const ref = body[name];
    if (ref === undefined || ref === null || isUnresolved(ref) || typeof ref !== "object") continue;
    const byName = nameReference(ref, ENTITY_KIND_BY_NAME.get(target)?.endpointKey);
    if (byName !== undefined) {
      if (!isUnresolved(byName.value) && (typeof byName.value !== "string" || byName.value === "")) at([name, byName.key], byName.value, "expected a non-empty string");
      continue;
    }
    const id = (ref as Record<string, unknown>).id;
    if (id !== undefined && !isUnresolved(id) && (typeof id !== "string" || !UUID_PATTERN.test(id))) at([name, "id"], id, "expected a valid UUID");
  }
  const name = body.name;
  if (typeof name === "string" && !isUnresolved(name) && kind.name !== "snis" && (!NAME_PATTERN.test(name) || LONE_SURROGATE.test(name))) {
    at(["name"], name, "the only accepted ascii characters are alphanumerics or ., -, _, and ~");
  }
  const tags = body.tags;
  if (Array.isArray(tags) && !isUnresolved(tags)) {
    tags.forEach((tag, i) => {
      if (typeof tag !== "string" || isUnresolved(tag)) return;
      if (!TAG_PATTERN.test(tag) || LONE_SURROGATE.test(tag)) at(["tags", i], tag, "expected printable ascii (except `,` and `/`) or valid utf-8 sequences");
      else if (tag.startsWith(OWNER_TAG_PREFIX)) at(["tags", i], tag, `must not start with "${OWNER_TAG_PREFIX}": that tag marks the stack that owns the ${kind.what}, and the library writes it`);
    });
  }
  return issues;
}

const quoted = (names: readonly string[]) => names.map((n) => `'${n}'`).join(", ");
const given = (body: Record<string, unknown>, name: string) => {
  const value = body[name];
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value as object).length > 0;
  return true;
};

/**
 * A service's `url` split into `protocol`, `host`, `port` and `path`, as Kong's shorthand does
 * (kong/db/schema/entities/services.lua): the port of the URL, else 443 for https and 80 otherwise; a
 * URL without a path sets none. A reference is left for Kong to split.
 */
export function expandServiceUrl(body: Record<string, unknown>, isUnresolved: UnresolvedPredicate): { body: Record<string, unknown>; issue?: ValidationIssue } {
  const url = body.url;
  if (typeof url !== "string" || isUnresolved(url)) return { body };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { body, issue: { code: "invalid_value", kongPath: ["url"], propPath: "url", value: url, message: "expected a URL such as https://example.internal:8443/api" } };
  }
  const protocol = parsed.protocol.replace(/:$/, "");
  // the url's path, or none, takes the place of a path given beside it (Kong's shorthand overwrites it)
  const { url: _url, path: _path, ...rest } = body;
  const path = parsed.pathname === "/" && !/^[a-z][a-z0-9+.-]*:\/\/[^/]*\/$/i.test(url) ? undefined : decodeURI(parsed.pathname);
  return {
    body: {
      ...rest,
      protocol,
      host: parsed.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: parsed.port !== "" ? Number(parsed.port) : protocol === "https" ? 443 : 80,
      ...(path !== undefined ? { path } : {}),
    },
  };
}

/** Kong's entity checks of the kind (its source's messages), which the specifications do not carry. */
function entityChecks(kind: EntityKind, body: Record<string, unknown>, isUnresolved: UnresolvedPredicate): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const entity = (message: string, names: readonly string[]) =>
    issues.push({ code: "invalid_value", kongPath: [], propPath: names.map(propName).join("/"), value: undefined, message });
  const set = (name: string) => given(body, name) || isUnresolved(body[name]);
  const known = (name: string) => body[name] !== undefined && body[name] !== null && !isUnresolved(body[name]);
  // `at_least_one_of`, `mutually_exclusive`, `mutually_required` (kong/db/schema/init.lua)
  const atLeastOneOf = (names: readonly string[]) => {
    if (!names.some(set)) entity(`at least one of these fields must be non-empty: ${quoted(names)}`, names);
  };
  const onlyOneOf = (names: readonly string[]) => {
    if (names.filter(set).length > 1) entity(`only one or none of these fields must be set: ${quoted(names)}`, names);
  };
  const allOrNone = (names: readonly string[]) => {
    const count = names.filter(set).length;
    if (count !== 0 && count !== names.length) entity(`all or none of these fields must be set: ${quoted(names)}`, names);
  };
  /** `conditional`: when `ifField` is one of `values`, `thenField` must be null, or given. */
  const conditional = (ifField: string, matches: (value: string) => boolean, thenField: string, rule: "null" | "required") => {
    const value = body[ifField];
    if (typeof value !== "string" || isUnresolved(value) || !matches(value)) return;
    const has = set(thenField);
    if (rule === "null" ? !has : has) return;
    issues.push({
      code: "invalid_value",
      kongPath: [thenField],
      propPath: propName(thenField),
      value: body[thenField],
      message: `${rule === "null" ? "value must be null" : "required field missing"} when ${propName(ifField)} is ${JSON.stringify(value)} (Kong: failed conditional validation given value of field '${ifField}')`,
    });
  };
  if (kind.name === "services") {
    const path = body.path;
    if (typeof path === "string" && !isUnresolved(path) && !path.startsWith("/")) {
      issues.push({ code: "invalid_value", kongPath: ["path"], propPath: "path", value: path, message: "should start with: /" });
    } else if (typeof path === "string" && !isUnresolved(path) && path.includes("//")) {
      issues.push({ code: "invalid_value", kongPath: ["path"], propPath: "path", value: path, message: "must not have empty segments" });
    }
    // services.lua: `ca_certificates` are the UUIDs of CA certificates
    const cas = body.ca_certificates;
    if (Array.isArray(cas) && !isUnresolved(cas)) {
      cas.forEach((ca, i) => {
        if (typeof ca === "string" && !isUnresolved(ca) && !UUID_PATTERN.test(ca)) issues.push({ code: "invalid_value", kongPath: ["ca_certificates", i], propPath: `caCertificates[${i}]`, value: ca, message: "expected a valid UUID" });
      });
    }
    // services.lua: a path only for http(s) and ws(s); TLS settings only for https and tls
    const protocol = body.protocol === undefined ? "http" : body.protocol;
    const conditionalOn = (values: readonly string[], negate: boolean, field: string) => {
      if (typeof protocol !== "string" || isUnresolved(protocol)) return;
      const matches = (v: string) => values.includes(v) !== negate;
      if (!matches(protocol) || !set(field)) return;
      issues.push({
        code: "invalid_value",
        kongPath: [field],
        propPath: propName(field),
        value: body[field],
        message: `value must be null when protocol is ${JSON.stringify(protocol)} (Kong: failed conditional validation given value of field 'protocol')`,
      });
    };
    conditionalOn(["tcp", "tls", "udp", "grpc", "grpcs"], false, "path");
    for (const field of ["client_certificate", "tls_verify", "tls_verify_depth", "ca_certificates"]) conditionalOn(["https", "tls"], true, field);
  }
  // host names, as Kong reads them (hosts.ts)
  const literal = (value: unknown): value is string => typeof value === "string" && !isUnresolved(value);
  const hostCheck = (field: string, check: (value: string) => string | undefined) => {
    const value = body[field];
    if (literal(value)) {
      const problem = check(value);
      if (problem) issues.push({ code: "invalid_value", kongPath: [field], propPath: propName(field), value, message: problem });
    } else if (Array.isArray(value) && !isUnresolved(value)) {
      value.forEach((item, i) => {
        const problem = literal(item) ? check(item) : undefined;
        if (problem) issues.push({ code: "invalid_value", kongPath: [field, i], propPath: `${propName(field)}[${i}]`, value: item, message: problem });
      });
    }
  };
  if (kind.name === "services") hostCheck("host", hostProblem);
  if (kind.name === "routes") {
    hostCheck("hosts", routeHostProblem);
    hostCheck("snis", sniProblem);
  }
  if (kind.name === "snis") hostCheck("name", sniProblem);
  if (kind.name === "upstreams") {
    hostCheck("name", upstreamNameProblem);
    hostCheck("host_header", hostWithPortProblem);
  }
  if (kind.name === "targets") hostCheck("target", targetProblem);
  if (kind.name === "upstreams") {
    // typedefs.lua `typedefs.path`: a cookie's path and the active health check's path
    const pathAt = (kongPath: Array<string | number>) => {
      const value = valueAt(body, kongPath);
      if (!literal(value)) return;
      const problem = !value.startsWith("/") ? "should start with: /" : value.includes("//") ? "must not have empty segments" : undefined;
      if (problem) issues.push({ code: "invalid_value", kongPath, propPath: kongPath.map((segment) => propName(String(segment))).join("."), value, message: problem });
    };
    pathAt(["hash_on_cookie_path"]);
    pathAt(["healthchecks", "active", "http_path"]);
  }
  if (kind.name === "consumers") atLeastOneOf(["custom_id", "username"]);
  if (kind.name === "keys") {
    onlyOneOf(["jwk", "pem"]);
    atLeastOneOf(["jwk", "pem"]);
  }
  if (kind.name === "certificates") allOrNone(["cert_alt", "key_alt"]);
  if (kind.name === "jwt_secrets") {
    const asymmetric = (v: string) => /^(RS|PS)\d{3}$|^EdDSA$/.test(v);
    conditional("algorithm", asymmetric, "rsa_public_key", "required");
    // jwt/daos.lua: with those algorithms, `validate_ssl_key` (a key OpenSSL can read)
    const key = body.rsa_public_key;
    const algorithm = body.algorithm;
    if (literal(algorithm) && asymmetric(algorithm) && literal(key) && !isVaultReference(key) && !readableKey(key)) issues.push({ code: "invalid_value", kongPath: ["rsa_public_key"], propPath: "rsaPublicKey", value: key, message: "invalid key" });
  }
  if (kind.name === "keyauth_credentials") {
    // kong/db/dao/init.lua `validate_options_value`: the ttl option
    const ttl = body.ttl;
    if (typeof ttl === "number" && !(Number.isInteger(ttl) && ttl >= 0 && ttl <= 100000000)) issues.push({ code: "invalid_value", kongPath: ["ttl"], propPath: "ttl", value: ttl, message: "must be an integer between 0 and 100000000" });
  }
  if (kind.name === "upstreams") {
    for (const [ifField, value, thenField] of [
      ["hash_on", "header", "hash_on_header"],
      ["hash_fallback", "header", "hash_fallback_header"],
      ["hash_on", "cookie", "hash_on_cookie"],
      ["hash_fallback", "cookie", "hash_on_cookie"],
      ["hash_on", "query_arg", "hash_on_query_arg"],
      ["hash_fallback", "query_arg", "hash_fallback_query_arg"],
      ["hash_on", "uri_capture", "hash_on_uri_capture"],
      ["hash_fallback", "uri_capture", "hash_fallback_uri_capture"],
    ] as const) {
      conditional(ifField, (v) => v === value, thenField, "required");
    }
    // the fallbacks each hash_on allows (upstreams.lua)
    const fallbacks: Readonly<Record<string, readonly string[]>> = {
      none: ["none"],
      cookie: ["none"],
      consumer: ["none", "ip", "header", "cookie", "path", "query_arg", "uri_capture"],
      ip: ["none", "consumer", "header", "cookie", "path", "query_arg", "uri_capture"],
      path: ["none", "consumer", "header", "cookie", "query_arg", "ip", "uri_capture"],
    };
    // hash_on defaults to none, which allows only the fallback none
    const on = body.hash_on === undefined ? "none" : body.hash_on;
    const fallback = body.hash_fallback;
    if ((known("hash_on") || body.hash_on === undefined) && known("hash_fallback") && typeof on === "string" && typeof fallback === "string" && fallbacks[on] && !fallbacks[on]!.includes(fallback)) {
      issues.push({
        code: "invalid_value",
        kongPath: ["hash_fallback"],
        propPath: "hashFallback",
        value: fallback,
        message: `expected one of: ${fallbacks[on]!.join(", ")} when hashOn is ${JSON.stringify(on)}${body.hash_on === undefined ? " (its default)" : ""} (Kong: failed conditional validation given value of field 'hash_on')`,
      });
    }
    // `distinct`: the fallback hashes on something else than the hash
    for (const [a, b] of [["hash_on_header", "hash_fallback_header"], ["hash_on_query_arg", "hash_fallback_query_arg"], ["hash_on_uri_capture", "hash_fallback_uri_capture"]] as const) {
      if (known(a) && known(b) && body[a] === body[b]) entity(`values of these fields must be distinct: ${quoted([a, b])}`, [a, b]);
    }
  }
  if (kind.name === "routes") {
    const protocols = body.protocols;
    // the expressions router: Kong checks the expression; the traditional rules do not apply
    if (body.expression !== undefined || isUnresolved(protocols)) return issues;
    const list = Array.isArray(protocols) ? protocols.filter((p): p is string => typeof p === "string" && !isUnresolved(p)) : ["http", "https"];
    const subsets = [["http", "https"], ["tcp", "tls", "udp"], ["tls_passthrough"], ["grpc", "grpcs"], ["ws", "wss"]];
    const used = subsets.filter((subset) => list.some((p) => subset.includes(p)));
    if (used.length > 1) {
      issues.push({ code: "invalid_value", kongPath: ["protocols"], propPath: "protocols", value: protocols, message: `these sets are mutually exclusive: ${used.map((subset) => `(${quoted(subset)})`).join(", ")}` });
      return issues;
    }
    const unknownAny = ["methods", "hosts", "headers", "paths", "snis", "sources", "destinations"].some((name) => isUnresolved(body[name]));
    if (!unknownAny && list.length > 0) {
      // Kong picks the subschema of the first protocol (`subschema_key = "protocols"`)
      const first = list[0]!;
      const atLeastOne = (names: readonly string[], when: string) => {
        if (!names.some((name) => given(body, name))) entity(`must set one of ${quoted(names)} when 'protocols' is '${when}'`, names);
      };
      const forbidden = (names: readonly string[], when: string) => {
        for (const name of names) {
          if (given(body, name)) issues.push({ code: "invalid_value", kongPath: [name], propPath: propName(name), value: body[name], message: `cannot set '${name}' when 'protocols' is ${when}` });
        }
      };
      if (first === "http" || first === "https") {
        forbidden(["sources", "destinations"], "'http' or 'https'");
        if (list.includes("https")) atLeastOne(["methods", "hosts", "headers", "paths", "snis"], "https");
        else atLeastOne(["methods", "hosts", "headers", "paths"], "http");
      } else if (first === "tcp" || first === "tls" || first === "udp" || first === "tls_passthrough") {
        forbidden(["methods", "hosts", "paths", "headers"], "'tcp', 'tls', 'tls_passthrough' or 'udp'");
        if (list.every((p) => p === "tcp" || p === "tls" || p === "udp")) atLeastOne(["sources", "destinations", "snis"], "tcp', 'tls' or 'udp");
        if (list.every((p) => p === "tls_passthrough") && !given(body, "snis")) entity("must set snis when 'protocols' is 'tls_passthrough'", ["snis"]);
      } else if (first === "grpc" || first === "grpcs") {
        forbidden(["methods", "sources", "destinations"], "'grpc' or 'grpcs'");
        if (body.strip_path === true) issues.push({ code: "invalid_value", kongPath: ["strip_path"], propPath: "stripPath", value: true, message: "cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'" });
        if (list.includes("grpcs")) atLeastOne(["hosts", "headers", "paths", "snis"], "grpcs");
        else atLeastOne(["hosts", "headers", "paths"], "grpc");
      }
      if (given(body, "snis") && !list.some((p) => ["grpcs", "https", "tls", "tls_passthrough", "wss"].includes(p))) {
        issues.push({ code: "invalid_value", kongPath: ["snis"], propPath: "snis", value: body.snis, message: "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls', 'tls_passthrough', or 'wss'" });
      }
    }
    const headers = body.headers;
    if (headers !== null && typeof headers === "object" && !Array.isArray(headers) && !isUnresolved(headers) && Object.keys(headers).some((key) => key.toLowerCase() === "host")) {
      issues.push({ code: "invalid_value", kongPath: ["headers"], propPath: "headers", value: headers, message: "cannot contain 'host' header, which must be specified in the 'hosts' attribute" });
    }
    const paths = body.paths;
    if (Array.isArray(paths) && !isUnresolved(paths)) {
      paths.forEach((path, i) => {
        if (typeof path !== "string" || isUnresolved(path)) return;
        const at = { code: "invalid_value" as const, kongPath: ["paths", i], propPath: `paths[${i}]`, value: path };
        if (!path.startsWith("/") && !path.startsWith("~/")) issues.push({ ...at, message: "should start with: / (fixed path) or ~/ (regex path)" });
        else if (path.startsWith("/") && path.includes("//")) issues.push({ ...at, message: "must not have empty segments" });
        else if (path.startsWith("/") && /(^|\/)\.\.?(\/|$)/.test(path)) issues.push({ ...at, message: `non-normalized path, consider use '${posix.normalize(path)}' instead` });
      });
    }
    // typedefs.lua `http_method`: upper-case letters
    const methods = body.methods;
    if (Array.isArray(methods) && !isUnresolved(methods)) {
      methods.forEach((method, i) => {
        if (typeof method === "string" && !isUnresolved(method) && !/^[A-Z]+$/.test(method)) {
          issues.push({ code: "invalid_value", kongPath: ["methods", i], propPath: `methods[${i}]`, value: method, message: `invalid value: ${method}`, ...(/^[A-Za-z]+$/.test(method) ? { hint: `did you mean "${method.toUpperCase()}"?` } : {}) });
        }
      });
    }
  }
  return issues;
}

/** Whether OpenSSL (through Node) reads a PEM as a public or private key. */
function readableKey(pem: string): boolean {
  for (const read of [createPublicKey, createPrivateKey]) {
    try {
      read(pem);
      return true;
    } catch {
      // not this kind of key
    }
  }
  return false;
}

/** The facts of the field at a Kong path of an entity body. */
export function fieldAt(facts: EntityFacts, kongPath: Path): FieldFacts | undefined {
  let field: FieldFacts | undefined = facts.fields;
  for (const segment of kongPath) field = childField(field, segment);
  return field;
}

/** A Kong path of an entity body in props: record fields by their prop names, map keys and indexes as they are. */
export function entityPathToProps(facts: EntityFacts, kongPath: Path): string {
  const out: Array<string | number> = [];
  let field: FieldFacts | undefined = facts.fields;
  for (const segment of kongPath) {
    if (field?.t === "record" && typeof segment === "string") {
      out.push(field.f?.[segment] ? propName(segment) : segment);
      field = field.f?.[segment];
    } else {
      out.push(segment);
      field = field?.t === "array" ? field.i : field?.t === "map" ? field.m : undefined;
    }
  }
  return formatPath(out);
}

/**
 * The secret strings of an entity body: its kind's secret fields, what the facts mark encrypted (at
 * any depth of records: a key's `pem.private_key`), and in a vault's `config` (a map the
 * specifications leave untyped) every string whose key says secret (`token`, `secret_id`, …).
 */
export function entitySecretPaths(kind: EntityKind, facts: EntityFacts, body: Record<string, unknown>, index: number): Array<{ kongPath: Array<string | number>; propPath: string }> {
  const found: Array<{ kongPath: Array<string | number>; propPath: string }> = [];
  const visit = (field: FieldFacts | undefined, value: unknown, path: Array<string | number>, secret: boolean) => {
    if (value === undefined || value === null) return;
    const isSecret = secret || (field !== undefined && attributesAt(field, index).enc === true);
    if (typeof value === "string") {
      if (isSecret) found.push({ kongPath: path, propPath: entityPathToProps(facts, path) });
      return;
    }
    if (typeof value !== "object") return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(field?.t === "array" ? field.i : undefined, item, [...path, i], isSecret));
    } else if (field?.t === "record") {
      for (const [name, child] of Object.entries(field.f ?? {})) visit(child, (value as Record<string, unknown>)[name], [...path, name], false);
    } else if (field === undefined || field.t === "map" || field.t === "any") {
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) visit(field?.t === "map" ? field.m : undefined, item, [...path, key], isSecret || (kind.name === "vaults" && isSecretName(key)));
    }
  };
  for (const [name, field] of Object.entries(facts.fields.f ?? {})) visit(field, body[name], [name], (kind.secrets ?? []).includes(name));
  return found;
}
