/**
 * Kong's entity checks and custom validators (kong/plugins/<name>/schema.lua), checked at synth by
 * src/schema/engine/entity-checks.ts through validatePluginBody: for the typed constructs, for
 * KongPlugin, and for the apply-time program's rules. Every case has a control that passes.
 */
import { TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  KongPlugin,
  KongPluginValidationError,
  PluginAcl,
  PluginBasicAuth,
  PluginCors,
  PluginIpRestriction,
  PluginJwt,
  PluginKeyAuth,
  PluginOpenidConnect,
  PluginRateLimiting,
  PluginRateLimitingAdvanced,
  PluginRequestTransformer,
  type KongGatewayProviderProps,
} from "../../src/index.js";
import { rulesFor } from "../../src/runtime/schema-adapter.js";
import { regexProblem } from "../../src/schema/engine/entity-checks.js";
import { loadPluginFacts } from "../../src/schema/generated/catalog.js";
import { stackWithProvider, thrown } from "../support/synth.js";

const at = (kongVersion?: string, edition?: "oss" | "enterprise") =>
  stackWithProvider({ backend: "terraform_data", ...(kongVersion ? { kongVersion } : {}), ...(edition ? { edition } : {}) } as KongGatewayProviderProps).stack;

describe("rate-limiting", () => {
  it("fails when no limit is set, listing every other problem in the same error", () => {
    const error = thrown(() => new PluginRateLimiting(at(), "limits", { config: { policy: "local", syncRate: 5 } }));
    expect(error).toBeInstanceOf(KongPluginValidationError);
    expect((error as KongPluginValidationError).issues.map((i) => i.code)).toEqual(["conflict", "conflict"]);
    expect(error.message).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin at "payments/limits", 2 problems:
        - config: at least one of these fields must be non-empty: config.second, config.minute, config.hour, config.day, config.month, config.year
        - config.syncRate (Kong: config.sync_rate): only -1 is allowed unless config.policy is "redis", got 5"
    `);
  });

  it("fails when a longer period has a lower limit, when redis lacks its host and limit_by lacks its field", () => {
    const error = thrown(
      () => new PluginRateLimiting(at(), "limits", { config: { second: 10, minute: 5, hour: 3, day: 100, policy: "redis", syncRate: 0.01, limitBy: "header" } }),
    );
    expect(error.message).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin at "payments/limits", 5 problems:
        - config.minute: the limit for minute cannot be lower than the limit for second (10), got 5
        - config.hour: the limit for hour cannot be lower than the limit for second (10), got 3
        - config.syncRate (Kong: config.sync_rate): expected -1 (to disable) or at least 0.02, got 0.01
        - config.redis.host: required field missing when config.policy is "redis"
        - config.headerName (Kong: config.header_name): required field missing when config.limitBy (Kong: config.limit_by) is "header""
    `);
    expect(thrown(() => new PluginRateLimiting(at(), "paths", { config: { minute: 5, limitBy: "path" } })).message).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin at "payments/paths", 1 problem:
        - config.path: required field missing when config.limitBy (Kong: config.limit_by) is "path""
    `);
    expect(thrown(() => new PluginRateLimiting(at(), "headers", { config: { minute: 5, limitBy: "header", headerName: "X User" } })).message).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin at "payments/headers", 1 problem:
        - config.headerName (Kong: config.header_name): bad header name: allowed characters are A-Z, a-z, 0-9, '_', and '-', got "X User""
    `);
  });

  it("fails on Kong 3.4 for the flat redis_host, and on 3.7+ for redis.host", () => {
    expect(thrown(() => new PluginRateLimiting(at("3.4", "oss"), "limits", { config: { minute: 5, policy: "redis" } })).message).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin at "payments/limits", 1 problem:
        - config.redisHost (Kong: config.redis_host): required field missing when config.policy is "redis""
    `);
    expect(thrown(() => new PluginRateLimiting(at("3.7", "enterprise"), "limits", { config: { minute: 5, policy: "redis" } })).message).toContain("config.redis.host: required field missing");
  });

  it("passes valid limits, with redis and its host, on every version's field", () => {
    expect(() => new PluginRateLimiting(at(), "a", { config: { second: 5, minute: 5, hour: 100 } })).not.toThrow();
    expect(() => new PluginRateLimiting(at(), "b", { config: { minute: 5, policy: "redis", redis: { host: "redis" }, syncRate: 0.02 }, route: { id: "3473c251-5b6c-4f45-b1ff-7ede735a366d" } })).not.toThrow();
    expect(() => new PluginRateLimiting(at("3.4", "oss"), "c", { config: { minute: 5, policy: "redis", redisHost: "redis" } })).not.toThrow();
    expect(() => new PluginRateLimiting(at(), "d", { config: { minute: 5, limitBy: "header", headerName: "X-User" }, service: { id: "3473c251-5b6c-4f45-b1ff-7ede735a366d" } })).not.toThrow();
  });

  it("skips the checks a token decides", () => {
    const stack = at();
    const minute = new TerraformVariable(stack, "minute", { type: "number" });
    const host = new TerraformVariable(stack, "host", { type: "string" });
    expect(() => new PluginRateLimiting(stack, "limits", { config: { second: 10, minute: minute.numberValue, policy: "redis", redis: { host: host.stringValue } } })).not.toThrow();
    // a whole config that is a token skips them all; the same literal config fails
    const config = new TerraformVariable(stack, "config", { type: "any" });
    expect(() => new KongPlugin(stack, "acl", { name: "acl", config: config.value })).not.toThrow();
    expect(() => new KongPlugin(stack, "acl-literal", { name: "acl", config: {} })).toThrow(/at least one of these fields must be non-empty: config.allow, config.deny/);
  });
});

describe("acl and ip-restriction", () => {
  it("fails when acl has both allow and deny, or neither", () => {
    expect(thrown(() => new PluginAcl(at(), "both", { config: { allow: ["admins"], deny: ["guests"] } })).message).toMatchInlineSnapshot(`
      "invalid acl plugin at "payments/both", 1 problem:
        - config: exactly one of these fields must be non-empty: config.allow, config.deny, got {"allow":["admins"],"deny":["guests"]}"
    `);
    expect(thrown(() => new PluginAcl(at(), "neither", { config: { allow: [] } })).message).toMatchInlineSnapshot(`
      "invalid acl plugin at "payments/neither", 1 problem:
        - config: at least one of these fields must be non-empty: config.allow, config.deny"
    `);
  });

  it("fails when ip-restriction has neither list, or an entry that is no ip or cidr range", () => {
    expect(thrown(() => new PluginIpRestriction(at(), "none", { config: { status: 403 } })).message).toMatchInlineSnapshot(`
      "invalid ip-restriction plugin at "payments/none", 1 problem:
        - config: at least one of these fields must be non-empty: config.allow, config.deny"
    `);
    expect(
      thrown(() => new PluginIpRestriction(at(), "bad", { config: { allow: ["10.0.0.0/8", "10.0.0.0/33", "hello"], deny: ["::1/129", "1.2.3.4/08", "1.2.3.4/24/1"] } })).message,
    ).toMatchInlineSnapshot(`
      "invalid ip-restriction plugin at "payments/bad", 5 problems:
        - config.allow[1]: invalid ip or cidr range, got "10.0.0.0/33"
        - config.allow[2]: invalid ip or cidr range, got "hello"
        - config.deny[0]: invalid ip or cidr range, got "::1/129"
        - config.deny[1]: invalid ip or cidr range, got "1.2.3.4/08"
        - config.deny[2]: invalid ip or cidr range, got "1.2.3.4/24/1""
    `);
  });

  it("passes one acl list, and ip-restriction with both lists (Kong allows both)", () => {
    expect(() => new PluginAcl(at(), "allow", { config: { allow: ["admins"] } })).not.toThrow();
    expect(() => new PluginAcl(at(), "deny", { config: { deny: ["guests"], allow: [] }, route: { id: "3473c251-5b6c-4f45-b1ff-7ede735a366d" } })).not.toThrow();
    expect(() => new PluginIpRestriction(at(), "ip", { config: { allow: ["10.0.0.0/8", "192.168.1.1", "::1", "2001:db8::/32"], deny: ["10.1.0.0/16"] } })).not.toThrow();
  });

  it("skips a list that is a token", () => {
    const stack = at();
    const groups = new TerraformVariable(stack, "groups", { type: "list(string)" });
    expect(() => new PluginAcl(stack, "acl", { config: { allow: groups.listValue, deny: ["guests"] } })).not.toThrow();
  });
});

describe("key-auth, cors, jwt, basic-auth", () => {
  it("fails when a key name is no header name", () => {
    expect(thrown(() => new PluginKeyAuth(at(), "keys", { config: { keyNames: ["apikey", "api key"] } })).message).toMatchInlineSnapshot(`
      "invalid key-auth plugin at "payments/keys", 1 problem:
        - config.keyNames[1] (Kong: config.key_names[1]): bad header name: allowed characters are A-Z, a-z, 0-9, '_', and '-', got "api key""
    `);
    expect(() => new PluginKeyAuth(at(), "ok", { config: { keyNames: ["apikey", "X-Api_Key"] } })).not.toThrow();
  });

  it("fails when an origin is neither * nor a regex", () => {
    expect(thrown(() => new PluginCors(at(), "cors", { config: { origins: ["*", "*.example.com", "https://(a|b.example.com", "https://[a-z.example.com"] } })).message)
      .toMatchInlineSnapshot(`
        "invalid cors plugin at "payments/cors", 3 problems:
          - config.origins[1]: expected "*" or a valid regex: the * at 0 repeats nothing, got "*.example.com"
          - config.origins[2]: expected "*" or a valid regex: a group is not closed, got "https://(a|b.example.com"
          - config.origins[3]: expected "*" or a valid regex: the class opened at 8 is not closed, got "https://[a-z.example.com""
      `);
    expect(() => new PluginCors(at(), "ok", { config: { origins: ["*", "https://example.com", "https://.*\\.example\\.com", "(?i)https://(www\\.)?x\\.com$"] } })).not.toThrow();
  });

  it("fails when maximum_expiration is set and claims_to_verify lacks exp", () => {
    expect(thrown(() => new PluginJwt(at(), "jwt", { config: { maximumExpiration: 60, claimsToVerify: ["nbf"] } })).message).toMatchInlineSnapshot(`
      "invalid jwt plugin at "payments/jwt", 1 problem:
        - config.claimsToVerify (Kong: config.claims_to_verify): expected to contain: exp when config.maximumExpiration (Kong: config.maximum_expiration) is greater than 0, got ["nbf"]"
    `);
    // Kong's conditional passes an unset claims_to_verify, and a maximum of 0
    expect(() => new PluginJwt(at(), "a", { config: { maximumExpiration: 60, claimsToVerify: ["exp", "nbf"] } })).not.toThrow();
    expect(() => new PluginJwt(at(), "b", { config: { maximumExpiration: 60 }, route: { id: "3473c251-5b6c-4f45-b1ff-7ede735a366d" } })).not.toThrow();
    expect(() => new PluginJwt(at(), "c", { config: { maximumExpiration: 0, claimsToVerify: ["nbf"] }, service: { id: "3473c251-5b6c-4f45-b1ff-7ede735a366d" } })).not.toThrow();
  });

  it("has no checks beyond the facts for basic-auth and openid-connect", () => {
    expect(() => new PluginBasicAuth(at(), "basic", { config: { hideCredentials: true } })).not.toThrow();
    expect(() => new PluginOpenidConnect(at(), "oidc", { config: { issuer: "https://idp.example.com" } })).not.toThrow();
    expect(thrown(() => new PluginOpenidConnect(at(), "no-issuer", { config: {} as any })).message).toContain("config.issuer: required field missing");
  });
});

describe("request-transformer", () => {
  it("fails when an entry lacks its value or a header name is invalid", () => {
    const error = thrown(
      () =>
        new PluginRequestTransformer(at(), "rt", {
          config: {
            httpMethod: "get",
            remove: { headers: ["X Old"] },
            rename: { headers: ["X-Old:X New"], body: ["a"] },
            add: { headers: ["X-New"], querystring: ["q:"] },
            append: { headers: ["X Bad:1"] },
          },
        }),
    );
    expect(error.message).toMatchInlineSnapshot(`
      "invalid request-transformer plugin at "payments/rt", 7 problems:
        - config.rename.body[0]: expected "name:value" with a value, got "a"
        - config.add.querystring[0]: expected "name:value" with a value, got "q:"
        - config.remove.headers[0]: "X Old" is not a valid header name (allowed characters are A-Z, a-z, 0-9, '_', and '-'), got "X Old"
        - config.rename.headers[0]: "X New" is not a valid header name to rename to (allowed characters are A-Z, a-z, 0-9, '_', and '-'), got "X-Old:X New"
        - config.add.headers[0]: expected "header:value", got "X-New"
        - config.append.headers[0]: "X Bad" is not a valid header name (allowed characters are A-Z, a-z, 0-9, '_', and '-'), got "X Bad:1"
        - config.httpMethod (Kong: config.http_method): invalid value: does not match ^[A-Z]+$, got "get""
    `);
  });

  it("passes valid entries", () => {
    expect(
      () =>
        new PluginRequestTransformer(at(), "rt", {
          config: { httpMethod: "POST", remove: { headers: ["X-Old"] }, rename: { headers: ["X-Old:X-New"] }, add: { headers: ["X-New:$(headers.host)"], body: ["a:1"] }, replace: { uri: "/v2" } },
        }),
    ).not.toThrow();
  });
});

describe("rate-limiting-advanced (from Kong's published schema)", () => {
  it("fails when limits and window sizes differ in number, sync_rate is below 0.02 s, or enforced consumer groups are missing", () => {
    expect(thrown(() => new PluginRateLimitingAdvanced(at(), "rla", { config: { limit: [10, 100], windowSize: [60], syncRate: 0.01, enforceConsumerGroups: true } })).message)
      .toMatchInlineSnapshot(`
        "invalid rate-limiting-advanced plugin at "payments/rla", 3 problems:
          - config.windowSize (Kong: config.window_size): expected as many window sizes as config.limit has limits (2), got [60]
          - config.syncRate (Kong: config.sync_rate): expected -1, 0 or at least 0.02 (seconds), got 0.01
          - config.consumerGroups (Kong: config.consumer_groups): at least one consumer group is required when config.enforceConsumerGroups (Kong: config.enforce_consumer_groups) is true"
      `);
  });

  it("passes matching limits, sync_rate -1, 0 or at least 0.02, and enforced groups that are named", () => {
    for (const [i, syncRate] of [-1, 0, 0.02, 10].entries()) {
      expect(() => new PluginRateLimitingAdvanced(at(), `rla${i}`, { config: { limit: [10, 100], windowSize: [60, 3600], syncRate, enforceConsumerGroups: true, consumerGroups: ["gold"] } })).not.toThrow();
    }
  });
});

describe("every path to the engine", () => {
  it("fails for KongPlugin with Kong's names, as for the typed construct", () => {
    expect(thrown(() => new KongPlugin(at(), "acl", { name: "acl", config: { allow: ["a"], deny: ["b"] } })).message).toMatchInlineSnapshot(`
      "invalid acl plugin at "payments/acl", 1 problem:
        - config: exactly one of these fields must be non-empty: config.allow, config.deny, got {"allow":["a"],"deny":["b"]}"
    `);
  });

  it("fails at apply time: the program's rules for a plugin of known facts include the checks", () => {
    const rules = rulesFor("rate-limiting", loadPluginFacts("rate-limiting"), { edition: "oss", version: "3.4" });
    const issues = rules.validate({ name: "rate-limiting", config: { second: 10, minute: 5, policy: "redis" } });
    expect(issues.map((i) => [i.propPath, i.message])).toEqual([
      ["config.minute", "the limit for minute cannot be lower than the limit for second (10)"],
      ["config.redisHost", 'required field missing when config.policy is "redis"'],
    ]);
    expect(rules.validate({ name: "rate-limiting", config: { second: 1, minute: 5, policy: "redis", redis_host: "redis" } })).toEqual([]);
  });
});

describe("regexProblem", () => {
  it.each(["https://example.com", "(?i)https://x\\.com", "^https?://(www\\.)?x\\.com$", "a*?b+?c??", "[*+?]x", "\\*.example.com", "x|y", "[]a]", "(?:a|b)+"])(
    "passes %s",
    (pattern) => expect(regexProblem(pattern)).toBeUndefined(),
  );
  it.each([
    ["*x", "the * at 0 repeats nothing"],
    ["a|+b", "the + at 2 repeats nothing"],
    ["(?)", undefined],
    ["(*a)", "the * at 1 repeats nothing"],
    ["a)", "the ) at 1 closes no group"],
    ["(a", "a group is not closed"],
    ["[a", "the class opened at 0 is not closed"],
    ["a\\", "a trailing \\ escapes nothing"],
  ])("reports %s", (pattern, problem) => expect(regexProblem(pattern)).toBe(problem));
});
