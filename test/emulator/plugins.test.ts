/**
 * Every plugin of the emulated Kong, not only session: the plugins of the edition and version come
 * from the emulator's catalog (src/testing/generated/), each config is checked by the independent
 * JSON Schema validator (config-validator.ts) and Kong's entity checks (entity-checks.ts).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KongEmulator, type KongEmulatorOptions } from "../../src/testing/index.js";
import { PluginCatalog, type JsonSchemaNode } from "../../src/testing/plugin-catalog.js";
import { PLUGINS_WITH_RULES } from "../../src/testing/plugin-rules.js";
import { call, IDS } from "./support.js";

let kong: KongEmulator;

beforeAll(async () => {
  kong = await KongEmulator.start({ version: "3.15.0" });
});
afterAll(async () => {
  await kong.stop();
});
beforeEach(() => {
  kong.reset();
  kong.addService({ id: IDS.service, name: "svc" });
  kong.addRoute({ id: IDS.route, name: "r1", service: { id: IDS.service } });
});

/** POSTs a global plugin and returns Kong's error message (undefined when created). */
async function messageOf(name: string, config: unknown, extra: Record<string, unknown> = {}, k: KongEmulator = kong): Promise<string | undefined> {
  const res = await call(k, "POST", "/plugins", { name, config, ...extra });
  if (res.status === 201) {
    await call(k, "DELETE", `/plugins/${res.body.id}`);
    return undefined;
  }
  return `${res.status} ${res.body.message}`;
}

