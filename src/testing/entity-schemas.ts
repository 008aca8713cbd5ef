/**
 * Kong's core entities and the auth plugins' credentials as the emulator serves them: fields,
 * defaults, endpoint keys, unique and foreign keys, written from Kong's schemas
 * (kong/db/schema/entities/*.lua, kong/db/schema/typedefs.lua, kong/plugins/*\/daos.lua).
 *
 * {@link entitySchema} is the one place a schema comes from: the hand-written definitions below
 * (Kong's validators and messages), fitted to one Kong edition and version by the generated JSON
 * Schemas (src/testing/generated/entities/<name>.json, from Kong's Admin API specifications): fields
 * that version lacks are dropped, fields only it has are added from their JSON Schema.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { majorMinor, type JsonSchemaNode } from "./plugin-catalog.js";
import { protocolsFor, validateTag, validateUtf8Name, versionAtLeast } from "./kong-schema.js";
import type { FieldDef, FieldList, Shorthand } from "./schema-engine.js";
import { validateHost, validateHostWithOptionalPort, validateHostWithWildcards, validatePath, validateRouterPath, validateSni, validateTarget, validateUpstreamName, validateWildcardHost } from "./entity-validators.js";

/** The DAO names the emulator serves besides `plugins`. */
export const ENTITY_NAMES = [
  "services", "routes", "consumers", "consumer_groups", "upstreams", "targets", "certificates", "ca_certificates", "snis",
  "vaults", "keys", "key_sets", "keyauth_credentials", "basicauth_credentials", "jwt_secrets", "hmacauth_credentials", "acls",
] as const;

/** A DAO name the emulator serves besides `plugins`. */
export type EntityName = (typeof ENTITY_NAMES)[number];

/** One entity type: its schema and how the Admin API addresses it. */
export interface EntityDef {
  /** the DAO name, e.g. `keyauth_credentials` */
  readonly name: EntityName;
  /** `admin_api_name`: the collection's path segment, e.g. `key-auths` */
  readonly path: string;
  /** `admin_api_nested_name`: the segment under the parent, e.g. `/consumers/{c}/key-auth` */
  readonly nestedPath?: string;
  /** the unique field a path segment that is not a UUID is looked up by */
  readonly endpointKey?: string;
  /** fields in schema order */
  readonly fields: FieldList;
  /** fields with a unique index */
  readonly uniques: readonly string[];
  /** a composite unique key besides the fields' own (`cache_key` of acls and targets) */
  readonly compositeUnique?: readonly string[];
  /** unique fields Kong checks across every workspace (`unique_across_ws`) */
  readonly uniqueAcrossWorkspaces?: readonly string[];
  /** foreign fields whose parent's deletion deletes this entity (`on_delete = "cascade"`) */
  readonly cascade?: readonly string[];
  /** the foreign field the nested endpoints (`/{parent}/{p}/{nestedPath}`) go through */
  readonly parentField?: string;
  /** deprecated aliases (`shorthand_fields`) */
  readonly shorthands?: readonly Shorthand[];
  /** Kong Enterprise only */
  readonly enterprise?: boolean;
  /**
   * `ttl = true`: a write takes a `ttl` option (seconds) beside the fields (kong/api/endpoints.lua
   * `extract_options` takes it out of the body); elsewhere `ttl` is a field name like any other
   */
  readonly ttl?: boolean;
}

/** Options deciding the schemas of one Kong. */
export interface EntitySchemaOptions {
  readonly edition: "community" | "enterprise";
  readonly version: string;
}

const uuid: FieldDef = { type: "string", uuid: true, auto: true };
const timestamp: FieldDef = { type: "integer", timestamp: true, auto: true };
const timestampMs: FieldDef = { type: "number", timestamp: true, auto: true, millis: true };
const tags: FieldDef = { type: "set", elements: { type: "string", required: true, custom: validateTag } };
const utf8Name: FieldDef = { type: "string", custom: validateUtf8Name };
const foreign = (reference: string, extra: Partial<FieldDef> = {}): FieldDef => ({ type: "foreign", reference, ...extra });
const port: FieldDef = { type: "integer", between: [0, 65535] };
const timeout: FieldDef = { type: "integer", between: [1, 2 ** 31 - 2], default: 60000 };
const ipOrCidrRecord = (): FieldDef => ({ type: "record", fields: [["ip", { type: "string" }], ["port", port]] });
const referenceable = (extra: Partial<FieldDef> = {}): FieldDef => ({ type: "string", referenceable: true, ...extra });

