/**
 * The `entity_checks` and subschema rules of Kong's core entities that field definitions cannot
 * express, with Kong's messages and error placement (kong/db/schema/init.lua `run_entity_checks`):
 * services.lua, routes.lua + routes_subschemas.lua, consumers.lua, upstreams.lua, keys.lua,
 * certificates.lua and the jwt plugin's daos.lua.
 */
import { createPrivateKey, createPublicKey, X509Certificate } from "node:crypto";
import { entityError, isReference } from "./entity-checks.js";
import type { LuaTable } from "./lua-compat.js";
import type { JsonObject } from "./schema-engine.js";

type Check = (entity: JsonObject, errors: LuaTable) => void;

const nil = (value: unknown): boolean => value === null || value === undefined;
const nonEmpty = (value: unknown): boolean => {
  if (nil(value) || value === "") return false;
  if (typeof value === "object") return Array.isArray(value) ? value.length > 0 : Object.keys(value as object).length > 0;
  return true;
};
const quoted = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(", ");


/** `at_least_one_of`. */
function atLeastOneOf(names: readonly string[]): Check {
  return (entity, errors) => {
    if (names.some((n) => errors.has(n))) return;
    if (!names.some((n) => nonEmpty(entity[n]))) entityError(errors, `at least one of these fields must be non-empty: ${quoted(names)}`);
  };
}

/** `mutually_exclusive`. */
function mutuallyExclusive(names: readonly string[]): Check {
  return (entity, errors) => {
    if (names.some((n) => errors.has(n))) return;
    if (names.filter((n) => nonEmpty(entity[n])).length > 1) entityError(errors, `only one or none of these fields must be set: ${quoted(names)}`);
  };
}

/** `mutually_required`. */
function mutuallyRequired(names: readonly string[]): Check {
  return (entity, errors) => {
    if (names.some((n) => errors.has(n))) return;
    const set = names.filter((n) => nonEmpty(entity[n])).length;
    if (set !== 0 && set !== names.length) entityError(errors, `all or none of these fields must be set: ${quoted(names)}`);
  };
}

/**
 * `conditional`: when `ifField` matches, `thenField` must pass `then` (a message when it does
 * not); the field gets that message, the entity `failed conditional validation …`.
 */
function conditional(ifField: string, matches: (value: unknown) => boolean, thenField: string, then: (value: unknown) => string | undefined): Check {
  return (entity, errors) => {
    if (errors.has(ifField) || nil(entity[ifField]) || !matches(entity[ifField])) return;
    const err = then(entity[thenField] ?? null);
    if (err === undefined) return;
    errors.set(thenField, err);
    entityError(errors, `failed conditional validation given value of field '${ifField}'`);
  };
}

const mustBeNull = (value: unknown): string | undefined => (value === null ? undefined : "value must be null");
const required = (value: unknown): string | undefined => (value === null ? "required field missing" : undefined);
/** jwt daos.lua: `then_match = { required = true, custom_validator = validate_ssl_key }` (`resty.openssl.pkey.new`). */
const requiredKey = (value: unknown): string | undefined => {
  if (value === null) return "required field missing";
  if (typeof value !== "string") return undefined;
  for (const load of [createPublicKey, createPrivateKey]) {
    try {
      load(value);
      return undefined;
    } catch {
      // not this kind of key
    }
  }
  return "invalid key";
};
const oneOf = (allowed: readonly string[]) => (value: unknown): string | undefined => (value === null || allowed.includes(value as string) ? undefined : `expected one of: ${allowed.join(", ")}`);
const isOneOf = (allowed: readonly string[]) => (value: unknown): boolean => allowed.includes(value as string);
const notOneOf = (allowed: readonly string[]) => (value: unknown): boolean => !allowed.includes(value as string);

const TLS_PROTOCOLS = ["https", "tls"];

const SERVICE: Check[] = [
  conditional("protocol", isOneOf(["tcp", "tls", "udp", "grpc", "grpcs"]), "path", mustBeNull),
  conditional("protocol", notOneOf(TLS_PROTOCOLS), "client_certificate", mustBeNull),
  conditional("protocol", notOneOf(TLS_PROTOCOLS), "tls_verify", mustBeNull),
  conditional("protocol", notOneOf(TLS_PROTOCOLS), "tls_verify_depth", mustBeNull),
  conditional("protocol", notOneOf(TLS_PROTOCOLS), "ca_certificates", mustBeNull),
];

