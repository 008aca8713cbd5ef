/**
 * The apply-time program for plugins other than `session`: it reads the one table of facts its stack
 * gives it (KONG_CDKTF_FACTS), validates with it, carries over the values Kong generates, redacts the
 * plugin's secret fields, names the plugin in every message, and never deletes a plugin of another kind
 * it did not write.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { MockAgent } from "undici";
import { mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENV, REQUEST_VERSION } from "../../src/runtime/contract.js";
import { pluginFactsPath } from "../../src/internal/runtime-asset.js";
import { ID, JSON_HEADERS, OWNER, OWNER_TAG, SERVER, TOKEN, jsonBody, mockKong, runOn, stableTimes } from "./helpers.js";

let agent: MockAgent;
let kong: ReturnType<MockAgent["get"]>;

beforeEach(() => {
  ({ agent, kong } = mockKong());
});

afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

const NOT_FOUND = [404, { message: "Not found" }, JSON_HEADERS] as const;
const REDIS_PASSWORD = "R3d1sPassw0rdNeverPrinted-7c1e";
const CLIENT_SECRET = "0idcCl1entS3cretNeverPrinted-91ab";
const PROVISION_KEY = "Pr0v1s10nK3yGeneratedByKong-42";

interface ApplyOptions {
  readonly name?: string;
  readonly facts?: string | null;
  readonly target?: Record<string, unknown>;
  readonly custom?: boolean;
  readonly extra?: Record<string, string>;
}

/** The environment of an `apply` of a plugin of `payload.name`, with its table of facts. */
function pluginEnv(payload: Record<string, unknown>, options: ApplyOptions = {}): Record<string, string> {
  const name = options.name ?? "rate-limiting";
  const facts = options.facts === undefined ? pluginFactsPath(name) : options.facts;
  return {
    [ENV.adminToken]: TOKEN,
    [ENV.request]: JSON.stringify({
      version: REQUEST_VERSION,
      pluginId: ID,
      serverUrl: SERVER,
      path: "app/stack/limits",
      owner: OWNER,
      target: options.target ?? { edition: "enterprise", version: "3.15" },
      ...(options.custom ? { custom: true } : {}),
      payload: { name, ...payload },
    }),
    ...(facts === null ? {} : { [ENV.facts]: facts }),
    ...options.extra,
  };
}

/** A reference to an environment variable holding base64 (what the constructs synthesize for secrets). */
const ref = (name: string) => ({ $ref: name, as: "base64" });
const base64 = (value: string) => Buffer.from(value, "utf8").toString("base64");

/** A rate-limiting plugin as Kong 3.15 stores one: every default filled in. */
function liveRateLimiting(config: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ID,
    name: "rate-limiting",
    created_at: 1700000000,
    updated_at: 1700000500,
    enabled: true,
    protocols: ["grpc", "grpcs", "http", "https"],
    route: null,
    service: null,
    consumer: null,
    consumer_group: null,
    instance_name: null,
    tags: [OWNER_TAG],
    ...overrides,
    config: {
      second: null,
      minute: 5,
      hour: null,
      day: null,
      month: null,
      year: null,
      limit_by: "consumer",
      header_name: null,
      path: null,
      policy: "local",
      fault_tolerant: true,
      hide_client_headers: false,
      error_code: 429,
      error_message: "API rate limit exceeded",
      sync_rate: -1,
      redis: {
        host: null,
        port: 6379,
        password: null,
        username: null,
        ssl: false,
        ssl_verify: true, // its default from 3.8 (false before)
        server_name: null,
        timeout: 2000,
        database: 0,
        cloud_authentication: null,
      },
      ...config,
    },
  };
}

