/**
 * The field table against the reference page of `kong-gateway_plugin_session` and the Kong facts page:
 * names, kinds, allowed values and defaults are written out literally here, so a change to the table
 * is a deliberate change to this file too.
 */
import { describe, expect, it } from "vitest";
import {
  BIND,
  CONFIG_FIELDS,
  COOKIE_SAME_SITE,
  LOGOUT_METHODS,
  NON_PAYLOAD_PROPS,
  PLUGIN_FIELDS,
  PROTOCOLS,
  RECORD_FIELDS,
  SESSION_HEADERS,
  STORAGE,
  TOP_LEVEL_NAMES,
  camelCase,
  formatPath,
  kongPathToPropPath,
  snakeCase,
  type FieldSpec,
} from "../../src/schema/index.js";

/** The 26 attributes of `config` on the reference page, in its order. */
const REFERENCE_CONFIG_ATTRIBUTES = [
  "absolute_timeout",
  "audience",
  "bind",
  "cookie_domain",
  "cookie_http_only",
  "cookie_name",
  "cookie_path",
  "cookie_same_site",
  "cookie_secure",
  "hash_subject",
  "idling_timeout",
  "logout_methods",
  "logout_post_arg",
  "logout_query_arg",
  "read_body_for_logout",
  "remember",
  "remember_absolute_timeout",
  "remember_cookie_name",
  "remember_rolling_timeout",
  "request_headers",
  "response_headers",
  "rolling_timeout",
  "secret",
  "stale_ttl",
  "storage",
  "store_metadata",
];

/** The top-level attributes on the reference page (all optional there). */
const REFERENCE_TOP_LEVEL_ATTRIBUTES = [
  "config",
  "created_at",
  "enabled",
  "id",
  "instance_name",
  "ordering",
  "partials",
  "protocols",
  "route",
  "service",
  "tags",
  "updated_at",
  "workspace",
];

/** Kong's defaults from the facts page, section 1 (`secret` has none: Kong generates one per node). */
const KONG_CONFIG_DEFAULTS: Record<string, unknown> = {
  storage: "cookie",
  audience: "default",
  idling_timeout: 900,
  rolling_timeout: 3600,
  absolute_timeout: 86400,
  stale_ttl: 10,
  cookie_name: "session",
  cookie_path: "/",
  cookie_domain: null,
  cookie_same_site: "Strict",
  cookie_http_only: true,
  cookie_secure: true,
  remember: false,
  remember_cookie_name: "remember",
  remember_rolling_timeout: 604800,
  remember_absolute_timeout: 2592000,
  request_headers: null,
  response_headers: null,
  logout_methods: ["POST", "DELETE"],
  logout_query_arg: "session_logout",
  logout_post_arg: "session_logout",
  read_body_for_logout: false,
  hash_subject: false,
  store_metadata: false,
  bind: null,
};

/** Kong's types from the facts page, section 1, in the table's vocabulary. */
const KONG_CONFIG_KINDS: Record<string, FieldSpec["kind"]> = {
  secret: "string",
  storage: "string",
  audience: "string",
  idling_timeout: "number",
  rolling_timeout: "number",
  absolute_timeout: "number",
  stale_ttl: "number",
  cookie_name: "string",
  cookie_path: "string",
  cookie_domain: "string",
  cookie_same_site: "string",
  cookie_http_only: "boolean",
  cookie_secure: "boolean",
  remember: "boolean",
  remember_cookie_name: "string",
  remember_rolling_timeout: "number",
  remember_absolute_timeout: "number",
  request_headers: "set",
  response_headers: "set",
  logout_methods: "set",
  logout_query_arg: "string",
  logout_post_arg: "string",
  read_body_for_logout: "boolean",
  hash_subject: "boolean",
  store_metadata: "boolean",
  bind: "array",
};

const SESSION_HEADER_ITEMS = ["id", "audience", "subject", "timeout", "idling-timeout", "rolling-timeout", "absolute-timeout"];

/** Allowed values from the reference page and the facts page. */
const KONG_CONFIG_ONE_OF: Record<string, readonly string[]> = {
  cookie_same_site: ["Strict", "Lax", "None", "Default"],
  storage: ["cookie", "kong"],
  request_headers: SESSION_HEADER_ITEMS,
  response_headers: SESSION_HEADER_ITEMS,
  logout_methods: ["GET", "POST", "DELETE"],
  bind: ["ip", "scheme", "user-agent"],
};