const SUBSETS: ReadonlyArray<readonly string[]> = [["http", "https"], ["tcp", "tls", "udp"], ["tls_passthrough"], ["grpc", "grpcs"]];

/** The route subschema (routes_subschemas.lua) chosen by the first protocol. */
function routeSubschema(protocols: readonly string[]): "http" | "stream" | "grpc" | undefined {
  const first = protocols[0];
  if (first === "http" || first === "https") return "http";
  if (first === "tcp" || first === "tls" || first === "udp" || first === "tls_passthrough") return "stream";
  if (first === "grpc" || first === "grpcs") return "grpc";
  return undefined;
}

const STREAM = "'tcp', 'tls', 'tls_passthrough' or 'udp'";

/** A field the subschema forbids (`typedefs.no_methods { err = … }`). */
function forbid(entity: JsonObject, errors: LuaTable, field: string, err: string): void {
  if (!errors.has(field) && !nil(entity[field])) errors.set(field, err);
}

function routeChecks(entity: JsonObject, errors: LuaTable): void {
  const protocols = Array.isArray(entity["protocols"]) ? (entity["protocols"] as string[]) : [];
  if (!errors.has("protocols")) {
    const member: Array<readonly string[]> = [];
    for (const p of protocols) {
      const subset = SUBSETS.find((s) => s.includes(p));
      if (subset && !member.includes(subset)) member.push(subset);
    }
    if (member.length > 1) errors.set("protocols", `these sets are mutually exclusive: ${member.map((s) => `(${quoted(s)})`).join(", ")}`);
  }
  const headers = entity["headers"];
  if (!nil(headers) && !errors.has("headers")) {
    if (typeof headers !== "object" || Array.isArray(headers)) errors.set("headers", "expected a map");
    else if (Object.keys(headers as object).some((k) => k.toLowerCase() === "host")) errors.set("headers", "cannot contain 'host' header, which must be specified in the 'hosts' attribute");
    else if (Object.values(headers as object).some((v) => !Array.isArray(v) || v.some((s) => typeof s !== "string"))) errors.set("headers", "expected an array");
  }
  if (errors.has("protocols")) return;
  const kind = routeSubschema(protocols);
  const has = (names: readonly string[]): boolean => names.some((n) => nonEmpty(entity[n]));
  if (kind === "http") {
    forbid(entity, errors, "sources", "cannot set 'sources' when 'protocols' is 'http' or 'https'");
    forbid(entity, errors, "destinations", "cannot set 'destinations' when 'protocols' is 'http' or 'https'");
    const https = protocols.includes("https");
    const names = https ? ["methods", "hosts", "headers", "paths", "snis"] : ["methods", "hosts", "headers", "paths"];
    if (!has(names)) entityError(errors, `must set one of ${quoted(names)} when 'protocols' is '${https ? "https" : "http"}'`);
  } else if (kind === "stream") {
    for (const field of ["methods", "hosts", "paths", "headers"]) forbid(entity, errors, field, `cannot set '${field}' when 'protocols' is ${STREAM}`);
    if (protocols.some((p) => p === "tcp" || p === "tls" || p === "udp") && protocols.every((p) => ["tcp", "tls", "udp"].includes(p)) && !has(["sources", "destinations", "snis"])) {
      entityError(errors, "must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'");
    }
    if (protocols.every((p) => p === "tls_passthrough") && !has(["snis"])) entityError(errors, "must set snis when 'protocols' is 'tls_passthrough'");
  } else if (kind === "grpc") {
    if (!errors.has("strip_path") && entity["strip_path"] === true) errors.set("strip_path", "cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'");
    forbid(entity, errors, "methods", "cannot set 'methods' when 'protocols' is 'grpc' or 'grpcs'");
    forbid(entity, errors, "sources", "cannot set 'sources' when 'protocols' is 'grpc' or 'grpcs'");
    forbid(entity, errors, "destinations", "cannot set 'destinations' when 'protocols' is 'grpc' or 'grpcs'");
    const grpcs = protocols.includes("grpcs");
    const names = grpcs ? ["hosts", "headers", "paths", "snis"] : ["hosts", "headers", "paths"];
    if (!has(names)) entityError(errors, `must set one of ${quoted(names)} when 'protocols' is '${grpcs ? "grpcs" : "grpc"}'`);
  }
  const tlsLike = ["grpcs", "https", "tls", "tls_passthrough"];
  const snis = entity["snis"];
  if (!errors.has("snis") && protocols.every((p) => !tlsLike.includes(p)) && Array.isArray(snis) && snis.length > 0) {
    errors.set("snis", "length must be 0");
    entityError(errors, "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'");
  }
}

