/**
 * What a user reads: one message for all problems, each line naming the prop path, Kong's path, the
 * value given and what is allowed; lowercase, no trailing period; a secret never shown.
 */
import { describe, expect, it } from "vitest";
import { PluginSessionValidationError, formatValidationIssues, validatePluginSession, type PluginSessionAttributes } from "../../src/index.js";
import { describeValue, formatIssue } from "../../src/schema/index.js";
import { messageOf } from "./support.js";

const SECRET = "s3cr3t-Do-Not-Print-42";

describe("formatValidationIssues", () => {
  it("lists a typo, a snake_case prop, a wrong enum value and a misspelt top-level prop", () => {
    expect(
      messageOf({
        protocol: ["https"],
        config: { cookieNmae: "sid", cookie_same_site: "Lax", cookieSameSite: "lax", storage: "redis" },
      }),
    ).toMatchInlineSnapshot(`
      "invalid session plugin at "payments/session", 5 problems:
        - protocol: unknown field (did you mean protocols?)
        - config.cookieNmae: unknown field (did you mean config.cookieName?)
        - config.cookie_same_site: unknown field (did you mean config.cookieSameSite?)
        - config.cookieSameSite (Kong: config.cookie_same_site): expected one of: Strict, Lax, None, Default, got "lax" (did you mean "Lax"?)
        - config.storage: expected one of: cookie, kong, got "redis""
    `);
  });

  it("lists wrong values of every kind with the value given", () => {
    expect(
      messageOf({
        id: "747d1e5-8246-4f65-a939-b392f1ee17f8",
        instanceName: "my session",
        tags: ["team/a", "ok"],
        protocols: ["https", "htps"],
        condition: "x".repeat(1025),
        route: {},
        config: { idlingTimeout: Number.NaN, staleTtl: -1, remember: "yes", logoutMethods: ["GET", "get"] },
        workspace: "team a",
      }),
    ).toMatchInlineSnapshot(`
      "invalid session plugin at "payments/session", 11 problems:
        - id: expected a valid UUID, got "747d1e5-8246-4f65-a939-b392f1ee17f8"
        - instanceName (Kong: instance_name): the only accepted ascii characters are alphanumerics or ., -, _, and ~, got "my session"
        - protocols[1]: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp, ws, wss, got "htps" (did you mean "https"?)
        - tags[0]: expected printable ascii (except \`,\` and \`/\`) or valid utf-8 sequences, got "team/a"
        - condition: length must be at most 1024 characters, got "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...
        - config.idlingTimeout (Kong: config.idling_timeout): expected a number, got NaN
        - config.logoutMethods[1] (Kong: config.logout_methods[1]): expected one of: GET, POST, DELETE, got "get" (did you mean "GET"?)
        - config.remember: expected a boolean, got "yes"
        - config.staleTtl (Kong: config.stale_ttl): expected a finite number that is not negative, got -1
        - route.id: required field missing
        - workspace: the only accepted ascii characters are alphanumerics or ., -, _, and ~, got "team a""
    `);
  });

  it("redacts the secret and still names the problem", () => {
    expect(messageOf({ config: { secret: [SECRET], cookieName: "" } })).toMatchInlineSnapshot(`
      "invalid session plugin at "payments/session", 2 problems:
        - config.cookieName (Kong: config.cookie_name): length must be at least 1, got ""
        - config.secret: expected a string, got <redacted>"
    `);
  });

  it("says 1 problem for one", () => {
    expect(messageOf({ config: { storage: "kong " } }, "session config")).toMatchInlineSnapshot(`
      "invalid session config, 1 problem:
        - config.storage: expected one of: cookie, kong, got "kong " (did you mean "kong"?)"
    `);
  });

  it("writes every line lowercase, without a trailing period, with the value or the allowed values", () => {
    const message = messageOf({
      id: "x",
      instanceName: "a b",
      tags: [","],
      createdAt: 1.5,
      enabled: "no",
      partials: [{ id: "x", name: "a b", path: "" }],
      route: { id: "x" },
      service: { id: 1 },
      ordering: { after: { access: [1] } },
      config: { cookieSameSite: "x", bind: ["x"], absoluteTimeout: -1, secret: 1, cookieNmae: "x" },
    });
    const [header, ...lines] = message.split("\n");
    expect(header).toBe('invalid session plugin at "payments/session", 16 problems:');
    expect(lines).toHaveLength(16);
    for (const line of lines) {
      expect(line).toMatch(/^ {2}- [a-z]/);
      expect(line).not.toMatch(/\.$/);
      expect(line).toMatch(/: (unknown field \(did you mean .+\?\)|.+, got .+)$/);
    }
  });
});

