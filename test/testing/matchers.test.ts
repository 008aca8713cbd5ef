import { Testing, TerraformStack, TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import { Consumer, KeyAuth, KongGatewayProvider, KongPlugin, PluginRateLimiting, PluginSession, Route, Service } from "../../src/index.js";
import { kongBodies, kongMatchers } from "../../src/testing/index.js";
import "../../src/testing/vitest.mjs";
import { WholeGatewayStack } from "../../examples/whole-gateway/main.js";
import { applyRequest, desiredSet, resource, synthJson } from "../support/synth.js";
import { failureMessages } from "./matcher-cases.js";

/** The lines of `b` that differ from those of `a` (same line count expected). */
function changedLines(a: string, b: string): Array<[string, string]> {
  const left = a.split("\n");
  const right = b.split("\n");
  expect(right).toHaveLength(left.length);
  return left.flatMap((line, i) => (line === right[i] ? [] : [[line, right[i]!] as [string, string]]));
}

const sortKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sortKeys)
    : value !== null && typeof value === "object"
      ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]))
      : value;

function perResourceStack(app = Testing.app()) {
  const stack = new TerraformStack(app, "edge");
  new KongGatewayProvider(stack, "kong", { layout: "per-resource", kongVersion: "3.9", edition: "oss" });
  return stack;
}

