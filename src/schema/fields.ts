/**
 * The table of the session plugin's fields: Kong's name, the TypeScript prop, the kind of value and
 * what Kong allows. The zod schema, the camelCase ↔ snake_case mapping and the documentation tables
 * are all derived from it, so a field is described once.
 */

/** What a field holds. `set` drops duplicates (Kong semantics), `array` keeps them. */
export type FieldKind = "string" | "number" | "integer" | "boolean" | "set" | "array";

export interface FieldSpec {
  /** Kong's snake_case name */
  readonly kong: string;
  /** the TypeScript prop name */
  readonly prop: string;
  readonly kind: FieldKind;
  /** allowed values of a string, or of each item of a set/array */
  readonly oneOf?: readonly string[];
  /** Kong's default, for documentation and for `import` (which prints only what differs) */
  readonly kongDefault?: unknown;
  /** not a Kong rule: a stricter check of this library (documented as such) */
  readonly nonNegative?: boolean;
  /** the value is a secret: never printed */
  readonly secret?: boolean;
  /** the first Kong version that knows the field, for documentation */
  readonly since?: string;
}

export const COOKIE_SAME_SITE = ["Strict", "Lax", "None", "Default"] as const;
export const STORAGE = ["cookie", "kong"] as const;
export const SESSION_HEADERS = [
  "id",
  "audience",
  "subject",
  "timeout",
  "idling-timeout",
  "rolling-timeout",
  "absolute-timeout",
] as const;
export const LOGOUT_METHODS = ["GET", "POST", "DELETE"] as const;
export const BIND = ["ip", "scheme", "user-agent"] as const;
export const PROTOCOLS = [
  "grpc",
  "grpcs",
  "http",
  "https",
  "tcp",
  "tls",
  "tls_passthrough",
  "udp",
  "ws",
  "wss",
] as const;

/** The 26 attributes of `config`, in the order of the reference page. */
export const CONFIG_FIELDS: readonly FieldSpec[] = [
  { kong: "absolute_timeout", prop: "absoluteTimeout", kind: "number", kongDefault: 86400, nonNegative: true },
  { kong: "audience", prop: "audience", kind: "string", kongDefault: "default" },
  { kong: "bind", prop: "bind", kind: "array", oneOf: BIND, kongDefault: null, since: "Enterprise 3.12" },
  { kong: "cookie_domain", prop: "cookieDomain", kind: "string", kongDefault: null },
  { kong: "cookie_http_only", prop: "cookieHttpOnly", kind: "boolean", kongDefault: true },
  { kong: "cookie_name", prop: "cookieName", kind: "string", kongDefault: "session" },
  { kong: "cookie_path", prop: "cookiePath", kind: "string", kongDefault: "/" },
  { kong: "cookie_same_site", prop: "cookieSameSite", kind: "string", oneOf: COOKIE_SAME_SITE, kongDefault: "Strict" },
  { kong: "cookie_secure", prop: "cookieSecure", kind: "boolean", kongDefault: true },
  { kong: "hash_subject", prop: "hashSubject", kind: "boolean", kongDefault: false, since: "3.10" },
  { kong: "idling_timeout", prop: "idlingTimeout", kind: "number", kongDefault: 900, nonNegative: true },
  { kong: "logout_methods", prop: "logoutMethods", kind: "set", oneOf: LOGOUT_METHODS, kongDefault: ["POST", "DELETE"] },
  { kong: "logout_post_arg", prop: "logoutPostArg", kind: "string", kongDefault: "session_logout" },
  { kong: "logout_query_arg", prop: "logoutQueryArg", kind: "string", kongDefault: "session_logout" },
  { kong: "read_body_for_logout", prop: "readBodyForLogout", kind: "boolean", kongDefault: false, since: "3.5" },
  { kong: "remember", prop: "remember", kind: "boolean", kongDefault: false },
  {
    kong: "remember_absolute_timeout",
    prop: "rememberAbsoluteTimeout",
    kind: "number",
    kongDefault: 2592000,
    nonNegative: true,
  },
  { kong: "remember_cookie_name", prop: "rememberCookieName", kind: "string", kongDefault: "remember" },
  {
    kong: "remember_rolling_timeout",
    prop: "rememberRollingTimeout",
    kind: "number",
    kongDefault: 604800,
    nonNegative: true,
  },
  { kong: "request_headers", prop: "requestHeaders", kind: "set", oneOf: SESSION_HEADERS, kongDefault: null },
  { kong: "response_headers", prop: "responseHeaders", kind: "set", oneOf: SESSION_HEADERS, kongDefault: null },
  { kong: "rolling_timeout", prop: "rollingTimeout", kind: "number", kongDefault: 3600, nonNegative: true },
  { kong: "secret", prop: "secret", kind: "string", secret: true },
  { kong: "stale_ttl", prop: "staleTtl", kind: "number", kongDefault: 10, nonNegative: true },
  { kong: "storage", prop: "storage", kind: "string", oneOf: STORAGE, kongDefault: "cookie" },
  { kong: "store_metadata", prop: "storeMetadata", kind: "boolean", kongDefault: false, since: "3.10" },
];