const byKong = (fields: readonly FieldSpec[], kong: string): FieldSpec => {
  const field = fields.find((f) => f.kong === kong);
  if (!field) throw new Error(`no field ${kong}`);
  return field;
};

describe("config fields", () => {
  it("are exactly the 26 attributes of the reference page, in its order", () => {
    expect(CONFIG_FIELDS.map((f) => f.kong)).toEqual(REFERENCE_CONFIG_ATTRIBUTES);
    expect(CONFIG_FIELDS).toHaveLength(26);
  });

  it("name every prop as the camelCase of the Kong name, and back", () => {
    for (const field of CONFIG_FIELDS) {
      expect(field.prop, field.kong).toBe(camelCase(field.kong));
      expect(snakeCase(field.prop), field.prop).toBe(field.kong);
    }
    expect(new Set(CONFIG_FIELDS.map((f) => f.prop)).size).toBe(26);
  });

  it.each(Object.entries(KONG_CONFIG_KINDS))("%s has Kong's type %s", (kong, kind) => {
    expect(byKong(CONFIG_FIELDS, kong).kind).toBe(kind);
  });

  it.each(Object.entries(KONG_CONFIG_DEFAULTS))("%s has Kong's default %j", (kong, value) => {
    const field = byKong(CONFIG_FIELDS, kong);
    expect("kongDefault" in field, `${kong} documents a default`).toBe(true);
    expect(field.kongDefault).toEqual(value);
  });

  it("document a default for every field except secret, which Kong generates", () => {
    expect(Object.keys(KONG_CONFIG_DEFAULTS).sort()).toEqual(REFERENCE_CONFIG_ATTRIBUTES.filter((k) => k !== "secret").sort());
    expect(byKong(CONFIG_FIELDS, "secret").kongDefault).toBeUndefined();
  });

  it.each(Object.entries(KONG_CONFIG_ONE_OF))("%s allows exactly Kong's values", (kong, values) => {
    expect([...(byKong(CONFIG_FIELDS, kong).oneOf ?? [])].sort()).toEqual([...values].sort());
  });

  it("restricts no other field to a list of values", () => {
    expect(CONFIG_FIELDS.filter((f) => f.oneOf).map((f) => f.kong).sort()).toEqual(Object.keys(KONG_CONFIG_ONE_OF).sort());
  });

  it("exports the value lists the reference page and the facts page give", () => {
    expect([...COOKIE_SAME_SITE]).toEqual(["Strict", "Lax", "None", "Default"]);
    expect([...STORAGE]).toEqual(["cookie", "kong"]);
    expect([...SESSION_HEADERS]).toEqual(SESSION_HEADER_ITEMS);
    expect([...LOGOUT_METHODS]).toEqual(["GET", "POST", "DELETE"]);
    expect([...BIND]).toEqual(["ip", "scheme", "user-agent"]);
  });

  it("mark only secret as a secret", () => {
    expect(CONFIG_FIELDS.filter((f) => f.secret).map((f) => f.kong)).toEqual(["secret"]);
    expect(PLUGIN_FIELDS.filter((f) => f.secret)).toEqual([]);
  });

  it("apply the library's non-negative rule to every number and nothing else", () => {
    const numbers = CONFIG_FIELDS.filter((f) => f.kind === "number").map((f) => f.kong);
    expect(numbers).toEqual([
      "absolute_timeout",
      "idling_timeout",
      "remember_absolute_timeout",
      "remember_rolling_timeout",
      "rolling_timeout",
      "stale_ttl",
    ]);
    expect(CONFIG_FIELDS.filter((f) => f.nonNegative).map((f) => f.kong)).toEqual(numbers);
  });
});

