/**
 * Version and edition gating at synth: what the targeted Kong lacks (a plugin, a field, an enum
 * value, an entity field or protocol of Kong Enterprise) is an error that names the first version
 * and edition that has it, every problem of a construct in one error. Each case has a control: the
 * same props pass where Kong has them.
 */
import { describe, expect, it } from "vitest";
import {
  KongPlugin,
  KongPluginValidationError,
  PluginAcl,
  PluginAiA2AProxy,
  PluginAiLakeraGuard,
  PluginAiProxy,
  PluginApplicationRegistration,
  PluginKeyAuth,
  PluginOpenidConnect,
  PluginRateLimiting,
  PluginRateLimitingAdvanced,
  PluginSession,
  type KongGatewayProviderProps,
} from "../../src/index.js";
import { stackWithProvider, thrown } from "../support/synth.js";

const ROUTE = "3473c251-5b6c-4f45-b1ff-7ede735a366d";
const GROUP = "5f5b6b2e-0c1d-4f7a-9e3b-2a1c0d9e8f7b";
const PARTIAL = "0b7f7d1e-3c55-4f5e-9d8a-6f1e2d3c4b5a";

const at = (kongVersion: string, edition: "oss" | "enterprise") => stackWithProvider({ backend: "terraform_data", kongVersion, edition } as KongGatewayProviderProps).stack;

describe("open-source Kong 3.4", () => {
  const oss34 = () => at("3.4", "oss");

  it("fails when the plugin is bundled only by later open-source versions", () => {
    const error = thrown(() => new PluginAiProxy(oss34(), "ai", { config: {} as any }));
    expect(error).toBeInstanceOf(KongPluginValidationError);
    expect(error.message).toMatchInlineSnapshot(`
      "invalid ai-proxy plugin at "payments/ai", 1 problem:
        - (plugin): the ai-proxy plugin is not in open-source Kong 3.4: open-source Kong bundles it in 3.6+, got "ai-proxy""
    `);
  });

  it("fails when a field or an enum value is newer, and every Enterprise entity field, in one error", () => {
    const error = thrown(
      () =>
        new PluginRateLimiting(oss34(), "limits", {
          config: { minute: 5, limitBy: "consumer-group" },
          consumerGroup: { id: GROUP },
          ordering: { before: { access: ["key-auth"] } },
          partials: [{ id: PARTIAL }],
          condition: 'http.path == "/"',
        }),
    );
    expect((error as KongPluginValidationError).issues.map((i) => i.code)).toEqual(["unavailable", "unavailable", "unavailable", "unavailable", "unavailable"]);
    expect(error.message).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin at "payments/limits", 5 problems:
        - ordering: not in open-source Kong: Kong Enterprise 3.4+ has it, got {"before":{"access":["key-auth"]}}
        - consumerGroup (Kong: consumer_group): not in open-source Kong: Kong Enterprise 3.4+ has it, got {"id":"5f5b6b2e-0c1d-4f7a-9e3b-2a1c0d9e8f7b"}
        - partials: not in open-source Kong: Kong Enterprise 3.10+ has it, got [{"id":"0b7f7d1e-3c55-4f5e-9d8a-6f1e2d3c4b5a"}]
        - condition: not in open-source Kong: Kong Enterprise 3.15+ has it, got "http.path == \\"/\\""
        - config.limitBy (Kong: config.limit_by): not in open-source Kong 3.4: Kong Enterprise 3.7+ accepts it, got "consumer-group""
    `);
  });

  it("fails when a key-auth field is newer than the target", () => {
    expect(thrown(() => new PluginKeyAuth(oss34(), "keys", { config: { realm: "api" } })).message).toMatchInlineSnapshot(`
      "invalid key-auth plugin at "payments/keys", 1 problem:
        - config.realm: not in open-source Kong 3.4: Kong Enterprise 3.7+ has it, got "api""
    `);
  });

  it("passes the same props on the versions that have them", () => {
    expect(() => new PluginAiProxy(at("3.6", "oss"), "ai", { config: { routeType: "llm/v1/chat", model: { provider: "openai" } } as any })).not.toThrow();
    expect(() => new PluginKeyAuth(at("3.7", "oss"), "keys", { config: { realm: "api" } })).not.toThrow();
    expect(() => new PluginRateLimiting(at("3.7", "enterprise"), "limits", { config: { minute: 5, limitBy: "consumer-group" }, consumerGroup: { id: GROUP } })).not.toThrow();
  });
});

describe("open-source Kong 3.9", () => {
  const oss39 = () => at("3.9", "oss");

  it("fails when the plugin is Kong Enterprise's", () => {
    expect(thrown(() => new PluginOpenidConnect(oss39(), "oidc", { config: { issuer: "https://idp.example.com" } })).message).toMatchInlineSnapshot(`
      "invalid openid-connect plugin at "payments/oidc", 1 problem:
        - (plugin): the openid-connect plugin is not in open-source Kong: Kong Enterprise 3.4+ has it, got "openid-connect""
    `);
  });

  it("fails for the session plugin's Enterprise fields, entity fields and protocols, in one error", () => {
    const error = thrown(
      () =>
        new PluginSession(oss39(), "session", {
          config: { bind: ["ip"], hashSubject: true, cookieName: "sid" },
          protocols: ["http", "ws", "wss"],
          ordering: { after: { access: ["key-auth"] } },
          partials: [{ id: PARTIAL }],
          condition: 'http.path == "/"',
          route: { id: ROUTE },
        }),
    );
    expect((error as KongPluginValidationError).issues).toHaveLength(7);
    expect(error.message).toMatchInlineSnapshot(`
      "invalid session plugin at "payments/session", 7 problems:
        - ordering: not in open-source Kong: Kong Enterprise 3.4+ has it, got {"after":{"access":["key-auth"]}}
        - partials: not in open-source Kong: Kong Enterprise 3.10+ has it, got [{"id":"0b7f7d1e-3c55-4f5e-9d8a-6f1e2d3c4b5a"}]
        - condition: not in open-source Kong: Kong Enterprise 3.15+ has it, got "http.path == \\"/\\""
        - protocols[1]: not in open-source Kong: Kong Enterprise 3.4+ accepts it, got "ws"
        - protocols[2]: not in open-source Kong: Kong Enterprise 3.4+ accepts it, got "wss"
        - config.bind: not in open-source Kong 3.9: Kong Enterprise 3.12+ has it, got ["ip"]
        - config.hashSubject (Kong: config.hash_subject): not in open-source Kong 3.9: Kong Enterprise 3.10+ has it, got true"
    `);
  });

  it("passes the open-source props, and the same Enterprise props on Kong Enterprise 3.15", () => {
    expect(() => new PluginSession(oss39(), "session", { config: { cookieName: "sid" }, protocols: ["http", "https"], route: { id: ROUTE } })).not.toThrow();
    expect(
      () =>
        new PluginSession(at("3.15", "enterprise"), "session", {
          config: { bind: ["ip"], hashSubject: true, cookieName: "sid" },
          protocols: ["http", "ws", "wss"],
          ordering: { after: { access: ["key-auth"] } },
          partials: [{ id: PARTIAL }],
          condition: 'http.path == "/"',
          route: { id: ROUTE },
        }),
    ).not.toThrow();
  });
});

describe("Kong Enterprise 3.4", () => {
  it("fails when a scope is newer for this plugin", () => {
    expect(thrown(() => new PluginRateLimiting(at("3.4", "enterprise"), "limits", { config: { minute: 5 }, consumerGroup: { id: GROUP } })).message).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin at "payments/limits", 1 problem:
        - consumerGroup (Kong: consumer_group): not in Kong Enterprise 3.4 for the rate-limiting plugin: Kong Enterprise 3.7+ has it, got {"id":"5f5b6b2e-0c1d-4f7a-9e3b-2a1c0d9e8f7b"}"
    `);
  });
});