/** `url` of services.lua: parsed like LuaSocket's `url.parse` into protocol, host, port and path. */
const SERVICE_URL: Shorthand = {
  name: "url",
  type: "string",
  map: (value) => {
    const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)/.exec(String(value));
    if (!m) return undefined;
    const authority = m[2] ?? "";
    const hostPort = authority.includes("@") ? authority.slice(authority.lastIndexOf("@") + 1) : authority;
    const pm = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort)!;
    const rawPort = pm[2];
    const num = rawPort !== undefined && /^\d+$/.test(rawPort) ? Number(rawPort) : undefined;
    const protocol = m[1] ?? (num === 80 ? "http" : num === 443 ? "https" : "http");
    return {
      protocol,
      host: pm[1] ? pm[1] : null,
      port: num ?? rawPort ?? (protocol === "http" ? 80 : protocol === "https" ? 443 : 80),
      path: m[3] ? m[3] : null,
    };
  },
};

/** `algorithm` of upstreams.lua: `least-connections` and `latency` clear `hash_on`. */
const UPSTREAM_ALGORITHM: Shorthand = {
  name: "algorithm",
  type: "string",
  map: (value) => (value === "least-connections" || value === "latency" ? { algorithm: value, hash_on: null } : { algorithm: value }),
};

const HASH_ON: FieldDef = { type: "string", default: "none", oneOf: ["none", "consumer", "ip", "header", "cookie", "path", "query_arg", "uri_capture"] };
const HTTP_STATUSES = (defaults: number[]): FieldDef => ({ type: "array", default: defaults, elements: { type: "integer", between: [100, 999] } });
const byte = (def: number): FieldDef => ({ type: "integer", between: [0, 255], default: def });
const seconds = (def: number): FieldDef => ({ type: "number", between: [0, 65535], default: def });

const HEALTHCHECKS: FieldDef = {
  type: "record",
  fields: [
    [
      "active",
      {
        type: "record",
        fields: [
          ["type", { type: "string", oneOf: ["tcp", "http", "https", "grpc", "grpcs"], default: "http" }],
          ["timeout", seconds(1)],
          ["concurrency", { type: "integer", between: [1, 2 ** 31], default: 10 }],
          ["http_path", { type: "string", default: "/", custom: validatePath }],
          ["https_sni", { type: "string", custom: validateSni }],
          ["https_verify_certificate", { type: "boolean", required: true, default: true }],
          ["headers", { type: "any" }],
          ["healthy", { type: "record", fields: [["interval", seconds(0)], ["http_statuses", HTTP_STATUSES([200, 302])], ["successes", byte(0)]] }],
          [
            "unhealthy",
            {
              type: "record",
              fields: [
                ["interval", seconds(0)],
                ["http_statuses", HTTP_STATUSES([429, 404, 500, 501, 502, 503, 504, 505])],
                ["tcp_failures", byte(0)],
                ["timeouts", byte(0)],
                ["http_failures", byte(0)],
              ],
            },
          ],
        ],
      },
    ],
    [
      "passive",
      {
        type: "record",
        fields: [
          ["type", { type: "string", oneOf: ["tcp", "http", "https", "grpc", "grpcs"], default: "http" }],
          ["healthy", { type: "record", fields: [["http_statuses", HTTP_STATUSES([200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308])], ["successes", byte(0)]] }],
          ["unhealthy", { type: "record", fields: [["http_statuses", HTTP_STATUSES([429, 500, 503])], ["tcp_failures", byte(0)], ["timeouts", byte(0)], ["http_failures", byte(0)]] }],
        ],
      },
    ],
    ["threshold", { type: "number", default: 0, between: [0, 100] }],
  ],
};

