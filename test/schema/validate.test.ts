/**
 * The rules `validatePluginSession` applies, field by field: Kong's rules (facts page, sections 1-2)
 * and this library's own (non-negative timeouts, unknown props with a "did you mean").
 */
import { Fn, TerraformVariable, Token } from "cdktf";
import { describe, expect, it } from "vitest";
import { validatePluginSession, type PluginSessionAttributes } from "../../src/index.js";
import { validateAttributes, validateKongPayload } from "../../src/schema/index.js";
import { VALID_UUID, payloadOf, problems, tokenStack } from "./support.js";

/** [prop, Kong name, a valid value, a value of the wrong type, the message for it] for all 26. */
const CONFIG_CASES: Array<[string, string, unknown, unknown, string]> = [
  ["absoluteTimeout", "absolute_timeout", 3.79, "3.79", "expected a number"],
  ["audience", "audience", "my-application", 1, "expected a string"],
  ["bind", "bind", ["scheme"], "scheme", "expected an array"],
  ["cookieDomain", "cookie_domain", "example.com", true, "expected a string"],
  ["cookieHttpOnly", "cookie_http_only", false, "false", "expected a boolean"],
  ["cookieName", "cookie_name", "sid", 42, "expected a string"],
  ["cookiePath", "cookie_path", "/app", ["/"], "expected a string"],
  ["cookieSameSite", "cookie_same_site", "Lax", 1, "expected one of: Strict, Lax, None, Default"],
  ["cookieSecure", "cookie_secure", false, 0, "expected a boolean"],
  ["hashSubject", "hash_subject", true, "yes", "expected a boolean"],
  ["idlingTimeout", "idling_timeout", 0.19, true, "expected a number"],
  ["logoutMethods", "logout_methods", ["GET"], "GET", "expected a set"],
  ["logoutPostArg", "logout_post_arg", "bye", 1, "expected a string"],
  ["logoutQueryArg", "logout_query_arg", "bye", {}, "expected a string"],
  ["readBodyForLogout", "read_body_for_logout", false, "false", "expected a boolean"],
  ["remember", "remember", true, 1, "expected a boolean"],
  ["rememberAbsoluteTimeout", "remember_absolute_timeout", 4.46, "4.46", "expected a number"],
  ["rememberCookieName", "remember_cookie_name", "keep", false, "expected a string"],
  ["rememberRollingTimeout", "remember_rolling_timeout", 6.15, [6], "expected a number"],
  ["requestHeaders", "request_headers", ["id"], "id", "expected a set"],
  ["responseHeaders", "response_headers", ["subject"], { subject: true }, "expected a set"],
  ["rollingTimeout", "rolling_timeout", 8.85, "8.85", "expected a number"],
  ["secret", "secret", "my-secret", 123, "expected a string"],
  ["staleTtl", "stale_ttl", 7.29, "7", "expected a number"],
  ["storage", "storage", "kong", 1, "expected one of: cookie, kong"],
  ["storeMetadata", "store_metadata", true, "true", "expected a boolean"],
];

const NUMBER_PROPS = ["absoluteTimeout", "idlingTimeout", "rememberAbsoluteTimeout", "rememberRollingTimeout", "rollingTimeout", "staleTtl"];
const STRING_PROPS = ["audience", "cookieDomain", "cookieName", "cookiePath", "logoutPostArg", "logoutQueryArg", "rememberCookieName", "secret"];

describe("every config attribute", () => {
  it("has a case here", () => {
    expect(CONFIG_CASES).toHaveLength(26);
  });

  it.each(CONFIG_CASES)("%s: a valid value passes and reaches Kong as %s", (prop, kong, valid) => {
    expect(payloadOf({ config: { [prop]: valid } })).toEqual({ name: "session", config: { [kong]: valid } });
  });

  it.each(CONFIG_CASES)("%s: fails when the type is wrong", (prop, kong, _valid, wrong, message) => {
    expect(problems({ config: { [prop]: wrong } })).toEqual([{ at: `config.${prop}`, kong: `config.${kong}`, code: "invalid_value", message }]);
  });

  it.each(STRING_PROPS)("%s: fails when empty (length must be at least 1)", (prop) => {
    expect(problems({ config: { [prop]: "" } })).toEqual([
      { at: `config.${prop}`, kong: expect.stringMatching(/^config\./), code: "invalid_value", message: "length must be at least 1" },
    ]);
  });
});