describe("Kong Enterprise 3.10", () => {
  const ee310 = () => at("3.10", "enterprise");

  it("fails when the plugin is newer", () => {
    expect(thrown(() => new PluginAiLakeraGuard(ee310(), "guard", { config: {} as any })).message).toMatchInlineSnapshot(`
      "invalid ai-lakera-guard plugin at "payments/guard", 1 problem:
        - (plugin): the ai-lakera-guard plugin is not in Kong Enterprise 3.10: Kong Enterprise 3.13+ has it, got "ai-lakera-guard""
    `);
  });

  it("fails when a field, an enum value or an entity field is newer, in one error", () => {
    expect(thrown(() => new PluginSession(ee310(), "session", { config: { bind: ["ip"], cookieName: "sid" }, condition: "true" })).message).toMatchInlineSnapshot(`
      "invalid session plugin at "payments/session", 2 problems:
        - condition: not in Kong Enterprise 3.10: Kong Enterprise 3.15+ has it, got "true"
        - config.bind: not in Kong Enterprise 3.10: Kong Enterprise 3.12+ has it, got ["ip"]"
    `);
    expect(thrown(() => new PluginRateLimitingAdvanced(ee310(), "rla", { config: { limit: [10], windowSize: [60], identifier: "route" } })).message).toMatchInlineSnapshot(`
      "invalid rate-limiting-advanced plugin at "payments/rla", 1 problem:
        - config.identifier: not in Kong Enterprise 3.10: Kong Enterprise 3.13+ accepts it, got "route""
    `);
  });

  it("fails when the session plugin's hash_subject is set on Kong Enterprise 3.9", () => {
    expect(thrown(() => new PluginSession(at("3.9", "enterprise"), "session", { config: { hashSubject: true } })).message).toMatchInlineSnapshot(`
      "invalid session plugin at "payments/session", 1 problem:
        - config.hashSubject (Kong: config.hash_subject): not in Kong Enterprise 3.9: Kong Enterprise 3.10+ has it, got true"
    `);
  });

  it("passes what 3.10 has", () => {
    expect(() => new PluginSession(ee310(), "session", { config: { hashSubject: true }, partials: [{ id: PARTIAL }] })).not.toThrow();
    expect(() => new PluginRateLimitingAdvanced(ee310(), "rla", { config: { limit: [10], windowSize: [60], identifier: "consumer-group" }, consumerGroup: { id: GROUP } })).not.toThrow();
  });
});

