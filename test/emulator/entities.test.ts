/**
 * The core entities and credentials over real HTTP: CRUD, defaults, endpoint keys, paging and tags,
 * foreign keys, uniqueness, cascades and the refusal to delete a referenced service, nested
 * endpoints, workspaces, community against Enterprise. Every message is pinned.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { KongEmulator, type EntityName, type KongEntity } from "../../src/testing/index.js";
import { call } from "./support.js";

const SERVICE = "5e7c0a11-0000-4000-8000-000000000001";
const ROUTE = "5e7c0a11-0000-4000-8000-000000000002";
const CONSUMER = "5e7c0a11-0000-4000-8000-000000000003";
const UPSTREAM = "5e7c0a11-0000-4000-8000-000000000004";
const MISSING = "5e7c0a11-0000-4000-8000-00000000ffff";

let kong: KongEmulator;

beforeAll(async () => {
  kong = await KongEmulator.start({ workspaces: ["team-a"] });
});
afterAll(async () => {
  await kong.stop();
});
beforeEach(() => {
  kong.reset();
});

/** The fields of a body that are not generated (ids and timestamps). */
function stable(body: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, created_at: _c, updated_at: _u, ...rest } = body;
  return rest;
}

describe("services", () => {
  it("creates a service with Kong's defaults and generated id and timestamps", async () => {
    const answer = await call(kong, "POST", "/services", { name: "orders", host: "orders.internal" });
    expect(answer.status).toBe(201);
    expect(answer.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(answer.body.created_at).toBeTypeOf("number");
    expect(answer.body.updated_at).toBe(answer.body.created_at);
    expect(stable(answer.body)).toEqual({
      name: "orders",
      retries: 5,
      protocol: "http",
      host: "orders.internal",
      port: 80,
      path: null,
      connect_timeout: 60000,
      write_timeout: 60000,
      read_timeout: 60000,
      tags: null,
      client_certificate: null,
      tls_verify: null,
      tls_verify_depth: null,
      ca_certificates: null,
      enabled: true,
    });
    expect(kong.entity("services", "orders")).toEqual(answer.body);
  });

  it("splits the url shorthand into protocol, host, port and path", async () => {
    const answer = await call(kong, "POST", "/services", { url: "https://api.example.com:8443/v1" });
    expect(answer.status).toBe(201);
    expect([answer.body.protocol, answer.body.host, answer.body.port, answer.body.path]).toEqual(["https", "api.example.com", 8443, "/v1"]);
    const bare = await call(kong, "POST", "/services", { url: "https://bare.example.com" });
    expect([bare.body.protocol, bare.body.port, bare.body.path]).toEqual(["https", 443, null]);
    expect("url" in bare.body).toBe(false);
  });

  it("fails when the host is missing, a field is unknown, of the wrong type or not in the enum", async () => {
    const answer = await call(kong, "POST", "/services", { name: "x", port: "80", protocol: "ftp", colour: "red" });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "colour": "unknown field",
          "host": "required field missing",
          "port": "expected an integer",
          "protocol": "expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp, ws, wss",
        },
        "message": "4 schema violations (colour: unknown field; host: required field missing; port: expected an integer; protocol: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp, ws, wss)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when a number is out of range or the path does not start with /", async () => {
    const answer = await call(kong, "POST", "/services", { host: "a.example", port: 70000, retries: -1, path: "v1" });
    expect(answer.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "path": "should start with: /",
          "port": "value should be between 0 and 65535",
          "retries": "value should be between 0 and 32767",
        },
        "message": "3 schema violations (path: should start with: /; port: value should be between 0 and 65535; retries: value should be between 0 and 32767)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when a tcp service has a path (a conditional entity check)", async () => {
    const answer = await call(kong, "POST", "/services", { host: "db.internal", protocol: "tcp", path: "/x" });
    expect(answer.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "@entity": [
            "failed conditional validation given value of field 'protocol'",
          ],
          "path": "value must be null",
        },
        "message": "2 schema violations (failed conditional validation given value of field 'protocol'; path: value must be null)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when the name is taken: 409 unique constraint violation", async () => {
    await call(kong, "POST", "/services", { name: "orders", host: "a.example" });
    const answer = await call(kong, "POST", "/services", { name: "orders", host: "b.example" });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchInlineSnapshot(`
      {
        "code": 5,
        "fields": {
          "name": "orders",
        },
        "message": "UNIQUE violation detected on '{name="orders"}'",
        "name": "unique constraint violation",
      }
    `);
  });

  it("fails when the id exists: primary key violation", async () => {
    await call(kong, "POST", "/services", { id: SERVICE, host: "a.example" });
    const answer = await call(kong, "POST", "/services", { id: SERVICE, host: "b.example" });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchInlineSnapshot(`
      {
        "code": 3,
        "fields": {
          "id": "5e7c0a11-0000-4000-8000-000000000001",
        },
        "message": "primary key violation on key '{id="5e7c0a11-0000-4000-8000-000000000001"}'",
        "name": "primary key violation",
      }
    `);
  });

  it("reads, merges (PATCH), replaces (PUT) and deletes by id in any case or by name", async () => {
    await call(kong, "POST", "/services", { id: SERVICE, name: "orders", host: "a.example", retries: 2 });
    expect((await call(kong, "GET", `/services/${SERVICE.toUpperCase()}`)).body.name).toBe("orders");
    const patched = await call(kong, "PATCH", "/services/orders", { port: 8080 });
    expect(patched.status).toBe(200);
    expect([patched.body.port, patched.body.retries, patched.body.host]).toEqual([8080, 2, "a.example"]);
    const replaced = await call(kong, "PUT", `/services/${SERVICE}`, { name: "orders", host: "c.example" });
    expect(replaced.status).toBe(200);
    expect([replaced.body.port, replaced.body.retries, replaced.body.host]).toEqual([80, 5, "c.example"]);
    expect((await call(kong, "DELETE", "/services/orders")).status).toBe(204);
    expect(await call(kong, "GET", "/services/orders")).toMatchObject({ status: 404, body: { message: "Not found" } });
    expect((await call(kong, "DELETE", "/services/orders")).status).toBe(204);
  });

  it("creates with PUT when absent, by id or by name", async () => {
    const byId = await call(kong, "PUT", `/services/${SERVICE}`, { host: "a.example" });
    expect([byId.status, byId.body.id]).toEqual([200, SERVICE]);
    const byName = await call(kong, "PUT", "/services/billing", { host: "b.example" });
    expect([byName.status, byName.body.name]).toEqual([200, "billing"]);
    expect(kong.entities("services").map((s) => s["name"])).toEqual(expect.arrayContaining([null, "billing"]));
  });

  it("fails when PATCH addresses a service that does not exist", async () => {
    expect((await call(kong, "PATCH", `/services/${MISSING}`, { port: 1 })).body).toMatchInlineSnapshot(`
      {
        "code": 6,
        "fields": {
          "id": "5e7c0a11-0000-4000-8000-00000000ffff",
        },
        "message": "could not find the entity with primary key '{id="5e7c0a11-0000-4000-8000-00000000ffff"}'",
        "name": "not found",
      }
    `);
    expect((await call(kong, "PATCH", "/services/nope", { port: 1 })).body).toMatchInlineSnapshot(`
      {
        "code": 6,
        "fields": {
          "name": "nope",
        },
        "message": "could not find the entity with '{name="nope"}'",
        "name": "not found",
      }
    `);
  });

  it("fails when the path segment is not a valid name: invalid unique name", async () => {
    const answer = await call(kong, "GET", "/services/bad%20name");
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchInlineSnapshot(`
      {
        "code": 10,
        "message": "invalid value 'bad name': the only accepted ascii characters are alphanumerics or ., -, _, and ~",
        "name": "invalid unique name",
      }
    `);
  });

  it("answers 405 to a method the endpoint lacks", async () => {
    expect(await call(kong, "DELETE", "/services")).toMatchObject({ status: 405, body: { message: "Method not allowed" } });
  });
});

describe("routes", () => {
  beforeEach(() => {
    kong.addService({ id: SERVICE, name: "orders" });
  });

  it("creates a route with Kong's defaults, its service given by name", async () => {
    const answer = await call(kong, "POST", "/routes", { name: "web", paths: ["/orders"], service: { name: "orders" } });
    expect(answer.status).toBe(201);
    expect(stable(answer.body)).toEqual({
      name: "web",
      protocols: ["http", "https"],
      https_redirect_status_code: 426,
      strip_path: true,
      preserve_host: false,
      request_buffering: true,
      response_buffering: true,
      tags: null,
      service: { id: SERVICE },
      snis: null,
      sources: null,
      destinations: null,
      methods: null,
      hosts: null,
      paths: ["/orders"],
      headers: null,
      regex_priority: 0,
      path_handling: "v0",
    });
  });

  it("fails when an http route has none of methods, hosts, headers, paths", async () => {
    const https = await call(kong, "POST", "/routes", { name: "web" });
    expect(https.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "@entity": [
            "must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'",
          ],
        },
        "message": "schema violation (must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https')",
        "name": "schema violation",
      }
    `);
    const http = await call(kong, "POST", "/routes", { protocols: ["http"] });
    expect(http.body.message).toMatchInlineSnapshot(`"schema violation (must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http')"`);
  });

  it("fails when paths do not start with / or ~, or protocols mix subsets", async () => {
    const answer = await call(kong, "POST", "/routes", { paths: ["orders", "/a//b"], protocols: ["http", "tcp"] });
    expect(answer.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "paths": [
            "should start with: / (fixed path) or ~/ (regex path)",
            "must not have empty segments",
          ],
          "protocols": "these sets are mutually exclusive: ('http', 'https'), ('tcp', 'tls', 'udp')",
        },
        "message": "3 schema violations (paths.1: should start with: / (fixed path) or ~/ (regex path); paths.2: must not have empty segments; protocols: these sets are mutually exclusive: ('http', 'https'), ('tcp', 'tls', 'udp'))",
        "name": "schema violation",
      }
    `);
  });

  it("fails when snis are set on an http-only route", async () => {
    const answer = await call(kong, "POST", "/routes", { protocols: ["http"], paths: ["/"], snis: ["a.example"] });
    expect(answer.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "@entity": [
            "'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'",
          ],
          "snis": "length must be 0",
        },
        "message": "2 schema violations ('snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls' or 'tls_passthrough'; snis: length must be 0)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when the service does not exist: foreign key violation", async () => {
    const answer = await call(kong, "POST", "/routes", { paths: ["/"], service: { id: MISSING } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchInlineSnapshot(`
      {
        "code": 4,
        "fields": {
          "service": {
            "id": "5e7c0a11-0000-4000-8000-00000000ffff",
          },
        },
        "message": "the foreign key '{id="5e7c0a11-0000-4000-8000-00000000ffff"}' does not reference an existing 'services' entity.",
        "name": "foreign key violation",
      }
    `);
  });

  it("fails when the service named does not exist: foreign key unresolved", async () => {
    const answer = await call(kong, "POST", "/routes", { paths: ["/"], service: { name: "nope" } });
    expect(answer.body).toMatchInlineSnapshot(`
      {
        "code": 13,
        "fields": {
          "service": {
            "name": "the foreign key cannot be resolved with '{name="nope"}' for an existing 'services' entity",
          },
        },
        "message": "foreign key unresolved (service.name: the foreign key cannot be resolved with '{name="nope"}' for an existing 'services' entity)",
        "name": "foreign keys unresolved",
      }
    `);
  });

  it("serves the routes of a service under /services/{service}/routes", async () => {
    const created = await call(kong, "POST", "/services/orders/routes", { id: ROUTE, name: "web", hosts: ["orders.example"] });
    expect([created.status, created.body.service]).toEqual([201, { id: SERVICE }]);
    await call(kong, "POST", "/routes", { name: "other", paths: ["/other"] });
    const listed = await call(kong, "GET", "/services/orders/routes");
    expect(listed.body.data.map((r: KongEntity) => r["name"])).toEqual(["web"]);
    expect((await call(kong, "GET", `/services/orders/routes/web`)).status).toBe(200);
    expect((await call(kong, "GET", `/services/orders/routes/other`)).status).toBe(404);
    expect((await call(kong, "PATCH", `/services/${SERVICE}/routes/web`, { strip_path: false })).body.strip_path).toBe(false);
    expect((await call(kong, "POST", "/services/nope/routes", { paths: ["/"] })).status).toBe(404);
    expect((await call(kong, "DELETE", `/services/orders/routes/other`)).status).toBe(404);
    expect((await call(kong, "DELETE", `/services/orders/routes/web`)).status).toBe(204);
    expect(kong.entity("routes", ROUTE)).toBeUndefined();
  });

  it("fails to delete a service that a route references, then deletes it once the route is gone", async () => {
    await call(kong, "POST", "/routes", { id: ROUTE, paths: ["/"], service: { id: SERVICE } });
    const refused = await call(kong, "DELETE", "/services/orders");
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchInlineSnapshot(`
      {
        "code": 4,
        "fields": {
          "@referenced_by": "routes",
        },
        "message": "an existing 'routes' entity references this 'services' entity",
        "name": "foreign key violation",
      }
    `);
    expect(kong.entity("services", SERVICE)).toBeDefined();
    await call(kong, "DELETE", `/routes/${ROUTE}`);
    expect((await call(kong, "DELETE", "/services/orders")).status).toBe(204);
  });

  it("deletes a route's plugins with it, and a service's", async () => {
    await call(kong, "POST", "/routes", { id: ROUTE, paths: ["/"] });
    await call(kong, "POST", `/routes/${ROUTE}/plugins`, { name: "cors" });
    await call(kong, "POST", "/services/orders/plugins", { name: "cors" });
    expect(kong.plugins()).toHaveLength(2);
    await call(kong, "DELETE", `/routes/${ROUTE}`);
    expect(kong.plugins().map((p) => p.service)).toEqual([{ id: SERVICE }]);
    await call(kong, "DELETE", "/services/orders");
    expect(kong.plugins()).toEqual([]);
  });

  it("keeps checking a plugin's protocols against the route's", async () => {
    await call(kong, "POST", "/routes", { id: ROUTE, protocols: ["https"], paths: ["/"] });
    const answer = await call(kong, "POST", `/routes/${ROUTE}/plugins`, { name: "cors", protocols: ["http"] });
    expect(answer.body.message).toMatchInlineSnapshot(`"schema violation (protocols: must match the associated route's protocols)"`);
  });
});

describe("consumers and credentials", () => {
  beforeEach(async () => {
    await call(kong, "POST", "/consumers", { id: CONSUMER, username: "alice", custom_id: "a-1" });
  });

  it("fails when a consumer has neither username nor custom_id", async () => {
    expect((await call(kong, "POST", "/consumers", { tags: ["x"] })).body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "@entity": [
            "at least one of these fields must be non-empty: 'custom_id', 'username'",
          ],
        },
        "message": "schema violation (at least one of these fields must be non-empty: 'custom_id', 'username')",
        "name": "schema violation",
      }
    `);
  });

  it("fails when the username or custom_id is taken", async () => {
    expect((await call(kong, "POST", "/consumers", { username: "alice" })).body.message).toMatchInlineSnapshot(`"UNIQUE violation detected on '{username="alice"}'"`);
    expect((await call(kong, "POST", "/consumers", { custom_id: "a-1" })).body.message).toMatchInlineSnapshot(`"UNIQUE violation detected on '{custom_id="a-1"}'"`);
  });

  it("finds a consumer by username in the path and by custom_id in the query", async () => {
    expect((await call(kong, "GET", "/consumers/alice")).body.id).toBe(CONSUMER);
    expect((await call(kong, "GET", "/consumers?custom_id=a-1")).body.data.map((c: KongEntity) => c["id"])).toEqual([CONSUMER]);
    expect((await call(kong, "GET", "/consumers?custom_id=none")).body).toEqual({ data: [], next: null });
    expect((await call(kong, "GET", "/consumers?custom_id=")).body).toMatchInlineSnapshot(`
      {
        "message": "custom_id must be an unempty string",
      }
    `);
  });

  it("stores a key-auth key as given and generates one when absent", async () => {
    const given = await call(kong, "POST", "/consumers/alice/key-auth", { key: "secret-key" });
    expect(given.status).toBe(201);
    expect(stable(given.body)).toEqual({ consumer: { id: CONSUMER }, key: "secret-key", tags: null });
    const generated = await call(kong, "POST", `/consumers/${CONSUMER}/key-auth`, {});
    expect(generated.body.key).toMatch(/^[A-Za-z0-9]{32}$/);
    expect((await call(kong, "GET", "/key-auths/secret-key")).body.key).toBe("secret-key");
    expect((await call(kong, "GET", "/consumers/alice/key-auth")).body.data).toHaveLength(2);
  });

  it("fails when a key-auth key is taken", async () => {
    await call(kong, "POST", "/consumers/alice/key-auth", { key: "k" });
    const answer = await call(kong, "POST", "/key-auths", { key: "k", consumer: { id: CONSUMER } });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchInlineSnapshot(`
      {
        "code": 5,
        "fields": {
          "key": "k",
        },
        "message": "UNIQUE violation detected on '{key="k"}'",
        "name": "unique constraint violation",
      }
    `);
  });

  it("fails when the consumer of a credential does not exist, or is not given", async () => {
    expect((await call(kong, "POST", "/key-auths", { key: "k", consumer: { id: MISSING } })).body).toMatchInlineSnapshot(`
      {
        "code": 4,
        "fields": {
          "consumer": {
            "id": "5e7c0a11-0000-4000-8000-00000000ffff",
          },
        },
        "message": "the foreign key '{id="5e7c0a11-0000-4000-8000-00000000ffff"}' does not reference an existing 'consumers' entity.",
        "name": "foreign key violation",
      }
    `);
    expect((await call(kong, "POST", "/acls", { group: "g" })).body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "consumer": "required field missing",
        },
        "message": "schema violation (consumer: required field missing)",
        "name": "schema violation",
      }
    `);
    expect((await call(kong, "POST", "/consumers/nobody/acls", { group: "g" })).status).toBe(404);
  });

  it("stores a basic-auth password as Kong's salted sha1 and rehashes only a new password", async () => {
    const created = await call(kong, "POST", "/consumers/alice/basic-auth", { username: "alice", password: "s3cret" });
    // sha1("s3cret" .. consumer id), kong/plugins/basic-auth/crypto.lua
    const { createHash } = await import("node:crypto");
    const hash = createHash("sha1").update(`s3cret${CONSUMER}`).digest("hex");
    expect(created.body.password).toBe(hash);
    const tagged = await call(kong, "PATCH", "/basic-auths/alice", { tags: ["t"] });
    expect(tagged.body.password).toBe(hash);
    const changed = await call(kong, "PATCH", `/consumers/alice/basic-auth/alice`, { password: "other" });
    expect(changed.body.password).toBe(createHash("sha1").update(`other${CONSUMER}`).digest("hex"));
  });

  it("serves jwt secrets, hmac credentials and acls with their defaults and composite keys", async () => {
    const jwt = await call(kong, "POST", "/consumers/alice/jwt", {});
    expect([jwt.status, jwt.body.algorithm, typeof jwt.body.key, typeof jwt.body.secret, jwt.body.rsa_public_key]).toEqual([201, "HS256", "string", "string", null]);
    const rs = await call(kong, "POST", "/consumers/alice/jwt", { algorithm: "RS256" });
    expect(rs.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "@entity": [
            "failed conditional validation given value of field 'algorithm'",
          ],
          "rsa_public_key": "required field missing",
        },
        "message": "2 schema violations (failed conditional validation given value of field 'algorithm'; rsa_public_key: required field missing)",
        "name": "schema violation",
      }
    `);
    const hmac = await call(kong, "POST", "/consumers/alice/hmac-auth", { username: "alice-hmac" });
    expect([hmac.status, hmac.body.secret]).toEqual([201, expect.stringMatching(/^[A-Za-z0-9]{32}$/)]);
    expect((await call(kong, "POST", "/consumers/alice/acls", { group: "admins" })).status).toBe(201);
    const again = await call(kong, "POST", "/consumers/alice/acls", { group: "admins" });
    expect(again.body.message).toMatchInlineSnapshot(`"UNIQUE violation detected on '{consumer={id="5e7c0a11-0000-4000-8000-000000000003"},group="admins"}'"`);
  });

  it("deletes a consumer's credentials and plugins with it", async () => {
    await call(kong, "POST", "/consumers/alice/key-auth", { key: "k" });
    await call(kong, "POST", "/consumers/alice/basic-auth", { username: "u", password: "p" });
    await call(kong, "POST", "/consumers/alice/acls", { group: "g" });
    const plugin = await call(kong, "POST", "/consumers/alice/plugins", { name: "rate-limiting", config: { minute: 5 } });
    expect([plugin.status, plugin.body.consumer]).toEqual([201, { id: CONSUMER }]);
    expect((await call(kong, "GET", "/consumers/alice/plugins")).body.data).toHaveLength(1);
    expect((await call(kong, "DELETE", "/consumers/alice")).status).toBe(204);
    for (const kind of ["keyauth_credentials", "basicauth_credentials", "acls"] as const) expect(kong.entities(kind)).toEqual([]);
    expect(kong.plugins()).toEqual([]);
  });
});

describe("upstreams and targets", () => {
  it("creates an upstream with its healthcheck defaults and targets with host:port", async () => {
    const upstream = await call(kong, "POST", "/upstreams", { name: "orders.upstream" });
    expect(upstream.status).toBe(201);
    expect([upstream.body.algorithm, upstream.body.slots, upstream.body.healthchecks.active.healthy.http_statuses]).toEqual(["round-robin", 10000, [200, 302]]);
    const target = await call(kong, "POST", "/upstreams/orders.upstream/targets", { target: "10.0.0.7" });
    expect([target.status, target.body.target, target.body.weight, target.body.upstream]).toEqual([201, "10.0.0.7:8000", 100, { id: upstream.body.id }]);
    expect((await call(kong, "GET", "/upstreams/orders.upstream/targets/10.0.0.7:8000")).body.id).toBe(target.body.id);
    expect((await call(kong, "PUT", "/upstreams/orders.upstream/targets/10.0.0.7:8000", { weight: 5 })).body.weight).toBe(5);
  });

  it("fails when a target is taken, invalid, or its upstream name is an ip", async () => {
    await call(kong, "POST", "/upstreams", { id: UPSTREAM, name: "up" });
    await call(kong, "POST", "/upstreams/up/targets", { target: "a.example:81" });
    expect((await call(kong, "POST", "/upstreams/up/targets", { target: "a.example:81" })).body.message).toMatchInlineSnapshot(`"UNIQUE violation detected on '{target="a.example:81",upstream={id="5e7c0a11-0000-4000-8000-000000000004"}}'"`);
    expect((await call(kong, "POST", "/upstreams/up/targets", { target: "bad host" })).body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "target": "Invalid target; not a valid hostname or ip address",
        },
        "message": "schema violation (target: Invalid target; not a valid hostname or ip address)",
        "name": "schema violation",
      }
    `);
    expect((await call(kong, "POST", "/upstreams", { name: "10.0.0.1" })).body.message).toMatchInlineSnapshot(`"schema violation (name: Invalid name ('10.0.0.1'); no ip addresses allowed)"`);
  });

  it("answers 404 on /targets (disabled in Kong) and deletes an upstream's targets with it", async () => {
    await call(kong, "POST", "/upstreams", { name: "up" });
    await call(kong, "POST", "/upstreams/up/targets", { target: "a.example" });
    expect(await call(kong, "GET", "/targets")).toMatchObject({ status: 404, body: { message: "Not found" } });
    expect((await call(kong, "DELETE", "/upstreams/up")).status).toBe(204);
    expect(kong.entities("targets")).toEqual([]);
  });
});

