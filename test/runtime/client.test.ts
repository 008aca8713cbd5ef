import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { MockAgent } from "undici";
import { KongAdminClient, parseRetryAfter } from "../../src/runtime/client.js";
import { KongRequestError } from "../../src/runtime/errors.js";
import { ID, JSON_HEADERS, SERVER, TOKEN, clientOn, jsonBody, livePlugin, mockKong } from "./helpers.js";

let agent: MockAgent;
let kong: ReturnType<MockAgent["get"]>;

beforeEach(() => {
  ({ agent, kong } = mockKong());
});

afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

describe("paths", () => {
  test("without a workspace the paths are unprefixed and the token is sent", async () => {
    kong
      .intercept({ path: `/plugins/${ID}`, method: "GET", headers: { "kong-admin-token": TOKEN, accept: "application/json" } })
      .reply(200, livePlugin(), JSON_HEADERS);
    const { client } = clientOn(agent);

    const plugin = await client.getPlugin(undefined, ID);

    expect(plugin?.id).toBe(ID);
    expect(plugin?.name).toBe("session");
  });

  test("an empty workspace means no prefix", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(404, { message: "Not found" }, JSON_HEADERS);
    const { client } = clientOn(agent);

    await expect(client.getPlugin("", ID)).resolves.toBeUndefined();
  });

  test("a workspace prefixes the path, URL-encoded", async () => {
    kong.intercept({ path: `/team-payments/plugins/${ID}`, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    kong.intercept({ path: `/t%C3%A9am%20a%2Fb/plugins/${ID}`, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    const { client } = clientOn(agent);

    await expect(client.getPlugin("team-payments", ID)).resolves.toMatchObject({ id: ID });
    await expect(client.getPlugin("téam a/b", ID)).resolves.toMatchObject({ id: ID });
  });

  test("a path prefix of the server URL is kept", async () => {
    const { agent: a2 } = mockKong();
    a2.get("https://gw.test").intercept({ path: `/kong-admin/plugins/${ID}`, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    const client = new KongAdminClient({ serverUrl: "https://gw.test/kong-admin/", dispatcher: a2 });

    await expect(client.getPlugin(undefined, ID)).resolves.toMatchObject({ id: ID });
    a2.assertNoPendingInterceptors();
  });

  test("extra headers are sent, and no token header without a token", async () => {
    kong
      .intercept({
        path: `/plugins/${ID}`,
        method: "GET",
        headers: (headers) => headers["x-team"] === "payments" && !("kong-admin-token" in headers),
      })
      .reply(200, livePlugin(), JSON_HEADERS);
    const client = new KongAdminClient({ serverUrl: SERVER, dispatcher: agent, headers: { "X-Team": "payments" } });

    await expect(client.getPlugin(undefined, ID)).resolves.toMatchObject({ id: ID });
  });

  test("putPlugin sends the whole body as JSON", async () => {
    let sent: Record<string, unknown> = {};
    kong
      .intercept({ path: `/team-payments/plugins/${ID}`, method: "PUT", headers: { "content-type": "application/json" } })
      .reply((options) => {
        sent = jsonBody(options);
        return { statusCode: 200, data: livePlugin({}, { cookie_name: "sid" }), responseOptions: JSON_HEADERS };
      });
    const { client } = clientOn(agent);

    const stored = await client.putPlugin("team-payments", ID, { name: "session", config: { cookie_name: "sid" } });

    expect(sent).toEqual({ name: "session", config: { cookie_name: "sid" } });
    expect(stored.config?.cookie_name).toBe("sid");
  });

  test("deletePlugin is true on 204 and false on 404", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "DELETE" }).reply(204, "");
    kong.intercept({ path: `/ws/plugins/${ID}`, method: "DELETE" }).reply(404, { message: "Not found" }, JSON_HEADERS);
    const { client } = clientOn(agent);

    await expect(client.deletePlugin(undefined, ID)).resolves.toBe(true);
    await expect(client.deletePlugin("ws", ID)).resolves.toBe(false);
  });

  test("info reads GET /", async () => {
    kong.intercept({ path: "/", method: "GET" }).reply(200, { version: "3.9.1", edition: "enterprise" }, JSON_HEADERS);
    const { client } = clientOn(agent);

    await expect(client.info()).resolves.toMatchObject({ version: "3.9.1", edition: "enterprise" });
  });
});

describe("listPlugins", () => {
  test("follows offset over every page, with tags and size", async () => {
    const plugin = (n: number) => livePlugin({ id: `00000000-0000-4000-8000-00000000000${n}` });
    kong
      .intercept({ path: "/ws/plugins?size=2&tags=team%2Cpayments", method: "GET" })
      .reply(200, { data: [plugin(1), plugin(2)], offset: "b2Zmc2V0/MQ==", next: "/ws/plugins?offset=b2Zmc2V0%2FMQ%3D%3D" }, JSON_HEADERS);
    kong
      .intercept({ path: "/ws/plugins?size=2&tags=team%2Cpayments&offset=b2Zmc2V0%2FMQ%3D%3D", method: "GET" })
      .reply(200, { data: [plugin(3), plugin(4)], offset: "Mg", next: "/ws/plugins?offset=Mg" }, JSON_HEADERS);
    kong
      .intercept({ path: "/ws/plugins?size=2&tags=team%2Cpayments&offset=Mg", method: "GET" })
      .reply(200, { data: [plugin(5)], next: null }, JSON_HEADERS);
    const { client } = clientOn(agent);

    const ids: string[] = [];
    for await (const p of client.listPlugins("ws", { tags: ["team", "payments"], size: 2 })) ids.push(p.id);

    expect(ids.map((id) => id.slice(-1))).toEqual(["1", "2", "3", "4", "5"]);
  });

  test("an empty page may be an empty object (Kong's empty Lua table)", async () => {
    kong.intercept({ path: "/plugins", method: "GET" }).reply(200, { data: {}, next: null }, JSON_HEADERS);
    const { client } = clientOn(agent);

    const all = [];
    for await (const p of client.listPlugins(undefined)) all.push(p);
    expect(all).toEqual([]);
  });

  test("asks again for half the page when a page is larger than 16 MiB", async () => {
    const big = livePlugin({}, { cookie_domain: "x".repeat(200 * 1024) });
    const page = (n: number) => Array.from({ length: n }, (_, i) => ({ ...big, id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` }));
    // 100 plugins of 200 KiB: 20 MiB; 50 of them: 10 MiB
    kong.intercept({ path: "/plugins", method: "GET" }).reply(200, { data: page(100), next: null }, JSON_HEADERS);
    kong.intercept({ path: "/plugins?size=50", method: "GET" }).reply(200, { data: page(50), offset: "o", next: "/plugins?offset=o" }, JSON_HEADERS);
    kong.intercept({ path: "/plugins?size=50&offset=o", method: "GET" }).reply(200, { data: page(50).slice(0, 3), next: null }, JSON_HEADERS);
    const { client } = clientOn(agent);

    let count = 0;
    for await (const _ of client.listPlugins(undefined)) count++;
    expect(count).toBe(53);
  });

  test("fails when Kong returns the same offset twice", async () => {
    kong.intercept({ path: "/plugins", method: "GET" }).reply(200, { data: [], offset: "x" }, JSON_HEADERS);
    kong.intercept({ path: "/plugins?offset=x", method: "GET" }).reply(200, { data: [], offset: "x" }, JSON_HEADERS);
    const { client } = clientOn(agent);

    const iterate = async () => {
      for await (const _ of client.listPlugins(undefined)) void _;
    };
    const error = await iterate().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "KONG_INVALID_RESPONSE" });
    expect((error as Error).message).toMatchInlineSnapshot(`"invalid answer to GET /plugins?offset=x (200): Kong returned the same page offset twice"`);
  });

  test("lists the workspaces page by page, says when it may not, and fails on a broken page", async () => {
    kong.intercept({ path: "/workspaces?size=1000", method: "GET" }).reply(200, { data: [{ name: "default" }, { name: "a" }], offset: "p2" }, JSON_HEADERS);
    kong.intercept({ path: "/workspaces?size=1000&offset=p2", method: "GET" }).reply(200, { data: [{ name: "b" }], offset: null }, JSON_HEADERS);
    kong.intercept({ path: "/workspaces?size=1000", method: "GET" }).reply(403, { message: "forbidden" }, JSON_HEADERS);
    kong.intercept({ path: "/workspaces?size=1000", method: "GET" }).reply(200, { data: "none" }, JSON_HEADERS);
    kong.intercept({ path: "/workspaces?size=1000", method: "GET" }).reply(200, { data: [], offset: "x" }, JSON_HEADERS);
    kong.intercept({ path: "/workspaces?size=1000&offset=x", method: "GET" }).reply(200, { data: [], offset: "x" }, JSON_HEADERS);
    const { client } = clientOn(agent);

    expect(await client.workspaceNames()).toEqual(["default", "a", "b"]);
    expect(await client.workspaceNames()).toBeUndefined();
    expect(((await client.workspaceNames().catch((e: unknown) => e)) as Error).message).toMatchInlineSnapshot(
      `"invalid answer to GET /workspaces?size=1000 (200): expected a page of workspaces (no data list)"`,
    );
    expect(((await client.workspaceNames().catch((e: unknown) => e)) as Error).message).toMatchInlineSnapshot(
      `"invalid answer to GET /workspaces?size=1000&offset=x (200): Kong returned the same page offset twice"`,
    );
  });

  test("fails when the workspace does not exist", async () => {
    kong.intercept({ path: "/nope/plugins", method: "GET" }).reply(404, { message: "Not found" }, JSON_HEADERS);
    kong.intercept({ path: "/", method: "GET" }).reply(200, { version: "3.10.0.1", edition: "enterprise" }, JSON_HEADERS);
    const { client } = clientOn(agent);

    const iterate = async () => {
      for await (const _ of client.listPlugins("nope")) void _;
    };
    await expect(iterate()).rejects.toMatchObject({ code: "KONG_WORKSPACE_NOT_FOUND", workspace: "nope" });
  });
});

describe("options", () => {
  test("fails when the server URL is not http(s), without printing user info", () => {
    expect(() => new KongAdminClient({ serverUrl: "ftp://admin:hunter2@kong.test" })).toThrowErrorMatchingInlineSnapshot(`[KongRequestError: invalid server URL "ftp://kong.test": expected http(s)://host[:port]]`);
    expect(() => new KongAdminClient({ serverUrl: "kong.test:8001" })).toThrowErrorMatchingInlineSnapshot(`[KongRequestError: invalid server URL "kong.test:8001": expected http(s)://host[:port]]`);
  });

  test("fails when a number option is not positive", () => {
    expect(() => new KongAdminClient({ serverUrl: SERVER, requestTimeoutMs: 0 })).toThrow(KongRequestError);
    expect(() => new KongAdminClient({ serverUrl: SERVER, maxRetries: 1.5 })).toThrow(KongRequestError);
  });

  test("fails when a TLS file cannot be read", () => {
    expect(() => new KongAdminClient({ serverUrl: "https://kong.test:8444", caCertFile: "/nonexistent/ca.pem" }))
      .toThrowErrorMatchingInlineSnapshot(`[KongRequestError: cannot read the caCertFile file /nonexistent/ca.pem (ENOENT)]`);
    expect(() => new KongAdminClient({ serverUrl: "https://kong.test:8444", clientCertFile: "/x.pem" })).toThrowErrorMatchingInlineSnapshot(`[KongRequestError: clientCertFile and clientKeyFile go together: set both, or neither]`);
  });

  test("insecureSkipTlsVerify prints one warning", () => {
    const warnings: string[] = [];
    new KongAdminClient({ serverUrl: "https://kong.test:8444", insecureSkipTlsVerify: true, onWarning: (m) => warnings.push(m) });
    expect(warnings).toMatchInlineSnapshot(`
      [
        "certificate verification is off for https://kong.test:8444 (tls.insecureSkipVerify): use it only for tests",
      ]
    `);
  });

  test("user info in the server URL is sent as basic auth and never shown", async () => {
    kong
      .intercept({ path: "/", method: "GET", headers: { authorization: `Basic ${Buffer.from("admin:p@ss word").toString("base64")}` } })
      .reply(500, { message: "echo p@ss word" }, JSON_HEADERS);
    const client = new KongAdminClient({ serverUrl: "http://admin:p%40ss%20word@kong.test:8001", dispatcher: agent, maxRetries: 0 });

    const error = (await client.info().catch((e: unknown) => e)) as Error & { url: string };
    expect(client.serverUrl).toBe(SERVER);
    expect(error.url).toBe(`${SERVER}/`);
    expect(error.message).toMatchInlineSnapshot(`"kong answered 500 to GET /: echo <redacted>"`);
  });
});

describe("with a real HTTP server", () => {
  test("the client's own undici Agent talks HTTP", async () => {
    const server = createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(req.headers["kong-admin-token"] === TOKEN ? livePlugin() : { message: "Invalid RBAC credentials" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const client = new KongAdminClient({ serverUrl: `http://127.0.0.1:${port}`, token: TOKEN });
    try {
      await expect(client.getPlugin(undefined, ID)).resolves.toMatchObject({ id: ID });
    } finally {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("fails when nothing listens, as KONG_CONNECTION_FAILED", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const client = new KongAdminClient({ serverUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
    try {
      const error = (await client.getPlugin(undefined, ID).catch((e: unknown) => e)) as Error & { code: string };
      expect(error.code).toBe("KONG_CONNECTION_FAILED");
      expect(error.message.replace(String(port), "PORT")).toMatch(/^cannot connect to Kong at http:\/\/127\.0\.0\.1:PORT .*\(ECONNREFUSED\)/);
    } finally {
      await client.close();
    }
  });
});

test("parseRetryAfter reads seconds and HTTP dates", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  expect(parseRetryAfter("3", now)).toBe(3000);
  expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:05 GMT", now)).toBe(5000);
  expect(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
  expect(parseRetryAfter("soon", now)).toBeUndefined();
  expect(parseRetryAfter(undefined, now)).toBeUndefined();
});
