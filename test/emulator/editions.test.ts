/**
 * Community against Enterprise (workspace paths, Enterprise-only fields and protocols), fields per
 * Kong version, and RBAC.
 */
import { afterEach, describe, expect, it } from "vitest";
import { KongEmulator, type KongEmulatorOptions } from "../../src/testing/index.js";
import { call, IDS } from "./support.js";

let kong: KongEmulator | undefined;
async function start(options: KongEmulatorOptions): Promise<KongEmulator> {
  kong = await KongEmulator.start(options);
  return kong;
}
afterEach(async () => {
  await kong?.stop();
  kong = undefined;
});

describe("enterprise workspaces", () => {
  it("serves every path under /{workspace}/ and keeps workspaces apart", async () => {
    const k = await start({ workspaces: ["team-a"] });
    k.addRoute({ id: IDS.route, workspace: "team-a" });
    const inA = await call(k, "POST", "/team-a/plugins", { name: "session", route: { id: IDS.route } });
    expect(inA.status).toBe(201);
    const inDefault = await call(k, "POST", "/plugins", { name: "session" });
    expect(inDefault.status).toBe(201);
    // the route exists only in team-a
    expect((await call(k, "POST", "/default/plugins", { name: "session", route: { id: IDS.route } })).body.code).toBe(4);
    expect(k.plugins("team-a").map((p) => p.id)).toEqual([inA.body.id]);
    expect(k.plugins().map((p) => p.id)).toEqual([inDefault.body.id]);
    expect((await call(k, "GET", `/team-a/plugins/${inDefault.body.id}`)).status).toBe(404);
    expect((await call(k, "GET", `/team-a/routes/${IDS.route}/plugins`)).body.data).toHaveLength(1);
    expect(k.requests.map((r) => r.workspace)).toEqual(["team-a", undefined, "default", "team-a", "team-a"]);
  });

  it("fails when the workspace is unknown (404 Not found); added workspaces work at once", async () => {
    const k = await start({});
    expect(await call(k, "GET", "/nope/plugins")).toMatchObject({ status: 404, body: { message: "Not found" } });
    k.addWorkspace("late");
    expect((await call(k, "GET", "/late/plugins")).status).toBe(200);
    expect((await call(k, "GET", "/workspaces")).body.data.map((w: { name: string }) => w.name)).toEqual(["default", "late"]);
  });

  it("knows ws/wss, ordering and consumer_group", async () => {
    const k = await start({});
    const res = await call(k, "POST", "/plugins", { name: "session", protocols: ["wss"], ordering: { before: { access: ["acl"] } } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ protocols: ["wss"], consumer_group: null, ordering: { before: { access: ["acl"] }, after: { access: null } } });
  });
});

describe("community", () => {
  it("has no workspace paths and no Enterprise fields", async () => {
    const k = await start({ edition: "community" });
    expect((await call(k, "GET", "/default/plugins")).status).toBe(404);
    expect((await call(k, "GET", "/workspaces")).status).toBe(404);
    const created = await call(k, "POST", "/plugins", { name: "session" });
    expect(created.body).not.toHaveProperty("ordering");
    expect(created.body).not.toHaveProperty("consumer_group");
    expect((await call(k, "GET", "/")).body.edition).toBe("community");
  });

  it("fails when an Enterprise-only protocol or field is sent", async () => {
    const k = await start({ edition: "community" });
    const res = await call(k, "POST", "/plugins", { name: "session", protocols: ["ws"], ordering: null });
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "ordering": "unknown field",
          "protocols": [
            "expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp",
          ],
        },
        "message": "2 schema violations (ordering: unknown field; protocols.1: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when asked for workspaces through the API", async () => {
    await expect(KongEmulator.start({ edition: "community", workspaces: ["x"] })).rejects.toThrow("workspaces exist only in Kong Enterprise");
    const k = await start({ edition: "community" });
    expect(() => k.addWorkspace("x")).toThrow("workspaces exist only in Kong Enterprise");
  });
});