describe("certificates, snis, ca_certificates, vaults, keys", () => {
  it("fails to read a certificate by a segment that is not a UUID: invalid primary key", async () => {
    expect((await call(kong, "GET", "/certificates/not-a-uuid")).body).toMatchInlineSnapshot(`
      {
        "code": 1,
        "fields": {
          "id": "expected a valid UUID",
        },
        "message": "invalid primary key: '{id="expected a valid UUID"}'",
        "name": "invalid primary key",
      }
    `);
  });

  it("fails when an sni's certificate does not exist", async () => {
    expect((await call(kong, "POST", "/snis", { name: "a.example", certificate: { id: MISSING } })).body.message).toMatchInlineSnapshot(`"the foreign key '{id="5e7c0a11-0000-4000-8000-00000000ffff"}' does not reference an existing 'certificates' entity."`);
  });

  it("fails when a vault prefix is invalid or a vault is not installed", async () => {
    expect((await call(kong, "POST", "/vaults", { prefix: "Env", name: "nope" })).body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "name": "vault 'nope' is not installed",
          "prefix": "invalid value: Env",
        },
        "message": "2 schema violations (name: vault 'nope' is not installed; prefix: invalid value: Env)",
        "name": "schema violation",
      }
    `);
  });

  it("serves vaults by prefix and key sets with their keys, cascading", async () => {
    const vault = await call(kong, "POST", "/vaults", { prefix: "my-env", name: "env" });
    expect(vault.status).toBe(201);
    expect((await call(kong, "GET", "/vaults/my-env")).body.id).toBe(vault.body.id);
    const set = await call(kong, "POST", "/key-sets", { name: "jwks" });
    expect(set.status).toBe(201);
    const key = await call(kong, "POST", "/key-sets/jwks/keys", { name: "k1", kid: "k1", jwk: '{"kid":"k1"}' });
    expect([key.status, key.body.set]).toEqual([201, { id: set.body.id }]);
    expect((await call(kong, "POST", "/keys", { kid: "k2" })).body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "@entity": [
            "at least one of these fields must be non-empty: 'jwk', 'pem'",
          ],
        },
        "message": "schema violation (at least one of these fields must be non-empty: 'jwk', 'pem')",
        "name": "schema violation",
      }
    `);
    await call(kong, "DELETE", "/key-sets/jwks");
    expect(kong.entities("keys")).toEqual([]);
  });
});

