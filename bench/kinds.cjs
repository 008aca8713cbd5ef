// The plugins of the mixed-kinds benchmarks: 20 kinds of typed constructs, each with a small,
// realistic config valid for Kong Enterprise 3.15 (checked against the generated facts by the
// constructs themselves). `mixedStack` declares N of them, kind i % 20, each on a route of its own.
"use strict";

/** The Kong version and edition every mixed stack targets. */
const TARGET = { kongVersion: "3.15", edition: "enterprise" };

/** [Kong's name, construct class, config] of each kind; the class is looked up in the library. */
const KINDS = [
  ["rate-limiting", "PluginRateLimiting", { minute: 60, hour: 1000, policy: "local", limitBy: "consumer" }],
  ["key-auth", "PluginKeyAuth", { keyNames: ["apikey", "x-api-key"], hideCredentials: true }],
  ["cors", "PluginCors", { origins: ["https://app.example.com"], methods: ["GET", "POST"], credentials: true, maxAge: 3600 }],
  ["acl", "PluginAcl", { allow: ["payments", "admins"], hideGroupsHeader: true }],
  ["request-transformer", "PluginRequestTransformer", { add: { headers: ["x-team:payments"] }, remove: { headers: ["x-debug"] } }],
  ["response-transformer", "PluginResponseTransformer", { add: { headers: ["x-served-by:kong"] }, remove: { headers: ["server"] } }],
  ["ip-restriction", "PluginIpRestriction", { allow: ["10.0.0.0/8", "192.168.1.1"], status: 403 }],
  ["jwt", "PluginJwt", { claimsToVerify: ["exp"], keyClaimName: "iss", maximumExpiration: 3600 }],
  ["basic-auth", "PluginBasicAuth", { hideCredentials: true }],
  ["correlation-id", "PluginCorrelationId", { headerName: "X-Request-ID", generator: "uuid#counter", echoDownstream: true }],
  ["request-size-limiting", "PluginRequestSizeLimiting", { allowedPayloadSize: 8, sizeUnit: "megabytes" }],
  ["proxy-cache", "PluginProxyCache", { strategy: "memory", contentType: ["application/json"], cacheTtl: 300 }],
  ["bot-detection", "PluginBotDetection", { deny: ["curl/.*"] }],
  ["request-termination", "PluginRequestTermination", { statusCode: 503, message: "down for maintenance" }],
  ["http-log", "PluginHttpLog", { httpEndpoint: "https://logs.example.com/kong", method: "POST", timeout: 10000 }],
  ["prometheus", "PluginPrometheus", { perConsumer: true, statusCodeMetrics: true }],
  [
    "openid-connect",
    "PluginOpenidConnect",
    { issuer: "https://idp.example.com/.well-known/openid-configuration", clientId: ["bench-client"], authMethods: ["bearer"], scopes: ["openid", "profile"] },
  ],
  ["rate-limiting-advanced", "PluginRateLimitingAdvanced", { limit: [100], windowSize: [60], syncRate: -1, strategy: "local" }],
  ["session", "PluginSession", { cookieName: "sid", cookieSameSite: "Lax", logoutMethods: ["POST"], rollingTimeout: 3600, storage: "cookie" }],
  ["opentelemetry", "PluginOpentelemetry", { tracesEndpoint: "http://otel-collector:4318/v1/traces", headers: { "x-tenant": "payments" } }],
];

/** The route of the i-th plugin (one plugin of a name per route; a route of its own is simplest). */
function routeId(i) {
  const hex = (i + 1).toString(16).padStart(12, "0");
  return `3473c251-5b6c-4f45-b1ff-${hex}`;
}

/**
 * Declares N plugins of the first `kinds` kinds (round robin) in `stack`, with the library `lib`;
 * `layout` is the provider's; the plugins `tagged(i)` says carry one more tag (a change to apply).
 */
function mixedStack(lib, stack, n, { serverUrl = "http://127.0.0.1:8001", kinds = KINDS.length, layout, tagged = () => undefined } = {}) {
  const provider = new lib.KongGatewayProvider(stack, "kong", { serverUrl, backend: "terraform_data", ...TARGET, ...(layout ? { layout } : {}) });
  for (let i = 0; i < n; i++) {
    const [name, construct, config] = KINDS[i % kinds];
    const extra = tagged(i);
    new lib[construct](stack, `${name}-${i}`, { provider, route: { id: routeId(i) }, instanceName: `${name}-${i}`, tags: ["bench", "team-payments", ...(extra ? [extra] : [])], config });
  }
  return provider;
}

/**
 * The provider props that keep a build of the library in the per-resource layout (two resources per
 * plugin, the layout sections 1 to 3 measure against cdktf's floor): `layout: "per-resource"` for a
 * build that has layouts (the sync layout became the default), nothing for one from before them.
 */
function perResourceLayout(dist) {
  return require("node:fs").existsSync(require("node:path").join(dist, "internal", "sync-set.js")) ? { layout: "per-resource" } : {};
}

module.exports = { KINDS, TARGET, mixedStack, perResourceLayout, routeId };