describe("CRUD of plugins other than session", () => {
  it("PUT fills Kong's defaults (records too) and returns every field, absent ones null", async () => {
    const res = await call(kong, "PUT", `/plugins/${IDS.plugin}`, { name: "rate-limiting", route: { id: IDS.route }, config: { minute: 5 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: IDS.plugin,
      name: "rate-limiting",
      route: { id: IDS.route },
      service: null,
      consumer: null,
      protocols: ["grpc", "grpcs", "http", "https"],
      enabled: true,
      config: { minute: 5, second: null, hour: null, policy: "local", limit_by: "consumer", sync_rate: -1, fault_tolerant: true, error_code: 429 },
    });
    expect(res.body.config.redis).toMatchObject({ host: null, port: 6379, timeout: 2000, database: 0, ssl: false });
    expect((await call(kong, "GET", `/plugins/${IDS.plugin}`)).body).toEqual(res.body);
  });

  it("PATCH merges config field by field; DELETE removes the plugin", async () => {
    await call(kong, "PUT", `/plugins/${IDS.plugin}`, { name: "rate-limiting", config: { minute: 5, redis: { host: "redis.local" } } });
    const patched = await call(kong, "PATCH", `/plugins/${IDS.plugin}`, { config: { hour: 100, redis: { port: 6380 } } });
    expect(patched.status).toBe(200);
    expect(patched.body.config).toMatchObject({ minute: 5, hour: 100 });
    expect(patched.body.config.redis).toMatchObject({ host: "redis.local", port: 6380 });
    expect((await call(kong, "DELETE", `/plugins/${IDS.plugin}`)).status).toBe(204);
    expect((await call(kong, "GET", `/plugins/${IDS.plugin}`)).status).toBe(404);
  });

  it("PUT replaces the whole config: what it leaves out goes back to the default", async () => {
    await call(kong, "PUT", `/plugins/${IDS.plugin}`, { name: "cors", config: { origins: ["https://a.example"], max_age: 60, credentials: true } });
    const replaced = await call(kong, "PUT", `/plugins/${IDS.plugin}`, { name: "cors", config: { origins: ["https://b.example"] } });
    expect(replaced.body.config).toMatchObject({ origins: ["https://b.example"], max_age: null, credentials: false });
    // the published schema lists the default methods sorted
    expect([...replaced.body.config.methods].sort()).toEqual(["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"]);
  });

  it("generates x-auto fields on create (rate-limiting-advanced namespace, oauth2 provision_key), keeps them on PATCH, not on PUT", async () => {
    const created = await call(kong, "PUT", `/plugins/${IDS.plugin}`, { name: "rate-limiting-advanced", config: { limit: [10], window_size: [60] } });
    expect(created.status).toBe(200);
    const namespace = created.body.config.namespace;
    expect(namespace).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const patched = await call(kong, "PATCH", `/plugins/${IDS.plugin}`, { config: { limit: [20] } });
    expect(patched.body.config).toMatchObject({ namespace, limit: [20] });
    const replaced = await call(kong, "PUT", `/plugins/${IDS.plugin}`, { name: "rate-limiting-advanced", config: { limit: [10], window_size: [60] } });
    expect(replaced.body.config.namespace).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(replaced.body.config.namespace).not.toBe(namespace);
    const given = await call(kong, "PUT", `/plugins/${IDS.plugin}`, { name: "rate-limiting-advanced", config: { limit: [10], window_size: [60], namespace: "mine" } });
    expect(given.body.config.namespace).toBe("mine");

    const oauth2 = await call(kong, "POST", "/plugins", { name: "oauth2", config: { enable_client_credentials: true } });
    expect(oauth2.status).toBe(201);
    expect(oauth2.body.config.provision_key).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it("fails when a field is unknown, outside its enum or its bounds (Kong's error body)", async () => {
    const res = await call(kong, "POST", "/plugins", { name: "rate-limiting", config: { minute: 5, policy: "memory", colour: "red", redis: { port: 70000 } } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "config": {
            "colour": "unknown field",
            "policy": "expected one of: cluster, local, redis",
            "redis": {
              "port": "value should be between 0 and 65535",
            },
          },
        },
        "message": "3 schema violations (config.colour: unknown field; config.policy: expected one of: cluster, local, redis; config.redis: {
        port = "value should be between 0 and 65535"
      })",
        "name": "schema violation",
      }
    `);
  });

  it("fails when a field has the wrong type, in an array item too", async () => {
    const res = await call(kong, "POST", "/plugins", { name: "cors", config: { origins: ["*", 3], max_age: "60", credentials: "yes" } });
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "config": {
            "credentials": "expected a boolean",
            "max_age": "expected a number",
            "origins": [
              null,
              "expected a string",
            ],
          },
        },
        "message": "3 schema violations (config.credentials: expected a boolean; config.max_age: expected a number; config.origins: {
        [2] = "expected a string"
      })",
        "name": "schema violation",
      }
    `);
  });

  it("fails when the plugin is not enabled (Kong's message from plugins.lua's subschema_error)", async () => {
    const res = await call(kong, "POST", "/plugins", { name: "no-such-plugin", config: {} });
    expect(res.status).toBe(400);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "name": "plugin 'no-such-plugin' not enabled; add it to the 'plugins' configuration property",
        },
        "message": "schema violation (name: plugin 'no-such-plugin' not enabled; add it to the 'plugins' configuration property)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when the plugin takes no consumer, or a protocol it does not allow", async () => {
    const res = await call(kong, "POST", "/plugins", { name: "cors", consumer: { id: IDS.missing }, protocols: ["tcp"] });
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "consumer": "value must be null",
          "protocols": [
            "expected one of: grpc, grpcs, http, https",
          ],
        },
        "message": "2 schema violations (consumer: value must be null; protocols.1: expected one of: grpc, grpcs, http, https)",
        "name": "schema violation",
      }
    `);
  });

  it("a plugin that takes a consumer checks that it exists (foreign key)", async () => {
    const res = await call(kong, "POST", "/plugins", { name: "rate-limiting", consumer: { id: IDS.missing }, config: { minute: 1 } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`the foreign key '{id="${IDS.missing}"}' does not reference an existing 'consumers' entity.`);
  });

  it("nested endpoints take any plugin", async () => {
    const res = await call(kong, "POST", `/routes/${IDS.route}/plugins`, { name: "key-auth" });
    expect(res.status).toBe(201);
    // Kong Enterprise 3.15 hides credentials by default (3.9 did not)
    expect(res.body).toMatchObject({ route: { id: IDS.route }, config: { key_names: ["apikey"], hide_credentials: true } });
    expect((await call(kong, "GET", "/plugins/enabled")).body.enabled_plugins).toContain("rate-limiting-advanced");
  });
});

describe("community and enterprise", () => {
  let other: KongEmulator | undefined;
  afterEach(async () => {
    await other?.stop();
    other = undefined;
  });
  const start = async (options: KongEmulatorOptions) => (other = await KongEmulator.start(options));

  it("open-source Kong 3.9 has no openid-connect; Enterprise 3.9 has it", async () => {
    const oss = await start({ edition: "community", version: "3.9.1" });
    expect(await messageOf("openid-connect", { issuer: "https://idp.example/" }, {}, oss)).toBe(
      "400 schema violation (name: plugin 'openid-connect' not enabled; add it to the 'plugins' configuration property)",
    );
    expect(await messageOf("openid-connect", { issuer: "https://idp.example/" })).toBeUndefined();
    expect((await call(oss, "GET", "/plugins/enabled")).body.enabled_plugins).not.toContain("openid-connect");
  });

  it("open-source Kong 3.4 has no ai-proxy; 3.9 has it", async () => {
    const config = { route_type: "llm/v1/chat", model: { provider: "openai" } };
    const v34 = await start({ edition: "community", version: "3.4.2" });
    expect(await messageOf("ai-proxy", config, {}, v34)).toBe(
      "400 schema violation (name: plugin 'ai-proxy' not enabled; add it to the 'plugins' configuration property)",
    );
    await v34.stop();
    const v39 = await start({ edition: "community", version: "3.9.1" });
    expect(await messageOf("ai-proxy", config, {}, v39)).toBeUndefined();
  });

  it("fails when open-source Kong gets an Enterprise-only protocol of a plugin", async () => {
    const oss = await start({ edition: "community", version: "3.9.1" });
    expect(await messageOf("key-auth", {}, { protocols: ["wss"] }, oss)).toBe("400 schema violation (protocols.1: expected one of: grpc, grpcs, http, https)");
    expect(await messageOf("key-auth", {}, { protocols: ["wss"] })).toBeUndefined();
  });
});

describe("entity checks and custom validators (Kong's messages)", () => {
  it("are known for ten plugins, each pinned below", () => {
    expect([...PLUGINS_WITH_RULES].sort()).toEqual([
      "acl", "basic-auth", "cors", "ip-restriction", "jwt", "key-auth", "openid-connect", "rate-limiting", "rate-limiting-advanced", "request-transformer",
    ]);
  });

  it("key-auth: no entity check; key_names are header names", async () => {
    expect(await messageOf("key-auth", {})).toBeUndefined();
    expect(await messageOf("key-auth", { key_names: ["apikey", "bad key"] })).toBe(
      "400 schema violation (config.key_names: {\n  [2] = \"bad header name 'bad key', allowed characters are A-Z, a-z, 0-9, '_', and '-'\"\n})",
    );
  });

  it("basic-auth: no entity check", async () => {
    expect(await messageOf("basic-auth", {})).toBeUndefined();
    expect(await messageOf("basic-auth", { hide_credentials: true, realm: "r" })).toBeUndefined();
  });

  it("rate-limiting: at_least_one_of the periods", async () => {
    const res = await call(kong, "POST", "/plugins", { name: "rate-limiting", config: {} });
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "@entity": [
            "at least one of these fields must be non-empty: 'config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year'",
          ],
        },
        "message": "schema violation (at least one of these fields must be non-empty: 'config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year')",
        "name": "schema violation",
      }
    `);
  });

  it("rate-limiting: conditional on policy redis (host; port and timeout when null)", async () => {
    const res = await call(kong, "POST", "/plugins", { name: "rate-limiting", config: { minute: 5, policy: "redis", redis: { port: null, timeout: null } } });
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "@entity": [
            "failed conditional validation given value of field 'config.policy'",
            "failed conditional validation given value of field 'config.policy'",
            "failed conditional validation given value of field 'config.policy'",
          ],
          "config": {
            "redis": {
              "host": "required field missing",
              "port": "required field missing",
              "timeout": "required field missing",
            },
          },
        },
        "message": "4 schema violations (failed conditional validation given value of field 'config.policy'; failed conditional validation given value of field 'config.policy'; failed conditional validation given value of field 'config.policy'; config.redis: {
        host = "required field missing",
        port = "required field missing",
        timeout = "required field missing"
      })",
        "name": "schema violation",
      }
    `);
    expect(await messageOf("rate-limiting", { minute: 5, policy: "redis", redis: { host: "redis.local" } })).toBeUndefined();
  });

  it("rate-limiting: conditional on limit_by header and path", async () => {
    expect(await messageOf("rate-limiting", { minute: 5, limit_by: "header" })).toBe(
      "400 2 schema violations (failed conditional validation given value of field 'config.limit_by'; config.header_name: required field missing)",
    );
    expect(await messageOf("rate-limiting", { minute: 5, limit_by: "path" })).toBe(
      "400 2 schema violations (failed conditional validation given value of field 'config.limit_by'; config.path: required field missing)",
    );
    expect(await messageOf("rate-limiting", { minute: 5, limit_by: "header", header_name: "X-Key" })).toBeUndefined();
    expect(await messageOf("rate-limiting", { minute: 5, limit_by: "path", path: "/v1" })).toBeUndefined();
  });

  it("rate-limiting: the config's custom validator (periods in order, sync_rate)", async () => {
    expect(await messageOf("rate-limiting", { second: 10, minute: 5 })).toBe(
      "400 schema violation (config: The limit for minute(5.0) cannot be lower than the limit for second(10.0))",
    );
    expect(await messageOf("rate-limiting", { minute: 5, sync_rate: 10 })).toBe("400 schema violation (config: sync_rate can only be used with the redis policy)");
    expect(await messageOf("rate-limiting", { minute: 5, policy: "redis", redis: { host: "r" }, sync_rate: 0.01 })).toBe(
      "400 schema violation (config: sync_rate must be greater than 0.02, or -1 to disable)",
    );
    expect(await messageOf("rate-limiting", { minute: 5, policy: "redis", redis: { host: "r" }, sync_rate: 1 })).toBeUndefined();
  });

  it("rate-limiting: header_name, path and redis.host are checked by their typedefs", async () => {
    expect(await messageOf("rate-limiting", { minute: 5, limit_by: "header", header_name: "X Key" })).toBe(
      "400 schema violation (config.header_name: bad header name 'X Key', allowed characters are A-Z, a-z, 0-9, '_', and '-')",
    );
    expect(await messageOf("rate-limiting", { minute: 5, limit_by: "path", path: "/a//b" })).toBe("400 schema violation (config.path: must not have empty segments)");
    expect(await messageOf("rate-limiting", { minute: 5, policy: "redis", redis: { host: "redis.local:6379" } })).toBe(
      '400 schema violation (config.redis: {\n  host = "must not have a port"\n})',
    );
  });

  it("rate-limiting: a conditional's field error where the config's custom validator left a message makes Kong fail (500)", async () => {
    // kong/db/schema/init.lua set_field indexes the string at errors.config: a Lua error
    const res = await call(kong, "POST", "/plugins", { name: "rate-limiting", config: { second: 10, minute: 5, policy: "redis" } });
    expect(res).toMatchObject({ status: 500, body: { message: "An unexpected error occurred" } });
  });

  it("rate-limiting 3.4: the conditionals name the flat redis_* fields", async () => {
    const v34 = await KongEmulator.start({ edition: "community", version: "3.4.2" });
    try {
      expect(await messageOf("rate-limiting", { minute: 5, policy: "redis" }, {}, v34)).toBe(
        "400 2 schema violations (failed conditional validation given value of field 'config.policy'; config.redis_host: required field missing)",
      );
    } finally {
      await v34.stop();
    }
  });

  it("cors: origins are '*' or regular expressions", async () => {
    expect(await messageOf("cors", { origins: ["*", "https://(a|b)\\.example"] })).toBeUndefined();
    expect(await messageOf("cors", { origins: ["*", "https://(a.example"] })).toBe(
      "400 schema violation (config.origins: {\n  [2] = \"'https://(a.example' is not a valid regex\"\n})",
    );
  });

  it("acl: only_one_of and at_least_one_of allow/deny", async () => {
    const res = await call(kong, "POST", "/plugins", { name: "acl", config: {} });
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "@entity": [
            "exactly one of these fields must be non-empty: 'config.allow', 'config.deny'",
            "at least one of these fields must be non-empty: 'config.allow', 'config.deny'",
          ],
        },
        "message": "2 schema violations (exactly one of these fields must be non-empty: 'config.allow', 'config.deny'; at least one of these fields must be non-empty: 'config.allow', 'config.deny')",
        "name": "schema violation",
      }
    `);
    expect(await messageOf("acl", { allow: ["a"], deny: ["b"] })).toBe("400 schema violation (exactly one of these fields must be non-empty: 'config.allow', 'config.deny')");
    expect(await messageOf("acl", { allow: [], deny: ["b"] })).toBeUndefined();
  });

  it("ip-restriction: at_least_one_of allow/deny; items are IPs or CIDR ranges", async () => {
    expect(await messageOf("ip-restriction", {})).toBe("400 schema violation (at least one of these fields must be non-empty: 'config.allow', 'config.deny')");
    expect(await messageOf("ip-restriction", { allow: ["10.0.0.0/8", "::1", "10.0.0.0/33", "example.com"] })).toBe(
      "400 schema violation (config.allow: {\n  [3] = \"invalid ip or cidr range: '10.0.0.0/33'\",\n  [4] = \"invalid ip or cidr range: 'example.com'\"\n})",
    );
    expect(await messageOf("ip-restriction", { deny: ["192.168.1.1"] })).toBeUndefined();
  });

  it("jwt: conditional maximum_expiration > 0 needs claims_to_verify containing exp", async () => {
    const res = await call(kong, "POST", "/plugins", { name: "jwt", config: { maximum_expiration: 600, claims_to_verify: ["nbf"] } });
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "@entity": [
            "failed conditional validation given value of field 'config.maximum_expiration'",
          ],
          "config": {
            "claims_to_verify": "expected to contain: exp",
          },
        },
        "message": "2 schema violations (failed conditional validation given value of field 'config.maximum_expiration'; config.claims_to_verify: expected to contain: exp)",
        "name": "schema violation",
      }
    `);
    expect(await messageOf("jwt", { maximum_expiration: 600, claims_to_verify: ["exp"] })).toBeUndefined();
    // a null then_field passes `contains` (Kong's validate_field accepts null for an optional field)
    expect(await messageOf("jwt", { maximum_expiration: 600 })).toBeUndefined();
  });

  it("request-transformer: header names and name:value pairs", async () => {
    expect(await messageOf("request-transformer", { add: { headers: ["x-team:orders"], querystring: ["q:1"] }, rename: { headers: ["a:b"] } })).toBeUndefined();
    expect(await messageOf("request-transformer", { remove: { headers: ["bad header"] } })).toBe(
      "400 schema violation (config.remove: {\n  headers = {\n    \"'bad header' is not a valid header\"\n  }\n})",
    );
    expect(await messageOf("request-transformer", { rename: { headers: ["a:b c"] } })).toBe(
      "400 schema violation (config.rename: {\n  headers = {\n    \"'b c' is not a valid header\"\n  }\n})",
    );
    expect(await messageOf("request-transformer", { add: { querystring: ["q"] } })).toBe(
      "400 schema violation (config.add: {\n  querystring = {\n    \"key 'q' has no value\"\n  }\n})",
    );
    // the element's `match` runs before its custom validator
    expect(await messageOf("request-transformer", { add: { headers: ["x-team"] } })).toBe(
      '400 schema violation (config.add: {\n  headers = {\n    "invalid value: x-team"\n  }\n})',
    );
  });

  it("openid-connect: mTLS proof of possession needs bearer, introspection or session auth methods", async () => {
    const issuer = "https://idp.example/";
    expect(await messageOf("openid-connect", { issuer, proof_of_possession_mtls: "strict" })).toBe(
      "400 schema violation (config: mTLS-proof-of-possession only supports 'bearer', 'introspection', 'session' auth methods when proof_of_possession_auth_methods_validation is set to true.)",
    );
    expect(await messageOf("openid-connect", { issuer, proof_of_possession_mtls: "strict", auth_methods: ["bearer", "session"] })).toBeUndefined();
    expect(await messageOf("openid-connect", { issuer, proof_of_possession_mtls: "optional", proof_of_possession_auth_methods_validation: false })).toBeUndefined();
  });

  it("rate-limiting-advanced: its custom_entity_check", async () => {
    const rla = (config: Record<string, unknown>) => messageOf("rate-limiting-advanced", { limit: [10], window_size: [60], ...config });
    expect(await rla({ window_size: [60, 3600] })).toBe("400 schema violation (You must provide the same number of windows and limits)");
    // since 3.9 redis.host defaults to 127.0.0.1: only an explicit null leaves no redis config
    expect(await rla({ strategy: "redis", sync_rate: 1, redis: { host: null } })).toBe("400 schema violation (No redis config provided)");
    expect(await rla({ strategy: "local", sync_rate: 1 })).toBe("400 schema violation (sync_rate cannot be configured when using a local strategy)");
    expect(await rla({ strategy: "cluster" })).toBe("400 schema violation (sync_rate is required if not using a local strategy)");
    expect(await rla({ dictionary_name: "my_dict" })).toBe("400 schema violation (missing shared dict 'my_dict')");
    expect(await rla({ identifier: "header" })).toBe("400 schema violation (No header name provided)");
    expect(await rla({ identifier: "path" })).toBe("400 schema violation (No path provided)");
    expect(await rla({ strategy: "cluster", sync_rate: 0.01 })).toBe("400 schema violation (Config option 'sync_rate' must not be a decimal between 0 and 0.02)");
    expect(await rla({ enforce_consumer_groups: true })).toBe("400 schema violation (No consumer groups provided)");
    expect(await rla({ strategy: "redis", sync_rate: 1, redis: { host: "redis.local" } })).toBeUndefined();
    // the check runs only when the config's fields are valid (run_with_invalid_fields = false)
    expect(await rla({ window_size: [60, 3600], error_code: "x" })).toBe("400 schema violation (config.error_code: expected a number)");
  });
});

/** A value for a schema node that its validators accept, as small as can be. */
function minimal(node: JsonSchemaNode): unknown {
  if (node.oneOf) {
    // a union of records told apart by a one-value enum (datakit's node `type`): that value set
    const branch = node.oneOf[0]!;
    const value = minimal(branch) as Record<string, unknown>;
    for (const [name, field] of Object.entries(branch.properties ?? {})) if (field.enum?.length === 1) value[name] = field.enum[0];
    return value;
  }
  if (node.default !== undefined && !(node.type === "object" && node.properties)) return node.default;
  switch (node.type) {
    case "string": {
      if (node.enum) return node.enum[0];
      if (node["x-uuid"]) return IDS.missing;
      const fits = (candidate: string) => node.pattern === undefined || new RegExp(node.pattern).test(candidate);
      const base = ["x", "a@example.com", "https://example.com", "/path"].find(fits) ?? "x";
      return base.padEnd(node.minLength ?? 0, "x");
    }
    case "integer":
    case "number":
      return node.enum ? node.enum[0] : Math.max(node.minimum ?? 1, 1);
    case "boolean":
      return false;
    case "array":
      return Array.from({ length: node.minItems ?? 0 }, () => minimal(node.items ?? {}));
    case "object": {
      const out: Record<string, unknown> = {};
      for (const name of node.required ?? []) out[name] = minimal(node.properties![name]!);
      return out;
    }
    default:
      return "x";
  }
}

/** The plugins whose minimal config Kong rejects, and the entity check that rejects it. */
const REJECTED_BY_ENTITY_CHECK: Readonly<Record<string, string>> = {
  acl: "2 schema violations (exactly one of these fields must be non-empty: 'config.allow', 'config.deny'; at least one of these fields must be non-empty: 'config.allow', 'config.deny')",
  "ip-restriction": "schema violation (at least one of these fields must be non-empty: 'config.allow', 'config.deny')",
  "rate-limiting": "schema violation (at least one of these fields must be non-empty: 'config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year')",
};

describe.each([
  ["enterprise", "3.15.0"],
  ["community", "3.9.1"],
] as const)("every plugin of %s %s", (edition, version) => {
  it("accepts its config {} plus the required fields, or rejects it only by a listed entity check", async () => {
    const k = await KongEmulator.start({ edition, version });
    try {
      const catalog = new PluginCatalog(edition, version);
      const outcomes = { accepted: 0, rejected: 0 };
      const unexpected: string[] = [];
      for (const name of [...catalog.names].sort()) {
        const config = name === "session" ? {} : minimal(catalog.variant(name)!.config);
        const res = await call(k, "PUT", `/plugins/${IDS.plugin}`, { name, config });
        if (res.status === 200) {
          outcomes.accepted++;
          if (REJECTED_BY_ENTITY_CHECK[name] !== undefined) unexpected.push(`${name}: accepted, but listed as rejected`);
        } else {
          outcomes.rejected++;
          if (res.body?.message !== REJECTED_BY_ENTITY_CHECK[name]) unexpected.push(`${name}: ${res.status} ${res.body?.message}`);
        }
        await call(k, "DELETE", `/plugins/${IDS.plugin}`);
      }
      console.log(`${edition} ${version}: ${catalog.names.size} plugins, ${outcomes.accepted} accepted, ${outcomes.rejected} rejected by a listed entity check`);
      expect(unexpected).toEqual([]);
      expect(outcomes.rejected).toBe(Object.keys(REJECTED_BY_ENTITY_CHECK).length);
      expect(catalog.names.size).toBeGreaterThan(edition === "enterprise" ? 100 : 40);
    } finally {
      await k.stop();
    }
  });
});
