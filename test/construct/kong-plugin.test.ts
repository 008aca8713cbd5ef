/**
 * The generated constructs and KongPlugin at synth: the body in Kong's names, problems named in the
 * names the user wrote, secrets out of the request, one table of facts per plugin kind, custom
 * plugins untouched.
 */
import { describe, expect, it } from "vitest";
import { KongPlugin, KongPluginValidationError, PluginCors, PluginKeyAuth, PluginOpenidConnect, PluginRateLimiting, PluginSession } from "../../src/index.js";
import { applyRequest, resource, resources, stackWithProvider, synthJson, thrown } from "../support/synth.js";

const ROUTE = { id: "3473c251-5b6c-4f45-b1ff-7ede735a366d" };

describe("generated constructs", () => {
  it("synthesize the Kong body in snake_case, unset props left out", () => {
    const { stack } = stackWithProvider();
    new PluginRateLimiting(stack, "limits", { route: ROUTE, config: { minute: 5, limitBy: "ip", hideClientHeaders: true } });

    const request = applyRequest(resource(synthJson(stack), "limits_config"));

    expect(request.payload).toEqual({ name: "rate-limiting", route: ROUTE, config: { minute: 5, limit_by: "ip", hide_client_headers: true } });
    expect(request.target).toEqual({ edition: "enterprise", version: "3.15" });
  });

  it("give the apply-time program one table of facts per plugin kind, not one per plugin", () => {
    const { stack } = stackWithProvider();
    new PluginRateLimiting(stack, "a", { config: { minute: 5 } , route: ROUTE });
    new PluginRateLimiting(stack, "b", { config: { hour: 50 }, service: { id: "0d9e8f7a-1b2c-4d3e-8f4a-5b6c7d8e9f01" } });
    new PluginCors(stack, "cors", {});
    const json = synthJson(stack);

    const factsOf = (prefix: string) =>
      resource(json, `${prefix}_config`).provisioner.find((p: any) => p["local-exec"].environment?.KONG_CDKTF_FACTS)["local-exec"].environment.KONG_CDKTF_FACTS;
    expect(factsOf("a")).toBe(factsOf("b"));
    expect(factsOf("a")).toMatch(/kong-plugin-facts-rate-limiting/);
    expect(factsOf("cors")).toMatch(/kong-plugin-facts-cors/);
    const facts = JSON.stringify(json).match(/assets\/kong-plugin-facts-[a-z-]+/g) ?? [];
    expect([...new Set(facts)].sort()).toEqual(["assets/kong-plugin-facts-cors", "assets/kong-plugin-facts-rate-limiting"]);
  });

  it("list every problem of a plugin in one error, in the props' names", () => {
    const { stack } = stackWithProvider();

    const error = thrown(() => new PluginKeyAuth(stack, "auth", { config: { keyNames: "apikey", hideCredential: true, keyInBody: "yes" } } as never));

    expect(error).toBeInstanceOf(KongPluginValidationError);
    expect(error.message).toMatchInlineSnapshot(`
      "invalid key-auth plugin at "payments/auth", 3 problems:
        - config.hideCredential: unknown field (did you mean config.hideCredentials?)
        - config.keyInBody (Kong: config.key_in_body): expected a boolean, got "yes"
        - config.keyNames (Kong: config.key_names): expected an array, got "apikey""
    `);
  });

  it("keep a literal secret out of the request, and warn about it", () => {
    const { stack } = stackWithProvider();
    const secret = "0idcLiteralS3cret-in-the-code-5b1f";
    new PluginOpenidConnect(stack, "oidc", { config: { issuer: "https://idp.example.com/.well-known/openid-configuration", clientId: ["app"], clientSecret: [secret] } });
    const json = synthJson(stack);

    const config = resource(json, "oidc_config");
    expect(JSON.stringify(config.triggers_replace)).not.toContain(secret);
    expect(applyRequest(config).payload.config.client_secret).toEqual([{ $ref: expect.any(String), as: "base64" }]);
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data)));
    expect(warnings.join("\n")).toContain("config.clientSecret[0]");
  });
});

