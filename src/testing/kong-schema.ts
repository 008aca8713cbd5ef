/**
 * The plugin entity and the session plugin's schema as Kong defines them
 * (kong/db/schema/entities/plugins.lua, kong/plugins/session/schema.lua, typedefs.lua), per edition
 * and version, every other plugin from the emulator's catalog (plugin-catalog.ts, config-validator.ts,
 * entity-checks.ts), plus the independent validator {@link validateSessionPlugin}.
 *
 * This file deliberately does not import the library's zod schemas: it is the Kong-faithful
 * reference the library's validator is tested against.
 */
import { randomBytes, randomInt } from "node:crypto";
import { KongInternalError, schemaViolation, type KongErrorBody } from "./kong-errors.js";
import { luaToString, type LuaTable } from "./lua-compat.js";
import { ConfigValidator } from "./config-validator.js";
import { runEntityChecks, type PluginRules } from "./entity-checks.js";
import { rulesFor } from "./plugin-rules.js";
import { PluginCatalog, type PluginVariant } from "./plugin-catalog.js";
import { processAutoFields, validateRecord, type AutoContext, type FieldDef, type FieldList, type JsonObject, type Processed } from "./schema-engine.js";

/** Which Kong the schema describes. */
export interface KongSchemaOptions {
  /** `community` (open-source) or `enterprise`; default `enterprise` */
  readonly edition?: "community" | "enterprise";
  /** Kong version, e.g. `3.9.1` or `3.4.3.17`; default `3.9.1` */
  readonly version?: string;
  /** the default of `config.secret` (Kong's per-node random secret) */
  readonly nodeSecret?: string;
}

/** `major.minor` comparison; extra parts (Enterprise's fourth number) are ignored. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [maj = 0, min = 0] = version.split(".").map((part) => parseInt(part, 10) || 0);
  return maj > major || (maj === major && min >= minor);
}

function utf8Error(value: string): string | undefined {
  if (!/[\ud800-\udfff]/.test(value)) return undefined;
  let position = 1;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const high = code >= 0xd800 && code <= 0xdbff;
    const low = code >= 0xdc00 && code <= 0xdfff;
    const pairOk = high && i + 1 < value.length && value.charCodeAt(i + 1) >= 0xdc00 && value.charCodeAt(i + 1) <= 0xdfff;
    if ((high && !pairOk) || low) return `invalid utf-8 character sequence detected at position ${position}`;
    position += Buffer.byteLength(value.slice(i, pairOk ? i + 2 : i + 1));
    if (pairOk) i++;
  }
  return undefined;
}

/** `typedefs.utf8_name`'s validator (instance_name, route and service names). */
export function validateUtf8Name(value: string): string | undefined {
  const bad = utf8Error(value);
  if (bad) return bad;
  if (![...value].every((ch) => /[A-Za-z0-9._~-]/.test(ch) || ch.charCodeAt(0) >= 0x80)) {
    return `invalid value '${value}': the only accepted ascii characters are alphanumerics or ., -, _, and ~`;
  }
  return undefined;
}

/** Whether a character may appear in a tag (printable ASCII except `,` and `/`, or non-ASCII). */
export function isTagChar(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code >= 0x80 || (code >= 0x20 && code <= 0x7e && ch !== "," && ch !== "/");
}

/** `typedefs.tag`'s validator. */
export function validateTag(value: string): string | undefined {
  const bad = utf8Error(value);
  if (bad) return bad;
  if (![...value].every(isTagChar)) {
    return `invalid tag '${value}': expected printable ascii (except \`,\` and \`/\`) or valid utf-8 sequences`;
  }
  return undefined;
}

/** Protocols a plugin may list, per edition, sorted as Kong sorts them. */
export function protocolsFor(edition: "community" | "enterprise"): readonly string[] {
  const base = ["grpc", "grpcs", "http", "https", "tcp", "tls", "tls_passthrough", "udp"];
  return edition === "enterprise" ? [...base, "ws", "wss"] : base;
}

const str = (description: string, defaultValue?: string): FieldDef => ({ type: "string", description, default: defaultValue });
const num = (description: string, defaultValue: number): FieldDef => ({ type: "number", description, default: defaultValue });
const bool = (description: string, defaultValue: boolean): FieldDef => ({ type: "boolean", description, default: defaultValue });

const SESSION_HEADERS: FieldDef = {
  type: "set",
  description: "What of the session is sent as headers.",
  elements: { type: "string", oneOf: ["id", "audience", "subject", "timeout", "idling-timeout", "rolling-timeout", "absolute-timeout"] },
};