describe("fields per version", () => {
  const configKeys = async (options: KongEmulatorOptions) => {
    const k = await start(options);
    const body = (await call(k, "POST", "/plugins", { name: "session" })).body;
    await k.stop();
    return body;
  };

  it("3.4 has no read_body_for_logout; 3.9 has it but no hash_subject/store_metadata", async () => {
    expect((await configKeys({ version: "3.4.3.17" })).config).not.toHaveProperty("read_body_for_logout");
    const v39 = (await configKeys({ version: "3.9.1" })).config;
    expect(v39).toHaveProperty("read_body_for_logout", false);
    expect(v39).not.toHaveProperty("hash_subject");
  });

  it("3.10 adds hash_subject, store_metadata and (Enterprise) partials", async () => {
    const body = await configKeys({ version: "3.10.0.0" });
    expect(body.config).toMatchObject({ hash_subject: false, store_metadata: false });
    expect(body.partials).toBeNull();
    expect(body.config).not.toHaveProperty("bind");
    expect((await configKeys({ edition: "community", version: "3.10.0" }))).not.toHaveProperty("partials");
  });

  it("Enterprise 3.12 adds config.bind, 3.15 adds condition", async () => {
    expect((await configKeys({ version: "3.12.0.0" })).config).toHaveProperty("bind", null);
    expect(await configKeys({ version: "3.12.0.0" })).not.toHaveProperty("condition");
    expect(await configKeys({ version: "3.15.0" })).toHaveProperty("condition", null);
  });

  it("fails when condition is longer than 1024 bytes or bind has an unknown item", async () => {
    const k = await start({ version: "3.15.0" });
    const res = await call(k, "POST", "/plugins", { name: "session", condition: "x".repeat(1025), config: { bind: ["ip", "cookie"] } });
    expect(res.body.message).toBe(
      '2 schema violations (condition: length must be at most 1024; config.bind: {\n  [2] = "expected one of: ip, scheme, user-agent"\n})',
    );
    expect((await call(k, "POST", "/plugins", { name: "session", condition: "x".repeat(1024) })).status).toBe(201);
  });
});

describe("RBAC", () => {
  it("fails when the admin token is missing or wrong (401), and never records its value", async () => {
    const k = await start({ adminToken: "s3cret-token" });
    expect(await call(k, "GET", "/plugins")).toMatchObject({ status: 401, body: { message: "Invalid RBAC credentials" } });
    expect((await call(k, "GET", "/", undefined, { headers: { "kong-admin-token": "wrong" } })).status).toBe(401);
    const ok = await call(k, "POST", "/plugins", { name: "session" }, { headers: { "Kong-Admin-Token": "s3cret-token" } });
    expect(ok.status).toBe(201);
    expect(k.requests.map((r) => r.status)).toEqual([401, 401, 201]);
    expect(k.requests[2]!.headers["kong-admin-token"]).toBe("[redacted]");
    expect(JSON.stringify(k.requests)).not.toContain("s3cret-token");
  });

  it("reads the token from a custom header", async () => {
    const k = await start({ adminToken: "t0k", rbacHeader: "X-Admin" });
    expect((await call(k, "GET", "/", undefined, { headers: { "kong-admin-token": "t0k" } })).status).toBe(401);
    const res = await call(k, "GET", "/", undefined, { headers: { "x-admin": "t0k" } });
    expect(res.status).toBe(200);
    expect(res.body.configuration).toMatchObject({ enforce_rbac: "on", rbac_auth_header: "X-Admin" });
    expect(k.requests[1]!.headers["x-admin"]).toBe("[redacted]");
  });
});

describe("plugins per edition and version (the emulator's catalog)", () => {
  const enabled = async (options: KongEmulatorOptions): Promise<string[]> => {
    const k = await start(options);
    const names = (await call(k, "GET", "/plugins/enabled")).body.enabled_plugins as string[];
    await k.stop();
    return names;
  };

  it("open-source Kong has the plugins its version bundles (kong/constants.lua)", async () => {
    const v34 = await enabled({ edition: "community", version: "3.4.2" });
    expect(v34).toHaveLength(37);
    expect(v34).toEqual(expect.arrayContaining(["session", "rate-limiting", "key-auth", "acl"]));
    expect(v34).not.toContain("ai-proxy");
    const v39 = await enabled({ edition: "community", version: "3.9.1" });
    expect(v39).toHaveLength(45);
    expect(v39.filter((name) => !v34.includes(name)).sort()).toEqual([
      "ai-prompt-decorator", "ai-prompt-guard", "ai-prompt-template", "ai-proxy", "ai-request-transformer", "ai-response-transformer", "redirect", "standard-webhooks",
    ]);
    expect(v39).not.toContain("openid-connect");
    // open-source Kong has no release after 3.9: a later version has 3.9's plugins
    expect((await enabled({ edition: "community", version: "3.10.0" })).sort()).toEqual([...v39].sort());
  });

  it("Kong Enterprise has every plugin of its version's published schemas", async () => {
    const v34 = await enabled({ version: "3.4.3.17" });
    expect(v34).toHaveLength(75);
    expect(v34).toEqual(expect.arrayContaining(["openid-connect", "rate-limiting-advanced", "session"]));
    expect(v34).not.toContain("ai-a2a-proxy");
    const v315 = await enabled({ version: "3.15.0" });
    expect(v315).toHaveLength(114);
    expect(v315).toContain("ai-a2a-proxy");
  });

  it("fails when a plugin of another version or edition is sent (Kong's subschema_error)", async () => {
    const k = await start({ version: "3.4.3.17" });
    const res = await call(k, "POST", "/plugins", { name: "ai-a2a-proxy", config: {} });
    expect(res.body).toMatchObject({ code: 2, fields: { name: "plugin 'ai-a2a-proxy' not enabled; add it to the 'plugins' configuration property" } });
  });
});