describe("KongPlugin", () => {
  it("validates a known plugin's config in Kong's names and names the problems so", () => {
    const { stack } = stackWithProvider();

    const error = thrown(() => new KongPlugin(stack, "cors", { name: "cors", config: { origins: ["*"], max_age: "an hour", exposed_header: ["x"] } }));

    expect(error.message).toMatchInlineSnapshot(`
      "invalid cors plugin at "payments/cors", 2 problems:
        - config.max_age: expected a number, got "an hour"
        - config.exposed_header: unknown field (did you mean config.exposed_headers?)"
    `);
  });

  it("sends a custom plugin's config as written, marked custom, with no table of facts", () => {
    const { stack } = stackWithProvider();
    new KongPlugin(stack, "custom", { name: "my-header-plugin", route: ROUTE, config: { header_name: "X-Team", anything: { nested: [1, 2] } } });
    const config = resource(synthJson(stack), "custom_config");

    const request = applyRequest(config);
    expect(request.payload).toEqual({ name: "my-header-plugin", route: ROUTE, config: { header_name: "X-Team", anything: { nested: [1, 2] } } });
    expect(request.custom).toBe(true);
    expect(JSON.stringify(config)).not.toContain("KONG_CDKTF_FACTS");
  });

  it("refuses a name that cannot be a plugin's", () => {
    const { stack } = stackWithProvider();

    expect(thrown(() => new KongPlugin(stack, "bad", { name: "Rate Limiting" })).message).toMatchInlineSnapshot(`
      "invalid Rate Limiting plugin at "payments/bad", 1 problem:
        - name: expected a plugin name (lower-case letters, digits, - and _), got "Rate Limiting""
    `);
  });

  it("refuses two plugins of one kind on the same route, whatever their construct", () => {
    const { stack } = stackWithProvider();
    new PluginRateLimiting(stack, "typed", { route: ROUTE, config: { minute: 5 } });

    expect(thrown(() => new KongPlugin(stack, "untyped", { name: "rate-limiting", route: ROUTE, config: { minute: 10 } })).message).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin at "payments/untyped", 1 problem:
        - route.id: another rate-limiting plugin, "payments/typed", has the same route in workspace "default"; Kong allows one rate-limiting plugin per route/service/consumer/consumer group combination, got "3473c251-5b6c-4f45-b1ff-7ede735a366d""
    `);
    expect(Object.keys(resources(synthJson(stack))).filter((id) => id.startsWith("untyped"))).toEqual([]);
  });
});

describe("targets without published schemas", () => {
  it("accept at open-source 3.5 and 3.6 what the schemas before or after accept", () => {
    for (const kongVersion of ["3.5", "3.6"]) {
      const { stack } = stackWithProvider({ kongVersion, edition: "oss" });
      // read_body_for_logout (session) and redis.host (rate-limiting) are not in 3.4's schemas but in 3.7's
      new KongPlugin(stack, "session", { name: "session", config: { read_body_for_logout: true } });
      new PluginRateLimiting(stack, "limits", { config: { minute: 5, policy: "redis", redis: { host: "redis.internal" } } });
      expect(() => new KongPlugin(stack, "bad", { name: "rate-limiting", route: ROUTE, config: { minute: "five" } })).toThrow(/config\.minute: expected a number/);
    }
  });
});

describe("KongPlugin entity checks", () => {
  it("name the fields in Kong's names", () => {
    const { stack } = stackWithProvider();

    expect(thrown(() => new KongPlugin(stack, "limits", { name: "rate-limiting", config: { limit_by: "header" } })).message).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin at "payments/limits", 2 problems:
        - config: at least one of these fields must be non-empty: config.second, config.minute, config.hour, config.day, config.month, config.year
        - config.header_name: required field missing when config.limit_by is "header""
    `);
  });
});

describe("the README's messages", () => {
  it("are what synth prints", () => {
    const { stack } = stackWithProvider({ kongVersion: "3.9", edition: "oss" }, "gateway");

    expect(thrown(() => new PluginRateLimiting(stack, "limits", { config: { minutes: 5, policy: "redys" } } as never)).message).toBe(
      `invalid rate-limiting plugin at "gateway/limits", 3 problems:
  - config.minutes: unknown field (did you mean config.minute?)
  - config.policy: expected one of: cluster, local, redis, got "redys" (did you mean "redis"?)
  - config: at least one of these fields must be non-empty: config.second, config.minute, config.hour, config.day, config.month, config.year`,
    );
    expect(thrown(() => new PluginOpenidConnect(stack, "oidc", { config: { issuer: "https://idp.example.com" } })).message).toBe(
      `invalid openid-connect plugin at "gateway/oidc", 1 problem:
  - (plugin): the openid-connect plugin is not in open-source Kong: Kong Enterprise 3.4+ has it, got "openid-connect"`,
    );
    expect(thrown(() => new PluginSession(stack, "session", { config: { hashSubject: true } })).message).toBe(
      `invalid session plugin at "gateway/session", 1 problem:
  - config.hashSubject (Kong: config.hash_subject): not in open-source Kong 3.9: Kong Enterprise 3.10+ has it, got true`,
    );
  });
});

describe("a custom plugin's secrets", () => {
  it("are the fields whose names say secret: out of the request, warned about", () => {
    const { stack } = stackWithProvider();
    const custom = new KongPlugin(stack, "custom", { name: "my-auth", config: { client_secret: "Cust0mPluginS3cret-4b2e", header: "x-a", upstream: { password: "Inner-Passw0rd-77c1" } } });
    const config = resource(synthJson(stack), "custom_config");

    expect(JSON.stringify(config.triggers_replace)).not.toContain("Cust0mPluginS3cret-4b2e");
    expect(JSON.stringify(config.triggers_replace)).not.toContain("Inner-Passw0rd-77c1");
    expect(applyRequest(config).payload.config).toEqual({ client_secret: { $ref: "secret", as: "base64" }, header: "x-a", upstream: { password: { $ref: "secret_1", as: "base64" } } });
    const warnings = custom.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
    expect(warnings.join("\n")).toContain("config.client_secret");
  });
});

describe("list lengths", () => {
  it("are Kong's len_min and len_max, counted in items", () => {
    const { stack } = stackWithProvider();
    const patterns = Array.from({ length: 11 }, (_, i) => `pattern-${i}`);

    expect(thrown(() => new KongPlugin(stack, "guard", { name: "ai-prompt-guard", config: { allow_patterns: patterns } })).message).toBe(
      `invalid ai-prompt-guard plugin at "payments/guard", 1 problem:
  - config.allow_patterns: length must be at most 10, got ["pattern-0","pattern-1","pattern-2","pattern-3","pattern-4","pattern-5","pat...`,
    );
    expect(() => new KongPlugin(stack, "guard-ok", { name: "ai-prompt-guard", route: { id: "0d9e8f7a-1b2c-4d3e-8f4a-5b6c7d8e9f01" }, config: { allow_patterns: patterns.slice(0, 10) } })).not.toThrow();
  });
});