/** The session plugin's deprecated aliases (`shorthand_fields`), never returned. */
export const SESSION_SHORTHANDS = [
  { name: "cookie_lifetime", type: "number", map: (v: unknown) => ({ rolling_timeout: v }) },
  { name: "cookie_idletime", type: "number", map: (v: unknown) => ({ idling_timeout: v === null ? 0 : v }) },
  { name: "cookie_renew", type: "number", map: () => undefined },
  { name: "cookie_discard", type: "number", map: (v: unknown) => ({ stale_ttl: v }) },
  { name: "cookie_samesite", type: "string", map: (v: unknown) => ({ cookie_same_site: v === "off" ? "Lax" : v }) },
  { name: "cookie_httponly", type: "boolean", map: (v: unknown) => ({ cookie_http_only: v }) },
  { name: "cookie_persistent", type: "boolean", map: (v: unknown) => ({ remember: v }) },
] as const;

/** The session plugin's `config` fields for one edition and version, in Kong's order. */
export function sessionConfigFields(options: Required<KongSchemaOptions>): FieldList {
  const { edition, version, nodeSecret } = options;
  const fields: Array<readonly [string, FieldDef]> = [
    ["secret", { type: "string", description: "The key the session cookies are signed with.", default: nodeSecret, referenceable: true }],
    ["storage", { type: "string", description: "Where the session data is kept.", oneOf: ["cookie", "kong"], default: "cookie" }],
    ["audience", str("The application the session is for.", "default")],
    ["idling_timeout", num("Seconds a session may stay idle.", 900)],
    ["rolling_timeout", num("Seconds a session lasts without renewal.", 3600)],
    ["absolute_timeout", num("Seconds a session lasts at most.", 86400)],
    ["stale_ttl", num("Seconds a replaced cookie is still accepted.", 10)],
    ["cookie_name", str("The name of the cookie.", "session")],
    ["cookie_path", str("The cookie's Path attribute.", "/")],
    ["cookie_domain", str("The cookie's Domain attribute.")],
    ["cookie_same_site", { type: "string", description: "The cookie's SameSite attribute.", default: "Strict", oneOf: ["Strict", "Lax", "None", "Default"] }],
    ["cookie_http_only", bool("Whether the cookie is HttpOnly.", true)],
    ["cookie_secure", bool("Whether the cookie is Secure.", true)],
    ["remember", bool("Whether sessions persist.", false)],
    ["remember_cookie_name", str("The persistent session's cookie name.", "remember")],
    ["remember_rolling_timeout", num("Seconds a persistent session lasts without renewal.", 604800)],
    ["remember_absolute_timeout", num("Seconds a persistent session lasts at most.", 2592000)],
    ["response_headers", SESSION_HEADERS],
    ["request_headers", SESSION_HEADERS],
  ];
  if (versionAtLeast(version, 3, 5)) fields.push(["read_body_for_logout", { type: "boolean", default: false }]);
  fields.push(
    ["logout_methods", { type: "set", description: "The methods of a logout request.", elements: { type: "string", oneOf: ["GET", "POST", "DELETE"] }, default: ["POST", "DELETE"] }],
    ["logout_query_arg", str("The query argument of a logout request.", "session_logout")],
    ["logout_post_arg", str("The form field of a logout request.", "session_logout")],
  );
  if (versionAtLeast(version, 3, 10)) {
    fields.push(["hash_subject", bool("Whether the stored subject is hashed.", false)]);
    fields.push(["store_metadata", bool("Whether session metadata is stored.", false)]);
  }
  if (edition === "enterprise" && versionAtLeast(version, 3, 12)) {
    fields.push(["bind", { type: "array", description: "What of the request the session is tied to.", elements: { type: "string", oneOf: ["ip", "scheme", "user-agent"] } }]);
  }
  return fields;
}

