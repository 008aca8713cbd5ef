/**
 * The policy pack at its edges: an origin pattern every origin matches, an IPv4-mapped loopback
 * address, scopes named before their constructs, workspaces, secrets never shown, findings once over
 * several synths and stacks, a suppression on the app.
 */
import { Aspects, Testing, TerraformStack, TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import { Certificate, KeyAuth, Consumer, KongBestPractices, KongGatewayProvider, PluginCors, PluginKeyAuth, PluginSession, Route, Service } from "../../src/index.js";
import { annotations, findings, findingsOf, ofRule } from "./support.js";

describe("KongBestPractices at its edges", () => {
  it("KONG-CORS-1: credentials with an origin that is a regex matching every origin", () => {
    const found = findingsOf("KONG-CORS-1", (stack) => new PluginCors(stack, "cors", { config: { credentials: true, origins: [".*"] } }));
    expect(found).toMatchInlineSnapshot(`
      [
        "error [KONG-CORS-1] cors plugin at "gw/cors": config.credentials is true and config.origins has ".*", a pattern every origin matches: Kong then answers any site with that site's own origin and Access-Control-Allow-Credentials, so every web page can send the user's cookies and read the answers; list the allowed origins in config.origins",
      ]
    `);
  });

  it("KONG-CORS-1: credentials with listed origins is not reported", () => {
    expect(findingsOf("KONG-CORS-1", (stack) => new PluginCors(stack, "cors", { config: { credentials: true, origins: ["https://shop.example.com"] } }))).toEqual([]);
  });

  it("KONG-ADMIN-1: an IPv4-mapped loopback address is loopback", () => {
    expect(findingsOf("KONG-ADMIN-1", () => undefined, { provider: { serverUrl: "http://[::ffff:127.0.0.1]:8001", kongVersion: "3.9", edition: "oss" } })).toEqual([]);
  });

  it("KONG-ADMIN-1: localhost, 127.0.0.2 and [::1] are loopback; http to a remote host is reported", () => {
    for (const url of ["http://localhost:8001", "http://127.0.0.2:8001", "http://[::1]:8001"]) expect(findingsOf("KONG-ADMIN-1", () => undefined, { provider: { serverUrl: url, kongVersion: "3.9", edition: "oss" } })).toEqual([]);
    expect(findingsOf("KONG-ADMIN-1", () => undefined, { provider: { serverUrl: "http://kong.example.com:8001", kongVersion: "3.9", edition: "oss" } })).toHaveLength(1);
  });

  it("KONG-ROUTE-1: an auth plugin on the service named before its construct guards the route", () => {
    const found = findingsOf("KONG-ROUTE-1", (stack) => {
      new PluginKeyAuth(stack, "auth", { service: { name: "shop" }, config: { hideCredentials: true, keyInQuery: false } });
      const service = new Service(stack, "shop", { name: "shop", url: "https://shop.example.com", tlsVerify: true });
      new Route(stack, "r", { service, paths: ["/"], protocols: ["https"] });
    });
    expect(found).toEqual([]);
  });

  it("KONG-ROUTE-1: a route in workspace team-a is not guarded by a global key-auth of the default workspace", () => {
    const found = findingsOf(
      "KONG-ROUTE-1",
      (stack) => {
        new PluginKeyAuth(stack, "auth", { config: { hideCredentials: true, keyInQuery: false } });
        const service = new Service(stack, "shop", { workspace: "team-a", name: "shop", url: "https://shop.example.com", tlsVerify: true });
        new Route(stack, "r", { workspace: "team-a", service, paths: ["/"], protocols: ["https"] });
      },
      { provider: { kongVersion: "3.9", edition: "enterprise" } },
    );
    expect(found).toHaveLength(1);
  });

  it("KONG-SECRET-1: secrets as vault references and TerraformVariables are not reported, literal ones are without their value", () => {
    const secret = "LiteralSessionSecret0123456789abcdefABCDEF";
    const found = findings((stack) => {
      const variable = new TerraformVariable(stack, "sess", { type: "string", sensitive: true });
      new PluginSession(stack, "by-var", { service: new Service(stack, "svc-a", { name: "a", url: "https://a.example.com", tlsVerify: true }), config: { secret: variable.stringValue, cookieName: "a" } });
      new PluginSession(stack, "by-vault", { service: new Service(stack, "svc-b", { name: "b", url: "https://b.example.com", tlsVerify: true }), config: { secret: "{vault://env/session-secret}", cookieName: "b" } });
      new PluginSession(stack, "literal", { service: new Service(stack, "svc-c", { name: "c", url: "https://c.example.com", tlsVerify: true }), config: { secret, cookieName: "c" } });
      const consumer = new Consumer(stack, "c", { username: "c" });
      new KeyAuth(stack, "generated", { consumer });
    });
    const secrets = ofRule("KONG-SECRET-1", found);
    expect(secrets).toHaveLength(1);
    expect(secrets[0]).toContain('"gw/literal"');
    for (const line of found) expect(line).not.toContain(secret);
  });

  it("KONG-SECRET-1: a certificate's literal key is reported, the key never shown", () => {
    const key = "-----BEGIN PRIVATE KEY-----\nMIIedgecaseNotARealKeyButLongEnough0123456789\n-----END PRIVATE KEY-----";
    let found: string[] = [];
    try {
      found = findings((stack) => new Certificate(stack, "cert", { cert: "-----BEGIN CERTIFICATE-----\nMIIedgecase\n-----END CERTIFICATE-----", key }));
    } catch (error) {
      expect(String(error)).not.toContain("MIIedgecaseNotARealKey");
      return;
    }
    for (const line of found) expect(line).not.toContain("MIIedgecaseNotARealKey");
  });

  it("findings are reported once when the app is synthesized twice, with the pack on the app over two stacks", () => {
    const app = Testing.app();
    for (const name of ["a", "b"]) {
      const stack = new TerraformStack(app, name);
      new KongGatewayProvider(stack, "kong", { kongVersion: "3.9", edition: "oss", serverUrl: "http://kong.example.com:8001" });
    }
    new TerraformStack(app, "no-provider");
    Aspects.of(app).add(new KongBestPractices({ levels: { "KONG-ADMIN-1": "warning" } }));
    app.synth();
    app.synth();
    const all = annotations(app);
    expect(all.filter((a) => a.includes("KONG-ADMIN-1"))).toHaveLength(2);
  });

  it("a suppression on the app applies to every stack's constructs", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "gw");
    new KongGatewayProvider(stack, "kong", { kongVersion: "3.9", edition: "oss", serverUrl: "http://kong.example.com:8001" });
    KongBestPractices.suppress(app, [{ id: "KONG-ADMIN-1", reason: "the admin API is on a private link" }]);
    Aspects.of(app).add(new KongBestPractices());
    Testing.synth(stack);
    expect(annotations(stack).filter((a) => a.includes("KONG-ADMIN-1"))).toEqual([]);
  });
});
