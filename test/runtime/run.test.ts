import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { MockAgent } from "undici";
import { ENV } from "../../src/runtime/contract.js";
import {
  ID,
  JSON_HEADERS,
  LIVE_SECRET,
  OTHER_ID,
  OWNER,
  OWNER_TAG,
  ROUTE_ID,
  SECRET,
  SERVER,
  TOKEN,
  applyEnv,
  jsonBody,
  livePlugin,
  mockKong,
  runOn,
  stableTimes,
} from "./helpers.js";

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

describe("apply", () => {
  test("creates the plugin when there is none, unprefixed without a workspace", async () => {
    let sent: Record<string, unknown> = {};
    kong.intercept({ path: `/plugins/${ID}`, method: "GET", headers: { "kong-admin-token": TOKEN } }).reply(...NOT_FOUND);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT", headers: { "kong-admin-token": TOKEN } }).reply((options) => {
      sent = jsonBody(options);
      return { statusCode: 200, data: livePlugin({}, { cookie_name: "sid" }), responseOptions: JSON_HEADERS };
    });

    const out = await runOn(agent, ["apply"], applyEnv({ config: { cookie_name: "sid" } }));

    expect(out.code).toBe(0);
    expect(sent).toEqual({ name: "session", config: { cookie_name: "sid" }, tags: [OWNER_TAG] });
    expect(stableTimes(out.stdout)).toBe(`kong: created session plugin ${ID} (default workspace) in N ms\n`);
    expect(out.stderr).toBe("");
  });

  test("updates in a workspace, carrying over the live secret and created_at", async () => {
    let sent: Record<string, unknown> = {};
    kong.intercept({ path: `/team-payments/plugins/${ID}`, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    kong.intercept({ path: `/team-payments/plugins/${ID}`, method: "PUT" }).reply((options) => {
      sent = jsonBody(options);
      const stored = livePlugin({ updated_at: 1700009999 }, { cookie_name: "sid", rolling_timeout: 7200 });
      return { statusCode: 200, data: stored, responseOptions: JSON_HEADERS };
    });

    const out = await runOn(
      agent,
      ["apply"],
      applyEnv({ config: { cookie_name: "sid", rolling_timeout: 7200 } }, { workspace: "team-payments" }),
    );

    expect(out.code).toBe(0);
    expect(sent).toEqual({
      name: "session",
      created_at: 1700000000,
      config: { cookie_name: "sid", rolling_timeout: 7200, secret: LIVE_SECRET },
      tags: [OWNER_TAG],
    });
    expect(stableTimes(out.stdout)).toBe(
      `kong: updated session plugin ${ID} in workspace team-payments (cookie_name, rolling_timeout) in N ms\n`,
    );
  });

  test("keeps the user's secret and does not carry over the live one", async () => {
    let sent: Record<string, unknown> = {};
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply((options) => {
      sent = jsonBody(options);
      return { statusCode: 200, data: livePlugin({}, { secret: SECRET }), responseOptions: JSON_HEADERS };
    });

    const out = await runOn(agent, ["apply"], applyEnv({ config: { secret: SECRET } }));

    expect(out.code).toBe(0);
    expect((sent.config as Record<string, unknown>).secret).toBe(SECRET);
    expect(sent.created_at).toBe(1700000000);
    expect(stableTimes(out.stdout)).toBe(`kong: updated session plugin ${ID} (default workspace; secret) in N ms\n`);
  });

  test("keeps a created_at the payload sets", async () => {
    let sent: Record<string, unknown> = {};
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply((options) => {
      sent = jsonBody(options);
      return { statusCode: 200, data: livePlugin({ created_at: 1600000000 }), responseOptions: JSON_HEADERS };
    });

    const out = await runOn(agent, ["apply"], applyEnv({ created_at: 1600000000 }));

    expect(out.code).toBe(0);
    expect(sent.created_at).toBe(1600000000);
  });

  test("says unchanged when Kong stores what it had (timestamps aside)", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply(200, livePlugin({ updated_at: 1800000000 }), JSON_HEADERS);

    const out = await runOn(agent, ["apply"], applyEnv({}));

    expect(stableTimes(out.stdout)).toBe(`kong: session plugin ${ID} unchanged (default workspace) in N ms\n`);
  });

  test("resolves references from KONG_CDKTF_REF_<n>", async () => {
    let sent: Record<string, unknown> = {};
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(...NOT_FOUND);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply((options) => {
      sent = jsonBody(options);
      return { statusCode: 200, data: livePlugin(), responseOptions: JSON_HEADERS };
    });
    const env = applyEnv(
      {
        route: { id: { $ref: "0", as: "string" } },
        config: { secret: { $ref: "1", as: "string" }, rolling_timeout: { $ref: "2", as: "json" }, logout_methods: { $ref: "3", as: "json" } },
      },
      { extra: { [`${ENV.refPrefix}0`]: ROUTE_ID, [`${ENV.refPrefix}1`]: SECRET, [`${ENV.refPrefix}2`]: "7200", [`${ENV.refPrefix}3`]: '["POST"]' } },
    );

    const out = await runOn(agent, ["apply"], env);

    expect(out.code).toBe(0);
    expect(sent).toEqual({
      name: "session",
      route: { id: ROUTE_ID },
      config: { secret: SECRET, rolling_timeout: 7200, logout_methods: ["POST"] },
      tags: [OWNER_TAG],
    });
  });

  test("fails when a non-session plugin holds the id, without writing", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, livePlugin({ name: "cors" }), JSON_HEADERS);

    const out = await runOn(agent, ["apply"], applyEnv({}));

    expect(out.code).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_OWNERSHIP_CONFLICT: plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (default workspace) is a "cors" plugin this stack did not create, not a session plugin: refusing to overwrite it (give the construct another id, or delete that plugin)
      "
    `);
  });

  test("fails when the resolved configuration is invalid, before any request", async () => {
    const env = applyEnv(
      { config: { cookie_same_site: { $ref: "0", as: "string" }, idling_timeout: { $ref: "1", as: "json" } } },
      { extra: { [`${ENV.refPrefix}0`]: "lax", [`${ENV.refPrefix}1`]: '"900"' } },
    );

    const out = await runOn(agent, ["apply"], env);

    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^kong: error KONG_CDKTF_INVALID_CONFIG: /);
    expect(out.stderr).toContain("config.cookieSameSite (Kong: config.cookie_same_site)");
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_CDKTF_INVALID_CONFIG: invalid session plugin at "app/stack/session", 2 problems:
        - config.cookieSameSite (Kong: config.cookie_same_site): expected one of: Strict, Lax, None, Default, got "lax" (did you mean "Lax"?)
        - config.idlingTimeout (Kong: config.idling_timeout): expected a number, got "900"
      "
    `);
  });

  test("fails when a reference has no value", async () => {
    const out = await runOn(agent, ["apply"], applyEnv({ config: { secret: { $ref: "0", as: "string" } } }));

    expect(out.code).toBe(1);
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_INVALID_REQUEST: the value of the reference at config.secret is missing: KONG_CDKTF_REF_0 is not set
      "
    `);
  });

  test("fails when a json reference is not JSON, without echoing it", async () => {
    const env = applyEnv({ config: { rolling_timeout: { $ref: "0", as: "json" } } }, { extra: { [`${ENV.refPrefix}0`]: "72OO" } });

    const out = await runOn(agent, ["apply"], env);

    expect(out.stderr).not.toContain("72OO");
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_INVALID_REQUEST: invalid KONG_CDKTF_REF_0 (the reference at config.rolling_timeout): not valid JSON
      "
    `);
  });

  test("fails when the request has another version", async () => {
    const env = { [ENV.request]: JSON.stringify({ version: 1, pluginId: ID, serverUrl: SERVER, payload: { name: "session" } }) };

    const out = await runOn(agent, ["apply"], env);

    expect(out.code).toBe(1);
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_INVALID_REQUEST: invalid KONG_CDKTF_REQUEST: request version 1, but this program reads version 2: synthesize the stack again with the installed cdktf-kong-gateway
      "
    `);
  });

  test("fails when Kong rejects the plugin, exiting non-zero", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(...NOT_FOUND);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply(
      400,
      {
        code: 4,
        name: "foreign key violation",
        message: `the foreign key '{id="${ROUTE_ID}"}' does not reference an existing 'routes' entity.`,
      },
      JSON_HEADERS,
    );

    const out = await runOn(agent, ["apply"], applyEnv({ route: { id: ROUTE_ID } }));

    expect(out.code).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_FOREIGN_KEY_VIOLATION: route 3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c does not exist in the default workspace (PUT /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c): create the route first, or fix the route id of the plugin
      "
    `);
  });

  test("prints retries on stderr", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(...NOT_FOUND);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply(503, "", JSON_HEADERS);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply(200, livePlugin(), JSON_HEADERS);

    const out = await runOn(agent, ["apply"], applyEnv({}, { connection: { maxRetries: 1 } }));

    expect(out.code).toBe(0);
    expect(out.stderr).toBe(`kong: retrying PUT /plugins/${ID} after 503 (attempt 2 of 2, waiting 100 ms)\n`);
  });
});