describe("listing", () => {
  it("pages a collection by size and offset in id order, and filters by tags", async () => {
    for (let i = 0; i < 5; i++) await call(kong, "POST", "/consumers", { username: `user-${i}`, tags: i % 2 === 0 ? ["even"] : ["odd"] });
    const first = await call(kong, "GET", "/consumers?size=2");
    expect(first.body.data).toHaveLength(2);
    expect(first.body.next).toBe(`/consumers?offset=${encodeURIComponent(first.body.offset)}&size=2`);
    const second = await call(kong, "GET", first.body.next);
    const all = kong.entities("consumers").map((c) => c["id"]);
    expect([...first.body.data, ...second.body.data].map((c: KongEntity) => c["id"])).toEqual(all.slice(0, 4));
    expect([...all].sort()).toEqual(all);
    const even = await call(kong, "GET", "/consumers?tags=even");
    expect(even.body.data.map((c: KongEntity) => c["username"]).sort()).toEqual(["user-0", "user-2", "user-4"]);
    expect((await call(kong, "GET", "/consumers?size=0")).body).toMatchInlineSnapshot(`
      {
        "code": 9,
        "message": "size must be an integer between 1 and 1000",
        "name": "invalid size",
      }
    `);
  });
});

describe("workspaces (Enterprise)", () => {
  it("keeps entities per workspace under /{workspace}/…", async () => {
    const a = await call(kong, "POST", "/team-a/services", { name: "orders", host: "a.example" });
    expect(a.status).toBe(201);
    expect((await call(kong, "POST", "/services", { name: "orders", host: "b.example" })).status).toBe(201);
    expect((await call(kong, "GET", "/team-a/services/orders")).body.id).toBe(a.body.id);
    expect(kong.entities("services", "team-a").map((s) => s["host"])).toEqual(["a.example"]);
    expect((await call(kong, "GET", "/team-a/consumer_groups")).status).toBe(200);
  });

  it("serves consumer groups on Enterprise only", async () => {
    expect((await call(kong, "POST", "/consumer_groups", { name: "gold" })).status).toBe(201);
    const community = await KongEmulator.start({ edition: "community" });
    try {
      expect(await call(community, "GET", "/consumer_groups")).toMatchObject({ status: 404, body: { message: "Not found" } });
      expect((await call(community, "POST", "/services", { host: "a.example" })).status).toBe(201);
      expect(() => community.entities("consumer_groups")).toThrowErrorMatchingInlineSnapshot(`[Error: Kong community has no 'consumer_groups' entity]`);
    } finally {
      await community.stop();
    }
  });
});

describe("seeds and the public API", () => {
  it("keeps addService and addRoute, now with Kong's defaults filled", () => {
    const service = kong.addService({ name: "svc" });
    const route = kong.addRoute({ name: "r", service: service, paths: ["/r"] });
    expect(kong.entity("services", "svc")).toMatchObject({ host: "localhost", port: 80, protocol: "http" });
    expect(kong.entity("routes", route.id)).toMatchObject({ protocols: ["http", "https"], paths: ["/r"], service: { id: service.id } });
    expect(() => kong.addRoute({ service: { id: MISSING } })).toThrowErrorMatchingInlineSnapshot(`[Error: service 5e7c0a11-0000-4000-8000-00000000ffff does not exist in workspace 'default']`);
  });

  it("types the entity API", () => {
    expectTypeOf(kong.entities).parameter(0).toEqualTypeOf<EntityName>();
    expectTypeOf(kong.entity("services", "x")).toEqualTypeOf<KongEntity | undefined>();
  });
});
