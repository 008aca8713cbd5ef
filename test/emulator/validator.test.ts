/**
 * The independent validator `validateSessionPlugin`: Kong's verdict without a server, and the same
 * verdict the emulator's `POST /plugins` gives (the validator is the emulator's own schema code).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPluginBody, KongEmulator, validateSessionPlugin } from "../../src/testing/index.js";
import { call, IDS } from "./support.js";

describe("validateSessionPlugin", () => {
  it("accepts valid bodies, whatever their references (no database checks)", () => {
    expect(validateSessionPlugin({ name: "session" })).toBeUndefined();
    expect(validateSessionPlugin({ name: "session", route: { id: IDS.missing }, config: { cookie_same_site: "None", remember: true } })).toBeUndefined();
  });

  it("fails when a body breaks Kong's rules, with Kong's exact error body", () => {
    expect(validateSessionPlugin({ name: "session", ordering: { before: { access: [1] } }, config: { absolute_timeout: true } })).toMatchInlineSnapshot(`
      {
        "code": 2,
        "fields": {
          "config": {
            "absolute_timeout": "expected a number",
          },
          "ordering": {
            "before": {
              "access": [
                "expected a string",
              ],
            },
          },
        },
        "message": "2 schema violations (config.absolute_timeout: expected a number; ordering.before: {
        access = {
          "expected a string"
        }
      })",
        "name": "schema violation",
      }
    `);
  });

  it("follows the edition and version it is given", () => {
    const body = { name: "session", protocols: ["wss"], config: { store_metadata: true } };
    expect(validateSessionPlugin(body, { edition: "enterprise", version: "3.10.0.0" })).toBeUndefined();
    expect(validateSessionPlugin(body, { edition: "community", version: "3.10.0" })?.message).toBe(
      "schema violation (protocols.1: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp)",
    );
    expect(validateSessionPlugin(body, { edition: "enterprise", version: "3.9.1" })?.message).toBe("schema violation (config.store_metadata: unknown field)");
  });

  it("accepts numbers without bounds, like Kong (negative and fractional timeouts)", () => {
    expect(validateSessionPlugin({ name: "session", config: { idling_timeout: -1, rolling_timeout: 0.5 } })).toBeUndefined();
  });

  it("checkPluginBody returns the entity Kong would store", () => {
    const checked = checkPluginBody({ name: "session", config: { cookie_persistent: true } }, { nodeSecret: "n" });
    expect(checked.entity).toMatchObject({ name: "session", enabled: true, config: { remember: true, secret: "n" } });
    expect(checked.entity?.config).not.toHaveProperty("cookie_persistent");
  });
});

describe("the validator and the emulator agree", () => {
  let kong: KongEmulator;
  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.9.1" });
  });
  afterAll(async () => {
    await kong.stop();
  });

  const bodies: Array<Record<string, unknown>> = [
    { name: "session" },
    { name: "session", config: { storage: "kong", request_headers: ["id", "id", "subject"] } },
    { name: "session", config: { cookie_domain: "" } },
    { name: "session", config: { logout_methods: "GET" } },
    { name: "session", config: { response_headers: ["bogus", null] } },
    { name: "session", config: { secret: 42 } },
    { name: "session", config: { cookie_samesite: "off" } },
    { name: "session", config: { cookie_idletime: "x" } },
    { name: "session", instance_name: "a/b", tags: ["ok", "\u0001"] },
    { name: "session", enabled: "true", protocols: [] },
    { name: "session", created_at: -5 },
    { name: "session", config: [] },
    { name: "session", consumer: null, consumer_group: { id: IDS.missing } },
    { name: "session", route: {} },
    { name: "other" },
  ];

  it.each(bodies.map((body) => [JSON.stringify(body), body]))("agrees on %s", async (_label, body) => {
    kong.reset();
    const expected = validateSessionPlugin(body as Record<string, unknown>);
    const res = await call(kong, "POST", "/plugins", body);
    if (expected === undefined) expect(res.status).toBe(201);
    else expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: expected });
  });
});