describe("secrets", () => {
  it.each<[string, Record<string, unknown>]>([
    ["a wrong type", { config: { secret: [SECRET] } }],
    ["a wrong type among other problems", { config: { secret: { value: SECRET }, cookieSameSite: "lax" } }],
    ["config that is not a record", { config: [{ secret: SECRET }] }],
    ["a misspelt secret prop", { config: { secert: SECRET } }],
    ["a secret given at the top level", { secret: SECRET }],
    ["a valid secret next to an invalid field", { config: { secret: SECRET, storage: "redis" } }],
  ])("are not shown for %s", (_case, attributes) => {
    const message = messageOf(attributes);
    expect(message).not.toBe("");
    expect(message).not.toContain(SECRET);
  });

  it("are not shown in the thrown error", () => {
    const result = validatePluginSession({ config: { secret: [SECRET] } } as unknown as PluginSessionAttributes);
    const error = new PluginSessionValidationError("session plugin", result.issues);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).toContain("config.secret: expected a string, got <redacted>");
  });
});

describe("PluginSessionValidationError", () => {
  it("carries a stable code, the subject and the issues, and prints them all", () => {
    const result = validatePluginSession({ config: { storage: "redis", cookieName: "" } });
    const error = new PluginSessionValidationError('session plugin at "payments/session"', result.issues);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("KONG_CDKTF_INVALID_CONFIG");
    expect(error.name).toBe("PluginSessionValidationError");
    expect(error.subject).toBe('session plugin at "payments/session"');
    expect(error.issues).toBe(result.issues);
    expect(error.message).toBe(formatValidationIssues('session plugin at "payments/session"', result.issues));
  });
});

describe("formatIssue and describeValue", () => {
  it("shows Kong's path only when it differs from the prop path", () => {
    const base = { code: "invalid_value", value: 1, message: "expected a string" } as const;
    expect(formatIssue({ ...base, kongPath: ["config", "audience"], propPath: "config.audience" })).toBe(
      "config.audience: expected a string, got 1",
    );
    expect(formatIssue({ ...base, kongPath: ["config", "cookie_name"], propPath: "config.cookieName" })).toBe(
      "config.cookieName (Kong: config.cookie_name): expected a string, got 1",
    );
  });

  it("names the plugin itself for an issue at the root", () => {
    expect(formatIssue({ code: "invalid_value", kongPath: [], propPath: "", value: [], message: "expected a record" })).toBe(
      "(plugin): expected a record, got []",
    );
  });

  it.each<[unknown, string]>([
    [undefined, "nothing"],
    [null, "null"],
    ["lax", '"lax"'],
    [-1, "-1"],
    [0.5, "0.5"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [Number.NEGATIVE_INFINITY, "-Infinity"],
    [["GET", "get"], '["GET","get"]'],
    [{ a: 1 }, '{"a":1}'],
    [10n, "10"],
  ])("describes %s as %s", (value, text) => {
    expect(describeValue(value, "config.cookieName")).toBe(text);
  });

  it("shortens a long value to 80 characters", () => {
    const text = describeValue("x".repeat(1025), "condition");
    expect(text).toHaveLength(80);
    expect(text).toBe(`"${"x".repeat(76)}...`);
  });

  it("redacts config.secret, its items, and any nested secret", () => {
    expect(describeValue(SECRET, "config.secret")).toBe("<redacted>");
    expect(describeValue(SECRET, "config.secret[0]")).toBe("<redacted>");
    expect(describeValue({ secret: SECRET, cookie_name: "sid" }, "config")).toBe('{"secret":"<redacted>","cookie_name":"sid"}');
  });
});
