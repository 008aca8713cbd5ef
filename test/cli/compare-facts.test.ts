/**
 * `comparePluginByFacts`: a desired plugin body (not the session plugin) against the live plugin, by
 * the plugin's facts at a target; "unchanged" is `storesSameByFacts`, the apply-time program's rule.
 */
import { describe, expect, it } from "vitest";
import { comparePluginByFacts, resolveStackTarget } from "../../src/cli/compare-facts.js";
import type { KongPlugin } from "../../src/runtime/client.js";
import { ownerTag } from "../../src/runtime/ownership.js";
import { asKongStores } from "./plugin-fixtures.js";

const TARGET = resolveStackTarget({ edition: "enterprise", version: "3.10" });
const ID = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";

/** A live plugin as Kong answers it: every default filled in, unset entity fields null. */
function live(body: { name: string; config: Record<string, unknown>; [field: string]: unknown }): KongPlugin {
  return {
    id: ID,
    created_at: 1700000000,
    updated_at: 1700000001,
    instance_name: null,
    route: null,
    service: null,
    consumer: null,
    consumer_group: null,
    enabled: true,
    tags: null,
    ordering: null,
    partials: null,
    ...asKongStores(body),
  } as KongPlugin;
}

describe("comparePluginByFacts", () => {
  it("finds a plugin unchanged when Kong holds the code's values and its own defaults", () => {
    const desired = { name: "rate-limiting", config: { minute: 5, policy: "redis", redis: { host: "redis.internal", port: 6380 } } };
    const result = comparePluginByFacts(desired, live({ ...desired, tags: [ownerTag("owner-token")] }), TARGET);
    expect(result).toEqual({ changes: [], knownAfterApply: [] });
  });

  it("takes open-source Kong's default protocols, which leave out Enterprise's ws and wss", () => {
    const oss = resolveStackTarget({ edition: "oss", version: "3.9" });
    const desired = { name: "key-auth", config: { hide_credentials: true } };
    const stored = live({ ...desired, protocols: ["grpc", "grpcs", "http", "https"], tags: [ownerTag("owner-token")] });
    expect(comparePluginByFacts(desired, stored, oss)).toEqual({ changes: [], knownAfterApply: [] });
    // Enterprise's default has them: the same plugin there differs
    expect(comparePluginByFacts(desired, stored, TARGET).changes).not.toEqual([]);
  });

  it("names each changed field in Kong's names, a left-out field as Kong's default, a referenceable one without values", () => {
    const desired = { name: "rate-limiting", tags: ["edge"], config: { minute: 5, redis: { port: 6380, timeout: 1000 } } };
    const stored = live({ name: "rate-limiting", enabled: false, protocols: ["https"], tags: ["edge", "by-hand"], config: { minute: 6, error_code: 503, redis: { port: 6381, timeout: 1500 } } });
    const result = comparePluginByFacts(desired, stored, TARGET);
    expect(result.changes).toMatchInlineSnapshot(`
      [
        {
          "desired": [
            "edge",
          ],
          "field": "tags",
          "live": [
            "edge",
            "by-hand",
          ],
        },
        {
          "desired": true,
          "field": "enabled",
          "live": false,
        },
        {
          "desired": [
            "grpc",
            "grpcs",
            "http",
            "https",
          ],
          "field": "protocols",
          "live": [
            "https",
          ],
        },
        {
          "desired": 5,
          "field": "config.minute",
          "live": 6,
        },
        {
          "desired": "<redacted>",
          "field": "config.redis.port",
          "live": "<redacted>",
          "secret": true,
        },
        {
          "desired": 1000,
          "field": "config.redis.timeout",
          "live": 1500,
        },
        {
          "desired": 429,
          "field": "config.error_code",
          "live": 503,
        },
      ]
    `);
  });

  it("reports a changed secret without its values", () => {
    const desired = { name: "rate-limiting", config: { minute: 5, policy: "redis", redis: { host: "redis.internal", password: "0ne-Passw0rd-0f-The-Code" } } };
    const result = comparePluginByFacts(desired, live({ ...desired, config: { ...desired.config, redis: { host: "redis.internal", password: "An0ther-By-Hand" } } }), TARGET);
    expect(result.changes).toEqual([{ field: "config.redis.password", desired: "<redacted>", live: "<redacted>", secret: true }]);
    expect(JSON.stringify(result)).not.toMatch(/Passw0rd|By-Hand/);
  });

  it("lists values known only at apply without comparing them", () => {
    const desired = {
      name: "rate-limiting",
      route: { $ref: "0", as: "json" },
      config: { minute: { $ref: "1", as: "json" }, policy: "redis", redis: { host: "redis.internal", password: { $ref: "secret", as: "base64" } } },
    };
    const result = comparePluginByFacts(
      desired,
      live({ name: "rate-limiting", route: { id: ID }, config: { minute: 7, policy: "redis", redis: { host: "redis.internal", password: "whatever-it-is" } } }),
      TARGET,
    );
    expect(result).toEqual({ changes: [], knownAfterApply: ["route.id", "config.minute", "config.redis.password"] });
  });

  it("keeps what Kong generates when the code leaves it out, as apply does", () => {
    const desired = { name: "rate-limiting-advanced", config: { limit: [10], window_size: [60] } };
    const stored = live({ name: "rate-limiting-advanced", config: { limit: [10], window_size: [60], namespace: "kX8ZtQ2b" } });
    expect(comparePluginByFacts(desired, stored, TARGET).changes).toEqual([]);
  });

  it("takes an optional record stored as null for one left out", () => {
    const desired = { name: "rate-limiting", config: { minute: 5 } };
    const stored = live(desired);
    expect(comparePluginByFacts(desired, { ...stored, config: { ...stored.config, redis: null } }, TARGET).changes).toEqual([]);
  });

  it("compares a custom plugin's config only in the fields the code sets, its secret without values", () => {
    const desired = { name: "x-trace-header", config: { header_name: "X-Trace", secret: "Cust0m-In-The-Code" } };
    const stored = { id: ID, name: "x-trace-header", protocols: ["grpc", "grpcs", "http", "https"], enabled: true, tags: null, config: { header_name: "X-Trace", sample_rate: 1, secret: "Cust0m-In-Kong" } };
    expect(comparePluginByFacts(desired, stored, TARGET).changes).toEqual([{ field: "config.secret", desired: "<redacted>", live: "<redacted>", secret: true }]);
    expect(comparePluginByFacts({ ...desired, config: { header_name: "X-Trace" } }, stored, TARGET).changes).toEqual([]);
    expect(comparePluginByFacts({ ...desired, config: { header_name: "X-Span" } }, stored, TARGET).changes).toEqual([
      { field: "config.header_name", desired: "X-Span", live: "X-Trace" },
    ]);
  });

  it("fails to find a plugin of another kind unchanged", () => {
    const desired = { name: "cors", config: {} };
    const result = comparePluginByFacts(desired, live({ name: "acl", config: { allow: ["a"] } }), TARGET);
    expect(result.changes).toEqual([{ field: "name", desired: "cors", live: "acl" }]);
  });

  it("resolves the stack's target, the newest Kong Enterprise when it names none or an invalid one", () => {
    expect(resolveStackTarget({ edition: "oss", version: "3.9" }).label).toBe("open-source Kong 3.9");
    expect(resolveStackTarget(undefined).label).toMatch(/^Kong Enterprise \d+\.\d+$/);
    expect(resolveStackTarget({ edition: "enterprise", version: "2.8" }).label).toBe(resolveStackTarget(undefined).label);
  });
});