/** The plugin entity's fields (the parent schema, `config` still abstract). */
export function pluginEntityFields(options: Required<KongSchemaOptions>): FieldList {
  const { edition, version } = options;
  const enterprise = edition === "enterprise";
  const foreign = (reference: string): FieldDef => ({ type: "foreign", reference, default: null });
  const accessRule: FieldDef = { type: "record", required: true, fields: [["access", { type: "array", elements: { type: "string" } }]] };
  const fields: Array<readonly [string, FieldDef]> = [
    ["id", { type: "string", uuid: true, auto: true }],
    ["name", { type: "string", required: true }],
    ["instance_name", { type: "string", custom: validateUtf8Name }],
    ["created_at", { type: "integer", timestamp: true, auto: true }],
    ["updated_at", { type: "integer", timestamp: true, auto: true, unvalidated: true }],
    ["route", foreign("routes")],
    ["service", foreign("services")],
    ["consumer", foreign("consumers")],
  ];
  if (enterprise) fields.push(["consumer_group", foreign("consumer_groups")]);
  fields.push(
    ["config", { type: "record", abstract: true }],
    ["protocols", { type: "set", required: true, default: ["grpc", "grpcs", "http", "https"], elements: { type: "string", oneOf: protocolsFor(edition) } }],
    ["enabled", { type: "boolean", required: true, default: true }],
    ["tags", { type: "set", elements: { type: "string", required: true, custom: validateTag } }],
  );
  if (enterprise) fields.push(["ordering", { type: "record", fields: [["before", accessRule], ["after", accessRule]] }]);
  if (enterprise && versionAtLeast(version, 3, 10)) {
    const partial: FieldDef = {
      type: "record",
      required: true,
      fields: [
        // not required: a partial may be linked by name (Kong/terraform-provider-konnect#440 dropped
        // the `required` its generated schema had put on partials[].id)
        ["id", { type: "string", uuid: true }],
        ["name", { type: "string", custom: validateUtf8Name }],
        ["path", { type: "string" }],
      ],
    };
    fields.push(["partials", { type: "array", elements: partial }]);
  }
  if (enterprise && versionAtLeast(version, 3, 15)) fields.push(["condition", { type: "string", lenMaxChars: 1024 }]);
  return fields;
}

/**
 * A secret like the one Kong generates once per node (kong/plugins/session/schema.lua): base64 of
 * 32 random bytes with every `/`, `+` and `=` replaced by one random digit, capital and small letter.
 */
export function randomNodeSecret(): string {
  const digit = String.fromCharCode(48 + randomInt(10));
  const upper = String.fromCharCode(65 + randomInt(26));
  const lower = String.fromCharCode(97 + randomInt(26));
  return randomBytes(32).toString("base64").replaceAll("/", digit).replaceAll("+", upper).replaceAll("=", lower);
}

let processSecret: string | undefined;

/** Fills in the defaults of {@link KongSchemaOptions}; the secret defaults to one per process, like a Kong node's. */
export function resolveSchemaOptions(options: KongSchemaOptions = {}): Required<KongSchemaOptions> {
  processSecret ??= randomNodeSecret();
  return { edition: options.edition ?? "enterprise", version: options.version ?? "3.9.1", nodeSecret: options.nodeSecret ?? processSecret };
}

const schemaCache = new Map<string, PluginSchemas>();

function schemasFor(options?: KongSchemaOptions): PluginSchemas {
  const resolved = resolveSchemaOptions(options);
  const key = JSON.stringify([resolved.edition, resolved.version, resolved.nodeSecret]);
  let schemas = schemaCache.get(key);
  if (!schemas) {
    if (schemaCache.size > 32) schemaCache.clear();
    schemas = new PluginSchemas(resolved);
    schemaCache.set(key, schemas);
  }
  return schemas;
}

/** One plugin of one Kong: its subschema, and for every plugin but session its config validator. */
interface Subschema {
  readonly def: FieldDef;
  readonly variant?: PluginVariant;
  readonly validator?: ConfigValidator;
  readonly rules?: PluginRules;
}

/**
 * The plugin entity schema of one Kong, specialised per plugin name like Kong's subschemas: the
 * plugins of the edition and version from the emulator's generated catalog (plugin-catalog.ts), each
 * `config` checked by {@link ConfigValidator}; the session plugin by its hand-written schema above.
 */
export class PluginSchemas {
  /** the parent schema (config abstract) */
  readonly entity: FieldDef;
  /** the plugin names this Kong knows */
  readonly enabled: ReadonlySet<string>;
  /** the plugins of this Kong's edition and version */
  readonly catalog: PluginCatalog;
  private readonly parent: FieldList;
  private readonly byName = new Map<string, Subschema>();

  constructor(readonly options: Required<KongSchemaOptions>) {
    this.parent = pluginEntityFields(options);
    this.entity = { type: "record", fields: this.parent };
    this.catalog = new PluginCatalog(options.edition, options.version);
    this.enabled = this.catalog.names;
  }

  /** A plugin's subschema, built on first use. */
  private subschema(name: string): Subschema | undefined {
    const known = this.byName.get(name);
    if (known) return known;
    if (!this.enabled.has(name)) return undefined;
    const built = name === "session" ? this.sessionSubschema() : this.catalogSubschema(name);
    if (built) this.byName.set(name, built);
    return built;
  }

