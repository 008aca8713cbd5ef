/**
 * The JSON Schemas generated from the zod schema (Kong's names): the same fields, enums and patterns
 * as the validation, and no other properties allowed.
 *
 * What they cannot say, by design: cdktf tokens (a synth-time notion) are not described, so a body
 * with tokens in enum fields does not match; Kong's defaults are not emitted as `default`; sets are
 * plain arrays without `uniqueItems` (Kong drops duplicates rather than rejecting them); `secret` is
 * not marked `writeOnly`; and `created_at`/`updated_at` carry zod's safe-integer bounds, not a Kong rule.
 */
import { describe, expect, it } from "vitest";
import { pluginSessionConfigJsonSchema, pluginSessionJsonSchema } from "../../src/index.js";

const CONFIG_PROPERTIES = [
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

const TOP_LEVEL_PROPERTIES = [
  "condition",
  "config",
  "created_at",
  "enabled",
  "id",
  "instance_name",
  "name",
  "ordering",
  "partials",
  "protocols",
  "route",
  "service",
  "tags",
  "updated_at",
];

const SESSION_HEADERS = ["id", "audience", "subject", "timeout", "idling-timeout", "rolling-timeout", "absolute-timeout"];

type Json = Record<string, any>;
const root = (): Json => pluginSessionJsonSchema();
const config = (): Json => pluginSessionConfigJsonSchema();

describe("pluginSessionJsonSchema", () => {
  it("is a draft 2020-12 object schema with exactly Kong's top-level fields", () => {
    const schema = root();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.type).toBe("object");
    expect(Object.keys(schema.properties).sort()).toEqual(TOP_LEVEL_PROPERTIES);
    expect(schema.additionalProperties).toBe(false);
  });

  it("requires only name, which must be session", () => {
    const schema = root();
    expect(schema.required).toEqual(["name"]);
    expect(schema.properties.name).toEqual({ type: "string", const: "session" });
  });

  it("forbids unknown properties in every record", () => {
    const { properties } = root();
    expect(properties.config.additionalProperties).toBe(false);
    expect(properties.route.additionalProperties).toBe(false);
    expect(properties.service.additionalProperties).toBe(false);
    expect(properties.ordering.additionalProperties).toBe(false);
    expect(properties.ordering.properties.after.additionalProperties).toBe(false);
    expect(properties.ordering.properties.before.additionalProperties).toBe(false);
    expect(properties.partials.items.additionalProperties).toBe(false);
  });

  it("requires the id or the name of a route or service reference, one of them", () => {
    const { properties } = root();
    for (const scope of [properties.route, properties.service]) {
      expect(Object.keys(scope.properties)).toEqual(["id", "name"]);
      expect(scope.oneOf).toEqual([{ required: ["id"] }, { required: ["name"] }]);
    }
  });

  it("lists Kong's protocols", () => {
    expect(root().properties.protocols).toEqual({
      type: "array",
      items: { type: "string", enum: ["grpc", "grpcs", "http", "https", "tcp", "tls", "tls_passthrough", "udp", "ws", "wss"] },
    });
  });

  it("limits condition to 1 to 1024 characters and makes timestamps integers", () => {
    const { properties } = root();
    expect(properties.condition).toEqual({ type: "string", minLength: 1, maxLength: 1024 });
    expect(properties.created_at.type).toBe("integer");
    expect(properties.updated_at.type).toBe("integer");
    expect(properties.enabled).toEqual({ type: "boolean" });
  });

  it("carries the UUID, name and tag patterns, which agree with the validation", () => {
    const { properties } = root();
    const uuid = new RegExp(properties.id.pattern);
    expect(properties.route.properties.id.pattern).toBe(properties.id.pattern);
    expect(properties.partials.items.properties.id.pattern).toBe(properties.id.pattern);
    expect(uuid.test("3473C251-5b6c-4f45-b1ff-7ede735a366d")).toBe(true);
    expect(uuid.test("747d1e5-8246-4f65-a939-b392f1ee17f8")).toBe(false);

    const name = new RegExp(properties.instance_name.pattern);
    expect(properties.partials.items.properties.name.pattern).toBe(properties.instance_name.pattern);
    expect(["session-1.v2_x~", "séance"].map((v) => name.test(v))).toEqual([true, true]);
    expect(["a b", "a/b", "a:b"].map((v) => name.test(v))).toEqual([false, false, false]);

    const tag = new RegExp(properties.tags.items.pattern);
    expect(["team payments", "env=prod", "标签"].map((v) => tag.test(v))).toEqual([true, true, true]);
    expect(["a,b", "a/b", "a\tb"].map((v) => tag.test(v))).toEqual([false, false, false]);
  });
});