describe("kongBodies", () => {
  it("gives the bodies of the sync layout's desired set, read from the constructs", () => {
    let built: WholeGatewayStack;
    const { request } = desiredSet((app) => (built = new WholeGatewayStack(app, "gateway")));
    const bodies = kongBodies(built!);
    // every plugin and entity, by construct path, with the body the desired set holds (its one secret aside)
    expect(bodies.plugins.map((p) => [p.name, p.path, p.id, sortKeys(p.body)])).toEqual(
      [...request.plugins].sort((a: any, b: any) => (a.path < b.path ? -1 : 1)).map((p: any) => [p.payload.name, p.path, p.id, sortKeys(p.payload)]),
    );
    const secretFree = (body: any) => ({ ...body, key: body.key === undefined ? undefined : "(masked)" });
    expect(bodies.entities.map((e) => [e.path, e.id, secretFree(e.body)])).toEqual(
      [...request.entities].sort((a: any, b: any) => (a.path < b.path ? -1 : 1)).map((e: any) => [e.path, e.id, secretFree(sortKeys(e.payload))]),
    );
    expect(bodies.entities.map((e) => `${e.kind} ${e.path}`)).toEqual([
      "Consumer gateway/mobile_app",
      "KeyAuth gateway/mobile_app_key_auth",
      "Service gateway/orders",
      "Route gateway/orders_api",
      "Service gateway/payments",
      "Route gateway/payments_api",
    ]);
  });

  it("gives a reference by name as the desired set has it: the id of an entity the provider declares, before or after", () => {
    let stack!: TerraformStack;
    const { request } = desiredSet((app) => {
      stack = new TerraformStack(app, "gw");
      new KongGatewayProvider(stack, "kong", { kongVersion: "3.9", edition: "oss" });
      new PluginRateLimiting(stack, "limits", { route: { name: "checkout" }, config: { minute: 5, policy: "local" } });
      new Route(stack, "checkout", { name: "checkout", service: { name: "orders" }, paths: ["/checkout"] });
      new Service(stack, "orders", { name: "orders", host: "orders.internal" });
      new PluginRateLimiting(stack, "legacy-limits", { route: { name: "legacy" }, config: { minute: 5, policy: "local" } });
      return stack;
    });
    const bodies = kongBodies(stack);
    const route = bodies.entities.find((e) => e.path === "gw/checkout")!;
    expect(route.body.service).toEqual({ id: bodies.entities.find((e) => e.path === "gw/orders")!.id });
    expect(bodies.plugins.map((p) => [p.path, p.body.route])).toEqual([
      ["gw/legacy-limits", { name: "legacy" }],
      ["gw/limits", { id: route.id }],
    ]);
    expect(request.plugins.map((p: any) => [p.path, p.payload.route]).sort()).toEqual(bodies.plugins.map((p) => [p.path, p.body.route]));
    expect(request.entities.find((e: any) => e.path === "gw/checkout").payload.service).toEqual(route.body.service);
  });

  it("gives the bodies of the per-resource layout's requests the same way", () => {
    const stack = perResourceStack();
    const limits = new PluginRateLimiting(stack, "limits", { route: { id: "3473c251-5b6c-4f45-b1ff-7ede735a366d" }, config: { minute: 5, policy: "local" } });
    new KongPlugin(stack, "team-header", { name: "my-header-plugin", workspace: "team-a", config: { header_name: "X-Team" } });
    const json = synthJson(stack);
    const request = applyRequest(resource(json, "limits_config"));
    expect(kongBodies(stack).plugins).toEqual([
      { name: "rate-limiting", path: "edge/limits", id: limits.pluginId, body: sortKeys(request.payload) },
      { name: "my-header-plugin", path: "edge/team-header", id: expect.any(String), workspace: "team-a", body: { config: { header_name: "X-Team" }, name: "my-header-plugin" } },
    ]);
    expect(request.payload).toEqual({ name: "rate-limiting", route: { id: "3473c251-5b6c-4f45-b1ff-7ede735a366d" }, config: { minute: 5, policy: "local" } });
  });

  it("shows references as Terraform writes them, the same on every synth", () => {
    const build = () => {
      const app = Testing.app();
      const stack = new TerraformStack(app, "refs");
      new KongGatewayProvider(stack, "kong", { kongVersion: "3.9", edition: "oss" });
      const route = new TerraformVariable(stack, "route_id", { type: "string" });
      const minute = new TerraformVariable(stack, "minute", { type: "number" });
      new PluginRateLimiting(stack, "limits", { route: { id: route.stringValue }, config: { minute: minute.numberValue, policy: "local", headerName: `x-${route.stringValue}` } });
      return kongBodies(stack);
    };
    const first = build();
    expect(first.plugins[0]!.body).toEqual({
      config: { header_name: "x-${var.route_id}", minute: "${var.minute}", policy: "local" },
      name: "rate-limiting",
      route: { id: "${var.route_id}" },
    });
    expect(build()).toEqual(first);
  });

  it("masks secrets: a literal one, one by reference, one inside a larger expression; a vault reference is no secret", () => {
    const stack = new TerraformStack(Testing.app(), "secrets");
    new KongGatewayProvider(stack, "kong", { kongVersion: "3.9", edition: "oss" });
    const secret = new TerraformVariable(stack, "session_secret", { type: "string", sensitive: true });
    new PluginSession(stack, "literal", { route: { id: "3473c251-5b6c-4f45-b1ff-7ede735a366d" }, config: { secret: "literal-secret-value-0123456789abcdef" } });
    new PluginSession(stack, "variable", { route: { id: "4473c251-5b6c-4f45-b1ff-7ede735a366d" }, config: { secret: secret.stringValue } });
    new PluginSession(stack, "mixed", { route: { id: "5473c251-5b6c-4f45-b1ff-7ede735a366d" }, config: { secret: `pepper-0123456789-${secret.stringValue}` } });
    new PluginSession(stack, "vault", { route: { id: "6473c251-5b6c-4f45-b1ff-7ede735a366d" }, config: { secret: "{vault://env/session-secret}" } });
    const consumer = new Consumer(stack, "app", { username: "app" });
    new KeyAuth(stack, "app-key", { consumer, key: "literal-key-value-0123456789" });
    const bodies = kongBodies(stack);
    expect(Object.fromEntries(bodies.plugins.map((p) => [p.path, (p.body.config as any).secret]))).toEqual({
      "secrets/literal": "(secret)",
      "secrets/mixed": "(secret from a reference)",
      "secrets/variable": "(secret from ${var.session_secret})",
      "secrets/vault": "{vault://env/session-secret}",
    });
    expect(bodies.entities.find((e) => e.kind === "KeyAuth")!.body.key).toBe("(secret)");
    const text = JSON.stringify(bodies);
    for (const literal of ["literal-secret-value", "pepper-0123456789", "literal-key-value"]) expect(text).not.toContain(literal);
    // nor in a failure message, which shows the masked body, and hides a secret the test expects
    // (a placeholder or a vault reference is no secret: shown as it is)
    expect(() => expect(stack).toHaveKongEntity("KeyAuth", { key: "(secret from ${var.app_key})" })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected stack "secrets" to have a key-auth credential matching { key: "(secret from \${var.app_key})" }; its key-auth credentials:
        secrets/app-key: key is "(secret)", expected "(secret from \${var.app_key})"]
    `);
    expect(() => expect(stack).toHaveKongPlugin("session", { config: { secret: "{vault://env/other}" } })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected stack "secrets" to have a session plugin matching { config: { secret: "{vault://env/other}" } }; its session plugins:
        secrets/literal: config.secret is "(secret)", expected "{vault://env/other}"
        secrets/mixed: config.secret is "(secret from a reference)", expected "{vault://env/other}"
        secrets/variable: config.secret is "(secret from \${var.session_secret})", expected "{vault://env/other}"
        secrets/vault: config.secret is "{vault://env/session-secret}", expected "{vault://env/other}"]
    `);
    expect(() => expect(stack).toHaveKongPlugin("session", { config: { secret: "expected-secret-0123456789" } })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected stack "secrets" to have a session plugin matching { config: { secret: (secret) } }; its session plugins:
        secrets/literal: config.secret is "(secret)", expected (secret)
        secrets/mixed: config.secret is "(secret from a reference)", expected (secret)
        secrets/variable: config.secret is "(secret from \${var.session_secret})", expected (secret)
        secrets/vault: config.secret is "{vault://env/session-secret}", expected (secret)]
    `);
    expect(() => expect(stack).toHaveKongEntity("KeyAuth", { key: "literal-key-value-0123456789" })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected stack "secrets" to have a key-auth credential matching { key: (secret) }; its key-auth credentials:
        secrets/app-key: key is "(secret)", expected (secret)]
    `);
  });

  it("takes an app or any construct, and refuses what is not one", () => {
    const app = Testing.app();
    new WholeGatewayStack(app, "one");
    new WholeGatewayStack(app, "two", { withPayments: false, serverUrl: "http://kong-two:8001" });
    expect(kongBodies(app).plugins.map((p) => p.path)).toEqual([
      "one/orders_key_auth",
      "one/orders_rate_limiting",
      "one/payments_cors",
      "one/payments_session",
      "two/orders_key_auth",
      "two/orders_rate_limiting",
    ]);
    expect(() => kongBodies(Testing.synth(new WholeGatewayStack(Testing.app(), "three")) as any)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: kongBodies takes a stack (or any construct), got a string (Testing.synth's output?)]`,
    );
  });

  it("changes by one line of a snapshot when one field changes, where Testing.synth's output changes a long escaped line", async () => {
    // the serializer of vitest's snapshots (an ES module: imported dynamically from this CommonJS file)
    const { format } = await import("@vitest/pretty-format");
    const bodies = (minute: number) => kongBodies(new WholeGatewayStack(Testing.app(), "gateway", { ordersPerMinute: minute }));
    // vitest's snapshot format (its defaults for toMatchSnapshot), and JSON
    const snapshot = (value: unknown) => format(value, { escapeString: false, indent: 2, printBasicPrototype: false });
    expect(changedLines(snapshot(bodies(60)), snapshot(bodies(61)))).toEqual([['          "minute": 60,', '          "minute": 61,']]);
    expect(changedLines(JSON.stringify(bodies(60), null, 2), JSON.stringify(bodies(61), null, 2))).toEqual([['          "minute": 60,', '          "minute": 61,']]);

    // the per-resource layout's synthesized JSON: the body is one escaped JSON string of a trigger
    const synth = (minute: number) => {
      const stack = perResourceStack();
      new PluginRateLimiting(stack, "limits", { route: { id: "3473c251-5b6c-4f45-b1ff-7ede735a366d" }, config: { minute, policy: "local", limitBy: "consumer", hideClientHeaders: true } });
      return Testing.synth(stack);
    };
    const changed = changedLines(synth(60), synth(61));
    expect(changed).toHaveLength(1);
    expect(changed[0]![0]).toMatch(/^ *"request": "\{\\"version\\":2,.*\\"minute\\":60,/);
    expect(changed[0]![0].length).toBeGreaterThan(300);
  });
});