/** upstreams.lua `gen_fields`: every record of the healthchecks defaults to the table of its fields' defaults. */
function withRecordDefaults(def: FieldDef): FieldDef {
  if (def.type !== "record" || !def.fields) return def;
  const fields = def.fields.map(([k, f]) => [k, withRecordDefaults(f)] as const);
  const defaults: Record<string, unknown> = {};
  for (const [k, f] of fields) defaults[k] = f.default ?? null;
  return { ...def, fields, default: defaults };
}

/**
 * The values of a string enum: open-source Kong's (its source), or for Kong Enterprise, whose source
 * is not public, those of its Admin API specification (the generated JSON Schema) when it has them.
 */
function enumFor(entity: EntityName, field: string, options: EntitySchemaOptions, oss: readonly string[]): readonly string[] {
  if (options.edition !== "enterprise") return oss;
  const published = generatedProperties(entity, options)?.[field]?.enum;
  return Array.isArray(published) && published.length > 0 && published.every((v) => typeof v === "string") ? (published as string[]) : oss;
}

/** kong/plugins/jwt/daos.lua `algorithm`: open-source Kong 3.4–3.6 has eight; 3.7 added ES512, PS256–PS512 and EdDSA. */
function jwtAlgorithms(options: EntitySchemaOptions): readonly string[] {
  const early = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384"];
  return enumFor("jwt_secrets", "algorithm", options, versionAtLeast(options.version, 3, 7) ? [...early, "ES512", "PS256", "PS384", "PS512", "EdDSA"] : early);
}

const BUNDLED_VAULTS: Record<"community" | "enterprise", readonly string[]> = {
  community: ["env"],
  enterprise: ["aws", "azure", "conjur", "env", "gcp", "hcv"],
};