describe("apply of a plugin other than session", () => {
  test("creates a rate-limiting plugin and names it in the log", async () => {
    let sent: Record<string, unknown> = {};
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(...NOT_FOUND);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT", headers: { "kong-admin-token": TOKEN } }).reply((options) => {
      sent = jsonBody(options);
      return { statusCode: 200, data: liveRateLimiting(), responseOptions: JSON_HEADERS };
    });

    const out = await runOn(agent, ["apply"], pluginEnv({ config: { minute: 5 } }));

    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(sent).toEqual({ name: "rate-limiting", config: { minute: 5 }, tags: [OWNER_TAG] });
    expect(stableTimes(out.stdout)).toBe(`kong: created rate-limiting plugin ${ID} (default workspace) in N ms\n`);
  });

  test("leaves a plugin alone whose stored config only adds Kong's defaults", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, liveRateLimiting(), JSON_HEADERS);

    const out = await runOn(agent, ["apply"], pluginEnv({ config: { minute: 5 } }));

    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(stableTimes(out.stdout)).toBe(`kong: rate-limiting plugin ${ID} unchanged (default workspace) in N ms\n`);
  });

  test("updates a changed field and lists it", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, liveRateLimiting(), JSON_HEADERS);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply(200, liveRateLimiting({ minute: 10 }), JSON_HEADERS);

    const out = await runOn(agent, ["apply"], pluginEnv({ config: { minute: 10 } }));

    expect(out.code).toBe(0);
    expect(stableTimes(out.stdout)).toBe(`kong: updated rate-limiting plugin ${ID} (default workspace; minute) in N ms\n`);
  });

  test("validates with the plugin's facts before any request, values of references included", async () => {
    const out = await runOn(
      agent,
      ["apply"],
      pluginEnv({ config: { minute: 5, policy: ref("policy") } }, { extra: { KONG_CDKTF_REF_policy: base64("redys") } }),
    );

    expect(out.code).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_CDKTF_INVALID_CONFIG: invalid rate-limiting plugin at "app/stack/limits", 1 problem:
        - config.policy: expected one of: cluster, local, redis, got "redys" (did you mean "redis"?)
      "
    `);
  });

  test("checks the target's version: a field the target lacks is refused", async () => {
    const out = await runOn(agent, ["apply"], pluginEnv({ config: { minute: 5, redis: { host: "redis.internal" } } }, { target: { edition: "enterprise", version: "3.4" } }));

    expect(out.code).toBe(1);
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_CDKTF_INVALID_CONFIG: invalid rate-limiting plugin at "app/stack/limits", 1 problem:
        - config.redis: not in Kong Enterprise 3.4: Kong Enterprise 3.7+ has it, got {"host":"<redacted>"}
      "
    `);
  });

  test("refuses a target it does not know", async () => {
    const out = await runOn(agent, ["apply"], pluginEnv({ config: { minute: 5 } }, { target: { edition: "oss", version: "3.12" } }));

    expect(out.code).toBe(1);
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_INVALID_REQUEST: invalid KONG_CDKTF_REQUEST: target.version: expected a version of open-source Kong: 3.4 to 3.9 (its last release), got "3.12"
      "
    `);
  });

  test("needs the table of facts of the plugin it writes", async () => {
    const missing = await runOn(agent, ["apply"], pluginEnv({ config: { minute: 5 } }, { facts: null }));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      "kong: error KONG_INVALID_REQUEST: missing environment variable KONG_CDKTF_FACTS: the rate-limiting plugin's table of facts, which the synthesized stack gives this program; synthesize the stack again\n",
    );

    const dir = mkdtempSync(path.join(os.tmpdir(), "kong-facts-"));
    const notJson = path.join(dir, "broken.json");
    writeFileSync(notJson, "{ not json");
    const notFacts = path.join(dir, "other.json");
    writeFileSync(notFacts, JSON.stringify({ hello: "world" }));
    const absent = path.join(dir, "absent.json");

    const outs = await Promise.all([
      runOn(agent, ["apply"], pluginEnv({ config: { minute: 5 } }, { facts: absent })),
      runOn(agent, ["apply"], pluginEnv({ config: { minute: 5 } }, { facts: notJson })),
      runOn(agent, ["apply"], pluginEnv({ config: { minute: 5 } }, { facts: notFacts })),
      runOn(agent, ["apply"], pluginEnv({ config: { minute: 5 } }, { facts: pluginFactsPath("key-auth") })),
    ]);
    expect(outs.map((out) => out.code)).toEqual([1, 1, 1, 1]);
    expect(outs.map((out) => out.stderr)).toEqual([
      `kong: error KONG_INVALID_REQUEST: invalid KONG_CDKTF_FACTS: cannot read ${absent} (ENOENT): run terraform in the directory cdktf synthesized the stack into\n`,
      `kong: error KONG_INVALID_REQUEST: invalid KONG_CDKTF_FACTS: ${notJson} is not valid JSON\n`,
      `kong: error KONG_INVALID_REQUEST: invalid KONG_CDKTF_FACTS: ${notFacts} is not a table of plugin facts\n`,
      `kong: error KONG_INVALID_REQUEST: invalid KONG_CDKTF_FACTS: ${pluginFactsPath("key-auth")} holds the facts of the key-auth plugin, not of the rate-limiting plugin\n`,
    ]);
  });

  test("redacts the plugin's secret fields in Kong's answers and its own messages", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(...NOT_FOUND);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply(400, {
      code: 2,
      name: "schema violation",
      message: `schema violation (config.redis.password: ${REDIS_PASSWORD} is not accepted)`,
      fields: { config: { redis: { password: `${REDIS_PASSWORD} is not accepted` } } },
    }, JSON_HEADERS);

    const out = await runOn(
      agent,
      ["apply"],
      pluginEnv(
        { config: { minute: 5, policy: "redis", redis: { host: "redis.internal", password: ref("pw") } } },
        { extra: { KONG_CDKTF_REF_pw: base64(REDIS_PASSWORD) } },
      ),
    );

    expect(out.code).toBe(1);
    expect(out.stderr).not.toContain(REDIS_PASSWORD);
    expect(out.stdout).not.toContain(REDIS_PASSWORD);
    expect(out.stderr).toBe(
      `kong: error KONG_SCHEMA_VIOLATION: kong rejected the rate-limiting plugin (PUT /plugins/${ID}) with 1 schema violation:\n  - config.redis.password: <redacted> is not accepted\n`,
    );
  });

  test("carries over the provision key Kong generated for an oauth2 plugin", async () => {
    let sent: Record<string, unknown> = {};
    const live = {
      id: ID,
      name: "oauth2",
      created_at: 1700000000,
      enabled: true,
      protocols: ["grpc", "grpcs", "http", "https"],
      tags: [OWNER_TAG],
      config: { provision_key: PROVISION_KEY, enable_client_credentials: false, scopes: null, mandatory_scope: false },
    };
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, live, JSON_HEADERS);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply((options) => {
      sent = jsonBody(options);
      return { statusCode: 200, data: { ...live, config: { ...live.config, enable_client_credentials: true } }, responseOptions: JSON_HEADERS };
    });

    const out = await runOn(agent, ["apply"], pluginEnv({ config: { enable_client_credentials: true } }, { name: "oauth2" }));

    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(sent["config"]).toEqual({ enable_client_credentials: true, provision_key: PROVISION_KEY });
    expect(sent["created_at"]).toBe(1700000000);
    expect(out.stdout).not.toContain(PROVISION_KEY);
    expect(stableTimes(out.stdout)).toBe(`kong: updated oauth2 plugin ${ID} (default workspace; enable_client_credentials) in N ms\n`);
  });

  test("keeps an openid-connect client secret out of every line", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(...NOT_FOUND);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply(500, { message: `upstream said ${CLIENT_SECRET}` }, JSON_HEADERS);

    const out = await runOn(
      agent,
      ["apply"],
      pluginEnv(
        { config: { issuer: "https://idp.example.com/.well-known/openid-configuration", client_id: ["app"], client_secret: [ref("cs")] } },
        { name: "openid-connect", extra: { KONG_CDKTF_REF_cs: base64(CLIENT_SECRET) } },
      ),
    );

    expect(out.code).toBe(1);
    expect(out.stdout + out.stderr).not.toContain(CLIENT_SECRET);
  });

  test("sends a custom plugin's config as written, leaving its validation to Kong", async () => {
    let sent: Record<string, unknown> = {};
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(...NOT_FOUND);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply((options) => {
      sent = jsonBody(options);
      return { statusCode: 200, data: { id: ID, name: "my-header", enabled: true, tags: [OWNER_TAG], config: { header: "x", anything: 1 } }, responseOptions: JSON_HEADERS };
    });

    const out = await runOn(agent, ["apply"], pluginEnv({ config: { header: "x", anything: 1 } }, { name: "my-header", facts: null, custom: true }));

    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(sent).toEqual({ name: "my-header", config: { header: "x", anything: 1 }, tags: [OWNER_TAG] });
    expect(stableTimes(out.stdout)).toBe(`kong: created my-header plugin ${ID} (default workspace) in N ms\n`);
  });

  test("maps Kong's 400 to the plugin's props", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(...NOT_FOUND);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply(400, {
      code: 2,
      name: "schema violation",
      message: "schema violation (config.error_code: value should be between 0 and 1000)",
      fields: { config: { error_code: "value should be between 0 and 1000" } },
    }, JSON_HEADERS);

    const out = await runOn(agent, ["apply"], pluginEnv({ config: { minute: 5, error_code: 429 } }));

    expect(out.code).toBe(1);
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_SCHEMA_VIOLATION: kong rejected the rate-limiting plugin (PUT /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c) with 1 schema violation:
        - config.errorCode (Kong: config.error_code): value should be between 0 and 1000
      "
    `);
  });
});