/** Top-level scalar and list attributes of the plugin (records are described in plugin-schema.ts). */
export const PLUGIN_FIELDS: readonly FieldSpec[] = [
  { kong: "created_at", prop: "createdAt", kind: "integer" },
  { kong: "enabled", prop: "enabled", kind: "boolean", kongDefault: true },
  { kong: "id", prop: "id", kind: "string" },
  { kong: "instance_name", prop: "instanceName", kind: "string", kongDefault: null },
  { kong: "protocols", prop: "protocols", kind: "set", oneOf: PROTOCOLS, kongDefault: ["grpc", "grpcs", "http", "https"] },
  { kong: "tags", prop: "tags", kind: "set", kongDefault: null },
  { kong: "updated_at", prop: "updatedAt", kind: "integer" },
  { kong: "condition", prop: "condition", kind: "string", since: "Enterprise 3.15" },
];

/** Records nested in the plugin: their Kong and prop names (only `partials` differs in shape: a list). */
export const RECORD_FIELDS: Readonly<Record<string, readonly FieldSpec[]>> = {
  route: [
    { kong: "id", prop: "id", kind: "string" },
    { kong: "name", prop: "name", kind: "string" },
  ],
  service: [
    { kong: "id", prop: "id", kind: "string" },
    { kong: "name", prop: "name", kind: "string" },
  ],
  partials: [
    { kong: "id", prop: "id", kind: "string" },
    { kong: "name", prop: "name", kind: "string" },
    { kong: "path", prop: "path", kind: "string" },
  ],
  "ordering.after": [{ kong: "access", prop: "access", kind: "array" }],
  "ordering.before": [{ kong: "access", prop: "access", kind: "array" }],
};

/** Every key of the plugin object: Kong name → prop name. */
export const TOP_LEVEL_NAMES: ReadonlyArray<readonly [kong: string, prop: string]> = [
  ["config", "config"],
  ...PLUGIN_FIELDS.map((f) => [f.kong, f.prop] as const),
  ["ordering", "ordering"],
  ["partials", "partials"],
  ["route", "route"],
  ["service", "service"],
];

const kongToProp = new Map<string, string>();
for (const f of CONFIG_FIELDS) kongToProp.set(f.kong, f.prop);
for (const [kong, prop] of TOP_LEVEL_NAMES) kongToProp.set(kong, prop);

/** `["config", "cookie_same_site"]` → `"config.cookieSameSite"`; list indexes as `[1]`. */
export function kongPathToPropPath(kongPath: ReadonlyArray<string | number>): string {
  return formatPath(kongPath.map((segment) => (typeof segment === "string" ? (kongToProp.get(segment) ?? segment) : segment)));
}

/** `["config", "logout_methods", 1]` → `"config.logout_methods[1]"`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = "";
  for (const segment of path) {
    out += typeof segment === "number" ? `[${segment}]` : out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** camelCase → snake_case, for fields not in the table (messages only). */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** snake_case → camelCase. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