function definitions(options: EntitySchemaOptions): EntityDef[] {
  const protocols = protocolsFor(options.edition);
  const protocol: FieldDef = { type: "string", oneOf: protocols };
  const credential = (name: EntityName, path: string, nestedPath: string, endpointKey: string | undefined, fields: FieldList, uniques: string[]): EntityDef => ({
    name,
    path,
    nestedPath,
    endpointKey,
    fields: [["id", uuid], ["created_at", timestamp], ["consumer", foreign("consumers", { required: true })], ...fields, ["tags", tags]],
    uniques,
    cascade: ["consumer"],
    parentField: "consumer",
  });
  return [
    {
      name: "services",
      path: "services",
      endpointKey: "name",
      fields: [
        ["id", uuid],
        ["created_at", timestamp],
        ["updated_at", timestamp],
        ["name", utf8Name],
        ["retries", { type: "integer", default: 5, between: [0, 32767] }],
        ["protocol", { ...protocol, required: true, default: "http" }],
        ["host", { type: "string", required: true, custom: validateHost }],
        ["port", { ...port, required: true, default: 80 }],
        ["path", { type: "string", custom: validatePath }],
        ["connect_timeout", timeout],
        ["write_timeout", timeout],
        ["read_timeout", timeout],
        ["tags", tags],
        ["client_certificate", foreign("certificates")],
        ["tls_verify", { type: "boolean" }],
        ["tls_verify_depth", { type: "integer", between: [0, 64] }],
        ["ca_certificates", { type: "array", elements: { type: "string", uuid: true } }],
        ["enabled", { type: "boolean", required: true, default: true }],
      ],
      uniques: ["name"],
      shorthands: [SERVICE_URL],
    },
    {
      name: "routes",
      path: "routes",
      endpointKey: "name",
      fields: [
        ["id", uuid],
        ["created_at", timestamp],
        ["updated_at", timestamp],
        ["name", utf8Name],
        ["protocols", { type: "set", lenMin: 1, required: true, elements: protocol, default: ["http", "https"] }],
        ["https_redirect_status_code", { type: "integer", oneOf: [426, 301, 302, 307, 308], default: 426, required: true }],
        ["strip_path", { type: "boolean", required: true, default: true }],
        ["preserve_host", { type: "boolean", required: true, default: false }],
        ["request_buffering", { type: "boolean", required: true, default: true }],
        ["response_buffering", { type: "boolean", required: true, default: true }],
        ["tags", tags],
        ["service", foreign("services")],
        ["snis", { type: "set", elements: { type: "string", custom: validateWildcardHost } }],
        ["sources", { type: "set", elements: ipOrCidrRecord() }],
        ["destinations", { type: "set", elements: ipOrCidrRecord() }],
        ["methods", { type: "set", elements: { type: "string", custom: (m) => (/^[A-Z]+$/.test(m) ? undefined : `invalid value: ${m}`) } }],
        ["hosts", { type: "array", elements: { type: "string", custom: validateHostWithWildcards } }],
        ["paths", { type: "array", elements: { type: "string", custom: validateRouterPath } }],
        ["headers", { type: "any" }],
        ["regex_priority", { type: "integer", default: 0 }],
        ["path_handling", { type: "string", default: "v0", oneOf: ["v0", "v1"] }],
      ],
      uniques: ["name"],
      parentField: "service",
    },
    {
      name: "consumers",
      path: "consumers",
      endpointKey: "username",
      fields: [["id", uuid], ["created_at", timestamp], ["updated_at", timestamp], ["username", { type: "string" }], ["custom_id", { type: "string" }], ["tags", tags]],
      uniques: ["username", "custom_id"],
    },
    {
      name: "consumer_groups",
      path: "consumer_groups",
      endpointKey: "name",
      fields: [["id", uuid], ["created_at", timestamp], ["updated_at", timestamp], ["name", { ...utf8Name, required: true }], ["tags", tags]],
      uniques: ["name"],
      enterprise: true,
    },
    {
      name: "upstreams",
      path: "upstreams",
      endpointKey: "name",
      fields: [
        ["id", uuid],
        ["created_at", timestamp],
        ["name", { type: "string", required: true, custom: validateUpstreamName }],
        ["updated_at", timestamp],
        // open-source Kong 3.4–3.10: these four; Enterprise's specification adds `sticky-sessions`
        ["algorithm", { type: "string", default: "round-robin", oneOf: enumFor("upstreams", "algorithm", options, ["consistent-hashing", "least-connections", "round-robin", "latency"]) }],
        ["hash_on", HASH_ON],
        ["hash_fallback", HASH_ON],
        ["hash_on_header", { type: "string" }],
        ["hash_fallback_header", { type: "string" }],
        ["hash_on_cookie", { type: "string" }],
        ["hash_on_cookie_path", { type: "string", default: "/", custom: validatePath }],
        ["hash_on_query_arg", { type: "string" }],
        ["hash_fallback_query_arg", { type: "string" }],
        ["hash_on_uri_capture", { type: "string" }],
        ["hash_fallback_uri_capture", { type: "string" }],
        ["slots", { type: "integer", default: 10000, between: [10, 2 ** 16] }],
        ["healthchecks", withRecordDefaults(HEALTHCHECKS)],
        ["tags", tags],
        ["host_header", { type: "string", custom: validateHostWithOptionalPort }],
        ["client_certificate", foreign("certificates")],
        ["use_srv_name", { type: "boolean", default: false }],
      ],
      uniques: ["name"],
      shorthands: [UPSTREAM_ALGORITHM],
    },
    {
      name: "targets",
      path: "targets",
      nestedPath: "targets",
      endpointKey: "target",
      fields: [
        ["id", uuid],
        ["created_at", timestampMs],
        ["updated_at", timestampMs],
        ["upstream", foreign("upstreams", { required: true })],
        ["target", { type: "string", required: true, custom: validateTarget }],
        ["weight", { type: "integer", default: 100, between: [0, 65535] }],
        ["tags", tags],
      ],
      uniques: [],
      compositeUnique: ["upstream", "target"],
      cascade: ["upstream"],
      parentField: "upstream",
    },
    {
      name: "certificates",
      path: "certificates",
      fields: [
        ["id", uuid],
        ["created_at", timestamp],
        ["updated_at", timestamp],
        ["cert", referenceable({ required: true })],
        ["key", referenceable({ required: true })],
        ["cert_alt", referenceable()],
        ["key_alt", referenceable()],
        ["tags", tags],
        ["snis", { type: "array", elements: { type: "string", custom: validateWildcardHost } }],
      ],
      uniques: [],
    },
    {
      name: "ca_certificates",
      path: "ca_certificates",
      fields: [["id", uuid], ["created_at", timestamp], ["updated_at", timestamp], ["cert", { type: "string", required: true }], ["cert_digest", { type: "string" }], ["tags", tags]],
      uniques: ["cert_digest"],
    },
    {
      name: "snis",
      path: "snis",
      nestedPath: "snis",
      endpointKey: "name",
      fields: [
        ["id", uuid],
        ["name", { type: "string", required: true, custom: validateWildcardHost }],
        ["created_at", timestamp],
        ["updated_at", timestamp],
        ["tags", tags],
        ["certificate", foreign("certificates", { required: true })],
      ],
      uniques: ["name"],
      uniqueAcrossWorkspaces: ["name"],
      parentField: "certificate",
    },
    {
      name: "vaults",
      path: "vaults",
      endpointKey: "prefix",
      fields: [
        ["id", uuid],
        [
          "prefix",
          {
            type: "string",
            required: true,
            custom: (p) => (/^[a-z][a-z\d-]*?[a-z\d]+$/.test(p) ? undefined : `invalid value: ${p}`),
            notOneOf: BUNDLED_VAULTS[options.edition],
          },
        ],
        // the subschema key: `subschema_error = "vault '%s' is not installed"`
        ["name", { type: "string", required: true, custom: (n) => (BUNDLED_VAULTS[options.edition].includes(n) ? undefined : `vault '${n}' is not installed`) }],
        ["description", { type: "string" }],
        ["config", { type: "any", default: {} }],
        ["created_at", timestamp],
        ["updated_at", timestamp],
        ["tags", tags],
      ],
      uniques: ["prefix"],
      uniqueAcrossWorkspaces: ["prefix"],
    },
    {
      name: "keys",
      path: "keys",
      nestedPath: "keys",
      endpointKey: "name",
      fields: [
        ["id", uuid],
        ["set", foreign("key_sets")],
        ["name", { type: "string" }],
        ["kid", { type: "string", required: true }],
        ["jwk", referenceable()],
        ["pem", { type: "record", fields: [["private_key", referenceable()], ["public_key", referenceable()]] }],
        ["tags", tags],
        ["created_at", timestamp],
        ["updated_at", timestamp],
      ],
      uniques: ["name"],
      compositeUnique: ["kid", "set"],
      cascade: ["set"],
      parentField: "set",
    },
    {
      name: "key_sets",
      path: "key-sets",
      endpointKey: "name",
      fields: [["id", uuid], ["name", { type: "string" }], ["tags", tags], ["created_at", timestamp], ["updated_at", timestamp]],
      uniques: ["name"],
    },
    // kong/plugins/key-auth/daos.lua: `ttl = true`
    { ...credential("keyauth_credentials", "key-auths", "key-auth", "key", [["key", { type: "string", auto: true }]], ["key"]), ttl: true },
    credential("basicauth_credentials", "basic-auths", "basic-auth", "username", [["username", { type: "string", required: true }], ["password", { type: "string", required: true }]], ["username"]),
    credential(
      "jwt_secrets",
      "jwts",
      "jwt",
      "key",
      [
        ["key", { type: "string", auto: true }],
        ["secret", { type: "string", auto: true }],
        ["rsa_public_key", { type: "string" }],
        ["algorithm", { type: "string", default: "HS256", oneOf: jwtAlgorithms(options) }],
      ],
      ["key"],
    ),
    credential("hmacauth_credentials", "hmac-auths", "hmac-auth", "username", [["username", { type: "string", required: true }], ["secret", { type: "string", auto: true }]], ["username"]),
    { ...credential("acls", "acls", "acls", undefined, [["group", { type: "string", required: true }]], []), compositeUnique: ["consumer", "group"] },
  ];
}

