/**
 * Kong's error answers, pinned exactly: schema violations (2), primary key (3), foreign key (4),
 * unique (5), not found (6), offset (7), size (9), invalid unique (10), options (11), unresolved
 * foreign keys (13), and the transport-level 400/413/415 answers.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KongEmulator } from "../../src/testing/index.js";
import { call, IDS } from "./support.js";

let kong: KongEmulator;

beforeAll(async () => {
  kong = await KongEmulator.start({ edition: "enterprise", version: "3.9.1" });
});
afterAll(async () => {
  await kong.stop();
});
beforeEach(() => {
  kong.reset();
  kong.addService({ id: IDS.service, name: "svc" });
  kong.addRoute({ id: IDS.route, name: "r1", protocols: ["http", "https"], service: { id: IDS.service } });
});

const post = (body: unknown) => call(kong, "POST", "/plugins", body);

describe("code 2: schema violation (400)", () => {
  it("fails when one config value is outside its enum", async () => {
    const res = await post({ name: "session", config: { cookie_same_site: "strict" } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "config": {
            "cookie_same_site": "expected one of: Strict, Lax, None, Default",
          },
        },
        "message": "schema violation (config.cookie_same_site: expected one of: Strict, Lax, None, Default)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when several fields are wrong, listing them sorted in one message", async () => {
    const res = await post({
      name: "session",
      enabled: "yes",
      tags: ["ok", "a/b"],
      protocols: ["http", "ws", "smtp"],
      config: { idling_timeout: "900", cookie_http_only: 1, cookie_name: "", storage: "redis", nope: true, logout_methods: ["GET", "PUT"] },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "config": {
            "cookie_http_only": "expected a boolean",
            "cookie_name": "length must be at least 1",
            "idling_timeout": "expected a number",
            "logout_methods": [
              null,
              "expected one of: GET, POST, DELETE",
            ],
            "nope": "unknown field",
            "storage": "expected one of: cookie, kong",
          },
          "enabled": "expected a boolean",
          "protocols": [
            null,
            null,
            "expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp, ws, wss",
          ],
          "tags": [
            null,
            "invalid tag 'a/b': expected printable ascii (except \`,\` and \`/\`) or valid utf-8 sequences",
          ],
        },
        "message": "9 schema violations (config.cookie_http_only: expected a boolean; config.cookie_name: length must be at least 1; config.idling_timeout: expected a number; config.logout_methods: {
        [2] = "expected one of: GET, POST, DELETE"
      }; config.nope: unknown field; config.storage: expected one of: cookie, kong; enabled: expected a boolean; protocols.3: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp, ws, wss; tags.2: invalid tag 'a/b': expected printable ascii (except \`,\` and \`/\`) or valid utf-8 sequences)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when a top-level field is unknown or consumer is set on a session plugin", async () => {
    const res = await post({ name: "session", foo: 1, consumer: { id: IDS.missing } });
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "consumer": "value must be null",
          "foo": "unknown field",
        },
        "message": "2 schema violations (consumer: value must be null; foo: unknown field)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when the name is missing or not an enabled plugin", async () => {
    expect((await post({ config: {} })).body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "name": "required field missing",
        },
        "message": "schema violation (name: required field missing)",
        "name": "schema violation",
      }
    `);
    expect((await post({ name: "no-such-plugin" })).body).toMatchInlineSnapshot(`
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

  it("fails when config is not a record or a required field is null", async () => {
    expect((await post({ name: "session", config: "x" })).body.message).toBe("schema violation (config: expected a record)");
    expect((await post({ name: "session", config: null, enabled: null })).body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "config": "required field missing",
          "enabled": "required field missing",
        },
        "message": "2 schema violations (config: required field missing; enabled: required field missing)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when an id in the body is not a UUID (Kong's `expected a valid UUID`)", async () => {
    // a route table with a bad id is validated as a route by Kong, whose schema wants `protocols` first
    const res = await post({ id: "not-a-uuid", name: "session", route: { id: "also-not" }, service: { id: "nope" }, consumer: null });
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "id": "expected a valid UUID",
          "route": {
            "protocols": "required field missing",
          },
          "service": {
            "id": "expected a valid UUID",
          },
        },
        "message": "3 schema violations (id: expected a valid UUID; route.protocols: required field missing; service.id: expected a valid UUID)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when instance_name or a tag has characters Kong refuses", async () => {
    const res = await post({ name: "session", instance_name: "my plugin", tags: ["", "x,y"] });
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "instance_name": "invalid value 'my plugin': the only accepted ascii characters are alphanumerics or ., -, _, and ~",
          "tags": [
            "length must be at least 1",
            "invalid tag 'x,y': expected printable ascii (except \`,\` and \`/\`) or valid utf-8 sequences",
          ],
        },
        "message": "3 schema violations (instance_name: invalid value 'my plugin': the only accepted ascii characters are alphanumerics or ., -, _, and ~; tags.1: length must be at least 1; tags.2: invalid tag 'x,y': expected printable ascii (except \`,\` and \`/\`) or valid utf-8 sequences)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when a field does not exist in this Kong version", async () => {
    const res = await post({ name: "session", config: { hash_subject: true, bind: ["ip"] }, partials: [], condition: "true" });
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "condition": "unknown field",
          "config": {
            "bind": "unknown field",
            "hash_subject": "unknown field",
          },
          "partials": "unknown field",
        },
        "message": "4 schema violations (condition: unknown field; config.bind: unknown field; config.hash_subject: unknown field; partials: unknown field)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when a deprecated alias has the wrong type (reported at the top level, like Kong)", async () => {
    const res = await post({ name: "session", config: { cookie_lifetime: "1h", cookie_samesite: "" } });
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "cookie_lifetime": "expected a number",
          "cookie_samesite": "length must be at least 1",
        },
        "message": "2 schema violations (cookie_lifetime: expected a number; cookie_samesite: length must be at least 1)",
        "name": "schema violation",
      }
    `);
  });

  it("fails when the plugin's protocols do not overlap the route's", async () => {
    const res = await post({ name: "session", route: { id: IDS.route }, protocols: ["grpc"] });
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "protocols": "must match the associated route's protocols",
        },
        "message": "schema violation (protocols: must match the associated route's protocols)",
        "name": "schema violation",
      }
    `);
    const viaService = await post({ name: "session", service: { id: IDS.service }, protocols: ["grpcs"] });
    expect(viaService.body.message).toBe(
      "schema violation (protocols: must match the protocols of at least one route pointing to this Plugin's service)",
    );
  });
});

describe("code 3: primary key violation (400)", () => {
  it("fails when a POST reuses an existing id", async () => {
    await post({ id: IDS.plugin, name: "session" });
    const res = await post({ id: IDS.plugin, name: "cors" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 3,
        "fields": {
          "id": "3e3004d4-7e81-4a2a-9c73-8c513e3c0001",
        },
        "message": "primary key violation on key '{id="3e3004d4-7e81-4a2a-9c73-8c513e3c0001"}'",
        "name": "primary key violation",
      }
    `);
  });
});

describe("code 3 from a null id", () => {
  it("fails when the id is null: Postgres' not-null constraint, printed the way Kong prints ngx.null", async () => {
    const res = await post({ id: null, name: "session" });
    expect(res.status).toBe(400);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 3,
        "fields": {
          "id": null,
        },
        "message": "primary key violation on key '{id="userdata: NULL"}'",
        "name": "primary key violation",
      }
    `);
  });
});

describe("code 4: foreign key violation (400)", () => {
  it("fails when the route does not exist", async () => {
    const res = await post({ name: "session", route: { id: IDS.missing } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 4,
        "fields": {
          "route": {
            "id": "0b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c",
          },
        },
        "message": "the foreign key '{id="0b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c"}' does not reference an existing 'routes' entity.",
        "name": "foreign key violation",
      }
    `);
  });

  it("fails on the service first when both references are missing (Postgres checks service_id before route_id)", async () => {
    const res = await post({ name: "session", route: { id: IDS.missing }, service: { id: "9b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c" } });
    expect(res.body.message).toBe("the foreign key '{id=\"9b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c\"}' does not reference an existing 'services' entity.");
  });
});

describe("code 5: unique constraint violation (409)", () => {
  it("fails when a second session plugin targets the same route", async () => {
    await post({ name: "session", route: { id: IDS.route } });
    const res = await post({ name: "session", route: { id: IDS.route }, config: { cookie_name: "other" } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 5,
        "fields": {
          "consumer": null,
          "name": "session",
          "route": {
            "id": "1c1ee2b2-5c6f-4e0e-9a51-6a3f1c1a0001",
          },
          "service": null,
        },
        "message": "UNIQUE violation detected on '{consumer=null,name="session",route={id="1c1ee2b2-5c6f-4e0e-9a51-6a3f1c1a0001"},service=null}'",
        "name": "unique constraint violation",
      }
    `);
  });

  it("fails when the instance name is taken, also on PATCH", async () => {
    await post({ name: "session", instance_name: "login" });
    const dup = await post({ name: "session", route: { id: IDS.route }, instance_name: "login" });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchInlineSnapshot(`
      {
        "code": 5,
        "fields": {
          "instance_name": "login",
        },
        "message": "UNIQUE violation detected on '{instance_name="login"}'",
        "name": "unique constraint violation",
      }
    `);
    const other = (await post({ name: "session", route: { id: IDS.route } })).body;
    const patched = await call(kong, "PATCH", `/plugins/${other.id}`, { instance_name: "login" });
    expect(patched.status).toBe(409);
  });

  it("allows the same plugin on different routes and in different workspaces", async () => {
    expect((await post({ name: "session" })).status).toBe(201);
    expect((await post({ name: "session", route: { id: IDS.route } })).status).toBe(201);
  });
});

describe("code 6: not found (404)", () => {
  it("fails when PATCH names the plugin but it does not exist", async () => {
    const res = await call(kong, "PATCH", `/plugins/${IDS.missing}`, { name: "session", enabled: false });
    expect(res.status).toBe(404);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 6,
        "fields": {
          "id": "0b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c",
        },
        "message": "could not find the entity with primary key '{id="0b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c"}'",
        "name": "not found",
      }
    `);
    const byName = await call(kong, "PATCH", "/plugins/ghost", { name: "session" });
    expect(byName.body.message).toBe("could not find the entity with '{instance_name=\"ghost\"}'");
  });
});

describe("codes 7, 9, 11: listing parameters (400)", () => {
  it("fails when the offset is not base64 or not JSON", async () => {
    expect((await call(kong, "GET", "/plugins?offset=%21%21")).body).toMatchInlineSnapshot(`
      {
        "code": 7,
        "message": "'!!' is not a valid offset: bad base64 encoding",
        "name": "invalid offset",
      }
    `);
    expect((await call(kong, "GET", "/plugins?offset=abcd")).body).toMatchInlineSnapshot(`
      {
        "code": 7,
        "message": "'abcd' is not a valid offset: bad json encoding",
        "name": "invalid offset",
      }
    `);
  });

  it("fails when size is not a number or out of range", async () => {
    expect((await call(kong, "GET", "/plugins?size=ten")).body).toMatchInlineSnapshot(`
      {
        "code": 9,
        "message": "size must be a number",
        "name": "invalid size",
      }
    `);
    expect((await call(kong, "GET", "/plugins?size=0")).body).toMatchInlineSnapshot(`
      {
        "code": 9,
        "message": "size must be an integer between 1 and 1000",
        "name": "invalid size",
      }
    `);
    expect((await call(kong, "GET", "/plugins?size=1001")).status).toBe(400);
    expect((await call(kong, "GET", "/plugins?size=2.5")).status).toBe(400);
  });

  it("fails when the tag filter is empty, mixes , and / or has more than 5 tags", async () => {
    expect((await call(kong, "GET", "/plugins?tags=")).body).toMatchInlineSnapshot(`
      {
        "code": 11,
        "message": "invalid option (tags: cannot be null)",
        "name": "invalid options",
        "options": {
          "tags": "cannot be null",
        },
      }
    `);
    expect((await call(kong, "GET", "/plugins?tags=a,b/c")).body.message).toBe("invalid option (tags: invalid filter syntax)");
    expect((await call(kong, "GET", "/plugins?tags=a,b,c,d,e,f")).body.message).toBe("invalid option (tags: cannot query more than 5 tags)");
  });
});

describe("code 10: invalid unique (400), code 13: foreign keys unresolved (400)", () => {
  it("fails when a path segment is neither a UUID nor a valid instance name (Kong never answers code 1 here)", async () => {
    const res = await call(kong, "GET", "/plugins/not%20a%20uuid");
    expect(res.status).toBe(400);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 10,
        "message": "invalid value 'not a uuid': the only accepted ascii characters are alphanumerics or ., -, _, and ~",
        "name": "invalid unique instance_name",
      }
    `);
  });

  it("fails when a route referenced by name does not exist", async () => {
    const res = await post({ name: "session", route: { name: "ghost-route" } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchInlineSnapshot(`
      {
        "code": 13,
        "fields": {
          "route": {
            "name": "the foreign key cannot be resolved with '{name="ghost-route"}' for an existing 'routes' entity",
          },
        },
        "message": "foreign key unresolved (route.name: the foreign key cannot be resolved with '{name="ghost-route"}' for an existing 'routes' entity)",
        "name": "foreign keys unresolved",
      }
    `);
  });
});

describe("transport-level answers", () => {
  it("fails when the JSON body cannot be parsed", async () => {
    const res = await call(kong, "POST", "/plugins", undefined, { raw: '{"name": "session",' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ message: "Cannot parse JSON body" });
    expect((await call(kong, "POST", "/plugins", undefined, { raw: "" })).body).toEqual({ message: "Cannot parse JSON body" });
    expect((await call(kong, "POST", "/plugins", undefined, { raw: '"session"' })).status).toBe(400);
  });

  it("fails when the body is larger than 10 MiB (413)", async () => {
    const res = await call(kong, "POST", "/plugins", undefined, { raw: JSON.stringify({ name: "session", pad: "x".repeat(10 * 1024 * 1024) }) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ message: "Payload too large" });
  });

  it("fails when the body is not JSON (415, the emulator only speaks JSON)", async () => {
    const res = await call(kong, "POST", "/plugins", undefined, { raw: "name=session", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(415);
  });

  it("fails with 500 where Kong raises a Lua error, and keeps answering", async () => {
    await call(kong, "POST", "/plugins", undefined, { raw: "[1,2" });
    expect(await post({ name: 12 })).toMatchObject({ status: 500, body: { message: "An unexpected error occurred" } });
    expect(await post({ name: "session", route: 5 })).toMatchObject({ status: 500, body: { message: "An unexpected error occurred" } });
    expect((await call(kong, "GET", "/")).status).toBe(200);
  });

  it("fails when the request is not HTTP (400) and keeps serving", async () => {
    const { port } = kong;
    const answer = await new Promise<string>((resolve, reject) => {
      let text = "";
      const socket = connect(port, "127.0.0.1", () => socket.write("NOT HTTP AT ALL\r\n\r\n"));
      socket.on("data", (chunk) => (text += chunk.toString()));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect((await call(kong, "GET", "/")).status).toBe(200);
  });
});
