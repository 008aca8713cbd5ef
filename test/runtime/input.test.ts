import { describe, expect, test } from "vitest";
import { changedFields, withCarryOver } from "../../src/runtime/actions.js";
import type { KongPlugin } from "../../src/runtime/client.js";
import { readConnection, readReapInput, resolveRefs } from "../../src/runtime/input.js";

describe("resolveRefs", () => {
  test("replaces placeholders at any depth, strings raw and json parsed", () => {
    const payload = {
      name: "session",
      tags: ["a", { $ref: "0", as: "string" }],
      config: { remember: { $ref: "1", as: "json" }, cookie_name: "{$ref}" },
    };
    const env = { KONG_CDKTF_REF_0: '"quoted"', KONG_CDKTF_REF_1: "true" };

    expect(resolveRefs(payload, env)).toEqual({ name: "session", tags: ["a", '"quoted"'], config: { remember: true, cookie_name: "{$ref}" } });
  });

  test("leaves look-alikes that are not placeholders alone", () => {
    const payload = { name: "session", config: { audience: { $ref: "0", as: "string", extra: 1 } } };
    expect(resolveRefs(payload, {})).toEqual(payload);
  });

  test("fails when the reference name is not a plain name", () => {
    expect(() => resolveRefs({ config: { secret: { $ref: "../x", as: "string" } } }, {})).toThrowErrorMatchingInlineSnapshot(`[KongRequestError: invalid reference "../x" at config.secret: expected letters, digits or _]`);
  });
});

describe("readConnection", () => {
  test("is empty when unset", () => {
    expect(readConnection({})).toEqual({});
  });

  test("reads every option", () => {
    const options = {
      headers: { "x-team": "payments" },
      caCertFile: "/etc/ca.pem",
      clientCertFile: "/etc/c.pem",
      clientKeyFile: "/etc/k.pem",
      insecureSkipTlsVerify: false,
      requestTimeoutMs: 5000,
      deadlineMs: 30000,
      maxRetries: 0,
    };
    expect(readConnection({ KONG_CDKTF_CONNECTION: JSON.stringify(options) })).toEqual(options);
  });

  test("fails when an option is unknown or of the wrong type", () => {
    expect(() => readConnection({ KONG_CDKTF_CONNECTION: '{"timeout":1}' })).toThrowErrorMatchingInlineSnapshot(`[KongRequestError: invalid KONG_CDKTF_CONNECTION: unknown option "timeout"]`);
    expect(() => readConnection({ KONG_CDKTF_CONNECTION: '{"headers":{"a":1}}' })).toThrowErrorMatchingInlineSnapshot(`[KongRequestError: invalid KONG_CDKTF_CONNECTION: headers must be an object of strings]`);
    expect(() => readConnection({ KONG_CDKTF_CONNECTION: "{" })).toThrowErrorMatchingInlineSnapshot(`[KongRequestError: invalid KONG_CDKTF_CONNECTION: not valid JSON]`);
  });
});

describe("readReapInput", () => {
  test("treats unset lists as empty", () => {
    expect(readReapInput({})).toEqual({ previous: [], current: [], serverUrl: undefined, legacyServerUrls: new Map() });
  });

  test("fails when the server URL of an entry is not http(s), hiding user info", () => {
    const previous = JSON.stringify([{ id: "6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c", workspace: "", serverUrl: "ftp://u:pw@x" }]);
    expect(() => readReapInput({ KONG_CDKTF_REAP_PREVIOUS: previous })).toThrowErrorMatchingInlineSnapshot(`[KongRequestError: invalid KONG_CDKTF_REAP_PREVIOUS: item 0: the server URL "ftp://<redacted>@x" is invalid: expected an http:// or https:// URL]`);
  });
});

describe("carry-over and changes", () => {
  const live: KongPlugin = { id: "i", name: "session", created_at: 5, updated_at: 6, enabled: true, config: { secret: "s", cookie_name: "a", logout_methods: ["POST", "DELETE"] } };

  test("carries over the live secret and created_at, without touching the desired object", () => {
    const desired = { name: "session" };
    expect(withCarryOver(desired, live)).toEqual({ name: "session", created_at: 5, config: { secret: "s" } });
    expect(desired).toEqual({ name: "session" });
    expect(withCarryOver(desired, undefined)).toEqual({ name: "session" });
  });

  test("names changed fields: config fields bare, top-level as is, timestamps ignored, null equal to absent", () => {
    const after: KongPlugin = { ...live, updated_at: 9, enabled: false, tags: null, config: { secret: "s", cookie_name: "b", logout_methods: ["POST"] } };
    expect(changedFields(live, after)).toEqual(["cookie_name", "enabled", "logout_methods"]);
    expect(changedFields(live, { ...live, updated_at: 10 })).toEqual([]);
  });
});