describe("values from a list", () => {
  it.each(["Strict", "Lax", "None", "Default"])("cookieSameSite accepts %s", (value) => {
    expect(problems({ config: { cookieSameSite: value } })).toEqual([]);
  });

  it("fails when cookieSameSite is not one of Kong's values, and suggests the close one", () => {
    expect(problems({ config: { cookieSameSite: "lax" } })).toEqual([
      {
        at: "config.cookieSameSite",
        kong: "config.cookie_same_site",
        code: "invalid_value",
        message: "expected one of: Strict, Lax, None, Default",
        hint: 'did you mean "Lax"?',
      },
    ]);
  });

  it.each(["cookie", "kong"])("storage accepts %s", (value) => {
    expect(problems({ config: { storage: value } })).toEqual([]);
  });

  it("fails when storage is not cookie or kong", () => {
    expect(problems({ config: { storage: "redis" } })).toEqual([
      { at: "config.storage", kong: "config.storage", code: "invalid_value", message: "expected one of: cookie, kong" },
    ]);
  });

  const LISTS: Array<[string, string, string[], string, string]> = [
    ["bind", "config.bind", ["ip", "scheme", "user-agent"], "cookie", "expected one of: ip, scheme, user-agent"],
    ["logoutMethods", "config.logout_methods", ["GET", "POST", "DELETE"], "PUT", "expected one of: GET, POST, DELETE"],
    [
      "requestHeaders",
      "config.request_headers",
      ["id", "audience", "subject", "timeout", "idling-timeout", "rolling-timeout", "absolute-timeout"],
      "session",
      "expected one of: id, audience, subject, timeout, idling-timeout, rolling-timeout, absolute-timeout",
    ],
    [
      "responseHeaders",
      "config.response_headers",
      ["id", "audience", "subject", "timeout", "idling-timeout", "rolling-timeout", "absolute-timeout"],
      "expires",
      "expected one of: id, audience, subject, timeout, idling-timeout, rolling-timeout, absolute-timeout",
    ],
  ];

  it.each(LISTS)("config.%s accepts each of Kong's items", (prop, kong, values) => {
    expect(payloadOf({ config: { [prop]: values } }).config).toEqual({ [kong.slice("config.".length)]: values });
  });

  it.each(LISTS)("config.%s fails when an item is not allowed, naming the item", (prop, kong, values, wrong, message) => {
    expect(problems({ config: { [prop]: [values[0], wrong] } })).toEqual([
      { at: `config.${prop}[1]`, kong: `${kong}[1]`, code: "invalid_value", message },
    ]);
  });

  it("suggests the close item of a list", () => {
    expect(problems({ config: { bind: ["user_agent"], logoutMethods: ["delete"] } }).map((p) => p.hint)).toEqual([
      'did you mean "user-agent"?',
      'did you mean "DELETE"?',
    ]);
  });

  it.each(["grpc", "grpcs", "http", "https", "tcp", "tls", "tls_passthrough", "udp", "ws", "wss"])("protocols accepts %s", (value) => {
    expect(payloadOf({ protocols: [value] }).protocols).toEqual([value]);
  });

  it("fails when a protocol is not one of Kong's", () => {
    expect(problems({ protocols: ["https", "HTTP"] })).toEqual([
      {
        at: "protocols[1]",
        kong: "protocols[1]",
        code: "invalid_value",
        message: "expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp, ws, wss",
        hint: 'did you mean "http"?',
      },
    ]);
  });

  it("fails when a list is given where Kong wants a set of strings", () => {
    expect(problems({ protocols: "https", tags: "a" })).toEqual([
      { at: "protocols", kong: "protocols", code: "invalid_value", message: "expected a set" },
      { at: "tags", kong: "tags", code: "invalid_value", message: "expected a set" },
    ]);
  });
});