describe("a plugin of another kind at the id", () => {
  test("refuses to take over a plugin of another kind the stack did not write", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, { ...liveRateLimiting(), name: "key-auth", tags: null, config: {} }, JSON_HEADERS);

    const out = await runOn(agent, ["apply"], pluginEnv({ config: { minute: 5 } }));

    expect(out.code).toBe(1);
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_OWNERSHIP_CONFLICT: plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (default workspace) is a "key-auth" plugin this stack did not create, not a rate-limiting plugin: refusing to overwrite it (give the construct another id, or delete that plugin)
      "
    `);
  });

  test("replaces its own plugin of another kind, with a warning", async () => {
    let sent: Record<string, unknown> = {};
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, { ...liveRateLimiting(), name: "key-auth", config: { key_names: ["apikey"] } }, JSON_HEADERS);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply((options) => {
      sent = jsonBody(options);
      return { statusCode: 200, data: liveRateLimiting(), responseOptions: JSON_HEADERS };
    });

    const out = await runOn(agent, ["apply"], pluginEnv({ config: { minute: 5 } }));

    expect(out.code).toBe(0);
    expect(sent["name"]).toBe("rate-limiting");
    expect(sent["config"]).toEqual({ minute: 5 });
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: warning: plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (default workspace) was a "key-auth" plugin of this stack: it becomes a rate-limiting plugin
      "
    `);
    expect(stableTimes(out.stdout)).toMatchInlineSnapshot(`
      "kong: updated rate-limiting plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (default workspace; error_code, error_message, fault_tolerant, hide_client_headers, key_names, limit_by, minute, name, policy, redis, sync_rate) in N ms
      "
    `);
  });
});

