/**
 * The pure parts behind `diff` and `import`: field comparison with Kong's semantics, and the props
 * generated from a live plugin.
 */
import { describe, expect, it } from "vitest";
import { constructIdFor, generateSession, propsFromPlugin } from "../../src/cli/codegen.js";
import { comparePlugin } from "../../src/cli/compare.js";
import { parseImportId } from "../../src/cli/import-id.js";
import type { KongPlugin } from "../../src/runtime/client.js";
import { ownerTag } from "../../src/runtime/ownership.js";
import { SECRET } from "./support.js";

const ID = "6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c";
/** The tag the apply-time program adds to every plugin it writes. */
const OWNER = ownerTag("0b7e4a5c-2f1d-4c3b-9a8e-7d6c5b4a3f2e");

/** A plugin as Kong 3.9 returns it: every field, defaults filled in. */
function live(overrides: Record<string, unknown> = {}, config: Record<string, unknown> = {}): KongPlugin {
  return {
    id: ID,
    name: "session",
    created_at: 1700000000,
    updated_at: 1700000500,
    instance_name: null,
    route: null,
    service: null,
    consumer: null,
    enabled: true,
    protocols: ["grpc", "grpcs", "http", "https"],
    tags: null,
    ordering: null,
    config: {
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
      ...config,
    },
    ...overrides,
  };
}

