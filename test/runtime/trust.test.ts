/**
 * The apply-time program's side of the trust round: it never overwrites or deletes a plugin another
 * stack owns, trusts only Kong's own answers (its JSON 404, the id it was asked for), writes nothing
 * when Kong already holds the plugin, reads every identity field from a reference, retries until
 * the deadline (one per plugin of a reap), removes plugins from lists of any size, reads credential
 * headers from the environment, and never prints a secret, however long or short.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { MockAgent } from "undici";
import { ENV, REQUEST_VERSION } from "../../src/runtime/contract.js";
import { Redactor } from "../../src/runtime/log.js";
import {
  ID,
  JSON_HEADERS,
  LIVE_SECRET,
  OTHER_ID,
  OWNER,
  OWNER_TAG,
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

const path = `/plugins/${ID}`;
const NOT_FOUND = [404, { message: "Not found" }, JSON_HEADERS] as const;
const FOREIGN_OWNER = "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const FOREIGN_TAG = `cdktf-kong-gateway:owner=${FOREIGN_OWNER}`;
/** A delete's environment; `null`: as a stack of 0.1 writes it, without an owner token. */
const deleteEnv = (owner: string | null = OWNER) => ({
  [ENV.adminToken]: TOKEN,
  [ENV.pluginId]: ID,
  [ENV.serverUrl]: SERVER,
  ...(owner === null ? {} : { [ENV.owner]: owner }),
});

describe("ownership", () => {
  test("fails when another stack owns the plugin, without writing", async () => {
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin({ tags: ["team", FOREIGN_TAG] }), JSON_HEADERS);

    const out = await runOn(agent, ["apply"], applyEnv({ config: { cookie_name: "sid" } }));

    expect(out.code).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toMatchInlineSnapshot(`
      "kong: error KONG_OWNERSHIP_CONFLICT: plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (default workspace) is managed by another stack (tag cdktf-kong-gateway:owner=9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d; this stack's is cdktf-kong-gateway:owner=1c6020e1-0421-636d-94aa-ce59c890c46a): refusing to overwrite it. Two apps whose stacks and constructs have the same names ("app/stack/session") derive the same plugin id: set idNamespace on this app's KongGatewayProvider. To take the plugin over on purpose, set the construct's id prop to the plugin's id
      "
    `);
  });

  test("takes a plugin over when the construct names its id (adoption), and says so", async () => {
    let sent: Record<string, unknown> = {};
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin({ tags: ["team", FOREIGN_TAG] }), JSON_HEADERS);
    kong.intercept({ path, method: "PUT" }).reply((options) => {
      sent = jsonBody(options);
      return { statusCode: 200, data: livePlugin({ tags: sent.tags }), responseOptions: JSON_HEADERS };
    });

    const out = await runOn(agent, ["apply"], applyEnv({ tags: ["team"] }, { adopt: true }));

    expect(out.code).toBe(0);
    expect(sent.tags).toEqual(["team", OWNER_TAG]);
    expect(out.stderr).toContain(`kong: warning: adopting plugin ${ID} (default workspace): it was managed by another stack (tag ${FOREIGN_TAG})`);
  });

  test("writes its owner tag after the user's tags, and takes over a plugin without any (written by 0.1)", async () => {
    let sent: Record<string, unknown> = {};
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin({ tags: ["team"] }), JSON_HEADERS);
    kong.intercept({ path, method: "PUT" }).reply((options) => {
      sent = jsonBody(options);
      return { statusCode: 200, data: livePlugin({ tags: sent.tags }), responseOptions: JSON_HEADERS };
    });

    const out = await runOn(agent, ["apply"], applyEnv({ tags: ["team", "blue"] }));

    expect(out.code).toBe(0);
    expect(sent.tags).toEqual(["team", "blue", OWNER_TAG]);
    expect(stableTimes(out.stdout)).toBe(`kong: updated session plugin ${ID} (default workspace; tags) in N ms\n`);
    expect(out.stderr).toBe("");
  });

  test("leaves alone, on delete, a plugin another stack owns", async () => {
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin({ tags: [FOREIGN_TAG] }), JSON_HEADERS);

    const out = await runOn(agent, ["delete"], deleteEnv());

    expect(out.code).toBe(0);
    expect(out.stdout).toBe(`kong: session plugin ${ID} left alone (default workspace): it belongs to another stack\n`);
    expect(out.stderr).toContain(`is managed by another stack (tag ${FOREIGN_TAG}, this stack's is ${OWNER_TAG}): left alone`);
  });

  test.each([
    ["its own tag", [OWNER_TAG], OWNER],
    ["no tag (a plugin of 0.1)", null, OWNER],
    ["no tag, deleted by a stack of 0.1 (no owner token)", ["team"], null],
  ])("deletes a plugin with %s", async (_name, tags, owner) => {
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin({ tags }), JSON_HEADERS);
    kong.intercept({ path, method: "DELETE" }).reply(204, "");

    const out = await runOn(agent, ["delete"], deleteEnv(owner));

    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^kong: deleted session plugin /);
  });

  test("leaves alone, on delete by a stack of 0.1 (no owner token), a plugin some stack has tagged", async () => {
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin({ tags: [OWNER_TAG] }), JSON_HEADERS);

    const out = await runOn(agent, ["delete"], deleteEnv(null));

    expect(out.code).toBe(0);
    expect(out.stdout).toContain("left alone");
  });
});

