/**
 * Live plugins of several kinds, as Kong stores them: with every default of the plugin's facts filled
 * in (records field by field, the record items of lists too), so that what `import` leaves out and
 * what `diff` finds unchanged are decided by the facts, as against a real Kong.
 */
import { attributesAt, existsAt } from "../../src/schema/engine/facts-schema.js";
import { resolveTarget } from "../../src/schema/engine/target.js";
import type { FieldFacts } from "../../src/schema/facts.js";
import { loadPluginFacts } from "../../src/schema/generated/catalog.js";

/** Secrets of the fixtures: none may appear in any output. */
export const REDIS_PASSWORD = "R3disPassw0rdThatMustNotLeak";
export const OIDC_SECRET = "0idcClientS3cretThatMustNotLeak";
export const OIDC_SESSION_SECRET = "0idcSessionS3cretThatMustNotLeak";
export const CUSTOM_SECRET = "Cust0mPluginS3cretThatMustNotLeak";
export const ALL_SECRETS = [REDIS_PASSWORD, OIDC_SECRET, OIDC_SESSION_SECRET, CUSTOM_SECRET];

/** A plugin as written by hand through the Admin API: name, entity fields and config. */
export interface Fixture {
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly [field: string]: unknown;
}

export const FIXTURES: Record<string, Fixture> = {
  "rate-limiting": {
    name: "rate-limiting",
    instance_name: "limits",
    config: { minute: 5, hour: 100, policy: "redis", limit_by: "ip", redis: { host: "redis.internal", port: 6380, password: REDIS_PASSWORD, timeout: 2000 } },
  },
  "key-auth": { name: "key-auth", tags: ["edge"], config: { key_names: ["apikey", "x-api-key"], hide_credentials: true, key_in_body: false } },
  cors: {
    name: "cors",
    config: { origins: ["https://a.example.com", "https://b.example.com"], methods: ["GET", "POST"], headers: [], credentials: true, max_age: 3600 },
  },
  acl: { name: "acl", enabled: false, config: { allow: ["admins", "ops"], hide_groups_header: true } },
  "request-transformer": {
    name: "request-transformer",
    protocols: ["https"],
    config: { add: { headers: ["x-added:1", "x-other:2"], querystring: ["q:1"] }, rename: { headers: ["x-old:x-new"] }, remove: { body: ["password"] } },
  },
  "http-log": {
    name: "http-log",
    config: { http_endpoint: "https://logs.example.com/ingest", headers: { "X-Api-Version": "v2-beta", x_trace: "sampled-trace" }, custom_fields_by_lua: { "route.tier": "return 'gold'" } },
  },
  "openid-connect": {
    name: "openid-connect",
    config: {
      issuer: "https://idp.example.com/.well-known/openid-configuration",
      client_id: ["web-app"],
      client_secret: [OIDC_SECRET],
      session_secret: OIDC_SESSION_SECRET,
      auth_methods: ["authorization_code", "session"],
      scopes: ["openid", "email"],
    },
  },
  custom: { name: "x-trace-header", config: { header_name: "X-Trace", sample_rate: 0.25, targets: ["a", "b"], secret: CUSTOM_SECRET, extra: { deep_key: true } } },
};

/** The fixture's body as Kong stores it at a version: every default filled in. */
export function asKongStores(fixture: Fixture, version = "3.10"): Fixture {
  const facts = loadPluginFacts(fixture.name);
  if (!facts) return fixture;
  const index = resolveTarget({ edition: "enterprise", version }).dataIndex;
  return { ...fixture, protocols: fixture.protocols ?? facts.protocols.d, config: filled(facts.config, fixture.config, index) as Record<string, unknown> };
}

function filled(field: FieldFacts, value: unknown, index: number): unknown {
  const attributes = attributesAt(field, index);
  if (value === undefined) {
    if (attributes.d !== undefined) return attributes.d;
    if (field.t === "record" && field.f) return filled(field, {}, index);
    return null;
  }
  if (field.t === "record" && field.f && value !== null && typeof value === "object" && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(field.f)) if (existsAt(child, index)) out[key] = filled(child, (value as Record<string, unknown>)[key], index);
    return out;
  }
  if (field.t === "array" && field.i?.t === "record" && Array.isArray(value)) return value.map((item) => filled(field.i!, item, index));
  return value;
}