describe("UUIDs (Kong: 8-4-4-4-12 hex digits, any version, any case)", () => {
  const VALID = [
    VALID_UUID,
    "3473C251-5B6C-4F45-B1FF-7EDE735A366D",
    "c9bf9e57-1685-11ec-9621-0242ac130002",
    "00000000-0000-0000-0000-000000000000",
  ];
  const INVALID = [
    "747d1e5-8246-4f65-a939-b392f1ee17f8",
    "3473c2515b6c4f45b1ff7ede735a366d",
    "3473c251-5b6c-4f45-b1ff-7ede735a366g",
    "{3473c251-5b6c-4f45-b1ff-7ede735a366d}",
    ` ${VALID_UUID}`,
    `${VALID_UUID}0`,
    "route-1",
  ];
  const at = (where: string, value: string) => {
    switch (where) {
      case "id":
        return { id: value };
      case "route.id":
        return { route: { id: value } };
      case "service.id":
        return { service: { id: value } };
      default:
        return { partials: [{ id: value }] };
    }
  };
  const PLACES = ["id", "route.id", "service.id", "partials[0].id"];

  it.each(PLACES.flatMap((where) => VALID.map((value) => [where, value])))("%s accepts %s", (where, value) => {
    expect(problems(at(where, value))).toEqual([]);
  });

  it.each(PLACES.flatMap((where) => INVALID.map((value) => [where, value])))("%s fails for %j", (where, value) => {
    expect(problems(at(where, value))).toEqual([{ at: where, kong: where, code: "invalid_value", message: "expected a valid UUID" }]);
  });

  it.each(["route", "service"])("fails when %s is given without an id, instead of applying to every %s", (record) => {
    const missing = { at: `${record}.id`, kong: `${record}.id`, code: "invalid_value", message: "required field missing" };
    expect(problems({ [record]: {} })).toEqual([missing]);
    expect(problems({ [record]: { id: undefined } })).toEqual([missing]);
  });
});

describe("instanceName (Kong's utf8_name)", () => {
  it.each(["session-1", "my_session.v2~x", "ABCxyz09", "séance", "会话", "emoji😀"])("accepts %j", (value) => {
    expect(payloadOf({ instanceName: value }).instance_name).toBe(value);
  });

  it.each(["my session", "a/b", "a:b", "a@b", "a,b", "tab\tx"])("fails for %j", (value) => {
    expect(problems({ instanceName: value })).toEqual([
      {
        at: "instanceName",
        kong: "instance_name",
        code: "invalid_value",
        message: "the only accepted ascii characters are alphanumerics or ., -, _, and ~",
      },
    ]);
  });

  it("applies the same rule to a partial's name and to the workspace", () => {
    expect(problems({ partials: [{ name: "my partial" }], workspace: "team a" }).map((p) => [p.at, p.message])).toEqual([
      ["partials[0].name", "the only accepted ascii characters are alphanumerics or ., -, _, and ~"],
      ["workspace", "the only accepted ascii characters are alphanumerics or ., -, _, and ~"],
    ]);
  });
});

describe("tags (Kong's validate_tag: printable ascii, space included, except `,` and `/`; any utf-8)", () => {
  it.each(["env=prod", "team payments", " ", "ünïcode", "标签", "!\"#$%&'()*+-.:;<=>?@[\\]^_`{|}~"])("accepts %j", (tag) => {
    expect(payloadOf({ tags: [tag] }).tags).toEqual([tag]);
  });

  it.each(["a,b", "a/b", "tab\tx", "line\nbreak", "del\u007f"])("fails for %j", (tag) => {
    expect(problems({ tags: ["ok", tag] })).toEqual([
      {
        at: "tags[1]",
        kong: "tags[1]",
        code: "invalid_value",
        message: "expected printable ascii (except `,` and `/`) or valid utf-8 sequences",
      },
    ]);
  });

  it("fails for an empty tag with the length message only", () => {
    expect(problems({ tags: [""] })).toEqual([{ at: "tags[0]", kong: "tags[0]", code: "invalid_value", message: "length must be at least 1" }]);
  });
});