describe("Kong's own answers only", () => {
  test.each([
    ["text/plain", "404 page not found", { "content-type": "text/plain; charset=utf-8" }],
    ["an empty body", "", {}],
    ["JSON of another API", JSON.stringify({ error: "not_found" }), { "content-type": "application/json" }],
  ])("fails when a delete gets a 404 with %s, never saying the plugin is absent", async (_kind, body, headers) => {
    kong.intercept({ path, method: "GET" }).reply(404, body, { headers });

    const out = await runOn(agent, ["delete"], deleteEnv());

    expect(out.code).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toMatch(/^kong: error KONG_INVALID_RESPONSE: invalid answer to GET \/plugins\/\S+ \(404\): a 404 with .+, where Kong answers \{"message":"Not found"\}/);
  });

  test("fails when a reap gets a proxy's text 404, and keeps the plugin in its list", async () => {
    kong.intercept({ path, method: "GET" }).reply(404, "404 page not found", { headers: { "content-type": "text/plain" } });

    const out = await runOn(agent, ["reap"], {
      [ENV.adminToken]: TOKEN,
      [ENV.serverUrl]: SERVER,
      [`${ENV.reapPrevious}_0`]: JSON.stringify([["app/stack/gone", ID, "", OWNER]]),
      [`${ENV.reapCurrent}_0`]: "[]",
    });

    expect(out.code).toBe(1);
    expect(out.stderr).toContain("KONG_INVALID_RESPONSE");
    expect(out.stdout).not.toContain("already absent");
  });

  test("fails when the GET answers with another plugin, carrying nothing of it over", async () => {
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin({ id: OTHER_ID }), JSON_HEADERS);

    const out = await runOn(agent, ["apply"], applyEnv({}));

    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      `kong: error KONG_INVALID_RESPONSE: invalid answer to GET ${SERVER}${path}: Kong returned plugin ${OTHER_ID} instead of plugin ${ID}\n`,
    );
    expect(out.stderr).not.toContain(LIVE_SECRET);
  });

  test("writes nothing when Kong already holds the desired plugin", async () => {
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin({ tags: [OWNER_TAG] }, { cookie_name: "sid" }), JSON_HEADERS);

    const out = await runOn(agent, ["apply"], applyEnv({ config: { cookie_name: "sid" } }));

    expect(out.code).toBe(0);
    expect(stableTimes(out.stdout)).toBe(`kong: session plugin ${ID} unchanged (default workspace) in N ms\n`);
  });

  test("writes nothing when Kong holds a record's unset parts as null", async () => {
    const ordering = { before: { access: ["key-auth"] }, after: { access: null } };
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin({ tags: [OWNER_TAG], ordering }), JSON_HEADERS);

    const out = await runOn(agent, ["apply"], applyEnv({ ordering: { before: { access: ["key-auth"] } } }));

    expect(out.code).toBe(0);
    expect(out.stdout).toContain("unchanged");
  });

  test("writes when a field left unset holds something else than Kong's default", async () => {
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin({ tags: [OWNER_TAG] }, { cookie_name: "sid", cookie_path: "/old" }), JSON_HEADERS);
    kong.intercept({ path, method: "PUT" }).reply(200, livePlugin({ tags: [OWNER_TAG] }, { cookie_name: "sid" }), JSON_HEADERS);

    const out = await runOn(agent, ["apply"], applyEnv({ config: { cookie_name: "sid" } }));

    expect(out.code).toBe(0);
    expect(out.stdout).toContain("updated session plugin");
  });

  test("keeps an empty list a value: [] is written over the default", async () => {
    let sent: Record<string, unknown> = {};
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin({ tags: [OWNER_TAG] }, { logout_methods: ["POST", "DELETE"] }), JSON_HEADERS);
    kong.intercept({ path, method: "PUT" }).reply((options) => {
      sent = jsonBody(options);
      return { statusCode: 200, data: livePlugin({ tags: [OWNER_TAG] }, { logout_methods: [] }), responseOptions: JSON_HEADERS };
    });

    const out = await runOn(agent, ["apply"], applyEnv({ config: { logout_methods: [] } }));

    expect(out.code).toBe(0);
    expect((sent.config as Record<string, unknown>).logout_methods).toEqual([]);
  });
});

