/**
 * The admin token and the session secrets (desired and live) never reach stdout, stderr or an error
 * message, on success and on every failure path, debug output included.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { MockAgent } from "undici";
import { ENV } from "../../src/runtime/contract.js";
import { KongAdminClient } from "../../src/runtime/client.js";
import { ID, JSON_HEADERS, LIVE_SECRET, ROUTE_ID, SECRET, SERVER, TOKEN, applyEnv, livePlugin, mockKong, runOn } from "./helpers.js";

let agent: MockAgent;
let kong: ReturnType<MockAgent["get"]>;

beforeEach(() => {
  ({ agent, kong } = mockKong());
});

afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

const path = `/plugins/${ID}`;
/** Kong echoing the secrets the program knows by then: the token and the desired secret of an apply. */
const echo = `token ${TOKEN} secret ${SECRET}`;
/** The same, once the program has read the live plugin. */
const echoLive = `${echo} live ${LIVE_SECRET}`;
const debug = { KONG_CDKTF_DEBUG: "1" };
/** The token as a user may set it, with a newline from `$(cat token-file)`. */
const tokenEnv = { [ENV.adminToken]: `${TOKEN}\n` };
const withSecret = (extra: Record<string, unknown> = {}) => ({ config: { secret: SECRET, ...extra } });
const getLive = () => kong.intercept({ path, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
const getAbsent = () => kong.intercept({ path, method: "GET" }).reply(404, { message: "Not found" }, JSON_HEADERS);

interface Scenario {
  readonly name: string;
  readonly argv?: readonly string[];
  readonly env: Record<string, string>;
  readonly mock: () => void;
  readonly code: number;
}

const scenarios: Scenario[] = [
  {
    name: "a create with a secret",
    env: applyEnv(withSecret()),
    mock: () => {
      getAbsent();
      kong.intercept({ path, method: "PUT" }).reply(200, livePlugin({}, { secret: SECRET }), JSON_HEADERS);
    },
    code: 0,
  },
  {
    name: "an update carrying over the live secret",
    env: applyEnv({ config: { cookie_name: "sid" } }),
    mock: () => {
      getLive();
      kong.intercept({ path, method: "PUT" }).reply(200, livePlugin({}, { cookie_name: "sid" }), JSON_HEADERS);
    },
    code: 0,
  },
  {
    name: "a secret from a reference, replacing the live one",
    env: applyEnv({ config: { secret: { $ref: "0", as: "string" } } }, { extra: { [`${ENV.refPrefix}0`]: SECRET } }),
    mock: () => {
      getLive();
      kong.intercept({ path, method: "PUT" }).reply(200, livePlugin({}, { secret: SECRET }), JSON_HEADERS);
    },
    code: 0,
  },
  {
    name: "Kong's schema violation echoing the secret",
    env: applyEnv(withSecret()),
    mock: () => {
      getLive();
      kong.intercept({ path, method: "PUT" }).reply(
        400,
        { code: 2, message: `schema violation (config.secret: ${SECRET} is weak)`, fields: { config: { secret: `value ${SECRET} is weak` } } },
        JSON_HEADERS,
      );
    },
    code: 1,
  },
  {
    name: "a 401 echoing the token",
    env: applyEnv(withSecret()),
    mock: () => kong.intercept({ path, method: "GET" }).reply(401, { message: `Invalid RBAC credentials: ${TOKEN}` }, JSON_HEADERS),
    code: 1,
  },
  {
    name: "a 403 echoing everything",
    env: applyEnv(withSecret()),
    mock: () => {
      getLive();
      kong.intercept({ path, method: "PUT" }).reply(403, { message: echoLive }, JSON_HEADERS);
    },
    code: 1,
  },
  {
    name: "a 409 echoing everything",
    env: applyEnv(withSecret({ cookie_name: "sid" }), { extra: debug }),
    mock: () => {
      getLive();
      kong.intercept({ path, method: "PUT" }).reply(409, { code: 5, message: `UNIQUE violation detected on '{route={id="${ROUTE_ID}"}}' ${echoLive}` }, JSON_HEADERS);
    },
    code: 1,
  },
  {
    name: "a foreign key violation echoing everything",
    env: applyEnv(withSecret(), { extra: debug }),
    mock: () => {
      getLive();
      const message = `the foreign key '{id="${ROUTE_ID}"}' does not reference an existing 'routes' entity. ${echoLive}`;
      kong.intercept({ path, method: "PUT" }).reply(400, { code: 4, message, fields: { route: message } }, JSON_HEADERS);
    },
    code: 1,
  },
  {
    name: "a missing workspace, Kong echoing everything",
    env: applyEnv(withSecret(), { workspace: "team-payments", extra: debug }),
    mock: () => {
      // Kong's own 404 (only that means "absent"), with the secrets in a field debug output prints
      kong.intercept({ path: `/team-payments${path}`, method: "GET" }).reply(404, { message: "Not found", detail: echo }, JSON_HEADERS);
      kong.intercept({ path: `/team-payments${path}`, method: "PUT" }).reply(404, { message: "Not found", detail: echo }, JSON_HEADERS);
      kong.intercept({ path: "/", method: "GET" }).reply(200, { version: "3.9.1", edition: "community", tagline: echo }, JSON_HEADERS);
    },
    code: 1,
  },
  {
    name: "a 429 asking to wait past the deadline, echoing everything",
    env: applyEnv(withSecret(), { connection: { deadlineMs: 5000 } }),
    mock: () => kong.intercept({ path, method: "GET" }).reply(429, { message: echo }, { headers: { "retry-after": "60" } }),
    code: 1,
  },
  {
    name: "a 500 echoing everything, in debug",
    env: applyEnv(withSecret(), { extra: debug }),
    mock: () => {
      getLive();
      kong.intercept({ path, method: "PUT" }).reply(500, { message: echoLive, config: { secret: "kong-made-secret-never-seen" } }, JSON_HEADERS);
    },
    code: 1,
  },
  {
    name: "503 retried until given up, echoing everything, in debug",
    env: applyEnv(withSecret(), { extra: debug, connection: { maxRetries: 1 } }),
    mock: () => {
      getLive();
      kong.intercept({ path, method: "PUT" }).reply(503, echoLive).times(2);
    },
    code: 1,
  },
  {
    name: "an answer that is not JSON, holding everything, in debug",
    env: applyEnv(withSecret(), { extra: debug }),
    mock: () => kong.intercept({ path, method: "GET" }).reply(200, `{ broken ${echo}`, JSON_HEADERS),
    code: 1,
  },
  {
    name: "an HTML page holding everything",
    env: applyEnv(withSecret(), { extra: debug }),
    mock: () => kong.intercept({ path, method: "GET" }).reply(200, `<html>${echo}</html>`, { headers: { "content-type": "text/html" } }),
    code: 1,
  },
  {
    name: "a connection error whose message holds everything",
    env: applyEnv(withSecret(), { connection: { maxRetries: 0 } }),
    mock: () => kong.intercept({ path, method: "GET" }).replyWithError(Object.assign(new Error(echo), { code: "ECONNRESET" })),
    code: 1,
  },
  {
    name: "a TLS error whose message holds everything",
    env: applyEnv(withSecret()),
    mock: () => kong.intercept({ path, method: "GET" }).replyWithError(Object.assign(new Error(echo), { code: "CERT_HAS_EXPIRED" })),
    code: 1,
  },
  {
    name: "a timeout",
    env: applyEnv(withSecret(), { connection: { requestTimeoutMs: 20, maxRetries: 0 } }),
    mock: () => kong.intercept({ path, method: "GET" }).reply(200, livePlugin()).delay(10_000),
    code: 1,
  },
  {
    name: "a non-session plugin at the id, holding the secret",
    env: applyEnv(withSecret(), { extra: debug }),
    mock: () => kong.intercept({ path, method: "GET" }).reply(200, livePlugin({ name: "cors" }, { secret: LIVE_SECRET }), JSON_HEADERS),
    code: 1,
  },
  {
    name: "a local validation failure where the secret lands in another field",
    env: applyEnv(withSecret({ cookie_same_site: SECRET, cookie_name: { $ref: "0", as: "json" } }), { extra: { [`${ENV.refPrefix}0`]: JSON.stringify(SECRET.length) } }),
    mock: () => undefined,
    code: 1,
  },
  {
    name: "a json reference holding the secret that does not parse",
    env: applyEnv({ config: { rolling_timeout: { $ref: "0", as: "json" } } }, { extra: { [`${ENV.refPrefix}0`]: SECRET } }),
    mock: () => undefined,
    code: 1,
  },
  {
    name: "a request that is not JSON, holding the secret",
    env: { [ENV.request]: `{"payload":{"config":{"secret":"${SECRET}"}` },
    mock: () => undefined,
    code: 1,
  },
  {
    name: "a request whose payload id echoes the secret",
    env: { [ENV.request]: JSON.stringify({ version: 1, pluginId: ID, serverUrl: SERVER, payload: { name: "session", id: SECRET, config: { secret: SECRET } } }) },
    mock: () => undefined,
    code: 1,
  },
  {
    name: "a delete failing with everything echoed, in debug",
    argv: ["delete"],
    env: { [ENV.pluginId]: ID, [ENV.serverUrl]: SERVER, ...debug },
    mock: () => {
      getLive();
      kong.intercept({ path, method: "DELETE" }).reply(500, { message: `token ${TOKEN} live ${LIVE_SECRET}` }, JSON_HEADERS);
    },
    code: 1,
  },
  {
    name: "a reap failing with everything echoed",
    argv: ["reap"],
    env: { [ENV.reapPrevious]: JSON.stringify([{ id: ID, workspace: "", serverUrl: SERVER }]), [`${ENV.reapCurrent}_0`]: "[]", ...debug },
    mock: () => kong.intercept({ path, method: "GET" }).reply(401, { message: `token ${TOKEN}` }, JSON_HEADERS),
    code: 1,
  },
];

describe("no secret is ever printed", () => {
  test.each(scenarios.map((s) => [s.name, s] as const))("%s", async (_name, scenario) => {
    scenario.mock();

    const out = await runOn(agent, scenario.argv ?? ["apply"], { ...scenario.env, ...tokenEnv });

    expect(out.code).toBe(scenario.code);
    const printed = out.stdout + out.stderr;
    expect(printed).toMatch(scenario.code === 0 ? /^kong: (created|updated|session plugin)/ : /kong: error KONG_[A-Z_]+: /);
    for (const secret of [TOKEN, SECRET, LIVE_SECRET, "kong-made-secret-never-seen"]) {
      expect(printed).not.toContain(secret);
      expect(printed).not.toContain(secret.slice(0, 24));
    }
  });

  test("the scenarios cover every error class the program prints", async () => {
    const codes = new Set<string>();
    for (const scenario of scenarios) {
      const { agent: a, kong: k } = mockKong();
      [agent, kong] = [a, k];
      scenario.mock();
      const out = await runOn(a, scenario.argv ?? ["apply"], { ...scenario.env, ...tokenEnv });
      for (const match of out.stderr.matchAll(/kong: error (KONG_[A-Z_]+)/g)) codes.add(match[1]!);
      await a.close();
    }
    ({ agent, kong } = mockKong());
    expect([...codes].sort()).toEqual([
      "KONG_CDKTF_INVALID_CONFIG",
      "KONG_CONNECTION_FAILED",
      "KONG_DEADLINE_EXCEEDED",
      "KONG_FORBIDDEN",
      "KONG_FOREIGN_KEY_VIOLATION",
      "KONG_HTTP_ERROR",
      "KONG_INVALID_REQUEST",
      "KONG_INVALID_RESPONSE",
      "KONG_OWNERSHIP_CONFLICT",
      "KONG_SCHEMA_VIOLATION",
      "KONG_TIMEOUT",
      "KONG_TLS_ERROR",
      "KONG_UNAUTHORIZED",
      "KONG_UNIQUE_VIOLATION",
      "KONG_WORKSPACE_NOT_FOUND",
    ]);
  });

  test("errors thrown by the client hold neither token nor secret in message or body", async () => {
    kong.intercept({ path, method: "PUT" }).reply(400, { code: 2, message: echo, fields: { config: { secret: echo } } }, JSON_HEADERS);
    const client = new KongAdminClient({ serverUrl: SERVER, token: TOKEN, dispatcher: agent });

    const error = (await client.putPlugin(undefined, ID, { name: "session", config: { secret: SECRET } }).catch((e: unknown) => e)) as Error & {
      body: unknown;
    };

    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error.body)).not.toContain(TOKEN);
    expect(JSON.stringify(error.body)).not.toContain(SECRET);
  });
});