describe("top-level fields", () => {
  it("cover the reference page's attributes plus condition; workspace is a path, not a body field", () => {
    const body = TOP_LEVEL_NAMES.map(([kong]) => kong);
    expect([...body, "workspace"].sort()).toEqual([...REFERENCE_TOP_LEVEL_ATTRIBUTES, "condition"].sort());
    expect(new Set(body).size).toBe(body.length);
    expect([...NON_PAYLOAD_PROPS]).toEqual(["workspace", "provider"]);
  });

  it("map every Kong name to its camelCase prop", () => {
    expect(Object.fromEntries(TOP_LEVEL_NAMES)).toEqual({
      config: "config",
      created_at: "createdAt",
      enabled: "enabled",
      id: "id",
      instance_name: "instanceName",
      ordering: "ordering",
      partials: "partials",
      protocols: "protocols",
      route: "route",
      service: "service",
      tags: "tags",
      updated_at: "updatedAt",
      condition: "condition",
    });
  });

  it("have Kong's types", () => {
    expect(Object.fromEntries(PLUGIN_FIELDS.map((f) => [f.kong, f.kind]))).toEqual({
      created_at: "integer",
      enabled: "boolean",
      id: "string",
      instance_name: "string",
      protocols: "set",
      tags: "set",
      updated_at: "integer",
      condition: "string",
    });
  });

  it("have Kong's defaults for enabled, protocols, instance_name and tags", () => {
    expect(byKong(PLUGIN_FIELDS, "enabled").kongDefault).toBe(true);
    expect(byKong(PLUGIN_FIELDS, "protocols").kongDefault).toEqual(["grpc", "grpcs", "http", "https"]);
    expect(byKong(PLUGIN_FIELDS, "instance_name").kongDefault).toBeNull();
    expect(byKong(PLUGIN_FIELDS, "tags").kongDefault).toBeNull();
  });

  it("allow Kong's protocols, ws and wss (Enterprise) included", () => {
    expect([...PROTOCOLS]).toEqual(["grpc", "grpcs", "http", "https", "tcp", "tls", "tls_passthrough", "udp", "ws", "wss"]);
    expect(byKong(PLUGIN_FIELDS, "protocols").oneOf).toBe(PROTOCOLS);
  });

  it("describe the nested records of the reference page", () => {
    const shape = Object.fromEntries(Object.entries(RECORD_FIELDS).map(([name, fields]) => [name, fields.map((f) => `${f.kong}=${f.prop}:${f.kind}`)]));
    expect(shape).toEqual({
      route: ["id=id:string", "name=name:string"],
      service: ["id=id:string", "name=name:string"],
      partials: ["id=id:string", "name=name:string", "path=path:string"],
      "ordering.after": ["access=access:array"],
      "ordering.before": ["access=access:array"],
    });
  });
});

describe("kongPathToPropPath", () => {
  it.each<[Array<string | number>, string]>([
    [["config", "cookie_same_site"], "config.cookieSameSite"],
    [["config", "logout_methods", 1], "config.logoutMethods[1]"],
    [["config", "remember_absolute_timeout"], "config.rememberAbsoluteTimeout"],
    [["instance_name"], "instanceName"],
    [["created_at"], "createdAt"],
    [["updated_at"], "updatedAt"],
    [["tags", 0], "tags[0]"],
    [["route", "id"], "route.id"],
    [["partials", 2, "id"], "partials[2].id"],
    [["ordering", "after", "access", 0], "ordering.after.access[0]"],
    [["config", "cookie_nmae"], "config.cookie_nmae"],
    [[], ""],
  ])("%j → %s", (kongPath, propPath) => {
    expect(kongPathToPropPath(kongPath)).toBe(propPath);
  });

  it("maps every config field", () => {
    for (const field of CONFIG_FIELDS) expect(kongPathToPropPath(["config", field.kong])).toBe(`config.${field.prop}`);
  });
});

describe("formatPath, camelCase, snakeCase", () => {
  it("formatPath joins names with dots and writes indexes in brackets", () => {
    expect(formatPath(["config", "logout_methods", 1])).toBe("config.logout_methods[1]");
    expect(formatPath([0, "id"])).toBe("[0].id");
    expect(formatPath(["a"])).toBe("a");
    expect(formatPath([])).toBe("");
  });

  it.each([
    ["cookieSameSite", "cookie_same_site"],
    ["instanceName", "instance_name"],
    ["staleTtl", "stale_ttl"],
    ["remember", "remember"],
  ])("%s ↔ %s", (camel, snake) => {
    expect(snakeCase(camel)).toBe(snake);
    expect(camelCase(snake)).toBe(camel);
  });

  it("camelCase leaves a camelCase name unchanged", () => {
    expect(camelCase("cookieName")).toBe("cookieName");
  });
});