describe("delete and reap name the plugin", () => {
  const deleteEnv = (name: string | undefined, owner = OWNER) => ({
    [ENV.adminToken]: TOKEN,
    [ENV.pluginId]: ID,
    [ENV.workspace]: "",
    [ENV.serverUrl]: SERVER,
    [ENV.owner]: owner,
    ...(name === undefined ? {} : { [ENV.pluginName]: name }),
  });

  test("deletes its own plugin", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, liveRateLimiting(), JSON_HEADERS);
    kong.intercept({ path: `/plugins/${ID}`, method: "DELETE" }).reply(204, "");

    const out = await runOn(agent, ["delete"], deleteEnv("rate-limiting"));

    expect(out.code).toBe(0);
    expect(stableTimes(out.stdout)).toBe(`kong: deleted rate-limiting plugin ${ID} (default workspace) in N ms\n`);
  });

  test("leaves alone an unowned plugin of another kind at the id", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, { ...liveRateLimiting(), name: "key-auth", tags: null }, JSON_HEADERS);

    const out = await runOn(agent, ["delete"], deleteEnv("rate-limiting"));

    expect(out.code).toBe(0);
    expect(out.stdout + out.stderr).toMatchInlineSnapshot(`
      "kong: rate-limiting plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c left alone (default workspace): a "key-auth" plugin this stack did not create holds its id
      kong: warning: plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (default workspace) is a "key-auth" plugin, not a rate-limiting plugin: left alone
      "
    `);
  });

  test("leaves alone a plugin another stack owns", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, liveRateLimiting({}, { tags: ["cdktf-kong-gateway:owner=another-stack-identity"] }), JSON_HEADERS);

    const out = await runOn(agent, ["delete"], deleteEnv("rate-limiting"));

    expect(out.code).toBe(0);
    expect(out.stdout + out.stderr).toMatchInlineSnapshot(`
      "kong: rate-limiting plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c left alone (default workspace): it belongs to another stack
      kong: warning: plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (default workspace) is managed by another stack (tag cdktf-kong-gateway:owner=another-stack-identity, this stack's is cdktf-kong-gateway:owner=1c6020e1-0421-636d-94aa-ce59c890c46a): left alone
      "
    `);
  });

  test("reaps removed plugins of every kind with their names, and reads the 4-tuples of older stacks as session", async () => {
    const SECOND = "11111111-2222-4333-8444-555555555555";
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, liveRateLimiting(), JSON_HEADERS);
    kong.intercept({ path: `/plugins/${ID}`, method: "DELETE" }).reply(204, "");
    kong.intercept({ path: `/plugins/${SECOND}`, method: "GET" }).reply(200, { id: SECOND, name: "session", tags: [OWNER_TAG], config: {} }, JSON_HEADERS);
    kong.intercept({ path: `/plugins/${SECOND}`, method: "DELETE" }).reply(204, "");

    const out = await runOn(agent, ["reap"], {
      [ENV.adminToken]: TOKEN,
      [ENV.serverUrl]: SERVER,
      [`${ENV.reapPrevious}_0`]: JSON.stringify([
        ["stack/limits", ID, "", OWNER, "rate-limiting"],
        ["stack/session", SECOND, "", OWNER],
      ]),
      [`${ENV.reapCurrent}_0`]: JSON.stringify([]),
    });

    expect(out.stderr).toBe("");
    expect(out.code).toBe(0);
    expect(stableTimes(out.stdout).split("\n").sort()).toEqual(
      ["", `kong: deleted rate-limiting plugin ${ID} (default workspace) in N ms`, `kong: deleted session plugin ${SECOND} (default workspace) in N ms`].sort(),
    );
  });
});