describe("comparePlugin", () => {
  it("finds nothing between an empty body and Kong's defaults", () => {
    expect(comparePlugin({ name: "session" }, live())).toEqual({ changes: [], knownAfterApply: [] });
  });

  it("compares sets without order, and lists with order", () => {
    expect(comparePlugin({ name: "session", config: { logout_methods: ["DELETE", "POST"] } }, live()).changes).toEqual([]);
    expect(comparePlugin({ name: "session", protocols: ["https", "http", "grpcs", "grpc"] }, live()).changes).toEqual([]);
    expect(comparePlugin({ name: "session", ordering: { after: { access: ["a", "b"] } } }, live({ ordering: { after: { access: ["b", "a"] } } })).changes).toEqual([
      { field: "ordering.after.access", desired: ["a", "b"], live: ["b", "a"] },
    ]);
  });

  it("reports a hand change of a field the code leaves at its default", () => {
    expect(comparePlugin({ name: "session" }, live({ enabled: false, tags: ["x"] }, { cookie_same_site: "Lax" })).changes).toEqual([
      { field: "enabled", desired: true, live: false },
      { field: "tags", desired: [], live: ["x"] },
      { field: "config.cookie_same_site", desired: "Strict", live: "Lax" },
    ]);
  });

  it("compares the secret only when the code sets a literal one, and never shows it", () => {
    expect(comparePlugin({ name: "session" }, live()).changes).toEqual([]);
    expect(comparePlugin({ name: "session", config: { secret: SECRET } }, live()).changes).toEqual([]);
    expect(comparePlugin({ name: "session", config: { secret: "other-secret-value" } }, live()).changes).toEqual([
      { field: "config.secret", desired: "<redacted>", live: "<redacted>", secret: true },
    ]);
  });

  it("lists values known only at apply and does not compare them", () => {
    const desired = {
      name: "session",
      route: { id: { $ref: "0", as: "string" } },
      tags: ["a", { $ref: "1", as: "string" }],
      config: { secret: { $ref: "2", as: "string" }, cookie_name: "sid" },
    };
    expect(comparePlugin(desired, live({ route: { id: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c" } }))).toEqual({
      changes: [{ field: "config.cookie_name", desired: "sid", live: "session" }],
      knownAfterApply: ["tags", "route.id", "config.secret"],
    });
  });

  it("leaves out fields the live Kong does not have, unless the code sets them", () => {
    // Kong 3.9 has no hash_subject, store_metadata, condition or partials
    expect(comparePlugin({ name: "session" }, live()).changes).toEqual([]);
    expect(comparePlugin({ name: "session", condition: "true", config: { hash_subject: true } }, live()).changes).toEqual([
      { field: "condition", desired: "true", live: null },
      { field: "config.hash_subject", desired: true, live: null },
    ]);
  });

  it("tells an empty list from an unset field, as Kong stores them", () => {
    // request_headers: Kong's default is null, so [] is a value of its own
    expect(comparePlugin({ name: "session", config: { request_headers: [] } }, live()).changes).toEqual([
      { field: "config.request_headers", desired: [], live: null },
    ]);
    expect(comparePlugin({ name: "session" }, live({}, { request_headers: [] })).changes).toEqual([
      { field: "config.request_headers", desired: null, live: [] },
    ]);
    expect(comparePlugin({ name: "session", config: { request_headers: [] } }, live({}, { request_headers: [] })).changes).toEqual([]);
    // logout_methods: unset means Kong's default, ["POST", "DELETE"]
    expect(comparePlugin({ name: "session" }, live({}, { logout_methods: [] })).changes).toEqual([
      { field: "config.logout_methods", desired: ["POST", "DELETE"], live: [] },
    ]);
    expect(
      comparePlugin({ name: "session", protocols: [], ordering: { before: { access: [] } }, partials: [] }, live({ partials: null })).changes,
    ).toEqual([
      { field: "protocols", desired: [], live: ["grpc", "grpcs", "http", "https"] },
      { field: "ordering.before.access", desired: [], live: null },
      { field: "partials", desired: [], live: null },
    ]);
  });

  it("compares the user's tags: no tags, [] and the owner tag alone are the same", () => {
    for (const tags of [null, [], [OWNER]]) {
      expect(comparePlugin({ name: "session", tags: [] }, live({ tags })).changes).toEqual([]);
      expect(comparePlugin({ name: "session" }, live({ tags })).changes).toEqual([]);
    }
    expect(comparePlugin({ name: "session", tags: ["team"] }, live({ tags: ["team", OWNER] })).changes).toEqual([]);
    expect(comparePlugin({ name: "session" }, live({ tags: ["team", OWNER] })).changes).toEqual([{ field: "tags", desired: [], live: ["team"] }]);
  });

  it("reports a plugin of another kind under the same id", () => {
    expect(comparePlugin({ name: "session" }, { id: ID, name: "cors", config: {} }).changes[0]).toEqual({ field: "name", desired: "session", live: "cors" });
  });
});

describe("propsFromPlugin", () => {
  it("keeps only what differs from Kong's defaults, and never the secret", () => {
    expect(propsFromPlugin(live({ tags: [] }, { cookie_name: "sid", logout_methods: ["DELETE", "POST"] }), "ws")).toEqual({
      props: { id: ID, workspace: "ws", config: { cookieName: "sid" } },
      secret: "hidden",
      leftOut: [],
    });
  });

  it("prints a live [] as [] wherever Kong's default differs, and nothing for null", () => {
    const plugin = live(
      { protocols: [], tags: [OWNER], ordering: { before: { access: [] }, after: { access: null } }, partials: [] },
      { logout_methods: [], request_headers: [], response_headers: null, cookie_domain: null },
    );
    const { code, warnings } = generateSession(plugin, { workspace: "ws" });
    expect(warnings).toEqual([]);
    expect(code).toMatchInlineSnapshot(`
      "// session plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c in workspace ws
      new PluginSession(this, "session_6f1c2a1e", {
        id: "6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c",
        workspace: "ws",
        config: {
          logoutMethods: [],
          requestHeaders: [],
          // secret: sessionSecret.stringValue, // was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable or a vault reference
        },
        protocols: [],
        ordering: {
          before: { access: [] },
        },
        partials: [],
      });
      "
    `);
    expect(propsFromPlugin(plugin, "ws").props).not.toHaveProperty("tags");
  });

  it("prints the user's tags without the owner tag", () => {
    const { code } = generateSession(live({ tags: ["team", OWNER] }, { cookie_name: "sid" }), {});
    expect(code).toMatchInlineSnapshot(`
      "// session plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (default workspace)
      new PluginSession(this, "session_6f1c2a1e", {
        id: "6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c",
        config: {
          cookieName: "sid",
          // secret: sessionSecret.stringValue, // was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable or a vault reference
        },
        tags: ["team"],
      });
      "
    `);
    // no tags, [] and the owner tag alone all mean "the user has no tags": the construct writes the same
    for (const tags of [null, [], [OWNER]]) expect(propsFromPlugin(live({ tags }), undefined).props).not.toHaveProperty("tags");
  });

  it("names what it cannot carry, and the rules of this library the live plugin breaks", () => {
    const plugin = live({ consumer: { id: "x" }, future_field: 1 }, { idling_timeout: -5, new_kong_field: "x" });
    const { warnings, code } = generateSession(plugin, {});
    expect(warnings).toMatchInlineSnapshot(`
      [
        "plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (default workspace): left out config.new_kong_field, consumer, future_field: not attributes of kong-gateway_plugin_session",
        "plugin 6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (default workspace): the live value breaks a rule of this library: config.idlingTimeout (Kong: config.idling_timeout): expected a finite number that is not negative, got -5",
      ]
    `);
    expect(code).toContain("idlingTimeout: -5,");
    expect(code).toContain("// warning: ");
  });

  it("derives the construct id from the instance name, else the id", () => {
    expect(constructIdFor(live({ instance_name: "checkout.v2" }))).toBe("checkout.v2");
    expect(constructIdFor(live())).toBe("session_6f1c2a1e");
  });
});

describe("parseImportId", () => {
  it("reads the official import id, with or without the workspace", () => {
    expect(parseImportId(`{"id": "${ID}", "workspace": "747d1e5-8246-4f65-a939-b392f1ee17f8"}`)).toEqual({
      id: ID,
      workspace: "747d1e5-8246-4f65-a939-b392f1ee17f8",
      isUuid: true,
    });
    expect(parseImportId(`{"id": "checkout-session"}`)).toEqual({ id: "checkout-session", isUuid: false });
  });

  it("matches the keys as Go's encoding/json does: in any letter case, with Unicode simple folding", () => {
    expect(parseImportId(`{"ID": "${ID}", "Workspace": "ws"}`)).toEqual({ id: ID, workspace: "ws", isUuid: true });
    expect(parseImportId(`{"iD": "${ID}", "WORKSPACE": "ws"}`)).toEqual({ id: ID, workspace: "ws", isUuid: true });
    // the Kelvin sign folds to k, the long s to s; the dotted capital I folds to nothing
    expect(parseImportId(`{"id": "${ID}", "wor\u212A\u017Fpace": "ws"}`)).toEqual({ id: ID, workspace: "ws", isUuid: true });
    expect(() => parseImportId(`{"\u0130d": "${ID}"}`)).toThrow(/unknown key "İd"/);
    // the same spelling twice: the last value, as in Go
    expect(parseImportId(`{"id": "first", "id": "${ID}"}`)).toEqual({ id: ID, isUuid: true });
  });
});