describe("identity fields from references", () => {
  test("reads the plugin id, workspace, server URL and owner from KONG_CDKTF_REF_<n>", async () => {
    kong.intercept({ path: `/team-payments${path}`, method: "GET" }).reply(...NOT_FOUND);
    kong.intercept({ path: `/team-payments${path}`, method: "PUT" }).reply(200, livePlugin(), JSON_HEADERS);
    const request = {
      version: REQUEST_VERSION,
      pluginId: { $ref: "0", as: "string" },
      workspace: { $ref: "1", as: "string" },
      serverUrl: { $ref: "2", as: "string" },
      owner: { $ref: "3", as: "string" },
      payload: { name: "session" },
    };

    const out = await runOn(agent, ["apply"], {
      [ENV.adminToken]: TOKEN,
      [ENV.request]: JSON.stringify(request),
      [`${ENV.refPrefix}0`]: ID,
      [`${ENV.refPrefix}1`]: "team-payments",
      [`${ENV.refPrefix}2`]: `${SERVER}/`,
      [`${ENV.refPrefix}3`]: OWNER,
    });

    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`created session plugin ${ID} in workspace team-payments`);
  });

  test("fails with the reference's name when an identity field's value is missing", async () => {
    const request = { version: REQUEST_VERSION, pluginId: ID, serverUrl: { $ref: "0", as: "string" }, owner: OWNER, payload: { name: "session" } };

    const out = await runOn(agent, ["apply"], { [ENV.request]: JSON.stringify(request) });

    expect(out.code).toBe(1);
    expect(out.stderr).toBe("kong: error KONG_INVALID_REQUEST: the value of the reference at serverUrl is missing: KONG_CDKTF_REF_0 is not set\n");
  });
});

