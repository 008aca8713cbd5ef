/**
 * Plugin CRUD over real HTTP: status codes, defaults, PUT (replace) against PATCH (merge), DELETE,
 * instance names, nested endpoints, `GET /`, schemas, unknown paths and methods.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KongEmulator } from "../../src/testing/index.js";
import { call, IDS } from "./support.js";

const SECRET = "nodeSecret0123456789abcdefghijklmnopqrstuvwx";
let kong: KongEmulator;

beforeAll(async () => {
  kong = await KongEmulator.start({ nodeSecret: SECRET });
});
afterAll(async () => {
  await kong.stop();
});
beforeEach(() => {
  kong.reset();
  kong.addService({ id: IDS.service, name: "svc" });
  kong.addRoute({ id: IDS.route, name: "r1", service: { id: IDS.service } });
});

const SESSION_DEFAULTS = {
  secret: SECRET,
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
  response_headers: null,
  request_headers: null,
  read_body_for_logout: false,
  logout_methods: ["POST", "DELETE"],
  logout_query_arg: "session_logout",
  logout_post_arg: "session_logout",
};

describe("POST /plugins", () => {
  it("creates the plugin with every default filled in and absent fields null (201)", async () => {
    const res = await call(kong, "POST", "/plugins", { name: "session" });
    expect(res.status).toBe(201);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    const { id, created_at, updated_at, ...rest } = res.body;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isInteger(created_at)).toBe(true);
    expect(updated_at).toBe(created_at);
    expect(rest).toEqual({
      name: "session",
      instance_name: null,
      route: null,
      service: null,
      consumer: null,
      consumer_group: null,
      config: SESSION_DEFAULTS,
      protocols: ["grpc", "grpcs", "http", "https"],
      enabled: true,
      tags: null,
      ordering: null,
    });
    expect(kong.plugin(id)).toEqual(res.body);
  });

  it("keeps a given secret, id and instance name, lower-cases the id and drops duplicate set items", async () => {
    const res = await call(kong, "POST", "/plugins", {
      id: IDS.plugin.toUpperCase(),
      name: "session",
      instance_name: "login-ü",
      tags: ["a", "b", "a"],
      config: { secret: "{vault://env/session-secret}", logout_methods: ["GET", "GET", "POST"], request_headers: [] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: IDS.plugin,
      instance_name: "login-ü",
      tags: ["a", "b"],
      config: { secret: "{vault://env/session-secret}", logout_methods: ["GET", "POST"], request_headers: [] },
    });
  });

  it("maps the deprecated aliases to the new fields and never returns them", async () => {
    const res = await call(kong, "POST", "/plugins", {
      name: "session",
      config: { cookie_lifetime: 60, cookie_idletime: null, cookie_renew: 5, cookie_discard: 3, cookie_samesite: "off", cookie_httponly: false, cookie_persistent: true },
    });
    expect(res.status).toBe(201);
    expect(res.body.config).toMatchObject({ rolling_timeout: 60, idling_timeout: 0, stale_ttl: 3, cookie_same_site: "Lax", cookie_http_only: false, remember: true });
    for (const alias of ["cookie_lifetime", "cookie_idletime", "cookie_renew", "cookie_discard", "cookie_samesite", "cookie_httponly", "cookie_persistent"]) {
      expect(res.body.config).not.toHaveProperty(alias);
    }
  });

  it("accepts a route referenced by name and stores its id", async () => {
    const res = await call(kong, "POST", "/plugins", { name: "session", route: { name: "r1" } });
    expect(res.status).toBe(201);
    expect(res.body.route).toEqual({ id: IDS.route });
  });

  it("accepts other bundled plugins and stores their config as given", async () => {
    const res = await call(kong, "POST", "/plugins", { name: "cors", consumer: null, config: { origins: ["*"] } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: "cors", config: { origins: ["*"] } });
  });
});

describe("GET /plugins/{id or instance_name}", () => {
  it("finds a plugin by id and by instance name (200), else 404", async () => {
    const created = (await call(kong, "POST", "/plugins", { name: "session", instance_name: "login" })).body;
    expect((await call(kong, "GET", `/plugins/${created.id}`)).body).toEqual(created);
    expect((await call(kong, "GET", "/plugins/login")).body).toEqual(created);
    const missing = await call(kong, "GET", `/plugins/${IDS.missing}`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ message: "Not found" });
    expect((await call(kong, "GET", "/plugins/other-name")).status).toBe(404);
  });

  it("answers HEAD like GET without a body and OPTIONS with the allowed methods", async () => {
    const head = await call(kong, "HEAD", "/plugins");
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    const options = await call(kong, "OPTIONS", "/plugins");
    expect(options.status).toBe(204);
    expect(options.headers["allow"]).toBe("GET, HEAD, OPTIONS, POST");
  });
});

describe("PUT /plugins/{id}", () => {
  it("creates the plugin when absent (200) and replaces it whole when present: omitted fields take defaults", async () => {
    const first = await call(kong, "PUT", `/plugins/${IDS.plugin}`, { name: "session", tags: ["t"], config: { cookie_name: "sid", remember: true } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: IDS.plugin, tags: ["t"], config: { cookie_name: "sid", remember: true } });
    const second = await call(kong, "PUT", `/plugins/${IDS.plugin}`, { name: "session", config: { cookie_path: "/app" } });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: IDS.plugin, tags: null, config: { ...SESSION_DEFAULTS, cookie_path: "/app" } });
    expect(kong.plugins()).toHaveLength(1);
  });

  it("resets created_at unless the body carries it", async () => {
    kong.seedPlugin({ id: IDS.plugin, name: "session", created_at: 1000, updated_at: 1000 });
    const replaced = await call(kong, "PUT", `/plugins/${IDS.plugin}`, { name: "session" });
    expect(replaced.body.created_at).toBeGreaterThan(1000);
    const kept = await call(kong, "PUT", `/plugins/${IDS.plugin}`, { name: "session", created_at: 1234 });
    expect(kept.body.created_at).toBe(1234);
    expect(kept.body.updated_at).toBeGreaterThan(1234);
  });

  it("upserts by instance name, keeping the id of the existing plugin", async () => {
    const created = (await call(kong, "PUT", "/plugins/login", { name: "session" })).body;
    expect(created.instance_name).toBe("login");
    const replaced = await call(kong, "PUT", "/plugins/login", { id: IDS.plugin2, name: "session", config: { audience: "app" } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id: created.id, instance_name: "login", config: { audience: "app" } });
  });
});

describe("PATCH /plugins/{id}", () => {
  it("deep-merges config with the stored value, replaces arrays and keeps everything else (200)", async () => {
    await call(kong, "PUT", `/plugins/${IDS.plugin}`, {
      name: "session",
      tags: ["a"],
      config: { cookie_name: "sid", logout_methods: ["GET", "POST"], response_headers: ["id"] },
    });
    const res = await call(kong, "PATCH", `/plugins/${IDS.plugin}`, { config: { cookie_path: "/x", logout_methods: ["DELETE"], cookie_domain: null } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tags: ["a"],
      config: { cookie_name: "sid", cookie_path: "/x", logout_methods: ["DELETE"], response_headers: ["id"], cookie_domain: null, secret: SECRET },
    });
    expect(kong.plugin(IDS.plugin)).toEqual(res.body);
  });

  it("fails when PATCH targets a missing plugin without naming it (404 Not found)", async () => {
    const res = await call(kong, "PATCH", `/plugins/${IDS.missing}`, { enabled: false });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ message: "Not found" });
  });
});

describe("DELETE /plugins/{id}", () => {
  it("deletes by id or instance name with 204 and an empty body, also when absent", async () => {
    await call(kong, "PUT", `/plugins/${IDS.plugin}`, { name: "session", instance_name: "login" });
    const byName = await call(kong, "DELETE", "/plugins/login");
    expect(byName.status).toBe(204);
    expect(byName.text).toBe("");
    expect(kong.plugins()).toEqual([]);
    const again = await call(kong, "DELETE", `/plugins/${IDS.plugin}`);
    expect(again.status).toBe(204);
  });
});

describe("nested /routes/{route}/plugins and /services/{service}/plugins", () => {
  it("POST forces the parent; GET lists only the parent's plugins", async () => {
    const viaRoute = await call(kong, "POST", "/routes/r1/plugins", { name: "session", route: { id: IDS.missing } });
    expect(viaRoute.status).toBe(201);
    expect(viaRoute.body.route).toEqual({ id: IDS.route });
    const viaService = await call(kong, "POST", `/services/${IDS.service}/plugins`, { name: "session" });
    expect(viaService.body.service).toEqual({ id: IDS.service });
    await call(kong, "POST", "/plugins", { name: "session" });
    const listed = await call(kong, "GET", `/routes/${IDS.route}/plugins`);
    expect(listed.body.data.map((p: { id: string }) => p.id)).toEqual([viaRoute.body.id]);
    expect(listed.body.next).toBeNull();
    expect((await call(kong, "GET", "/routes/unknown-route/plugins")).status).toBe(404);
  });

  it("fails when a nested GET, PATCH or DELETE names a plugin of another parent (404)", async () => {
    kong.addRoute({ id: IDS.route2 });
    const own = (await call(kong, "POST", `/routes/${IDS.route}/plugins`, { name: "session" })).body;
    expect((await call(kong, "GET", `/routes/${IDS.route}/plugins/${own.id}`)).body).toEqual(own);
    expect((await call(kong, "GET", `/routes/${IDS.route2}/plugins/${own.id}`)).status).toBe(404);
    expect((await call(kong, "PATCH", `/routes/${IDS.route2}/plugins/${own.id}`, { enabled: false })).status).toBe(404);
    expect((await call(kong, "DELETE", `/routes/${IDS.route2}/plugins/${own.id}`)).status).toBe(404);
    const patched = await call(kong, "PATCH", `/routes/${IDS.route}/plugins/${own.id}`, { enabled: false });
    expect(patched.body).toMatchObject({ enabled: false, route: { id: IDS.route } });
    expect((await call(kong, "DELETE", `/routes/${IDS.route}/plugins/${own.id}`)).status).toBe(204);
  });

  it("PUT under a route attaches the plugin to it", async () => {
    const res = await call(kong, "PUT", `/routes/${IDS.route}/plugins/${IDS.plugin}`, { name: "session" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: IDS.plugin, route: { id: IDS.route } });
  });
});

describe("other endpoints", () => {
  it("GET / describes the node", async () => {
    const res = await call(kong, "GET", "/");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: "3.9.1", edition: "enterprise", tagline: "Welcome to kong" });
    expect(res.headers["server"]).toBe("kong/3.9.1");
  });

  it("GET /schemas/plugins/session describes the session schema with the node secret as default", async () => {
    const res = await call(kong, "GET", "/schemas/plugins/session");
    expect(res.status).toBe(200);
    const config = res.body.fields.find((f: Record<string, unknown>) => "config" in f).config;
    const secret = config.fields.find((f: Record<string, unknown>) => "secret" in f).secret;
    expect(secret).toMatchObject({ type: "string", default: SECRET, referenceable: true });
    const sameSite = config.fields.find((f: Record<string, unknown>) => "cookie_same_site" in f).cookie_same_site;
    expect(sameSite.one_of).toEqual(["Strict", "Lax", "None", "Default"]);
    expect(res.body.fields.find((f: Record<string, unknown>) => "consumer" in f).consumer).toEqual({ type: "foreign", reference: "consumers", default: null, eq: null });
    expect(await call(kong, "GET", "/schemas/plugins/nope")).toMatchObject({ status: 404, body: { message: "No plugin named 'nope'" } });
  });

  it("POST /schemas/plugins/validate accepts a valid body without storing it", async () => {
    const res = await call(kong, "POST", "/schemas/plugins/validate", { name: "session", config: { cookie_name: "sid" } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "schema validation successful" });
    expect(kong.plugins()).toEqual([]);
  });

  it("fails when the body breaks the schema on POST /schemas/plugins/validate", async () => {
    const res = await call(kong, "POST", "/schemas/plugins/validate", { name: "session", config: { storage: "redis" } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "config": {
            "storage": "expected one of: cookie, kong",
          },
        },
        "message": "schema violation (config.storage: expected one of: cookie, kong)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when the path is unknown (404) or the method is not allowed (405)", async () => {
    expect(await call(kong, "GET", "/nope")).toMatchObject({ status: 404, body: { message: "Not found" } });
    expect(await call(kong, "GET", "/plugins/a/b/c")).toMatchObject({ status: 404, body: { message: "Not found" } });
    expect(await call(kong, "DELETE", "/plugins")).toMatchObject({ status: 405, body: { message: "Method not allowed" } });
    expect(await call(kong, "POST", `/plugins/${IDS.plugin}`, {})).toMatchObject({ status: 405, body: { message: "Method not allowed" } });
  });

  it("tolerates a trailing slash like Kong", async () => {
    expect((await call(kong, "GET", "/plugins/")).status).toBe(200);
  });

  it("seedPlugin stores non-session plugins and drift without validation", async () => {
    const seeded = kong.seedPlugin({ name: "session", config: { cookie_name: "drifted", storage: "redis" } as Record<string, unknown> });
    expect(seeded.config).toMatchObject({ cookie_name: "drifted", storage: "redis", audience: "default" });
    expect((await call(kong, "GET", `/plugins/${seeded.id}`)).body).toEqual(seeded);
  });
});