const HASH_FALLBACKS: ReadonlyArray<[string, readonly string[]]> = [
  ["none", ["none"]],
  ["cookie", ["none"]],
  ["consumer", ["none", "ip", "header", "cookie", "path", "query_arg", "uri_capture"]],
  ["ip", ["none", "consumer", "header", "cookie", "path", "query_arg", "uri_capture"]],
  ["path", ["none", "consumer", "header", "cookie", "query_arg", "ip", "uri_capture"]],
];

function distinct(a: string, b: string): Check {
  return (entity, errors) => {
    if (errors.has(a) || errors.has(b) || nil(entity[a]) || entity[a] !== entity[b]) return;
    entityError(errors, `values of these fields must be distinct: ${quoted([a, b])}`);
  };
}

const UPSTREAM: Check[] = [
  conditional("hash_on", isOneOf(["header"]), "hash_on_header", required),
  conditional("hash_fallback", isOneOf(["header"]), "hash_fallback_header", required),
  conditional("hash_on", isOneOf(["cookie"]), "hash_on_cookie", required),
  conditional("hash_fallback", isOneOf(["cookie"]), "hash_on_cookie", required),
  ...HASH_FALLBACKS.map(([on, allowed]) => conditional("hash_on", isOneOf([on]), "hash_fallback", oneOf(allowed))),
  distinct("hash_on_header", "hash_fallback_header"),
  conditional("hash_on", isOneOf(["query_arg"]), "hash_on_query_arg", required),
  conditional("hash_fallback", isOneOf(["query_arg"]), "hash_fallback_query_arg", required),
  distinct("hash_on_query_arg", "hash_fallback_query_arg"),
  conditional("hash_on", isOneOf(["uri_capture"]), "hash_on_uri_capture", required),
  conditional("hash_fallback", isOneOf(["uri_capture"]), "hash_fallback_uri_capture", required),
  distinct("hash_on_uri_capture", "hash_fallback_uri_capture"),
];

/** certificates.lua: the pair must match (checked with Node's OpenSSL; vault references are not resolved). */
function certificateChecks(entity: JsonObject, errors: LuaTable): void {
  mutuallyRequired(["cert_alt", "key_alt"])(entity, errors);
  const pair = (certField: string, keyField: string, mismatch: string): void => {
    const cert = entity[certField];
    const key = entity[keyField];
    if (typeof cert !== "string" || typeof key !== "string" || isReference(cert) || isReference(key)) return;
    let certKey: string;
    try {
      certKey = new X509Certificate(cert).publicKey.export({ type: "spki", format: "pem" }).toString();
    } catch {
      errors.set(certField, "invalid certificate: x509.new: error:0480006C:PEM routines::no start line");
      return;
    }
    let ownKey: string;
    try {
      ownKey = createPublicKey(createPrivateKey(key)).export({ type: "spki", format: "pem" }).toString();
    } catch {
      errors.set(keyField, "invalid key: pkey.new:load_key: error:1E08010C:DECODER routines::unsupported");
      return;
    }
    if (certKey !== ownKey) entityError(errors, mismatch);
  };
  pair("cert", "key", "certificate does not match key");
  pair("cert_alt", "key_alt", "alternative certificate does not match key");
}

const CHECKS: Record<string, Check[]> = {
  services: SERVICE,
  routes: [routeChecks],
  consumers: [atLeastOneOf(["custom_id", "username"])],
  upstreams: UPSTREAM,
  keys: [mutuallyExclusive(["jwk", "pem"]), atLeastOneOf(["jwk", "pem"])],
  certificates: [certificateChecks],
  // an algorithm the version lacks fails its `one_of` first, so one list serves 3.4 (RS*) and 3.7+ (RS*, PS*, EdDSA)
  jwt_secrets: [conditional("algorithm", isOneOf(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA"]), "rsa_public_key", requiredKey)],
};

/** Runs the entity checks of `kind` over a complete entity, adding to Kong's error table. */
export function runEntityRules(kind: string, entity: JsonObject, errors: LuaTable): void {
  for (const check of CHECKS[kind] ?? []) check(entity, errors);
}
