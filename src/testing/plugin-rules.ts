/**
 * The rules of the plugins whose checks the emulator knows, beyond their JSON Schemas, written from
 * each plugin's kong/plugins/<name>/schema.lua (Kong/kong: its `entity_checks`, the `custom_validator`s
 * of its fields and config record, and those of the `typedefs` it uses), per version where the schema
 * changed. entity-checks.ts runs them.
 *
 * - no entity check: key-auth (its `key_names` are `typedefs.header_name`s), basic-auth, cors (its
 *   `origins` have a custom validator), request-transformer (custom validators of its items);
 * - entity checks: rate-limiting, acl, ip-restriction, jwt;
 * - Kong Enterprise (no public `schema.lua`): rate-limiting-advanced from the Enterprise `schema.lua`
 *   of 3.x quoted in public copies of Kong Enterprise and in Kong's docs; openid-connect from the
 *   messages of Kong's Enterprise spec. Both are partial, see each.
 */
import { isIP } from "node:net";
import type { EntityCheck, PluginRules } from "./entity-checks.js";
import type { PluginVariant } from "./plugin-catalog.js";

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);
const nil = (value: unknown): boolean => value === null || value === undefined;

// ---------------------------------------------------------------------------------------------
// Kong's validators and typedefs used by the rules
// ---------------------------------------------------------------------------------------------

/** kong/tools/http.lua `validate_header_name`. */
export function validateHeaderName(name: string): string | undefined {
  if (name === "") return "no header name provided";
  return /^[a-zA-Z0-9_-]+$/.test(name) ? undefined : `bad header name '${name}', allowed characters are A-Z, a-z, 0-9, '_', and '-'`;
}

