/**
 * The Kong body built from camelCase props: `"name": "session"` always, Kong's names, unset values and
 * empty lists left out (as the official provider does), sets without duplicates in their first order.
 */
import { TerraformVariable, Token } from "cdktf";
import { describe, expect, it } from "vitest";
import { VALID_UUID, payloadOf, tokenStack } from "./support.js";

describe("the Kong body", () => {
  it("is just the plugin name when nothing is set", () => {
    expect(payloadOf({})).toEqual({ name: "session" });
  });

  it("is the reference page's example in Kong's names", () => {
    const attributes = {
      config: {
        absoluteTimeout: 3.79,
        audience: "...my_audience...",
        bind: ["scheme"],
        cookieDomain: "...my_cookie_domain...",
        cookieHttpOnly: false,
        cookieName: "...my_cookie_name...",
        cookiePath: "...my_cookie_path...",
        cookieSameSite: "Strict",
        cookieSecure: false,
        hashSubject: true,
        idlingTimeout: 0.19,
        logoutMethods: ["GET"],
        logoutPostArg: "...my_logout_post_arg...",
        logoutQueryArg: "...my_logout_query_arg...",
        readBodyForLogout: false,
        remember: false,
        rememberAbsoluteTimeout: 4.46,
        rememberCookieName: "...my_remember_cookie_name...",
        rememberRollingTimeout: 6.15,
        requestHeaders: ["id"],
        responseHeaders: ["subject"],
        rollingTimeout: 8.85,
        secret: "...my_secret...",
        staleTtl: 7.29,
        storage: "cookie",
        storeMetadata: true,
      },
      createdAt: 1,
      enabled: false,
      id: VALID_UUID,
      instanceName: "...my_instance_name...",
      ordering: { after: { access: ["..."] }, before: { access: ["..."] } },
      partials: [{ id: VALID_UUID, name: "...my_name...", path: "...my_path..." }],
      protocols: ["wss"],
      route: { id: VALID_UUID },
      service: { id: VALID_UUID },
      tags: ["..."],
      updatedAt: 4,
      workspace: "747d1e5-8246-4f65-a939-b392f1ee17f8",
    };
    expect(payloadOf(attributes)).toEqual({
      name: "session",
      config: {
        absolute_timeout: 3.79,
        audience: "...my_audience...",
        bind: ["scheme"],
        cookie_domain: "...my_cookie_domain...",
        cookie_http_only: false,
        cookie_name: "...my_cookie_name...",
        cookie_path: "...my_cookie_path...",
        cookie_same_site: "Strict",
        cookie_secure: false,
        hash_subject: true,
        idling_timeout: 0.19,
        logout_methods: ["GET"],
        logout_post_arg: "...my_logout_post_arg...",
        logout_query_arg: "...my_logout_query_arg...",
        read_body_for_logout: false,
        remember: false,
        remember_absolute_timeout: 4.46,
        remember_cookie_name: "...my_remember_cookie_name...",
        remember_rolling_timeout: 6.15,
        request_headers: ["id"],
        response_headers: ["subject"],
        rolling_timeout: 8.85,
        secret: "...my_secret...",
        stale_ttl: 7.29,
        storage: "cookie",
        store_metadata: true,
      },
      created_at: 1,
      enabled: false,
      id: VALID_UUID,
      instance_name: "...my_instance_name...",
      ordering: { after: { access: ["..."] }, before: { access: ["..."] } },
      partials: [{ id: VALID_UUID, name: "...my_name...", path: "...my_path..." }],
      protocols: ["wss"],
      route: { id: VALID_UUID },
      service: { id: VALID_UUID },
      tags: ["..."],
      updated_at: 4,
    });
  });

  it("leaves out the workspace (a path segment) and the provider (not Kong's)", () => {
    const payload = payloadOf({ workspace: "team-a", provider: { node: {} }, enabled: true });
    expect(payload).toEqual({ name: "session", enabled: true });
  });

  it("leaves out undefined and null values but keeps false and 0", () => {
    expect(
      payloadOf({
        enabled: undefined,
        tags: null,
        instanceName: undefined,
        config: { cookieName: undefined, cookieDomain: null, remember: false, idlingTimeout: 0 },
      }),
    ).toEqual({ name: "session", config: { remember: false, idling_timeout: 0 } });
  });

  it("keeps empty lists: in Kong [] is a value, and only a missing field takes the default", () => {
    expect(
      payloadOf({
        tags: [],
        protocols: [],
        partials: [],
        ordering: { after: { access: [] }, before: {} },
        config: { logoutMethods: [], requestHeaders: [], responseHeaders: [], bind: [] },
      }),
    ).toEqual({
      name: "session",
      tags: [],
      protocols: [],
      partials: [],
      ordering: { after: { access: [] } },
      config: { logout_methods: [], request_headers: [], response_headers: [], bind: [] },
    });
  });

  it("leaves out an empty config, so Kong fills in every default", () => {
    expect(payloadOf({ config: {} })).toEqual({ name: "session" });
  });

  it("drops duplicates of a set, keeping the first of each in order", () => {
    expect(
      payloadOf({
        protocols: ["https", "http", "https", "http"],
        tags: ["b", "a", "b"],
        config: {
          logoutMethods: ["DELETE", "POST", "DELETE"],
          requestHeaders: ["subject", "id", "subject"],
          responseHeaders: ["id", "id"],
        },
      }),
    ).toEqual({
      name: "session",
      protocols: ["https", "http"],
      tags: ["b", "a"],
      config: { logout_methods: ["DELETE", "POST"], request_headers: ["subject", "id"], response_headers: ["id"] },
    });
  });

  it("keeps duplicates of an array (bind, ordering access lists), as Kong does", () => {
    expect(payloadOf({ config: { bind: ["ip", "ip"] }, ordering: { after: { access: ["acl", "acl"] } } })).toEqual({
      name: "session",
      config: { bind: ["ip", "ip"] },
      ordering: { after: { access: ["acl", "acl"] } },
    });
  });

  it("keeps every token of a set, and drops duplicates of the known items around them", () => {
    const method = new TerraformVariable(tokenStack(), "method", { type: "string" }).stringValue;
    expect(payloadOf({ config: { logoutMethods: ["POST", method, "POST", method] } }).config.logout_methods).toEqual(["POST", method, method]);
  });

  it("copies a list token as it is", () => {
    const protocols = Token.asList(new TerraformVariable(tokenStack(), "protocols", { type: "list(string)" }).value);
    expect(payloadOf({ protocols }).protocols).toBe(protocols);
  });
});