describe("other strings", () => {
  it("condition: 1024 characters pass, 1025 fail, counted as the official provider counts them (not bytes)", () => {
    expect(problems({ condition: "x".repeat(1024) })).toEqual([]);
    expect(problems({ condition: "x".repeat(1025) })).toEqual([
      { at: "condition", kong: "condition", code: "invalid_value", message: "length must be at most 1024 characters" },
    ]);
    // 1024 characters of 2, 3 and 4 bytes (🍪 is two UTF-16 units, one character)
    for (const char of ["é", "日", "🍪"]) expect(problems({ condition: char.repeat(1024) })).toEqual([]);
    expect(problems({ condition: "🍪".repeat(1025) })[0]?.message).toBe("length must be at most 1024 characters");
  });

  it("fails when a workspace is . or .., or one of Kong's reserved names", () => {
    expect(problems({ workspace: ".." })).toEqual([
      { at: "workspace", kong: "workspace", code: "invalid_value", message: 'must not be "." or "..": the workspace is a segment of every Admin API path' },
    ]);
    expect(problems({ workspace: "." })[0]?.message).toContain('must not be "." or ".."');
    for (const reserved of ["services", "routes", "plugins", "workspaces", "consumers", "ca_certificates"]) {
      expect(problems({ workspace: reserved })[0]?.message).toMatch(/^must not be one of: workspaces, consumers, .*filter_chains \(Kong's core entity names\)$/);
    }
    expect(problems({ workspace: "services-team" })).toEqual([]);
  });

  it("fails when a tag takes the owner tag's prefix, which marks the stack that owns the plugin", () => {
    expect(problems({ tags: ["cdktf-kong-gateway:owner=x"] })).toEqual([
      {
        at: "tags[0]",
        kong: "tags[0]",
        code: "invalid_value",
        message: 'must not start with "cdktf-kong-gateway:owner=": that tag marks the stack that owns the plugin, and the library writes it',
      },
    ]);
  });

  it("fails when any string is empty, each with the length message once", () => {
    const attributes = {
      id: "",
      instanceName: "",
      condition: "",
      tags: [""],
      route: { id: "" },
      partials: [{ name: "", path: "" }],
      ordering: { before: { access: [""] } },
      workspace: "",
    };
    const found = problems(attributes);
    expect(found.map((p) => p.at).sort()).toEqual(
      ["condition", "id", "instanceName", "ordering.before.access[0]", "partials[0].name", "partials[0].path", "route.id", "tags[0]", "workspace"].sort(),
    );
    expect(new Set(found.map((p) => p.message))).toEqual(new Set(["length must be at least 1"]));
  });

  it("keeps an empty partial in its place", () => {
    expect(payloadOf({ partials: [{}, { name: "redis-ee" }] }).partials).toEqual([{}, { name: "redis-ee" }]);
  });

  it("accepts ordering, partials and a vault reference as the secret", () => {
    const attributes = {
      ordering: { after: { access: ["rate-limiting"] }, before: { access: ["openid-connect"] } },
      partials: [{ id: VALID_UUID, name: "redis-ee", path: "config.redis" }],
      config: { secret: "{vault://env/session-secret}" },
    };
    expect(payloadOf(attributes)).toEqual({ name: "session", ...attributes });
  });
});

describe("numbers", () => {
  it.each(NUMBER_PROPS)("%s accepts 0 and fractions", (prop) => {
    expect(problems({ config: { [prop]: 0 } })).toEqual([]);
    expect(problems({ config: { [prop]: 0.5 } })).toEqual([]);
    expect(problems({ config: { [prop]: 86400 } })).toEqual([]);
  });

  it.each(NUMBER_PROPS)("%s fails for NaN, infinities and negatives", (prop) => {
    const messages = [NaN, Infinity, -Infinity, -1, -0.5].map((value) => problems({ config: { [prop]: value } }).map((p) => p.message));
    expect(messages).toEqual([
      ["expected a number"],
      ["expected a number"],
      ["expected a number"],
      ["expected a finite number that is not negative"],
      ["expected a finite number that is not negative"],
    ]);
  });

  it.each(["createdAt", "updatedAt"])("%s accepts an integer and fails for a fraction", (prop) => {
    expect(problems({ [prop]: 1_700_000_000 })).toEqual([]);
    expect(problems({ [prop]: 1.5 }).map((p) => p.message)).toEqual(["expected an integer"]);
  });

  it("enabled accepts a boolean and fails for a string", () => {
    expect(payloadOf({ enabled: false }).enabled).toBe(false);
    expect(problems({ enabled: "false" })).toEqual([{ at: "enabled", kong: "enabled", code: "invalid_value", message: "expected a boolean" }]);
  });
});

describe("records", () => {
  it.each<[string, unknown, string, string]>([
    ["config", "cookie", "config", "expected a record"],
    ["config", [{ cookieName: "sid" }], "config", "expected a record"],
    ["route", VALID_UUID, "route", "expected a record"],
    ["ordering", { after: ["rate-limiting"] }, "ordering.after", "expected a record"],
    ["ordering", { after: { access: "rate-limiting" } }, "ordering.after.access", "expected an array"],
    ["partials", { id: VALID_UUID }, "partials", "expected an array"],
    ["partials", ["redis-ee"], "partials[0]", "expected a record"],
    ["partials", [null], "partials[0]", "expected a record"],
  ])("fails when %s is %j", (prop, value, at, message) => {
    expect(problems({ [prop]: value })).toEqual([{ at, kong: at, code: "invalid_value", message }]);
  });
});

describe("unknown props", () => {
  it.each<[Record<string, unknown>, string, string]>([
    [{ config: { cookieNmae: "sid" } }, "config.cookieNmae", "did you mean config.cookieName?"],
    [{ config: { cookie_name: "sid" } }, "config.cookie_name", "did you mean config.cookieName?"],
    [{ config: { cookie_same_site: "Lax" } }, "config.cookie_same_site", "did you mean config.cookieSameSite?"],
    [{ config: { idleTimeout: 60 } }, "config.idleTimeout", "did you mean config.idlingTimeout?"],
    [{ protocol: ["https"] }, "protocol", "did you mean protocols?"],
    [{ instance_name: "a" }, "instance_name", "did you mean instanceName?"],
    [{ tag: ["a"] }, "tag", "did you mean tags?"],
    [{ route: { ids: VALID_UUID } }, "route.ids", "did you mean route.id?"],
    [{ service: { Id: VALID_UUID } }, "service.Id", "did you mean service.id?"],
    [{ ordering: { afer: { access: ["acl"] } } }, "ordering.afer", "did you mean ordering.after?"],
    [{ ordering: { before: { acess: ["acl"] } } }, "ordering.before.acess", "did you mean ordering.before.access?"],
    [{ partials: [{ nam: "redis-ee" }] }, "partials[0].nam", "did you mean partials[0].name?"],
  ])("fails for %j with a hint", (attributes, at, hint) => {
    const [first, ...rest] = problems(attributes);
    expect(first).toEqual({ at, kong: expect.any(String), code: "unknown_field", message: "unknown field", hint });
    // a route or service left with no id is reported too; nothing else
    expect(rest.map((p) => `${p.at}: ${p.message}`)).toEqual(
      "route" in attributes || "service" in attributes ? [`${at.split(".")[0]}.id: required field missing`] : [],
    );
  });

  it("gives the Kong path of an unknown prop in snake_case", () => {
    expect(problems({ config: { cookieNmae: "sid" } })[0]?.kong).toBe("config.cookie_nmae");
  });

  it("gives no hint when nothing is close", () => {
    expect(problems({ route: { id: VALID_UUID, label: "orders" }, consumer: { id: VALID_UUID } })).toEqual([
      { at: "route.label", kong: "route.label", code: "unknown_field", message: "unknown field" },
      { at: "consumer", kong: "consumer", code: "unknown_field", message: "unknown field" },
    ]);
  });

  it("reports an unknown prop and still checks the known ones", () => {
    expect(problems({ config: { cookieNmae: "sid", storage: "redis" } }).map((p) => p.at)).toEqual(["config.cookieNmae", "config.storage"]);
  });
});

describe("several problems", () => {
  it("are all reported in one result", () => {
    const result = validatePluginSession({
      id: "747d1e5-8246-4f65-a939-b392f1ee17f8",
      protocols: ["https", "htps"],
      tags: ["a,b"],
      config: { cookieSameSite: "lax", idlingTimeout: -1, cookieNmae: "sid", remember: "yes" as never },
    } as PluginSessionAttributes);
    expect(result.success).toBe(false);
    expect(result.issues.map((i) => i.propPath).sort()).toEqual(
      ["config.cookieNmae", "config.cookieSameSite", "config.idlingTimeout", "config.remember", "id", "protocols[1]", "tags[0]"].sort(),
    );
  });

  it("come with the Kong body built so far", () => {
    const result = validatePluginSession({ config: { cookieSameSite: "lax", cookieName: "sid" } });
    expect(result.payload).toEqual({ name: "session", config: { cookie_same_site: "lax", cookie_name: "sid" } });
  });
});

describe("cdktf tokens", () => {
  it("skip format checks where they stand; other fields are still checked", () => {
    const stack = tokenStack();
    const variable = (id: string, type: string) => new TerraformVariable(stack, id, { type });
    const attributes = {
      id: variable("plugin_id", "string").stringValue,
      instanceName: `${variable("env", "string").stringValue} session`,
      route: { id: variable("route_id", "string").stringValue },
      tags: [variable("tag", "string").stringValue, "a,b"],
      protocols: variable("protocols", "list(string)").listValue,
      enabled: variable("enabled", "bool").booleanValue,
      partials: Token.asAny(variable("partials", "any").value),
      config: {
        cookieSameSite: variable("same_site", "string").stringValue,
        storage: "redis",
        idlingTimeout: variable("idle", "number").numberValue,
        rollingTimeout: Token.asNumber(Fn.max([1, 2])),
        logoutMethods: Token.asList(variable("methods", "list(string)").value),
        requestHeaders: ["id", Token.asString(Fn.lower("ID"))],
        cookieSecure: variable("secure", "bool").booleanValue,
        secret: variable("secret", "string").stringValue,
      },
      workspace: variable("workspace", "string").stringValue,
    };
    expect(problems(attributes)).toEqual([
      { at: "tags[1]", kong: "tags[1]", code: "invalid_value", message: "expected printable ascii (except `,` and `/`) or valid utf-8 sequences" },
      { at: "config.storage", kong: "config.storage", code: "invalid_value", message: "expected one of: cookie, kong" },
    ]);
  });

  it("are copied into the Kong body as they are", () => {
    const stack = tokenStack();
    const sameSite = new TerraformVariable(stack, "same_site", { type: "string" }).stringValue;
    const idle = Token.asNumber(Fn.max([1, 2]));
    const secure = new TerraformVariable(stack, "secure", { type: "bool" }).booleanValue;
    const payload = payloadOf({ config: { cookieSameSite: sameSite, idlingTimeout: idle, cookieSecure: secure } });
    expect(payload.config.cookie_same_site).toBe(sameSite);
    expect(payload.config.idling_timeout).toBe(idle);
    expect(payload.config.cookie_secure).toBe(secure);
  });

  it("a string that only looks like a token is checked like any other", () => {
    expect(problems({ config: { cookieSameSite: "${var.same_site}" } }).map((p) => p.at)).toEqual(["config.cookieSameSite"]);
  });

  it("validateAttributes without a token predicate checks token strings too", () => {
    const sameSite = new TerraformVariable(tokenStack(), "same_site", { type: "string" }).stringValue;
    expect(validateAttributes({ config: { cookieSameSite: sameSite } }).issues.map((i) => i.propPath)).toEqual(["config.cookieSameSite"]);
  });
});

describe("validateKongPayload (the apply-time check, in Kong's names)", () => {
  it("accepts a body in Kong's names", () => {
    expect(
      validateKongPayload({
        name: "session",
        id: VALID_UUID,
        enabled: true,
        protocols: ["http", "https"],
        config: { cookie_same_site: "Lax", logout_methods: ["POST"], idling_timeout: 0 },
        route: { id: VALID_UUID },
      }),
    ).toEqual([]);
  });

  it("fails when name is not session", () => {
    expect(validateKongPayload({ name: "cors" }).map((i) => [i.propPath, i.message])).toEqual([["name", 'expected "session"']]);
    expect(validateKongPayload({}).map((i) => [i.propPath, i.message])).toEqual([["name", 'expected "session"']]);
  });

  it("fails for an unknown config field with a hint in Kong's names, and names the prop path", () => {
    expect(validateKongPayload({ name: "session", config: { cookie_nmae: "sid", cookie_same_site: "lax" } })).toEqual([
      {
        code: "invalid_value",
        kongPath: ["config", "cookie_same_site"],
        propPath: "config.cookieSameSite",
        value: "lax",
        message: "expected one of: Strict, Lax, None, Default",
        hint: 'did you mean "Lax"?',
      },
      {
        code: "unknown_field",
        kongPath: ["config", "cookie_nmae"],
        propPath: "config.cookie_nmae",
        value: "sid",
        message: "unknown field",
        hint: "did you mean config.cookie_name?",
      },
    ]);
  });

  it("fails for an unknown top-level field", () => {
    expect(validateKongPayload({ name: "session", consumer: null }).map((i) => [i.code, i.propPath])).toEqual([["unknown_field", "consumer"]]);
  });
});

describe("a route or service by name", () => {
  it("is taken as Kong takes it, and one of id and name is required", () => {
    expect(problems({ route: { name: "orders" } })).toEqual([]);
    expect(problems({ service: {} })).toEqual([{ at: "service.id", kong: "service.id", code: "invalid_value", message: "required field missing" }]);
    expect(problems({ route: { id: VALID_UUID, name: "orders" } })).toEqual([
      { at: "route.name", kong: "route.name", code: "invalid_value", message: "expected the id or the name, not both" },
    ]);
    expect(problems({ route: { name: "" } })).toEqual([{ at: "route.name", kong: "route.name", code: "invalid_value", message: "length must be at least 1" }]);
  });
});