interface GeneratedFile {
  readonly name: string;
  readonly schemas: readonly JsonSchemaNode[];
  readonly ee?: Record<string, number>;
  readonly oss?: Record<string, number>;
}

const GENERATED_DIR = path.join(__dirname, "generated", "entities");

/**
 * Properties of the generated schemas that are not stored fields of a default Kong: `ttl` is an
 * option of a write; a route's `expression` and `priority` exist only with `router_flavor =
 * expressions`, not with the default `traditional_compatible` (routes.lua).
 */
const NOT_FIELDS = new Set(["ttl", "expression", "priority"]);

/** The properties the generated JSON Schema of one Kong has for an entity, when that file exists. */
function generatedProperties(name: string, options: EntitySchemaOptions): Readonly<Record<string, JsonSchemaNode>> | undefined {
  const file = path.join(GENERATED_DIR, `${name}.json`);
  if (!existsSync(file)) return undefined;
  let parsed: GeneratedFile;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8")) as GeneratedFile;
  } catch {
    return undefined;
  }
  const index = (options.edition === "enterprise" ? parsed.ee : parsed.oss)?.[majorMinor(options.version)];
  return index === undefined ? undefined : parsed.schemas[index]?.properties;
}

/** A field the hand-written definitions lack (e.g. Enterprise's `tls_sans`), from its JSON Schema. */
export function fieldFromJsonSchema(node: JsonSchemaNode): FieldDef {
  const common = { default: node.default, oneOf: node.enum as ReadonlyArray<string | number> | undefined };
  const between: readonly [number, number] | undefined = node.minimum !== undefined && node.maximum !== undefined ? [node.minimum, node.maximum] : undefined;
  switch (node.type) {
    case "string":
      return { type: "string", ...common, lenMin: node.minLength, lenMax: node.maxLength };
    case "integer":
    case "number":
      return { type: node.type, ...common, between };
    case "boolean":
      return { type: "boolean", default: node.default };
    case "array":
      return { type: "array", default: node.default, elements: node.items ? fieldFromJsonSchema(node.items) : { type: "any" } };
    case "object": {
      const foreign = (node as { "x-foreign"?: string })["x-foreign"];
      if (foreign) return { type: "foreign", reference: foreign };
      if (!node.properties) return { type: "any", default: node.default };
      const fields = Object.entries(node.properties).map(([key, child]) => [key, fieldFromJsonSchema(child)] as const);
      return { type: "record", default: node.default, fields };
    }
    default:
      return { type: "any", default: node.default };
  }
}