/** Whether `value` is an IP address or a CIDR range (kong/tools/ip.lua `is_valid_ip_or_cidr`). */
function isIpOrCidr(value: string): boolean {
  if (isIP(value) !== 0) return true;
  const slash = value.indexOf("/");
  if (slash < 0) return false;
  const family = isIP(value.slice(0, slash));
  const bits = value.slice(slash + 1);
  if (family === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** typedefs.lua `validate_ip_or_cidr`. */
const ipOrCidr = (value: string): string | undefined => (isIpOrCidr(value) ? undefined : `invalid ip or cidr range: '${value}'`);

/** typedefs.lua `typedefs.path`: `starts_with = "/"`, `match_none` `//`, then `validate_path`. */
function validatePath(path: string): string | undefined {
  if (!path.startsWith("/")) return "should start with: /";
  if (path.includes("//")) return "must not have empty segments";
  if (!/^\/[A-Za-z0-9.\-_~/%:@!$&'()*+,;=]*$/.test(path)) return `invalid path: '${path}' (characters outside of the reserved list of RFC 3986 found)`;
  const raw = path.replace(/%[0-9a-fA-F]{2}/g, "___");
  const at = raw.indexOf("%");
  if (at >= 0) return `invalid url-encoded value: '${raw.slice(at, at + 3)}'`;
  return undefined;
}

/** typedefs.lua `validate_host` (kong/tools/ip.lua `normalize_ip`, for the cases the emulator meets). */
function validateHost(host: string): string | undefined {
  const colons = (host.match(/:/g) ?? []).length;
  if (colons === 1 || /^\[.*\]:\d+$/.test(host)) return "must not have a port";
  if (colons > 1) return isIP(host.replace(/^\[|\]$/g, "")) === 6 ? undefined : `invalid value: ${host}`;
  if (/^[\d.]+$/.test(host)) return isIP(host) === 4 ? undefined : `invalid value: ${host}`;
  return /^[A-Za-z0-9_.-]+$/.test(host) && !host.startsWith(".") ? undefined : `invalid value: ${host}`;
}

/** cors `validate_asterisk_or_regex` (Kong's PCRE approximated by JavaScript's regular expressions). */
function asteriskOrRegex(value: string): string | undefined {
  if (value === "*") return undefined;
  try {
    new RegExp(value);
    return undefined;
  } catch {
    return `'${value}' is not a valid regex`;
  }
}

/** request-transformer `validate_headers`: `name:value` whose name (and, for `rename`, value) is a header name. */
function headerPair(validateValue: boolean) {
  return (pair: string): string | undefined => {
    const match = /^([^:]+):*(.*)$/s.exec(pair);
    const name = match?.[1];
    if (name === undefined || validateHeaderName(name) !== undefined) return `'${name ?? "nil"}' is not a valid header`;
    const value = match![2]!;
    if (validateValue && validateHeaderName(value) !== undefined) return `'${value}' is not a valid header`;
    return undefined;
  };
}

/** request-transformer's `name:value` header arrays: `match = "^[^:]+:.*$"` (missing from the published schema), then `validate_headers`. */
function colonHeader(validateValue: boolean) {
  const pair = headerPair(validateValue);
  return (entry: string): string | undefined => (/^[^:]+:/.test(entry) ? pair(entry) : `invalid value: ${entry}`);
}

/**
 * request-transformer `check_for_value`: `name:value` with a value (a `pl.template`; the emulator
 * checks only that `$(…)` placeholders are closed).
 */
function colonValue(entry: string): string | undefined {
  const match = /^([^:]+):*(.*)$/s.exec(entry);
  if (!match || match[2] === "") return `key '${match?.[1] ?? ""}' has no value`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The rules of the plugins, per version where the schema changed
// ---------------------------------------------------------------------------------------------

const PERIODS = ["second", "minute", "hour", "day", "month", "year"] as const;

/** Lua's `%.1f`. */
const f1 = (n: number): string => n.toFixed(1);

/** rate-limiting `validate_periods_order` (the config record's custom validator). */
function periodsOrder(config: JsonObject): string | undefined {
  for (let i = 0; i < PERIODS.length; i++) {
    const lower = config[PERIODS[i]!];
    if (typeof lower !== "number") continue;
    for (let j = i + 1; j < PERIODS.length; j++) {
      const upper = config[PERIODS[j]!];
      if (typeof upper === "number" && upper < lower) {
        return `The limit for ${PERIODS[j]}(${f1(upper)}) cannot be lower than the limit for ${PERIODS[i]}(${f1(lower)})`;
      }
    }
  }
  const syncRate = config["sync_rate"];
  if (config["policy"] !== "redis" && syncRate !== -1) return "sync_rate can only be used with the redis policy";
  if (config["policy"] === "redis" && syncRate !== -1 && typeof syncRate === "number" && syncRate < 0.02) return "sync_rate must be greater than 0.02, or -1 to disable";
  return undefined;
}

const has = (variant: PluginVariant, field: string): boolean => variant.config.properties?.[field] !== undefined;

function rateLimiting(variant: PluginVariant): PluginRules {
  const nested = has(variant, "redis");
  const redis = (field: string): string => (nested ? `config.redis.${field}` : `config.redis_${field}`);
  const whenRedis = (field: string): EntityCheck => ({
    conditional: { if_field: "config.policy", if_match: { eq: "redis" }, then_field: redis(field), then_match: { required: true } },
  });
  const whenLimitBy = (value: string, field: string): EntityCheck => ({
    conditional: { if_field: "config.limit_by", if_match: { eq: value }, then_field: `config.${field}`, then_match: { required: true } },
  });
  return {
    name: "rate-limiting",
    fields: [
      { path: "header_name", check: validateHeaderName },
      { path: "path", check: validatePath },
      { path: nested ? "redis.host" : "redis_host", check: validateHost },
    ],
    config: has(variant, "sync_rate") ? periodsOrder : undefined,
    entityChecks: [
      { at_least_one_of: PERIODS.map((p) => `config.${p}`) },
      // Kong reordered these in 3.6 (redis record): host, port, timeout, then limit_by's two
      ...(nested
        ? [whenRedis("host"), whenRedis("port"), whenRedis("timeout"), whenLimitBy("header", "header_name"), whenLimitBy("path", "path")]
        : [whenRedis("host"), whenRedis("port"), whenLimitBy("header", "header_name"), whenLimitBy("path", "path"), whenRedis("timeout")]),
    ],
  };
}

const NO_WINDOWS = "You must provide the same number of windows and limits";

/**
 * Kong's shared dictionaries (kong/templates/nginx_kong.lua, Enterprise adds its rate-limiting
 * counters): a `dictionary_name` elsewhere is `missing shared dict`.
 */
const SHARED_DICTS = new Set(["kong", "kong_locks", "kong_healthchecks", "kong_cluster_events", "kong_rate_limiting_counters", "kong_core_db_cache", "kong_core_db_cache_miss", "kong_db_cache", "kong_db_cache_miss", "kong_secrets", "kong_vitals_counters", "kong_vitals_lists", "kong_vitals", "kong_counters", "kong_keyring", "kong_mock_upstream_loggers"]);

/**
 * rate-limiting-advanced's `custom_entity_check` (Enterprise; from the Enterprise `schema.lua` as
 * quoted in copies of Kong Enterprise 3.x and its spec: the checks that still apply to the fields of
 * the version; the Hybrid/DB-less check never fires on the emulator, a traditional node).
 */
function rateLimitingAdvanced(variant: PluginVariant): PluginRules {
  const fields = new Set(Object.keys(variant.config.properties ?? {}));
  const fn = (entity: JsonObject): string | undefined => {
    const config = entity["config"] as JsonObject;
    const limit = config["limit"];
    const windowSize = config["window_size"];
    if (limit === null || limit === undefined || windowSize === null || windowSize === undefined) return undefined;
    if (!Array.isArray(limit) || !Array.isArray(windowSize)) return undefined;
    if (windowSize.length !== limit.length) return NO_WINDOWS;
    const strategy = config["strategy"];
    const redis = config["redis"];
    // 3.9 renamed sentinel_addresses and cluster_addresses (and gave host a default)
    const none = (...names: string[]) => isObject(redis) && names.every((n) => nil(redis[n]));
    if (strategy === "redis" && none("host", "sentinel_addresses", "sentinel_nodes", "cluster_addresses", "cluster_nodes")) return "No redis config provided";
    const syncRate = config["sync_rate"];
    if (strategy === "local") {
      if (typeof syncRate === "number" && syncRate > -1) return "sync_rate cannot be configured when using a local strategy";
    } else if (nil(syncRate)) return "sync_rate is required if not using a local strategy";
    const dictionary = config["dictionary_name"];
    if (typeof dictionary === "string" && !SHARED_DICTS.has(dictionary)) return `missing shared dict '${dictionary}'`;
    if (config["identifier"] === "header" && nil(config["header_name"])) return "No header name provided";
    if (config["identifier"] === "path" && nil(config["path"])) return "No path provided";
    const jitter = config["retry_after_jitter_max"];
    if (fields.has("retry_after_jitter_max") && typeof jitter === "number" && jitter < 0) return "Non-negative retry_after_jitter_max value is expected";
    const rate = strategy === "local" ? -1 : syncRate;
    if (typeof rate === "number" && rate > 0 && rate < 0.02) return "Config option 'sync_rate' must not be a decimal between 0 and 0.02";
    if (config["enforce_consumer_groups"] === true && nil(config["consumer_groups"])) return "No consumer groups provided";
    return undefined;
  };
  return {
    name: "rate-limiting-advanced",
    fields: [
      { path: "header_name", check: validateHeaderName },
      { path: "path", check: validatePath },
    ],
    entityChecks: [{ custom_entity_check: { field_sources: ["config"], fn } }],
  };
}

const POP_METHODS = ["bearer", "introspection", "session"];

/**
 * openid-connect (Enterprise): the config record's check of mTLS proof of possession, with the
 * messages of Kong's spec (spec-ee openid-connect schema tests). The other half of it, that
 * `mtls-auth` or `tls-handshake-modifier` is loaded, always holds on the emulator's Enterprise.
 */
function openidConnect(): PluginRules {
  return {
    name: "openid-connect",
    config: (config) => {
      const mtls = config["proof_of_possession_mtls"];
      if (config["proof_of_possession_auth_methods_validation"] !== true || (mtls !== "strict" && mtls !== "optional")) return undefined;
      const methods = Array.isArray(config["auth_methods"]) ? (config["auth_methods"] as unknown[]) : [];
      if (methods.some((m) => !POP_METHODS.includes(m as string))) {
        return "mTLS-proof-of-possession only supports 'bearer', 'introspection', 'session' auth methods when proof_of_possession_auth_methods_validation is set to true.";
      }
      return undefined;
    },
  };
}

const RULES: Readonly<Record<string, (variant: PluginVariant) => PluginRules>> = {
  // key-auth, basic-auth: no entity check; key-auth's key_names are header names
  "key-auth": () => ({ name: "key-auth", fields: [{ path: "key_names[]", check: validateHeaderName }] }),
  "basic-auth": () => ({ name: "basic-auth" }),
  "rate-limiting": rateLimiting,
  cors: () => ({ name: "cors", fields: [{ path: "origins[]", check: asteriskOrRegex }] }),
  acl: () => ({ name: "acl", entityChecks: [{ only_one_of: ["config.allow", "config.deny"] }, { at_least_one_of: ["config.allow", "config.deny"] }] }),
  "ip-restriction": () => ({
    name: "ip-restriction",
    fields: [
      { path: "allow[]", check: ipOrCidr },
      { path: "deny[]", check: ipOrCidr },
    ],
    entityChecks: [{ at_least_one_of: ["config.allow", "config.deny"] }],
  }),
  jwt: () => ({
    name: "jwt",
    entityChecks: [{ conditional: { if_field: "config.maximum_expiration", if_match: { gt: 0 }, then_field: "config.claims_to_verify", then_match: { contains: "exp" } } }],
  }),
  "request-transformer": () => ({
    name: "request-transformer",
    fields: [
      { path: "remove.headers[]", check: headerPair(false) },
      { path: "rename.headers[]", check: colonHeader(true) },
      ...(["rename", "replace", "add", "append"] as const).flatMap((op) => [
        { path: `${op}.body[]`, check: colonValue },
        { path: `${op}.querystring[]`, check: colonValue },
      ]),
      ...(["replace", "add", "append"] as const).map((op) => ({ path: `${op}.headers[]`, check: colonHeader(false) })),
      // typedefs.http_method: `match = "^%u+$"`, missing from the published schema
      { path: "http_method", check: (method: string) => (/^[A-Z]+$/.test(method) ? undefined : `invalid value: ${method}`) },
    ],
  }),
  "openid-connect": openidConnect,
  "rate-limiting-advanced": rateLimitingAdvanced,
};

/** The plugins whose rules the emulator knows (tests check every one of them). */
export const PLUGINS_WITH_RULES: readonly string[] = Object.keys(RULES);

/** The rules of a plugin as one Kong has it, or undefined when the emulator knows none. */
export function rulesFor(variant: PluginVariant): PluginRules | undefined {
  return RULES[variant.name]?.(variant);
}