describe("retries", () => {
  test("retries past five failures while the deadline allows", async () => {
    kong.intercept({ path, method: "GET" }).reply(503, { message: "busy" }, JSON_HEADERS).times(8);
    kong.intercept({ path, method: "GET" }).reply(...NOT_FOUND);
    kong.intercept({ path, method: "PUT" }).reply(200, livePlugin(), JSON_HEADERS);

    const out = await runOn(agent, ["apply"], applyEnv({}, { connection: { deadlineMs: 60_000 } }));

    expect(out.code).toBe(0);
    expect(out.stderr.match(/retrying GET/g)).toHaveLength(8);
    expect(out.stderr).toMatch(/\(attempt 9, waiting \d+ ms, \d+ s left before the deadline\)/);
  }, 60_000);

  test("gives each plugin of a reap its own deadline", async () => {
    const ids = ["11111111-2222-4333-8444-555555555551", "11111111-2222-4333-8444-555555555552", "11111111-2222-4333-8444-555555555553"];
    for (const id of ids) {
      // each plugin needs about 1.5 s of retries: together more than one deadline of 2 s
      kong.intercept({ path: `/plugins/${id}`, method: "GET" }).reply(503, { message: "busy" }, JSON_HEADERS).times(3);
      kong.intercept({ path: `/plugins/${id}`, method: "GET" }).reply(200, livePlugin({ id, tags: [OWNER_TAG] }), JSON_HEADERS);
      kong.intercept({ path: `/plugins/${id}`, method: "DELETE" }).reply(204, "");
    }

    const out = await runOn(agent, ["reap"], {
      [ENV.adminToken]: TOKEN,
      [ENV.serverUrl]: SERVER,
      [ENV.connection]: JSON.stringify({ deadlineMs: 2000 }),
      [`${ENV.reapPrevious}_0`]: JSON.stringify(ids.map((id, i) => [`app/stack/gone${i}`, id, "", OWNER])),
      [`${ENV.reapCurrent}_0`]: "[]",
    });

    expect(out.code).toBe(0);
    expect(out.stdout.match(/kong: deleted session plugin/g)).toHaveLength(3);
  }, 30_000);
});