describe("delete", () => {
  const deleteEnv = (workspace = "") => ({
    [ENV.adminToken]: TOKEN,
    [ENV.pluginId]: ID,
    [ENV.workspace]: workspace,
    [ENV.serverUrl]: SERVER,
  });

  test("deletes the plugin (204)", async () => {
    kong.intercept({ path: `/team-payments/plugins/${ID}`, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    kong.intercept({ path: `/team-payments/plugins/${ID}`, method: "DELETE", headers: { "kong-admin-token": TOKEN } }).reply(204, "");

    const out = await runOn(agent, ["delete"], deleteEnv("team-payments"));

    expect(out.code).toBe(0);
    expect(stableTimes(out.stdout)).toBe(`kong: deleted session plugin ${ID} in workspace team-payments in N ms\n`);
  });

  test("is done when the plugin is already absent", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(...NOT_FOUND);

    const out = await runOn(agent, ["delete"], deleteEnv());

    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`kong: session plugin ${ID} already absent (default workspace)\n`);
  });

  test("is done when DELETE answers 404", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    kong.intercept({ path: `/plugins/${ID}`, method: "DELETE" }).reply(...NOT_FOUND);

    const out = await runOn(agent, ["delete"], deleteEnv());

    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`kong: session plugin ${ID} already absent (default workspace)\n`);
  });

  test("leaves alone a non-session plugin that holds the id", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, livePlugin({ name: "cors" }), JSON_HEADERS);

    const out = await runOn(agent, ["delete"], deleteEnv());

    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`kong: session plugin ${ID} left alone (default workspace): a "cors" plugin this stack did not create holds its id\n`);
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: warning: plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (default workspace) is a "cors" plugin, not a session plugin: left alone
      "
    `);
  });

  test("fails when the plugin id is missing", async () => {
    const out = await runOn(agent, ["delete"], { [ENV.serverUrl]: SERVER });

    expect(out.code).toBe(1);
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_INVALID_REQUEST: missing environment variable KONG_CDKTF_PLUGIN_ID: the synthesized stack sets it for this program
      "
    `);
  });

  test("fails when Kong answers 500, exiting non-zero", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    kong.intercept({ path: `/plugins/${ID}`, method: "DELETE" }).reply(500, { message: "An unexpected error occurred" }, JSON_HEADERS);

    const out = await runOn(agent, ["delete"], deleteEnv());

    expect(out.code).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_HTTP_ERROR: kong answered 500 to DELETE /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c: An unexpected error occurred
      "
    `);
  });
});

describe("reap", () => {
  const THIRD_ID = "11111111-2222-4333-8444-555555555555";
  const OTHER_SERVER = "https://kong-eu.test:8444";

  /** A reaper of 0.1 left `previous` in the state; `current` are the ids the code declares now, with their workspace. */
  const reapEnv = (previous: Array<{ id: string; workspace: string; serverUrl: string }>, current: string[]) => ({
    [ENV.adminToken]: TOKEN,
    [ENV.reapPrevious]: JSON.stringify(previous),
    [`${ENV.reapCurrent}_0`]: JSON.stringify(
      current.map((id) => [`stack/${id}`, id, previous.find((entry) => entry.id === id)?.workspace ?? ""]),
    ),
  });

  test("deletes only the plugins removed from the code, each at its own server and workspace", async () => {
    kong.intercept({ path: `/ws-a/plugins/${OTHER_ID}`, method: "GET" }).reply(200, livePlugin({ id: OTHER_ID }), JSON_HEADERS);
    kong.intercept({ path: `/ws-a/plugins/${OTHER_ID}`, method: "DELETE" }).reply(204, "");
    const eu = agent.get(OTHER_SERVER);
    eu.intercept({ path: `/plugins/${THIRD_ID}`, method: "GET" }).reply(...NOT_FOUND);

    const out = await runOn(
      agent,
      ["reap"],
      reapEnv(
        [
          { id: ID, workspace: "ws-a", serverUrl: SERVER },
          { id: OTHER_ID, workspace: "ws-a", serverUrl: SERVER },
          { id: THIRD_ID, workspace: "", serverUrl: OTHER_SERVER },
        ],
        [ID],
      ),
    );

    expect(out.code).toBe(0);
    expect(stableTimes(out.stdout)).toBe(
      [
        `kong: deleted session plugin ${OTHER_ID} in workspace ws-a in N ms`,
        `kong: session plugin ${THIRD_ID} already absent (default workspace)`,
        "",
      ].join("\n"),
    );
  });

  test("does nothing when nothing was removed", async () => {
    const out = await runOn(agent, ["reap"], reapEnv([{ id: ID, workspace: "", serverUrl: SERVER }], [ID]));

    expect(out.code).toBe(0);
    expect(out.stdout).toBe("kong: no removed plugins to delete\n");
  });

  test("fails when one deletion fails, after trying the others", async () => {
    kong.intercept({ path: `/plugins/${OTHER_ID}`, method: "GET" }).reply(403, { message: "you do not have permissions to read this resource" }, JSON_HEADERS);
    kong.intercept({ path: `/plugins/${THIRD_ID}`, method: "GET" }).reply(200, livePlugin({ id: THIRD_ID }), JSON_HEADERS);
    kong.intercept({ path: `/plugins/${THIRD_ID}`, method: "DELETE" }).reply(204, "");

    const out = await runOn(
      agent,
      ["reap"],
      reapEnv(
        [
          { id: OTHER_ID, workspace: "", serverUrl: SERVER },
          { id: THIRD_ID, workspace: "", serverUrl: SERVER },
        ],
        [],
      ),
    );

    expect(out.code).toBe(1);
    expect(stableTimes(out.stdout)).toBe(`kong: deleted session plugin ${THIRD_ID} (default workspace) in N ms\n`);
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_FORBIDDEN: the admin token is not allowed to GET /plugins/0d9e8f7a-1b2c-4d3e-8f4a-5b6c7d8e9f01 (403: you do not have permissions to read this resource): check KONG_ADMIN_TOKEN and the RBAC role of its admin in the default workspace
      "
    `);
  });

  test("fails when an entry is malformed", async () => {
    const out = await runOn(agent, ["reap"], reapEnv([{ id: "not-a-uuid", workspace: "", serverUrl: SERVER }], []));

    expect(out.code).toBe(1);
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_INVALID_REQUEST: invalid KONG_CDKTF_REAP_PREVIOUS: item 0: the plugin id must be a UUID, got "not-a-uuid"
      "
    `);
  });
});

describe("the command line", () => {
  test("fails with exit code 2 on an unknown action", async () => {
    const out = await runOn(agent, ["destroy"], {});

    expect(out.code).toBe(2);
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_INVALID_REQUEST: usage: node kong-session.cjs <apply|delete|reap|sync|teardown>, got ["destroy"]
      "
    `);
  });

  test("fails when the connection options are malformed", async () => {
    const out = await runOn(agent, ["apply"], applyEnv({}, { connection: { requestTimeoutMs: -1 } }));

    expect(out.code).toBe(1);
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_INVALID_REQUEST: invalid KONG_CDKTF_CONNECTION: requestTimeoutMs must be a positive number of milliseconds, got -1
      "
    `);
  });

  test("prints redacted requests and answers with KONG_CDKTF_DEBUG=1", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply(200, livePlugin(), JSON_HEADERS);

    const out = await runOn(agent, ["apply"], { ...applyEnv({}), KONG_CDKTF_DEBUG: "1" });

    expect(out.code).toBe(0);
    expect(out.stderr).toContain(`kong: debug: GET ${SERVER}/plugins/${ID}\n`);
    expect(out.stderr).toContain(
      `kong: debug: PUT ${SERVER}/plugins/${ID} {"name":"session","tags":["${OWNER_TAG}"],"config":{"secret":"<redacted>"},"created_at":1700000000}`,
    );
    expect(out.stderr).not.toContain(LIVE_SECRET);
  });
});