describe("pluginSessionConfigJsonSchema", () => {
  it("is the config part of the plugin schema, with its own $schema", () => {
    const { $schema, ...rest } = config();
    expect($schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(rest).toEqual(root().properties.config);
  });

  it("has exactly the 26 Kong config fields, none required, no others allowed", () => {
    const schema = config();
    expect(schema.type).toBe("object");
    expect(Object.keys(schema.properties)).toEqual(CONFIG_PROPERTIES);
    expect(schema.required).toBeUndefined();
    expect(schema.additionalProperties).toBe(false);
  });

  it("lists the allowed values of cookie_same_site and storage", () => {
    const { properties } = config();
    expect(properties.cookie_same_site).toEqual({ type: "string", enum: ["Strict", "Lax", "None", "Default"] });
    expect(properties.storage).toEqual({ type: "string", enum: ["cookie", "kong"] });
  });

  it("lists the allowed items of every list", () => {
    const { properties } = config();
    expect(properties.logout_methods).toEqual({ type: "array", items: { type: "string", enum: ["GET", "POST", "DELETE"] } });
    expect(properties.request_headers).toEqual({ type: "array", items: { type: "string", enum: SESSION_HEADERS } });
    expect(properties.response_headers).toEqual({ type: "array", items: { type: "string", enum: SESSION_HEADERS } });
    expect(properties.bind).toEqual({ type: "array", items: { type: "string", enum: ["ip", "scheme", "user-agent"] } });
  });

  it("describes each field with Kong's type", () => {
    const types = Object.fromEntries(Object.entries(config().properties as Json).map(([k, v]) => [k, v.type]));
    expect(types).toEqual({
      absolute_timeout: "number",
      audience: "string",
      bind: "array",
      cookie_domain: "string",
      cookie_http_only: "boolean",
      cookie_name: "string",
      cookie_path: "string",
      cookie_same_site: "string",
      cookie_secure: "boolean",
      hash_subject: "boolean",
      idling_timeout: "number",
      logout_methods: "array",
      logout_post_arg: "string",
      logout_query_arg: "string",
      read_body_for_logout: "boolean",
      remember: "boolean",
      remember_absolute_timeout: "number",
      remember_cookie_name: "string",
      remember_rolling_timeout: "number",
      request_headers: "array",
      response_headers: "array",
      rolling_timeout: "number",
      secret: "string",
      stale_ttl: "number",
      storage: "string",
      store_metadata: "boolean",
    });
  });

  it("requires non-empty strings and non-negative timeouts (the latter a rule of this library)", () => {
    const { properties } = config();
    expect(properties.cookie_name).toEqual({ type: "string", minLength: 1 });
    expect(properties.secret).toEqual({ type: "string", minLength: 1 });
    for (const field of ["absolute_timeout", "idling_timeout", "remember_absolute_timeout", "remember_rolling_timeout", "rolling_timeout", "stale_ttl"]) {
      expect(properties[field], field).toEqual({ type: "number", minimum: 0 });
    }
  });

  it("returns a fresh object each time, so a caller's change does not leak", () => {
    const first = config();
    first.properties.storage.enum.push("redis");
    expect(config().properties.storage.enum).toEqual(["cookie", "kong"]);
  });
});