describe("reap lists", () => {
  test("reads chunked lists: deletes what left the code by path, keeps what moved with its id", async () => {
    const kept = "11111111-2222-4333-8444-555555555501";
    const moved = "11111111-2222-4333-8444-555555555502";
    const gone = "11111111-2222-4333-8444-555555555503";
    kong.intercept({ path: `/plugins/${gone}`, method: "GET" }).reply(200, livePlugin({ id: gone, tags: [OWNER_TAG] }), JSON_HEADERS);
    kong.intercept({ path: `/plugins/${gone}`, method: "DELETE" }).reply(204, "");

    const out = await runOn(agent, ["reap"], {
      [ENV.adminToken]: TOKEN,
      [ENV.serverUrl]: SERVER,
      [`${ENV.reapPrevious}_0`]: JSON.stringify([["s/kept", kept, "", OWNER], ["s/old-place", moved, "", OWNER]]),
      [`${ENV.reapPrevious}_3`]: JSON.stringify([["s/gone", gone, "", OWNER]]),
      [`${ENV.reapCurrent}_0`]: JSON.stringify([["s/kept", kept, ""]]),
      [`${ENV.reapCurrent}_1`]: JSON.stringify([["s/new-place", moved, ""], ["s/by-reference", null, null]]),
    });

    expect(out.code).toBe(0);
    expect(stableTimes(out.stdout)).toBe(`kong: deleted session plugin ${gone} (default workspace) in N ms\n`);
  });

  test("reads the list a reaper of 0.1 left in the state, and deletes at the current server URL", async () => {
    kong.intercept({ path: `/plugins/${OTHER_ID}`, method: "GET" }).reply(200, livePlugin({ id: OTHER_ID }), JSON_HEADERS);
    kong.intercept({ path: `/plugins/${OTHER_ID}`, method: "DELETE" }).reply(204, "");

    const out = await runOn(agent, ["reap"], {
      [ENV.adminToken]: TOKEN,
      [ENV.serverUrl]: SERVER,
      [ENV.reapPrevious]: JSON.stringify([
        { id: ID, workspace: "", serverUrl: "http://old-kong:8001" },
        { id: OTHER_ID, workspace: "", serverUrl: "http://old-kong:8001" },
      ]),
      [`${ENV.reapCurrent}_0`]: JSON.stringify([["s/session", ID, ""]]),
    });

    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(new RegExp(`^kong: deleted session plugin ${OTHER_ID}`));
  });

  test("finds the one removed plugin among 5,000 in lists cut into chunks", async () => {
    const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    const previous = Array.from({ length: 5000 }, (_, i) => [`big/plugin-${i}`, id(i), "team", OWNER]);
    const current = previous.filter((_, i) => i !== 4321).map(([p, i, ws]) => [p, i, ws]);
    const env: Record<string, string> = { [ENV.adminToken]: TOKEN, [ENV.serverUrl]: SERVER };
    for (let c = 0; c < 5; c++) {
      env[`${ENV.reapPrevious}_${c}`] = JSON.stringify(previous.slice(c * 1000, (c + 1) * 1000));
      env[`${ENV.reapCurrent}_${c}`] = JSON.stringify(current.slice(c * 1000, (c + 1) * 1000));
    }
    for (const value of Object.values(env)) expect(Buffer.byteLength(value)).toBeLessThan(128 * 1024);
    kong.intercept({ path: `/team/plugins/${id(4321)}`, method: "GET" }).reply(200, livePlugin({ id: id(4321), tags: [OWNER_TAG] }), JSON_HEADERS);
    kong.intercept({ path: `/team/plugins/${id(4321)}`, method: "DELETE" }).reply(204, "");

    const out = await runOn(agent, ["reap"], env);

    expect(out.code).toBe(0);
    expect(stableTimes(out.stdout)).toBe(`kong: deleted session plugin ${id(4321)} in workspace team in N ms\n`);
  });

  test("deletes the plugin of a construct whose workspace changed, and keeps one whose id or workspace is a reference", async () => {
    kong.intercept({ path: `/old-ws/plugins/${ID}`, method: "GET" }).reply(200, livePlugin({ tags: [OWNER_TAG] }), JSON_HEADERS);
    kong.intercept({ path: `/old-ws/plugins/${ID}`, method: "DELETE" }).reply(204, "");

    const out = await runOn(agent, ["reap"], {
      [ENV.adminToken]: TOKEN,
      [ENV.serverUrl]: SERVER,
      [`${ENV.reapPrevious}_0`]: JSON.stringify([["s/moved", ID, "old-ws", OWNER], ["s/referenced", OTHER_ID, "ws", OWNER]]),
      [`${ENV.reapCurrent}_0`]: JSON.stringify([["s/moved", ID, "new-ws"], ["s/referenced", OTHER_ID, null]]),
    });

    expect(out.code).toBe(0);
    expect(stableTimes(out.stdout)).toBe(`kong: deleted session plugin ${ID} in workspace old-ws in N ms\n`);
  });

  test("leaves alone a removed plugin that another stack owns", async () => {
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin({ tags: [FOREIGN_TAG] }), JSON_HEADERS);

    const out = await runOn(agent, ["reap"], {
      [ENV.adminToken]: TOKEN,
      [ENV.serverUrl]: SERVER,
      [`${ENV.reapPrevious}_0`]: JSON.stringify([["s/gone", ID, "", OWNER]]),
    });

    expect(out.code).toBe(0);
    expect(out.stdout).toContain("left alone");
  });
});

describe("headers", () => {
  test("reads credential headers from the environment at apply, sends the token in the configured header, prints neither", async () => {
    const apiKey = "gw-api-key-0123456789abcdef";
    kong
      .intercept({ path, method: "GET", headers: { "x-api-key": apiKey, "x-rbac-token": TOKEN } })
      .reply(400, { message: `bad request from ${apiKey} with ${TOKEN}` }, JSON_HEADERS);

    const out = await runOn(agent, ["apply"], {
      ...applyEnv({}, { connection: { headersFromEnv: { "X-API-Key": "GATEWAY_API_KEY" }, adminTokenHeader: "X-Rbac-Token" } }),
      GATEWAY_API_KEY: apiKey,
    });

    expect(out.code).toBe(1);
    expect(out.stderr).toContain("bad request from <redacted> with <redacted>");
    expect(out.stderr).not.toContain(apiKey);
  });

  test("fails, naming the variable, when a header's environment variable is not set", async () => {
    const out = await runOn(agent, ["apply"], applyEnv({}, { connection: { headersFromEnv: { "X-API-Key": "GATEWAY_API_KEY" } } }));

    expect(out.code).toBe(1);
    expect(out.stderr).toBe(
      "kong: error KONG_INVALID_REQUEST: the header X-API-Key is read from the environment variable GATEWAY_API_KEY, which is not set where Terraform runs: set it, or remove the header from headersFromEnv\n",
    );
  });

  test("warns about skipped certificate checks only for https, naming the prop", async () => {
    kong.intercept({ path, method: "GET" }).reply(...NOT_FOUND);
    kong.intercept({ path, method: "PUT" }).reply(200, livePlugin(), JSON_HEADERS);

    const out = await runOn(agent, ["apply"], applyEnv({}, { connection: { insecureSkipTlsVerify: true } }));

    expect(out.code).toBe(0);
    expect(out.stderr).toBe("");
  });
});