  private sessionSubschema(): Subschema {
    const config: FieldDef = { type: "record", required: true, fields: sessionConfigFields(this.options), shorthands: SESSION_SHORTHANDS };
    const fields = this.parent.map(([key, field]): readonly [string, FieldDef] => {
      if (key === "config") return [key, config];
      if (key === "consumer" || key === "consumer_group") return [key, { ...field, eqNull: true }];
      return [key, field];
    });
    return { def: { type: "record", fields } };
  }

  private catalogSubschema(name: string): Subschema | undefined {
    const variant = this.catalog.variant(name);
    if (!variant) return undefined;
    const rules = rulesFor(variant);
    const validator = new ConfigValidator(variant, rules);
    const config: FieldDef = { type: "record", required: true, default: {}, external: validator };
    const protocols: FieldDef = { type: "set", required: true, default: [...variant.protocols.default], elements: { type: "string", oneOf: variant.protocols.enum } };
    const fields = this.parent.map(([key, field]): readonly [string, FieldDef] => {
      if (key === "config") return [key, config];
      if (key === "protocols") return [key, protocols];
      if (field.type === "foreign" && !variant.scopes.has(key)) return [key, { ...field, eqNull: true }];
      return [key, field];
    });
    return { def: { type: "record", fields }, variant, validator, rules };
  }

  /** Kong's `get_subschema`: by name, or the first known name of a list. */
  forName(name: unknown): FieldDef | undefined {
    if (typeof name === "string") return this.subschema(name)?.def;
    if (Array.isArray(name)) for (const item of name) if (typeof item === "string" && this.enabled.has(item)) return this.subschema(item)?.def;
    return undefined;
  }

  /** `process_auto_fields` of a plugin body in a CRUD context. */
  process(body: JsonObject, context: AutoContext): Processed {
    return processAutoFields(this.forName(body["name"]) ?? this.entity, body, context);
  }

  /** `Schema:validate` of a processed plugin; an empty table when valid. */
  validate(input: JsonObject, fullCheck: boolean): LuaTable {
    const name = input["name"];
    if (name === undefined || name === null) return new Map([["name", "required field missing"]]);
    const def = this.forName(name);
    if (!def) return new Map([["name", `plugin '${nameForMessage(name)}' not enabled; add it to the 'plugins' configuration property`]]);
    const errors = validateRecord(def, input, fullCheck);
    const sub = this.subschema(typeof name === "string" ? name : (name as unknown[]).find((n) => typeof n === "string" && this.enabled.has(n)) as string);
    if (sub?.validator && sub.variant) {
      const config = input["config"];
      const view = { ...input, config: isObject(config) ? sub.validator.output(config) : config };
      runEntityChecks(sub.rules, view, sub.variant.config, fullCheck, errors);
    }
    return errors;
  }
}

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

function nameForMessage(name: unknown): string {
  if (typeof name === "string") return name;
  if (typeof name === "number" || typeof name === "boolean") throw new KongInternalError("attempt to index the plugin name");
  const first = Array.isArray(name) ? name[0] : undefined;
  if (first === undefined) return "nil";
  if (typeof first === "object" && first !== null) return "table: 0x0000000000000000";
  return luaToString(first as string | number | boolean | null);
}

/** The outcome of checking a plugin body: the entity Kong would store, or Kong's error body. */
export type PluginCheck = { readonly entity: JsonObject; readonly error?: undefined } | { readonly entity?: undefined; readonly error: KongErrorBody };

/**
 * Checks a plugin body (what a client POSTs) against Kong's schema for the given edition and
 * version, the way Kong's insert does before it touches the database (no foreign-key or
 * uniqueness checks): aliases applied, defaults filled, every rule of the schema.
 */
export function checkPluginBody(body: JsonObject, options?: KongSchemaOptions): PluginCheck {
  const schemas = schemasFor(options);
  const processed = schemas.process(body, "insert");
  if (processed.errors) return { error: schemaViolation(processed.errors) };
  const errors = schemas.validate(processed.value, true);
  return errors.size > 0 ? { error: schemaViolation(errors) } : { entity: processed.value };
}

/**
 * Kong's verdict on a session plugin body: `undefined` when Kong accepts it, else the exact error
 * body Kong answers (code 2, `schema violation (…)`). Independent of the library's own schemas.
 */
export function validateSessionPlugin(body: JsonObject, options?: KongSchemaOptions): KongErrorBody | undefined {
  return checkPluginBody(body, options).error;
}