const cache = new Map<string, ReadonlyMap<EntityName, EntityDef>>();

/**
 * The entity schemas of one Kong, by DAO name (Enterprise-only ones absent from community): the
 * hand-written definitions fitted to the fields of this version's generated JSON Schema.
 */
export function entitySchemas(options: EntitySchemaOptions): ReadonlyMap<EntityName, EntityDef> {
  const key = `${options.edition}/${majorMinor(options.version)}`;
  const known = cache.get(key);
  if (known) return known;
  const out = new Map<EntityName, EntityDef>();
  for (const def of definitions(options)) {
    if (def.enterprise && options.edition !== "enterprise") continue;
    const properties = generatedProperties(def.name, options);
    if (!properties) {
      out.set(def.name, def);
      continue;
    }
    const shorthands = new Set((def.shorthands ?? []).map((s) => s.name));
    const fields: Array<readonly [string, FieldDef]> = def.fields.filter(([field]) => field in properties || field === "id");
    for (const [field, node] of Object.entries(properties)) {
      if (!shorthands.has(field) && !NOT_FIELDS.has(field) && !fields.some(([known]) => known === field)) fields.push([field, fieldFromJsonSchema(node)]);
    }
    out.set(def.name, { ...def, fields });
  }
  cache.set(key, out);
  return out;
}

/** One entity's schema for one Kong, or undefined when that Kong has no such entity. */
export function entitySchema(name: string, options: EntitySchemaOptions): EntityDef | undefined {
  return entitySchemas(options).get(name as EntityName);
}