describe("redaction", () => {
  test("redacts thousands of long secrets without a pattern, and never throws", () => {
    const redactor = new Redactor();
    const secrets = Array.from({ length: 300 }, (_, i) => `${"密".repeat(3700)}${i}`);
    for (const secret of secrets) redactor.add(secret);
    redactor.add("x".repeat(40_000));
    const text = `a ${secrets[17]} b ${"x".repeat(40_000)} c`;

    expect(redactor.redact(text)).toBe("a <redacted> b <redacted> c");
  });

  test("prints an error line whatever the secrets are", async () => {
    kong.intercept({ path, method: "GET" }).reply(...NOT_FOUND);
    kong.intercept({ path, method: "PUT" }).reply(400, { message: `rejected ${"h".repeat(40_000)}` }, JSON_HEADERS);
    const huge = "h".repeat(40_000);

    const out = await runOn(agent, ["apply"], applyEnv({ config: { secret: huge } }));

    expect(out.code).toBe(1);
    expect(out.stderr).toBe(`kong: error KONG_HTTP_ERROR: kong answered 400 to PUT ${path}: rejected <redacted>\n`);
    expect(out.stderr).not.toContain("hhhhhhhh");
  });

  test("redacts before shortening: a text answer echoing the token shows none of it", async () => {
    // the token ends at character 230 of the answer, past the 197 characters a message keeps
    const echo = `${"e".repeat(190)} ${TOKEN} tail`;
    kong.intercept({ path, method: "GET" }).reply(500, echo, { headers: { "content-type": "text/plain" } });

    const out = await runOn(agent, ["apply"], applyEnv({}));

    expect(out.code).toBe(1);
    expect(out.stderr).not.toContain(TOKEN.slice(0, 12));
    expect(out.stderr).toContain("<redacted>");
  });

  test("finds a secret whose spaces a message would collapse", async () => {
    const spaced = "two  spaces   in\tthe secret value";
    kong.intercept({ path, method: "GET" }).reply(...NOT_FOUND);
    kong.intercept({ path, method: "PUT" }).reply(500, `failed: ${spaced}`, { headers: { "content-type": "text/plain" } });

    const out = await runOn(agent, ["apply"], applyEnv({ config: { secret: spaced } }));

    expect(out.code).toBe(1);
    expect(out.stderr).not.toContain("spaces in the secret");
    expect(out.stderr).toContain("failed: <redacted>");
  });

  test("redacts a short secret only as a whole word, so it cannot be read from the gaps", () => {
    const redactor = new Redactor();
    redactor.add("e");
    redactor.add("hunter2");

    expect(redactor.redact("updated session e: hunter2, xhunter2x")).toBe("updated session <redacted>: <redacted>, xhunter2x");
  });

  test("redacts the secret in every form an answer may echo it in", () => {
    const redactor = new Redactor();
    redactor.add(`s3cr"t/é ${SECRET}`);
    const json = JSON.stringify(`s3cr"t/é ${SECRET}`).slice(1, -1);
    const ascii = json.replace("é", "\\u00e9");

    expect(redactor.redact(`${json} | ${ascii} | ${encodeURIComponent(`s3cr"t/é ${SECRET}`)}`)).toBe("<redacted> | <redacted> | <redacted>");
  });
});