describe("Kong Enterprise 3.12", () => {
  const ee312 = () => at("3.12", "enterprise");

  it("fails when the plugin is newer", () => {
    expect(thrown(() => new PluginAiA2AProxy(ee312(), "a2a", { config: {} as any })).message).toMatchInlineSnapshot(`
      "invalid ai-a2a-proxy plugin at "payments/a2a", 1 problem:
        - (plugin): the ai-a2a-proxy plugin is not in Kong Enterprise 3.12: Kong Enterprise 3.14+ has it, got "ai-a2a-proxy""
    `);
  });

  it("fails when a field or a protocol of this plugin is newer, in one error", () => {
    expect(thrown(() => new PluginKeyAuth(ee312(), "keys", { config: { principals: { enabled: true }, realm: "api" } })).message).toMatchInlineSnapshot(`
      "invalid key-auth plugin at "payments/keys", 1 problem:
        - config.principals: not in Kong Enterprise 3.12: Kong Enterprise 3.15+ has it, got {"enabled":true}"
    `);
    expect(thrown(() => new PluginAcl(ee312(), "acl", { config: { allow: ["admins"] }, protocols: ["wss"] })).message).toMatchInlineSnapshot(`
      "invalid acl plugin at "payments/acl", 1 problem:
        - protocols[0]: not in Kong Enterprise 3.12: Kong Enterprise 3.14+ accepts it, got "wss""
    `);
  });

  it("passes what 3.12 has: session bind, acl on http", () => {
    expect(() => new PluginSession(ee312(), "session", { config: { bind: ["ip", "user-agent"] } })).not.toThrow();
    expect(() => new PluginAcl(ee312(), "acl", { config: { allow: ["admins"] }, protocols: ["http"] })).not.toThrow();
    expect(() => new PluginAcl(at("3.14", "enterprise"), "acl", { config: { allow: ["admins"] }, protocols: ["wss"] })).not.toThrow();
  });
});

describe("Kong Enterprise 3.15", () => {
  const ee315 = () => at("3.15", "enterprise");

  it("fails when the plugin is gone", () => {
    expect(thrown(() => new PluginApplicationRegistration(ee315(), "apps", { config: {} as any })).message).toMatchInlineSnapshot(`
      "invalid application-registration plugin at "payments/apps", 1 problem:
        - (plugin): the application-registration plugin is not in Kong Enterprise 3.15: Kong Enterprise 3.4 to 3.9 has it, got "application-registration""
    `);
  });

  it("fails when a field is gone, through the typed construct and KongPlugin", () => {
    expect(thrown(() => new PluginOpenidConnect(ee315(), "oidc", { config: { issuer: "https://idp.example.com", consumerClaim: ["sub"] } })).message).toMatchInlineSnapshot(`
      "invalid openid-connect plugin at "payments/oidc", 1 problem:
        - config.consumerClaim (Kong: config.consumer_claim): not in Kong Enterprise 3.15: Kong Enterprise 3.4 to 3.13 has it, got ["sub"]"
    `);
    expect(thrown(() => new KongPlugin(ee315(), "limits", { name: "rate-limiting", config: { minute: 5, redis_host: "redis" } })).message).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin at "payments/limits", 1 problem:
        - config.redis_host: not in Kong Enterprise 3.15: Kong Enterprise 3.4 has it, got "redis""
    `);
  });

  it("passes the same fields where they exist", () => {
    expect(() => new PluginOpenidConnect(at("3.13", "enterprise"), "oidc", { config: { issuer: "https://idp.example.com", consumerClaim: ["sub"] } })).not.toThrow();
    expect(() => new KongPlugin(at("3.4", "enterprise"), "limits", { name: "rate-limiting", config: { minute: 5, redis_host: "redis" } })).not.toThrow();
  });
});
