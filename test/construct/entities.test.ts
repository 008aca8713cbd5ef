/**
 * The core entity constructs at synth: references between constructs become ids known at synth, the
 * desired set lists parents before children, and every rule Kong would enforce at apply is an error
 * at synth, named in the props' names.
 */
import { Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  BasicAuth,
  Consumer,
  ConsumerGroup,
  Jwt,
  KeyAuth,
  KongEntityValidationError,
  KongGatewayProvider,
  type KongGatewayProviderProps,
  KongPluginValidationError,
  PluginKeyAuth,
  PluginRateLimiting,
  PluginSession,
  Route,
  Service,
  Sni,
  Target,
  Upstream,
} from "../../src/index.js";
import { desiredSet, thrown } from "../support/synth.js";

function gateway(props: KongGatewayProviderProps = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, "gw");
  const provider = new KongGatewayProvider(stack, "kong", { serverUrl: "http://localhost:8001", ...props });
  return { app, stack, provider };
}

const warnings = (construct: { node: { metadata: Array<{ type: string; data: unknown }> } }) =>
  construct.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data as string);

describe("entity constructs", () => {
  it("refer to each other by construct: the ids are known at synth, parents come first in the desired set", () => {
    const { request } = desiredSet((app) => {
      const stack = new TerraformStack(app, "gw");
      new KongGatewayProvider(stack, "kong", { serverUrl: "http://localhost:8001" });
      const service = new Service(stack, "orders", { name: "orders", url: "http://orders.internal:8080/v1" });
      const route = new Route(stack, "orders-route", { service, name: "orders", paths: ["/orders"] });
      const consumer = new Consumer(stack, "alice", { username: "alice" });
      new KeyAuth(stack, "alice-key", { consumer, key: "{vault://env/alice-key}" });
      new PluginKeyAuth(stack, "auth", { route, config: { hideCredentials: true } });
      new PluginRateLimiting(stack, "limit", { service, config: { minute: 5 } });
      new PluginSession(stack, "session", { route });
      expect(route.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      return stack;
    });
    const byPath = Object.fromEntries(request.entities.map((e: any) => [e.path, e]));
    expect(request.entities.map((e: any) => `${e.kind} ${e.path}`)).toEqual([
      "services gw/orders",
      "routes gw/orders-route",
      "consumers gw/alice",
      "keyauth_credentials gw/alice-key",
    ]);
    // the url shorthand split as Kong splits it
    expect(byPath["gw/orders"].payload).toEqual({ name: "orders", protocol: "http", host: "orders.internal", port: 8080, path: "/v1" });
    expect(byPath["gw/orders-route"].payload).toEqual({ service: { id: byPath["gw/orders"].id }, name: "orders", paths: ["/orders"] });
    expect(byPath["gw/alice-key"].payload).toEqual({ consumer: { id: byPath["gw/alice"].id }, key: "{vault://env/alice-key}" });
    const plugins = Object.fromEntries(request.plugins.map((p: any) => [p.path, p.payload]));
    expect(plugins["gw/auth"].route).toEqual({ id: byPath["gw/orders-route"].id });
    expect(plugins["gw/limit"].service).toEqual({ id: byPath["gw/orders"].id });
    expect(plugins["gw/session"].route).toEqual({ id: byPath["gw/orders-route"].id });
    expect(Object.keys(request.entityFacts).sort()).toEqual(["consumers", "keyauth_credentials", "routes", "services"]);
  });

  it("take a foreign key as { id } too", () => {
    const { stack } = gateway();
    const route = new Route(stack, "r", { service: { id: "8d5f6a7b-1c2d-4e3f-9a0b-1c2d3e4f5a6b" }, hosts: ["example.com"] });
    expect(route.kind).toBe("routes");
  });

  it("report every problem of a route in one error, in the props' names and Kong's words", () => {
    const { stack } = gateway();
    const service = new Service(stack, "s", { host: "orders.internal" });
    const error = thrown(() => new Route(stack, "r", { service, paths: ["orders"], httpsRedirectStatusCode: 303, stripPath: "yes" } as never));
    expect(error).toBeInstanceOf(KongEntityValidationError);
    expect(error.message).toMatchInlineSnapshot(`
      "invalid route at "gw/r", 3 problems:
        - httpsRedirectStatusCode (Kong: https_redirect_status_code): expected one of: 301, 302, 307, 308, 426, got 303
        - stripPath (Kong: strip_path): expected a boolean, got "yes"
        - paths[0]: should start with: / (fixed path) or ~/ (regex path), got "orders""
    `);
  });

  it("ask a route for what Kong's router needs, by its protocols", () => {
    const { stack } = gateway();
    const service = new Service(stack, "s", { host: "orders.internal" });
    expect(thrown(() => new Route(stack, "https", { service })).message).toMatchInlineSnapshot(`
      "invalid route at "gw/https", 1 problem:
        - methods/hosts/headers/paths/snis: must set one of 'methods', 'hosts', 'headers', 'paths', 'snis' when 'protocols' is 'https'"
    `);
    expect(thrown(() => new Route(stack, "http", { service, protocols: ["http"], snis: ["a.example"] })).message).toMatchInlineSnapshot(`
      "invalid route at "gw/http", 2 problems:
        - methods/hosts/headers/paths: must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'
        - snis: 'snis' can only be set when 'protocols' is 'grpcs', 'https', 'tls', 'tls_passthrough', or 'wss', got ["a.example"]"
    `);
    expect(thrown(() => new Route(stack, "tcp", { service, protocols: ["tcp"], paths: ["/x"] })).message).toMatchInlineSnapshot(`
      "invalid route at "gw/tcp", 2 problems:
        - paths: cannot set 'paths' when 'protocols' is 'tcp', 'tls', 'tls_passthrough' or 'udp', got ["/x"]
        - sources/destinations/snis: must set one of 'sources', 'destinations', 'snis' when 'protocols' is 'tcp', 'tls' or 'udp'"
    `);
    // an expressions route: Kong's expressions router checks the expression
    new Route(stack, "expression", { service, expression: 'http.path ^= "/orders"' });
  });

  it("name the unknown prop and the likely one, bounds and enums in Kong's words", () => {
    const { stack } = gateway();
    expect(thrown(() => new Service(stack, "s", { host: "orders.internal", retrys: 3, port: 70000, protocol: "htp" } as never)).message).toMatchInlineSnapshot(`
      "invalid service at "gw/s", 3 problems:
        - retrys: unknown field (did you mean retries?)
        - port: value should be between 0 and 65535, got 70000
        - protocol: expected one of: grpc, grpcs, http, https, tcp, tls, tls_passthrough, udp, ws, wss, got "htp""
    `);
    expect(thrown(() => new Service(stack, "no-host", {})).message).toMatchInlineSnapshot(`
      "invalid service at "gw/no-host", 1 problem:
        - host: required field missing"
    `);
    expect(thrown(() => new Service(stack, "bad-url", { url: "orders.internal" })).message).toMatchInlineSnapshot(`
      "invalid service at "gw/bad-url", 1 problem:
        - url: expected a URL such as https://example.internal:8443/api, got "orders.internal""
    `);
  });

  it("refuse a reference of the wrong kind, of another provider or of another workspace", () => {
    const { stack } = gateway();
    const consumer = new Consumer(stack, "alice", { username: "alice" });
    expect(thrown(() => new Route(stack, "r", { service: consumer as never, paths: ["/"] })).message).toMatchInlineSnapshot(`
      "invalid route at "gw/r", 1 problem:
        - service: expected a service (a Service construct, or { id }), got a consumer, got "consumer at \\"gw/alice\\"""
    `);
    const other = new KongGatewayProvider(stack, "other", { serverUrl: "http://other:8001" });
    const service = new Service(stack, "s", { provider: other, host: "orders.internal" });
    expect(thrown(() => new Route(stack, "r2", { provider: (stack.node.findChild("kong") as KongGatewayProvider), service, paths: ["/"] })).message).toContain(
      `service: the service belongs to another KongGatewayProvider ("gw/other"): Kong's foreign keys hold within one Admin API`,
    );
    const team = new Service(stack, "team", { provider: other, host: "team.internal", workspace: "team" });
    expect(thrown(() => new PluginRateLimiting(stack, "limit", { provider: other, service: team, config: { minute: 5 } })).message).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin at "gw/limit", 1 problem:
        - service: the service is in workspace "team", this one in "default": Kong's foreign keys hold within one workspace, got "services at \\"gw/team\\"""
    `);
    expect(thrown(() => new PluginRateLimiting(stack, "limit2", { provider: other, service: team, config: { minute: 5 } }))).toBeInstanceOf(KongPluginValidationError);
  });

  it("ask a credential for its consumer, and keep Kong's unique keys unique within the app", () => {
    const { stack } = gateway();
    expect(thrown(() => new KeyAuth(stack, "k", {} as never)).message).toMatchInlineSnapshot(`
      "invalid key-auth credential at "gw/k", 1 problem:
        - consumer: required: the consumer it belongs to (a construct, or { id })"
    `);
    new Service(stack, "a", { name: "orders", host: "a.internal" });
    expect(thrown(() => new Service(stack, "b", { name: "orders", host: "b.internal" })).message).toMatchInlineSnapshot(`
      "invalid service at "gw/b", 1 problem:
        - name: Kong keeps name unique among services in workspace "default", and it is also used by "gw/a", got "orders""
    `);
    const alice = new Consumer(stack, "alice", { username: "alice" });
    new KeyAuth(stack, "k1", { consumer: alice, key: "{vault://env/k1}" });
    expect(thrown(() => new KeyAuth(stack, "k2", { consumer: alice, key: "{vault://env/k1}" })).message).toContain(`key: Kong keeps key unique among key-auths in workspace "default", and it is also used by "gw/k1"`);
  });

  it("say what the targeted Kong lacks", () => {
    const { stack } = gateway({ edition: "oss", kongVersion: "3.9" });
    expect(thrown(() => new ConsumerGroup(stack, "gold", { name: "gold" })).message).toMatchInlineSnapshot(`
      "invalid consumer group at "gw/gold", 1 problem:
        - (consumer group): the consumer group is not in open-source Kong: Kong Enterprise 3.4+ has it, got "consumer_groups""
    `);
    expect(thrown(() => new Service(stack, "s", { host: "a.internal", tlsSans: { dnsnames: ["a"] } })).message).toMatchInlineSnapshot(`
      "invalid service at "gw/s", 1 problem:
        - tlsSans (Kong: tls_sans): not in open-source Kong: Kong Enterprise 3.4, 3.10+ has it, got {"dnsnames":["a"]}"
    `);
  });

  it("take the values open-source Kong 3.4 to 3.6 allows, narrower than Enterprise's", () => {
    const { stack } = gateway({ edition: "oss", kongVersion: "3.4" });
    const consumer = new Consumer(stack, "app", { username: "app" });
    expect(thrown(() => new Upstream(stack, "pool", { name: "pool", algorithm: "sticky-sessions" })).message).toMatchInlineSnapshot(`
      "invalid upstream at "gw/pool", 1 problem:
        - algorithm: expected one of: consistent-hashing, latency, least-connections, round-robin, got "sticky-sessions""
    `);
    expect(thrown(() => new Jwt(stack, "jwt", { consumer, algorithm: "ES512" })).message).toMatchInlineSnapshot(`
      "invalid JWT credential at "gw/jwt", 1 problem:
        - algorithm: expected one of: HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, got "ES512""
    `);
    new Jwt(stack, "hs", { consumer, algorithm: "HS512" });
    const later = gateway({ edition: "oss", kongVersion: "3.9" });
    new Jwt(later.stack, "jwt", { consumer: new Consumer(later.stack, "app", { username: "app" }), algorithm: "ES512" });
    const enterprise = gateway({ kongVersion: "3.15" });
    new Upstream(enterprise.stack, "pool", { name: "pool", algorithm: "sticky-sessions" });
  });

  it("check routes' methods and paths, services' paths and CA certificates, and open-source Kong's protocols as Kong does", () => {
    const { stack } = gateway({ edition: "oss", kongVersion: "3.9" });
    const service = new Service(stack, "s", { host: "orders.internal" });
    expect(thrown(() => new Route(stack, "r", { service, methods: ["get"], paths: ["/a/../b", "/c//d"], protocols: ["ws"] })).message).toMatchInlineSnapshot(`
      "invalid route at "gw/r", 4 problems:
        - protocols[0]: not in open-source Kong: a protocol of Kong Enterprise, got "ws"
        - paths[0]: non-normalized path, consider use '/b' instead, got "/a/../b"
        - paths[1]: must not have empty segments, got "/c//d"
        - methods[0]: invalid value: get, got "get" (did you mean "GET"?)"
    `);
    expect(thrown(() => new Service(stack, "bad", { host: "a.internal", path: "/v1//orders", caCertificates: ["not-a-uuid"], protocol: "https" })).message).toMatchInlineSnapshot(`
      "invalid service at "gw/bad", 2 problems:
        - path: must not have empty segments, got "/v1//orders"
        - caCertificates[0] (Kong: ca_certificates[0]): expected a valid UUID, got "not-a-uuid""
    `);
  });

  it("check host names as Kong reads them: services, routes' hosts and SNIs, SNIs, upstreams and targets", () => {
    const { stack } = gateway();
    expect(thrown(() => new Service(stack, "port", { host: "orders.internal:8080" })).message).toContain("host: must not have a port, got \"orders.internal:8080\"");
    expect(thrown(() => new Service(stack, "name", { host: "bad host!" })).message).toContain("host: invalid value: bad host!");
    const service = new Service(stack, "s", { host: "orders.internal" });
    expect(thrown(() => new Route(stack, "r", { service, hosts: ["a*b.example.com", "*.*.example.com"], snis: ["10.0.0.1"], protocols: ["https"] })).message).toMatchInlineSnapshot(`
      "invalid route at "gw/r", 3 problems:
        - hosts[0]: invalid wildcard: must be placed at leftmost or rightmost label, got "a*b.example.com"
        - hosts[1]: invalid wildcard: must have at most one wildcard, got "*.*.example.com"
        - snis[0]: must not be an IP, got "10.0.0.1""
    `);
    expect(thrown(() => new Sni(stack, "sni", { name: "a.example.com:443", certificate: { id: "8d5f6a7b-1c2d-4e3f-9a0b-1c2d3e4f5a6b" } })).message).toContain("name: must not have a port");
    expect(thrown(() => new Upstream(stack, "u", { name: "10.0.0.1", hostHeader: "bad host!" })).message).toMatchInlineSnapshot(`
      "invalid upstream at "gw/u", 2 problems:
        - name: Invalid name ('10.0.0.1'); no ip addresses allowed, got "10.0.0.1"
        - hostHeader (Kong: host_header): invalid hostname: bad host!, got "bad host!""
    `);
    const upstream = new Upstream(stack, "pool", { name: "pool" });
    expect(thrown(() => new Target(stack, "t", { upstream, target: "10.0.0.1:99999" })).message).toContain("target: Invalid target ('10.0.0.1:99999'); not a valid hostname or ip address");
  });

  it("check an upstream's hashing and paths, a JWT's key and a key-auth ttl as Kong does", () => {
    const { stack } = gateway();
    expect(thrown(() => new Upstream(stack, "u", { name: "pool", hashFallback: "ip", hashOnCookiePath: "no-slash", healthchecks: { active: { httpPath: "/a//b" } } })).message).toMatchInlineSnapshot(`
      "invalid upstream at "gw/u", 3 problems:
        - hashOnCookiePath (Kong: hash_on_cookie_path): should start with: /, got "no-slash"
        - healthchecks.active.httpPath (Kong: healthchecks.active.http_path): must not have empty segments, got "/a//b"
        - hashFallback (Kong: hash_fallback): expected one of: none when hashOn is "none" (its default) (Kong: failed conditional validation given value of field 'hash_on'), got "ip""
    `);
    expect(thrown(() => new Upstream(stack, "d", { name: "pool-d", hashOn: "header", hashOnHeader: "x-user", hashFallback: "header", hashFallbackHeader: "x-user" })).message).toContain(
      "hashOnHeader/hashFallbackHeader: values of these fields must be distinct: 'hash_on_header', 'hash_fallback_header'",
    );
    const consumer = new Consumer(stack, "c", { username: "c" });
    expect(thrown(() => new Jwt(stack, "j", { consumer, algorithm: "RS256", rsaPublicKey: "not a key" })).message).toContain('rsaPublicKey (Kong: rsa_public_key): invalid key, got "not a key"');
    expect(thrown(() => new KeyAuth(stack, "k", { consumer, ttl: -1 })).message).toContain("ttl: must be an integer between 0 and 100000000, got -1");
  });

  it("need the sync layout", () => {
    const { stack } = gateway({ layout: "per-resource" });
    expect(thrown(() => new Service(stack, "s", { host: "a.internal" })).message).toMatchInlineSnapshot(`
      "invalid service at "gw/s", 1 problem:
        - provider: Kong's core entities need the sync layout, and KongGatewayProvider "gw/kong" uses "per-resource": remove its layout prop (the sync layout is the default for terraform_data), got "per-resource""
    `);
  });

  it("warn about a literal secret without printing it, and keep it out of cdk.tf.json", () => {
    let credential: BasicAuth | undefined;
    const { tfJson, request } = desiredSet((app) => {
      const stack = new TerraformStack(app, "gw");
      new KongGatewayProvider(stack, "kong", { serverUrl: "http://localhost:8001" });
      const consumer = new Consumer(stack, "alice", { username: "alice" });
      credential = new BasicAuth(stack, "alice-basic", { consumer, username: "alice", password: "correct-horse-battery-staple-42x" });
      return stack;
    });
    expect(warnings(credential!)).toMatchInlineSnapshot(`
      [
        "password of basic-auth credential at "gw/alice-basic" is a literal string: written into the synthesized stack's desired set (assets/kong-sync-c845b2866a3fa34d14b59c91020367b27c64eaa4d3/desired.json; never into Terraform's plans, state or logs) and kept in your code; pass a sensitive TerraformVariable or a Kong vault reference ({vault://env/basic-auths-secret}) instead",
      ]
    `);
    expect(tfJson).not.toContain("correct-horse-battery-staple-42x");
    expect(request.entities[1].payload.password).toBe("correct-horse-battery-staple-42x");
  });

  it("order targets after their upstream and SNIs after their certificate", () => {
    const { request } = desiredSet((app) => {
      const stack = new TerraformStack(app, "gw");
      new KongGatewayProvider(stack, "kong", { serverUrl: "http://localhost:8001" });
      const upstream = new Upstream(stack, "pool", { name: "orders-pool" });
      new Target(stack, "t1", { upstream, target: "10.0.0.1:8080" });
      expect(() => new Sni(stack, "sni", { name: "orders.example", certificate: { id: "not-a-uuid" } })).toThrow(/certificate\.id: expected a valid UUID, got "not-a-uuid"/);
      return stack;
    });
    expect(request.entities.map((e: any) => e.kind)).toEqual(["upstreams", "targets"]);
  });
});