describe("toHaveKongPlugin and toHaveKongEntity", () => {
  const stack = new WholeGatewayStack(Testing.app(), "gateway");

  it("match a plugin by name and a partial Kong body, constructs standing for { id }, asymmetric matchers inside", () => {
    expect(stack).toHaveKongPlugin("rate-limiting");
    expect(stack).toHaveKongPlugin("rate-limiting", { service: stack.orders, config: { minute: 60 } });
    expect(stack).toHaveKongPlugin("rate-limiting", { service: { id: stack.orders.id }, config: { minute: expect.any(Number), limit_by: expect.stringMatching(/^cons/) } });
    expect(stack).toHaveKongPlugin("cors", { config: expect.objectContaining({ origins: expect.arrayContaining(["https://app.example.com"]) }) });
    expect(stack).toHaveKongPlugin("key-auth", { config: { key_names: ["apikey"] } });
    expect(stack).not.toHaveKongPlugin("key-auth", { config: { key_names: ["apikey", "x-api-key"] } });
    expect(stack).not.toHaveKongPlugin("acl");
    expect(stack).not.toHaveKongPlugin("rate-limiting", { config: { minute: 5 } });
  });

  it("match an entity by its construct's name or Kong's DAO name", () => {
    expect(stack).toHaveKongEntity("Route", { paths: ["/orders"], service: stack.orders });
    expect(stack).toHaveKongEntity("routes", { name: "payments-api", protocols: ["https"] });
    expect(stack).toHaveKongEntity("Service", { name: "orders", port: 8080, path: "/v1" });
    expect(stack).toHaveKongEntity("KeyAuth", { key: "(secret from ${var.mobile_app_key})" });
    expect(stack).toHaveKongEntity("keyauth_credentials");
    expect(stack).not.toHaveKongEntity("Upstream");
    expect(stack).not.toHaveKongEntity("Route", { paths: ["/v2"] });
  });

  it("match a plugin of the per-resource layout", () => {
    const edge = perResourceStack();
    new PluginRateLimiting(edge, "limits", { config: { minute: 5, policy: "local" } });
    expect(edge).toHaveKongPlugin("rate-limiting", { config: { minute: 5 } });
    expect(edge).not.toHaveKongPlugin("rate-limiting", { config: { minute: 6 } });
  });

  it("say what they found when they fail", () => {
    expect(failureMessages(expect as any, stack)).toMatchInlineSnapshot(`
      {
        ".not without a partial": "expected stack "gateway" not to have a session plugin, and gateway/payments_session is one",
        ".not, and the entity is there": "expected stack "gateway" not to have a service matching { name: "orders" }, and gateway/orders is one",
        ".not, and the plugin is there": "expected stack "gateway" not to have a rate-limiting plugin matching { config: { minute: 60 } }, and gateway/orders_rate_limiting is one",
        "a plugin on another route": "expected stack "gateway" to have a cors plugin matching { route: { id: "5d7266aa-e892-5a91-90b3-7a71926fd8f6" } }; its cors plugins:
        gateway/payments_cors: route.id is "52fd5921-cfaf-5b97-9d11-695d8fd58d57", expected "5d7266aa-e892-5a91-90b3-7a71926fd8f6"",
        "a plugin the stack lacks": "expected stack "gateway" to have an acl plugin, and it has none; its plugins: key-auth at gateway/orders_key_auth, rate-limiting at gateway/orders_rate_limiting, cors at gateway/payments_cors, session at gateway/payments_session",
        "a plugin whose config differs": "expected stack "gateway" to have a rate-limiting plugin matching { config: { minute: 5, policy: "redis" } }; its rate-limiting plugins:
        gateway/orders_rate_limiting: config.minute is 60, expected 5; config.policy is "local", expected "redis"",
        "an asymmetric matcher that fails": "expected stack "gateway" to have a rate-limiting plugin matching { config: { minute: Any<String> } }; its rate-limiting plugins:
        gateway/orders_rate_limiting: config.minute is 60, expected Any<String>",
        "an entity by Kong's DAO name, its secret masked": "expected stack "gateway" to have a key-auth credential matching { key: (secret) }; its key-auth credentials:
        gateway/mobile_app_key_auth: key is "(secret from \${var.mobile_app_key})", expected (secret)",
        "an entity kind the stack lacks": "expected stack "gateway" to have an upstream, and it has none; its entities: Consumer at gateway/mobile_app, KeyAuth at gateway/mobile_app_key_auth, Service at gateway/orders, Route at gateway/orders_api, Service at gateway/payments, Route at gateway/payments_api",
        "an entity whose list differs": "expected stack "gateway" to have a route matching { methods: ["GET"] }; its routes:
        gateway/orders_api: methods is ["GET", "POST"], expected ["GET"]
        gateway/payments_api: methods is absent, expected ["GET"]",
      }
    `);
  });

  it("name the app or construct they were given, and list at most five differences of each candidate", () => {
    const app = Testing.app();
    new WholeGatewayStack(app, "gateway");
    expect(() => expect(app).toHaveKongPlugin("acl")).toThrowErrorMatchingInlineSnapshot(
      `[Error: expected the app to have an acl plugin, and it has none; its plugins: key-auth at gateway/orders_key_auth, rate-limiting at gateway/orders_rate_limiting, cors at gateway/payments_cors, session at gateway/payments_session]`,
    );
    expect(() => expect(stack.orders).toHaveKongEntity("Route")).toThrowErrorMatchingInlineSnapshot(
      `[Error: expected construct "gateway/orders" to have a route, and it has none; its entities: Service at gateway/orders]`,
    );
    expect(() => expect(stack).toHaveKongEntity("Service", { name: "x", host: "x", port: 1, protocol: "grpc", retries: 9, path: "/x", connect_timeout: 1 })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected stack "gateway" to have a service matching { name: "x", host: "x", port: 1, protocol: "grpc", retries: 9, path: "/x", connect_timeout: 1 }; its services:
        gateway/orders: name is "orders", expected "x"; host is "orders.internal", expected "x"; port is 8080, expected 1; protocol is "http", expected "grpc"; retries is 3, expected 9; and 2 more
        gateway/payments: name is "payments", expected "x"; host is "payments.internal", expected "x"; port is 8443, expected 1; protocol is "https", expected "grpc"; retries is absent, expected 9; and 2 more]
    `);
  });

  it("list at most ten candidates and twenty other constructs", () => {
    const crowd = new TerraformStack(Testing.app(), "crowd");
    new KongGatewayProvider(crowd, "kong", { kongVersion: "3.9", edition: "oss" });
    for (let i = 0; i < 22; i++) new Consumer(crowd, `c${String(i).padStart(2, "0")}`, { username: `user-${i}` });
    expect(() => expect(crowd).toHaveKongEntity("Route")).toThrowErrorMatchingInlineSnapshot(`[Error: expected stack "crowd" to have a route, and it has none; its entities: Consumer at crowd/c00, Consumer at crowd/c01, Consumer at crowd/c02, Consumer at crowd/c03, Consumer at crowd/c04, Consumer at crowd/c05, Consumer at crowd/c06, Consumer at crowd/c07, Consumer at crowd/c08, Consumer at crowd/c09, Consumer at crowd/c10, Consumer at crowd/c11, Consumer at crowd/c12, Consumer at crowd/c13, Consumer at crowd/c14, Consumer at crowd/c15, Consumer at crowd/c16, Consumer at crowd/c17, Consumer at crowd/c18, Consumer at crowd/c19 and 2 more]`);
    expect(() => expect(crowd).toHaveKongEntity("Consumer", { username: "nobody" })).toThrowErrorMatchingInlineSnapshot(`
      [Error: expected stack "crowd" to have a consumer matching { username: "nobody" }; its consumers:
        crowd/c00: username is "user-0", expected "nobody"
        crowd/c01: username is "user-1", expected "nobody"
        crowd/c02: username is "user-2", expected "nobody"
        crowd/c03: username is "user-3", expected "nobody"
        crowd/c04: username is "user-4", expected "nobody"
        crowd/c05: username is "user-5", expected "nobody"
        crowd/c06: username is "user-6", expected "nobody"
        crowd/c07: username is "user-7", expected "nobody"
        crowd/c08: username is "user-8", expected "nobody"
        crowd/c09: username is "user-9", expected "nobody"
        and 12 more consumers]
    `);
    expect(() => expect(crowd).not.toHaveKongEntity("Consumer")).toThrowErrorMatchingInlineSnapshot(`[Error: expected stack "crowd" not to have a consumer, and crowd/c00, crowd/c01, crowd/c02, crowd/c03, crowd/c04, crowd/c05, crowd/c06, crowd/c07, crowd/c08, crowd/c09 and 12 more are]`);
  });

  it("refuse what they cannot read: a synthesized string, an unknown kind", () => {
    expect(() => expect(Testing.synth(stack)).toHaveKongPlugin("rate-limiting")).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: toHaveKongPlugin takes a stack (or any construct), got a string (Testing.synth's output?): the sync layout's bodies are not in cdk.tf.json, pass the stack itself, expect(stack)]`,
    );
    expect(() => expect(stack).toHaveKongEntity("Rout")).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: toHaveKongEntity takes an entity kind, a construct's name or Kong's DAO name, got "Rout" (did you mean Route?); the kinds: Certificate, CaCertificate, Vault, KeySet, Key, Sni, ConsumerGroup, Consumer, Upstream, Target, Service, Route, KeyAuth, BasicAuth, Jwt, HmacAuth, Acl]`,
    );
    expect(() => expect(stack).toHaveKongPlugin(undefined as any)).toThrowErrorMatchingInlineSnapshot(
      `[TypeError: toHaveKongPlugin takes a plugin name (e.g. "rate-limiting"), got undefined]`,
    );
  });

  it("are one object for expect.extend, returning { pass, message }", () => {
    const context = { isNot: false, equals: (a: unknown, b: unknown) => a === b };
    const found = kongMatchers.toHaveKongPlugin.call(context, stack, "rate-limiting", { config: { minute: 60 } });
    expect(found.pass).toBe(true);
    const missing = kongMatchers.toHaveKongEntity.call(context, stack, "Upstream");
    expect(missing.pass).toBe(false);
    expect(missing.message()).toMatch(/^expected stack "gateway" to have an upstream, and it has none/);
  });
});

