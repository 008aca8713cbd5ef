/**
 * Every rule of KongBestPractices: a configuration it reports (the message pinned) and compliant
 * ones it does not.
 */
import { TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  BasicAuth,
  Certificate,
  Consumer,
  KeyAuth,
  KongGatewayProvider,
  KongPlugin,
  PluginBasicAuth,
  PluginCors,
  PluginIpRestriction,
  PluginJwt,
  PluginKeyAuth,
  PluginLdapAuth,
  PluginOauth2,
  PluginOpenidConnect,
  PluginRateLimiting,
  PluginRateLimitingAdvanced,
  PluginRequestTermination,
  PluginResponseRatelimiting,
  PluginSession,
  Route,
  Service,
  Upstream,
} from "../../src/index.js";
import { findingsOf } from "./support.js";

const ISSUER = "https://idp.example.com/.well-known/openid-configuration";

describe("KONG-SECRET-1: literal secrets", () => {
  it("reports a literal session secret, credential key, password and certificate key, naming the fields only", () => {
    const found = findingsOf("KONG-SECRET-1", (stack) => {
      new PluginSession(stack, "session", { config: { secret: "a-literal-session-secret-0123456789" } });
      const consumer = new Consumer(stack, "mobile", { username: "mobile" });
      new KeyAuth(stack, "mobile-key", { consumer, key: "a-literal-api-key-0123456789" });
      new BasicAuth(stack, "mobile-basic", { consumer, username: "mobile", password: "a-literal-password-0123456789" });
      new Certificate(stack, "cert", { cert: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", key: "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----" });
    });
    expect(found).toMatchInlineSnapshot(`
      [
        "error [KONG-SECRET-1] session plugin at "gw/session": config.secret is a literal string: the secret is kept in your code and written into the synthesized stack; pass a sensitive TerraformVariable or a Kong vault reference ({vault://…}) instead",
        "error [KONG-SECRET-1] key-auth credential at "gw/mobile-key": key is a literal string: the secret is kept in your code and written into the synthesized stack; pass a sensitive TerraformVariable or a Kong vault reference ({vault://…}) instead",
        "error [KONG-SECRET-1] basic-auth credential at "gw/mobile-basic": password is a literal string: the secret is kept in your code and written into the synthesized stack; pass a sensitive TerraformVariable or a Kong vault reference ({vault://…}) instead",
        "error [KONG-SECRET-1] certificate at "gw/cert": key is a literal string: the secret is kept in your code and written into the synthesized stack; pass a sensitive TerraformVariable or a Kong vault reference ({vault://…}) instead",
      ]
    `);
  });

  it("names every literal secret of one construct in one finding", () => {
    const pem = (what: string) => `-----BEGIN ${what}-----\nMIIB\n-----END ${what}-----`;
    const found = findingsOf("KONG-SECRET-1", (stack) => new Certificate(stack, "cert", { cert: pem("CERTIFICATE"), key: pem("PRIVATE KEY"), certAlt: pem("CERTIFICATE"), keyAlt: pem("PRIVATE KEY") }));
    expect(found).toMatchInlineSnapshot(`
      [
        "error [KONG-SECRET-1] certificate at "gw/cert": key, keyAlt are literal strings: the secret is kept in your code and written into the synthesized stack; pass a sensitive TerraformVariable or a Kong vault reference ({vault://…}) instead",
      ]
    `);
  });

  it("reports a custom plugin's field whose name says secret (KongPlugin)", () => {
    const found = findingsOf("KONG-SECRET-1", (stack) => {
      new KongPlugin(stack, "custom", { name: "my-auth", config: { client_secret: "a-literal-client-secret-0123" } });
    });
    expect(found).toMatchInlineSnapshot(`
      [
        "error [KONG-SECRET-1] my-auth plugin at "gw/custom": config.client_secret is a literal string: the secret is kept in your code and written into the synthesized stack; pass a sensitive TerraformVariable or a Kong vault reference ({vault://…}) instead",
      ]
    `);
  });

  it("does not report a sensitive TerraformVariable, a vault reference, or a secret left to Kong", () => {
    const found = findingsOf("KONG-SECRET-1", (stack) => {
      const secret = new TerraformVariable(stack, "session_secret", { type: "string", sensitive: true });
      new PluginSession(stack, "session", { config: { secret: secret.stringValue } });
      const consumer = new Consumer(stack, "mobile", { username: "mobile" });
      new KeyAuth(stack, "mobile-key", { consumer, key: "{vault://env/mobile-key}" });
      new KeyAuth(stack, "generated-key", { consumer });
    });
    expect(found).toEqual([]);
  });
});

describe("KONG-ADMIN-1: the Admin API over plain http", () => {
  it("reports http:// to another host", () => {
    const found = findingsOf("KONG-ADMIN-1", () => {}, { provider: { serverUrl: "http://kong-admin.example.com:8001" } });
    expect(found).toMatchInlineSnapshot(`
      [
        "error [KONG-ADMIN-1] KongGatewayProvider at "gw/kong": serverUrl is plain http to "kong-admin.example.com:8001": the admin token (KONG_ADMIN_TOKEN) and every secret the stack writes cross the network unencrypted; use https:// (Kong's admin_listen with ssl), or reach the Admin API through a loopback address",
      ]
    `);
  });

  it("does not report https://, loopback addresses, or a reference", () => {
    for (const serverUrl of ["https://kong-admin.example.com:8444", "http://localhost:8001", "http://127.0.0.1:8001", "http://[::1]:8001", "http://admin.localhost:8001"]) {
      expect(findingsOf("KONG-ADMIN-1", () => {}, { provider: { serverUrl } })).toEqual([]);
    }
    const found = findingsOf("KONG-ADMIN-1", (stack) => {
      // a second provider whose URL is a variable: unknown at synth
      const url = new TerraformVariable(stack, "admin_url", { type: "string" });
      new KongGatewayProvider(stack, "kong-by-reference", { serverUrl: url.stringValue });
    });
    expect(found).toEqual([]);
  });
});

describe("KONG-ADMIN-2: the Admin API's certificate not verified", () => {
  it("reports tls.insecureSkipVerify", () => {
    const found = findingsOf("KONG-ADMIN-2", () => {}, { provider: { serverUrl: "https://kong-admin.example.com:8444", tls: { insecureSkipVerify: true } } });
    expect(found).toMatchInlineSnapshot(`
      [
        "error [KONG-ADMIN-2] KongGatewayProvider at "gw/kong": tls.insecureSkipVerify is true: the Admin API's certificate is not verified, so anyone on the path can pose as Kong and receive the admin token; trust its CA with tls.caCertFile instead",
      ]
    `);
  });

  it("does not report a trusted CA", () => {
    expect(findingsOf("KONG-ADMIN-2", () => {}, { provider: { serverUrl: "https://kong-admin.example.com:8444", tls: { caCertFile: "/etc/kong/admin-ca.pem", insecureSkipVerify: false } } })).toEqual([]);
  });
});

describe("KONG-SESSION-1..4: the session cookie and lifetime", () => {
  it("reports a cookie that is not Secure", () => {
    expect(findingsOf("KONG-SESSION-1", (stack) => new PluginSession(stack, "session", { config: { cookieSecure: false } }))).toMatchInlineSnapshot(`
      [
        "error [KONG-SESSION-1] session plugin at "gw/session": config.cookieSecure is false: the browser sends the session cookie over plain http too, where anyone on the way reads it; set config.cookieSecure to true",
      ]
    `);
  });

  it("reports a cookie that is not HttpOnly", () => {
    expect(findingsOf("KONG-SESSION-2", (stack) => new PluginSession(stack, "session", { config: { cookieHttpOnly: false } }))).toMatchInlineSnapshot(`
      [
        "error [KONG-SESSION-2] session plugin at "gw/session": config.cookieHttpOnly is false: the page's scripts can read the session cookie, so one injected script takes the session; set config.cookieHttpOnly to true",
      ]
    `);
  });

  it('reports cookieSameSite "None" without Secure (and not KONG-SESSION-1 besides)', () => {
    const build = (stack: any) => new PluginSession(stack, "session", { config: { cookieSameSite: "None", cookieSecure: false } });
    expect(findingsOf("KONG-SESSION-3", build)).toMatchInlineSnapshot(`
      [
        "error [KONG-SESSION-3] session plugin at "gw/session": config.cookieSameSite is "None" and config.cookieSecure is false: browsers refuse a SameSite=None cookie that is not Secure (no session is kept), and the cookie would travel over plain http; set config.cookieSecure to true, or config.cookieSameSite to "Lax" or "Strict"",
      ]
    `);
    expect(findingsOf("KONG-SESSION-1", build)).toEqual([]);
  });

  it("reports sessions without an absolute timeout, in Kong's names for KongPlugin", () => {
    expect(findingsOf("KONG-SESSION-4", (stack) => new PluginSession(stack, "session", { config: { absoluteTimeout: 0 } }))).toMatchInlineSnapshot(`
      [
        "warning [KONG-SESSION-4] session plugin at "gw/session": config.absoluteTimeout is 0: a session that keeps being used never ends, so a stolen cookie stays good; set config.absoluteTimeout to the longest a session may live, in seconds (Kong's default: 86400)",
      ]
    `);
    expect(findingsOf("KONG-SESSION-4", (stack) => new KongPlugin(stack, "session", { name: "session", config: { absolute_timeout: 0 } }))).toMatchInlineSnapshot(`
      [
        "warning [KONG-SESSION-4] session plugin at "gw/session": config.absolute_timeout is 0: a session that keeps being used never ends, so a stolen cookie stays good; set config.absolute_timeout to the longest a session may live, in seconds (Kong's default: 86400)",
      ]
    `);
  });

  it("does not report Kong's defaults, nor SameSite None with Secure", () => {
    for (const id of ["KONG-SESSION-1", "KONG-SESSION-2", "KONG-SESSION-3", "KONG-SESSION-4"]) {
      expect(findingsOf(id, (stack) => new PluginSession(stack, "session", {}))).toEqual([]);
      expect(findingsOf(id, (stack) => new PluginSession(stack, "session", { config: { cookieSameSite: "None", cookieSecure: true, cookieHttpOnly: true, absoluteTimeout: 3600 } }))).toEqual([]);
    }
  });

  it("does not check a plugin declared with enabled: false", () => {
    expect(findingsOf("KONG-SESSION-1", (stack) => new PluginSession(stack, "session", { enabled: false, config: { cookieSecure: false } }))).toEqual([]);
  });
});

describe("KONG-AUTH-1..4: credentials of the authentication plugins", () => {
  it("reports key-auth passing the key upstream: Kong 3.9's default", () => {
    expect(findingsOf("KONG-AUTH-1", (stack) => new PluginKeyAuth(stack, "auth", { config: { keyInQuery: false } }))).toMatchInlineSnapshot(`
      [
        "warning [KONG-AUTH-1] key-auth plugin at "gw/auth": config.hideCredentials is false (the default of Kong 3.9): the API key reaches the upstream service, whose logs and errors may leak it; set config.hideCredentials to true",
      ]
    `);
  });

  it("does not report hideCredentials: true, nor Kong 3.15's default (true)", () => {
    expect(findingsOf("KONG-AUTH-1", (stack) => new PluginKeyAuth(stack, "auth", { config: { hideCredentials: true } }))).toEqual([]);
    expect(findingsOf("KONG-AUTH-1", (stack) => new PluginKeyAuth(stack, "auth", {}), { provider: { kongVersion: "3.15", edition: "enterprise" } })).toEqual([]);
  });

  it("reports basic-auth passing the password upstream", () => {
    expect(findingsOf("KONG-AUTH-2", (stack) => new PluginBasicAuth(stack, "auth", { config: { hideCredentials: false } }))).toMatchInlineSnapshot(`
      [
        "warning [KONG-AUTH-2] basic-auth plugin at "gw/auth": config.hideCredentials is false: the Authorization header, the user's password in it, reaches the upstream service; set config.hideCredentials to true",
      ]
    `);
    expect(findingsOf("KONG-AUTH-2", (stack) => new PluginBasicAuth(stack, "auth", { config: { hideCredentials: true } }))).toEqual([]);
  });

  it("reports key-auth reading the key from the query string (Kong's default)", () => {
    expect(findingsOf("KONG-AUTH-3", (stack) => new PluginKeyAuth(stack, "auth", { config: { hideCredentials: true } }))).toMatchInlineSnapshot(`
      [
        "warning [KONG-AUTH-3] key-auth plugin at "gw/auth": config.keyInQuery is true (the default of Kong 3.9): a key in the URL is kept by access logs, proxies and browser history; set config.keyInQuery to false and send the key in a header",
      ]
    `);
    expect(findingsOf("KONG-AUTH-3", (stack) => new PluginKeyAuth(stack, "auth", { config: { keyInQuery: false } }))).toEqual([]);
  });

  it("reports an anonymous consumer on an authentication plugin", () => {
    expect(findingsOf("KONG-AUTH-4", (stack) => new PluginJwt(stack, "auth", { config: { anonymous: "guest", claimsToVerify: ["exp"] } }))).toMatchInlineSnapshot(`
      [
        "warning [KONG-AUTH-4] jwt plugin at "gw/auth": config.anonymous is "guest": a request that fails authentication goes on as that consumer, so the route is open unless another plugin (acl, request-termination) refuses it; remove config.anonymous, or suppress this rule with the reason when several authentication plugins are combined",
      ]
    `);
    expect(findingsOf("KONG-AUTH-4", (stack) => new PluginJwt(stack, "auth", { config: { claimsToVerify: ["exp"] } }))).toEqual([]);
  });
});

describe("KONG-ROUTE-1: a route no authentication plugin guards", () => {
  const service = (stack: any) => new Service(stack, "orders", { name: "orders", url: "https://orders.internal" });

  it("reports a route with no authentication plugin, and with one only on another route or disabled", () => {
    const found = findingsOf("KONG-ROUTE-1", (stack) => {
      const orders = service(stack);
      new Route(stack, "public", { service: orders, paths: ["/public"] });
      const admin = new Route(stack, "admin", { service: orders, paths: ["/admin"] });
      new PluginKeyAuth(stack, "admin-auth", { route: admin, enabled: false });
      const other = new Route(stack, "other", { service: orders, paths: ["/other"] });
      new PluginKeyAuth(stack, "other-auth", { route: other });
    });
    expect(found).toMatchInlineSnapshot(`
      [
        "warning [KONG-ROUTE-1] route at "gw/public": no authentication plugin (key-auth, jwt, openid-connect, …) applies to it: none on the route, none on its service, none global in workspace "default" of KongGatewayProvider "gw/kong", so anyone can call it; add one, or suppress this rule with the reason for a public route",
        "warning [KONG-ROUTE-1] route at "gw/admin": no authentication plugin (key-auth, jwt, openid-connect, …) applies to it: none on the route, none on its service, none global in workspace "default" of KongGatewayProvider "gw/kong", so anyone can call it; add one, or suppress this rule with the reason for a public route",
      ]
    `);
  });

  it("does not report a route guarded on itself, on its service, globally, or closed by request-termination", () => {
    expect(
      findingsOf("KONG-ROUTE-1", (stack) => {
        const orders = service(stack);
        const route = new Route(stack, "r", { service: orders, paths: ["/r"] });
        new PluginKeyAuth(stack, "auth", { route });
      }),
    ).toEqual([]);
    expect(
      findingsOf("KONG-ROUTE-1", (stack) => {
        const orders = service(stack);
        new Route(stack, "r", { service: orders, paths: ["/r"] });
        new PluginOauth2(stack, "auth", { service: orders, config: { enableClientCredentials: true } });
      }),
    ).toEqual([]);
    expect(
      findingsOf("KONG-ROUTE-1", (stack) => {
        new Route(stack, "r", { service: service(stack), paths: ["/r"] });
        new PluginJwt(stack, "auth", { config: { claimsToVerify: ["exp"] } });
      }),
    ).toEqual([]);
    expect(
      findingsOf("KONG-ROUTE-1", (stack) => {
        const route = new Route(stack, "r", { service: service(stack), paths: ["/r"] });
        new PluginRequestTermination(stack, "closed", { route, config: { statusCode: 403 } });
      }),
    ).toEqual([]);
  });

  it("does not report when a plugin's scope is a reference (unknown at synth), nor a stream route", () => {
    expect(
      findingsOf("KONG-ROUTE-1", (stack) => {
        new Route(stack, "r", { service: service(stack), paths: ["/r"] });
        const routeId = new TerraformVariable(stack, "route_id", { type: "string" });
        new PluginKeyAuth(stack, "auth", { route: { id: routeId.stringValue } });
      }),
    ).toEqual([]);
    expect(findingsOf("KONG-ROUTE-1", (stack) => new Route(stack, "tcp", { service: service(stack), protocols: ["tcp"], destinations: [{ port: 5432 }] }))).toEqual([]);
  });

  it("reads scopes given by name: the route or service named, not every route", () => {
    const found = findingsOf("KONG-ROUTE-1", (stack) => {
      new PluginKeyAuth(stack, "checkout-auth", { route: { name: "checkout" } });
      const orders = service(stack);
      new Route(stack, "checkout", { name: "checkout", service: orders, paths: ["/checkout"] });
      new Route(stack, "public", { name: "public", service: orders, paths: ["/public"] });
      new Route(stack, "legacy", { name: "legacy", service: { name: "legacy" }, paths: ["/legacy"] });
      new PluginJwt(stack, "legacy-auth", { service: { name: "legacy" }, config: { claimsToVerify: ["exp"] } });
    });
    expect(found).toMatchInlineSnapshot(`
      [
        "warning [KONG-ROUTE-1] route at "gw/public": no authentication plugin (key-auth, jwt, openid-connect, …) applies to it: none on the route, none on its service, none global in workspace "default" of KongGatewayProvider "gw/kong", so anyone can call it; add one, or suppress this rule with the reason for a public route",
      ]
    `);
  });

  it("reports a route whose only guard is in another workspace", () => {
    const found = findingsOf(
      "KONG-ROUTE-1",
      (stack) => {
        new Route(stack, "r", { service: service(stack), paths: ["/r"] });
        new PluginKeyAuth(stack, "auth", { workspace: "team-b" });
      },
      { provider: { kongVersion: "3.15", edition: "enterprise" } },
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('in workspace "default"');
  });
});

describe("KONG-ROUTE-2: a route for plain text only", () => {
  it("reports protocols without an encrypted one", () => {
    expect(findingsOf("KONG-ROUTE-2", (stack) => new Route(stack, "r", { protocols: ["http"], paths: ["/r"] }))).toMatchInlineSnapshot(`
      [
        "warning [KONG-ROUTE-2] route at "gw/r": protocols is ["http"]: the route takes unencrypted requests only, so they cross the network in clear with the credentials in them; add "https" to protocols",
      ]
    `);
  });

  it("does not report Kong's default (http and https) nor https alone", () => {
    expect(findingsOf("KONG-ROUTE-2", (stack) => new Route(stack, "r", { paths: ["/r"] }))).toEqual([]);
    expect(findingsOf("KONG-ROUTE-2", (stack) => new Route(stack, "r", { protocols: ["https"], paths: ["/r"] }))).toEqual([]);
  });
});

describe("KONG-RATE-1: rate limiting per node", () => {
  it("reports the local policy as a warning while the number of nodes is unknown", () => {
    expect(findingsOf("KONG-RATE-1", (stack) => new PluginRateLimiting(stack, "limits", { config: { minute: 60 } }))).toMatchInlineSnapshot(`
      [
        "warning [KONG-RATE-1] rate-limiting plugin at "gw/limits": config.policy is "local" (the default of Kong 3.9): each Kong node counts on its own, so on several nodes a client gets a multiple of the limit; set config.policy to "redis" (or "cluster" with a database), or pass nodes: 1 to KongBestPractices when one node serves the traffic",
      ]
    `);
  });

  it("reports it as an error on several nodes, for every rate limiter", () => {
    const found = findingsOf(
      "KONG-RATE-1",
      (stack) => {
        new PluginRateLimiting(stack, "limits", { config: { minute: 60, policy: "local" } });
        new PluginResponseRatelimiting(stack, "response-limits", { config: { limits: { video: { minute: 10 } } } });
        new PluginRateLimitingAdvanced(stack, "advanced-limits", { config: { limit: [5], windowSize: [60] } });
      },
      { pack: { nodes: 3 }, provider: { kongVersion: "3.13", edition: "enterprise" } },
    );
    expect(found).toMatchInlineSnapshot(`
      [
        "error [KONG-RATE-1] rate-limiting plugin at "gw/limits": config.policy is "local": each of the 3 Kong nodes counts on its own, so a client gets up to 3 times the limit; set config.policy to "redis" (or "cluster" with a database)",
        "error [KONG-RATE-1] response-ratelimiting plugin at "gw/response-limits": config.policy is "local" (the default of Kong 3.13): each of the 3 Kong nodes counts on its own, so a client gets up to 3 times the limit; set config.policy to "redis" (or "cluster" with a database)",
        "error [KONG-RATE-1] rate-limiting-advanced plugin at "gw/advanced-limits": config.strategy is "local" (the default of Kong 3.13): each of the 3 Kong nodes counts on its own, so a client gets up to 3 times the limit; set config.strategy to "redis" (or "cluster" with a database)",
      ]
    `);
  });

  it("does not report one node, nor a shared counter", () => {
    expect(findingsOf("KONG-RATE-1", (stack) => new PluginRateLimiting(stack, "limits", { config: { minute: 60 } }), { pack: { nodes: 1 } })).toEqual([]);
    expect(
      findingsOf("KONG-RATE-1", (stack) => new PluginRateLimiting(stack, "limits", { config: { minute: 60, policy: "redis", redis: { host: "redis.internal" } } }), { pack: { nodes: 3 } }),
    ).toEqual([]);
  });
});

describe("KONG-CORS-1: credentials for every origin", () => {
  it("reports credentials with origins unset or *", () => {
    expect(findingsOf("KONG-CORS-1", (stack) => new PluginCors(stack, "cors", { config: { credentials: true } }))).toMatchInlineSnapshot(`
      [
        "error [KONG-CORS-1] cors plugin at "gw/cors": config.credentials is true and config.origins is unset: Kong then answers any site with that site's own origin and Access-Control-Allow-Credentials, so every web page can send the user's cookies and read the answers; list the allowed origins in config.origins",
      ]
    `);
    expect(findingsOf("KONG-CORS-1", (stack) => new PluginCors(stack, "cors", { config: { credentials: true, origins: ["https://app.example.com", "*"] } }))).toMatchInlineSnapshot(`
      [
        "error [KONG-CORS-1] cors plugin at "gw/cors": config.credentials is true and config.origins has "*": Kong then answers any site with that site's own origin and Access-Control-Allow-Credentials, so every web page can send the user's cookies and read the answers; list the allowed origins in config.origins",
      ]
    `);
  });

  it("does not report listed origins, nor * without credentials", () => {
    expect(findingsOf("KONG-CORS-1", (stack) => new PluginCors(stack, "cors", { config: { credentials: true, origins: ["https://app.example.com"] } }))).toEqual([]);
    expect(findingsOf("KONG-CORS-1", (stack) => new PluginCors(stack, "cors", { config: { origins: ["*"] } }))).toEqual([]);
  });
});

describe("KONG-JWT-1: tokens without expiry checks", () => {
  it("reports claimsToVerify without exp", () => {
    expect(findingsOf("KONG-JWT-1", (stack) => new PluginJwt(stack, "jwt", {}))).toMatchInlineSnapshot(`
      [
        "error [KONG-JWT-1] jwt plugin at "gw/jwt": config.claimsToVerify is unset, without "exp": Kong accepts a token after its expiry, and one without any; add "exp" to config.claimsToVerify, and bound the lifetime with config.maximumExpiration",
      ]
    `);
    expect(findingsOf("KONG-JWT-1", (stack) => new PluginJwt(stack, "jwt", { config: { claimsToVerify: ["nbf"] } }))).toMatchInlineSnapshot(`
      [
        "error [KONG-JWT-1] jwt plugin at "gw/jwt": config.claimsToVerify is ["nbf"], without "exp": Kong accepts a token after its expiry, and one without any; add "exp" to config.claimsToVerify, and bound the lifetime with config.maximumExpiration",
      ]
    `);
  });

  it("does not report exp verified", () => {
    expect(findingsOf("KONG-JWT-1", (stack) => new PluginJwt(stack, "jwt", { config: { claimsToVerify: ["exp", "nbf"], maximumExpiration: 3600 } }))).toEqual([]);
  });
});

describe("KONG-IP-1: an ip-restriction that allows everyone", () => {
  it("reports 0.0.0.0/0 and ::/0 with nothing denied", () => {
    expect(findingsOf("KONG-IP-1", (stack) => new PluginIpRestriction(stack, "ips", { config: { allow: ["0.0.0.0/0", "::/0"] } }))).toMatchInlineSnapshot(`
      [
        "warning [KONG-IP-1] ip-restriction plugin at "gw/ips": config.allow has "0.0.0.0/0" and "::/0", and nothing is denied: every address of that family may call, the plugin restricts nothing; list the networks that may call in config.allow",
      ]
    `);
  });

  it("does not report listed networks, nor a deny list beside", () => {
    expect(findingsOf("KONG-IP-1", (stack) => new PluginIpRestriction(stack, "ips", { config: { allow: ["10.0.0.0/8"] } }))).toEqual([]);
    expect(findingsOf("KONG-IP-1", (stack) => new PluginIpRestriction(stack, "ips", { config: { allow: ["0.0.0.0/0"], deny: ["10.1.2.3"] } }))).toEqual([]);
  });
});

describe("KONG-OAUTH-1: deprecated OAuth 2.0 grants", () => {
  it("reports the implicit and password grants", () => {
    expect(findingsOf("KONG-OAUTH-1", (stack) => new PluginOauth2(stack, "oauth", { config: { enableImplicitGrant: true, enablePasswordGrant: true } }))).toMatchInlineSnapshot(`
      [
        "warning [KONG-OAUTH-1] oauth2 plugin at "gw/oauth": config.enableImplicitGrant is true (the implicit grant returns the token in the redirect URL, where it leaks); config.enablePasswordGrant is true (the password grant hands the user's password to the client): RFC 9700 (OAuth 2.0 Security Best Current Practice) deprecates both; use the authorization code grant (config.enableAuthorizationCode, with PKCE) or client credentials",
      ]
    `);
  });

  it("reports one grant alone", () => {
    expect(findingsOf("KONG-OAUTH-1", (stack) => new PluginOauth2(stack, "oauth", { config: { enablePasswordGrant: true } }))).toMatchInlineSnapshot(`
      [
        "warning [KONG-OAUTH-1] oauth2 plugin at "gw/oauth": config.enablePasswordGrant is true (the password grant hands the user's password to the client): RFC 9700 (OAuth 2.0 Security Best Current Practice) deprecates it; use the authorization code grant (config.enableAuthorizationCode, with PKCE) or client credentials",
      ]
    `);
  });

  it("does not report the authorization code grant", () => {
    expect(findingsOf("KONG-OAUTH-1", (stack) => new PluginOauth2(stack, "oauth", { config: { enableAuthorizationCode: true } }))).toEqual([]);
  });
});

describe("KONG-OIDC-1: openid-connect without verification of the token", () => {
  const enterprise = { provider: { kongVersion: "3.15", edition: "enterprise" as const } };

  it("reports verifySignature and verifyClaims off", () => {
    expect(findingsOf("KONG-OIDC-1", (stack) => new PluginOpenidConnect(stack, "oidc", { config: { issuer: ISSUER, verifySignature: false, verifyClaims: false } }), enterprise)).toMatchInlineSnapshot(`
      [
        "error [KONG-OIDC-1] openid-connect plugin at "gw/oidc": config.verifySignature and config.verifyClaims are false: Kong accepts a token anyone could have made, and a token of another issuer or audience, or one already expired; set config.verifySignature and config.verifyClaims to true",
      ]
    `);
  });

  it("reports one of them alone", () => {
    expect(findingsOf("KONG-OIDC-1", (stack) => new PluginOpenidConnect(stack, "oidc", { config: { issuer: ISSUER, verifyClaims: false } }), enterprise)).toMatchInlineSnapshot(`
      [
        "error [KONG-OIDC-1] openid-connect plugin at "gw/oidc": config.verifyClaims is false: Kong accepts a token of another issuer or audience, or one already expired; set config.verifyClaims to true",
      ]
    `);
  });

  it("does not report Kong's defaults", () => {
    expect(findingsOf("KONG-OIDC-1", (stack) => new PluginOpenidConnect(stack, "oidc", { config: { issuer: ISSUER } }), enterprise)).toEqual([]);
  });
});

describe("KONG-TLS-1: a plugin's TLS without verification", () => {
  it("reports openid-connect on Kong 3.13 (whose default is sslVerify: false), LDAP over ldaps, and Redis over TLS", () => {
    const found = findingsOf(
      "KONG-TLS-1",
      (stack) => {
        new PluginOpenidConnect(stack, "oidc", { config: { issuer: ISSUER } });
        new PluginLdapAuth(stack, "ldap", { config: { ldapHost: "ldap.internal", ldaps: true, baseDn: "dc=example,dc=com", attribute: "uid" } });
        new PluginRateLimiting(stack, "limits", { config: { minute: 60, policy: "redis", redis: { host: "redis.internal", ssl: true } } });
      },
      { provider: { kongVersion: "3.13", edition: "enterprise" } },
    );
    expect(found).toMatchInlineSnapshot(`
      [
        "error [KONG-TLS-1] openid-connect plugin at "gw/oidc": config.sslVerify is false (the default of Kong 3.13): the identity provider's certificate is not verified, so anyone on the path can pose as the server and read what the plugin sends; set config.sslVerify to true (and the CA where Kong does not trust it)",
        "error [KONG-TLS-1] ldap-auth plugin at "gw/ldap": config.verifyLdapHost is false (the default of Kong 3.13): the LDAP server's certificate is not verified, so anyone on the path can pose as the server and read what the plugin sends; set config.verifyLdapHost to true (and the CA where Kong does not trust it)",
        "error [KONG-TLS-1] rate-limiting plugin at "gw/limits": config.redis.ssl is true and config.redis.sslVerify is false (the default of Kong 3.13): the server's certificate is not verified, so anyone on the path can pose as the server and read what the plugin sends; set config.redis.sslVerify to true (and the CA where Kong does not trust it)",
      ]
    `);
  });

  it("names every unverified connection of one plugin in one finding", () => {
    const found = findingsOf(
      "KONG-TLS-1",
      (stack) => new PluginOpenidConnect(stack, "oidc", { config: { issuer: ISSUER, sslVerify: false, redis: { host: "redis.internal", ssl: true, sslVerify: false } } }),
      { provider: { kongVersion: "3.15", edition: "enterprise" } },
    );
    expect(found).toMatchInlineSnapshot(`
      [
        "error [KONG-TLS-1] openid-connect plugin at "gw/oidc": config.sslVerify is false: the identity provider's certificate is not verified; config.redis.ssl is true and config.redis.sslVerify is false: the server's certificate is not verified, so anyone on the path can pose as the server and read what the plugin sends; set config.sslVerify and config.redis.sslVerify to true (and the CA where Kong does not trust it)",
      ]
    `);
  });

  it("does not report Kong 3.15's defaults, verification on, nor a connection without TLS", () => {
    const build = (stack: any) => {
      new PluginOpenidConnect(stack, "oidc", { config: { issuer: ISSUER } });
      new PluginLdapAuth(stack, "ldap", { config: { ldapHost: "ldap.internal", ldaps: true, baseDn: "dc=example,dc=com", attribute: "uid" } });
      new PluginRateLimiting(stack, "limits", { config: { minute: 60, policy: "redis", redis: { host: "redis.internal", ssl: true } } });
    };
    expect(findingsOf("KONG-TLS-1", build, { provider: { kongVersion: "3.15", edition: "enterprise" } })).toEqual([]);
    expect(
      findingsOf(
        "KONG-TLS-1",
        (stack) => {
          new PluginOpenidConnect(stack, "oidc", { config: { issuer: ISSUER, sslVerify: true } });
          new PluginLdapAuth(stack, "ldap", { config: { ldapHost: "ldap.internal", baseDn: "dc=example,dc=com", attribute: "uid" } });
          new PluginRateLimiting(stack, "limits", { config: { minute: 60, policy: "redis", redis: { host: "redis.internal", ssl: true, sslVerify: true } } });
        },
        { provider: { kongVersion: "3.13", edition: "enterprise" } },
      ),
    ).toEqual([]);
  });
});

describe("KONG-SERVICE-1: a service over plain text outside the private network", () => {
  it("reports http to a public host", () => {
    expect(findingsOf("KONG-SERVICE-1", (stack) => new Service(stack, "partner", { name: "partner", url: "http://api.partner.example.com/v2" }))).toMatchInlineSnapshot(`
      [
        "warning [KONG-SERVICE-1] service at "gw/partner": protocol is "http" at host "api.partner.example.com": requests, and the credentials Kong passes on, cross the network unencrypted; use protocol "https"",
      ]
    `);
  });

  it("does not report internal hosts, an upstream's name, nor https", () => {
    const found = findingsOf("KONG-SERVICE-1", (stack) => {
      for (const [id, url] of [
        ["a", "http://orders.internal:8080"],
        ["b", "http://orders:8080"],
        ["c", "http://orders.default.svc.cluster.local"],
        ["d", "http://10.0.3.4"],
        ["e", "http://192.168.1.20"],
        ["f", "http://172.20.0.5"],
        ["g", "http://[fd00::5]"],
        ["h", "https://api.partner.example.com"],
        ["i", "http://orders.example.com"],
      ] as const) {
        new Service(stack, id, { name: id, url });
      }
      new Upstream(stack, "orders-upstream", { name: "orders.example.com", healthchecks: { passive: { unhealthy: { httpFailures: 3 } } } });
    });
    expect(found).toEqual([]);
  });
});

describe("KONG-SERVICE-2: a service over TLS without verification", () => {
  it("reports tlsVerify unset or false", () => {
    const found = findingsOf("KONG-SERVICE-2", (stack) => {
      new Service(stack, "unset", { name: "unset", url: "https://payments.internal" });
      new Service(stack, "off", { name: "off", url: "https://ledger.internal", tlsVerify: false });
    });
    expect(found).toMatchInlineSnapshot(`
      [
        "warning [KONG-SERVICE-2] service at "gw/unset": protocol is "https" and tlsVerify is unset (nginx's proxy_ssl_verify applies, which is off): Kong does not verify the upstream's certificate, so anyone on the path can pose as the service; set tlsVerify to true, with caCertificates when Kong does not trust its CA",
        "warning [KONG-SERVICE-2] service at "gw/off": protocol is "https" and tlsVerify is false: Kong does not verify the upstream's certificate, so anyone on the path can pose as the service; set tlsVerify to true, with caCertificates when Kong does not trust its CA",
      ]
    `);
  });

  it("does not report tlsVerify: true, nor plain http", () => {
    expect(findingsOf("KONG-SERVICE-2", (stack) => new Service(stack, "s", { name: "s", url: "https://payments.internal", tlsVerify: true }))).toEqual([]);
    expect(findingsOf("KONG-SERVICE-2", (stack) => new Service(stack, "s", { name: "s", url: "http://payments.internal" }))).toEqual([]);
  });
});

describe("KONG-UPSTREAM-1: an upstream without health checks", () => {
  it("reports Kong's defaults (every check off)", () => {
    expect(findingsOf("KONG-UPSTREAM-1", (stack) => new Upstream(stack, "orders", { name: "orders" }))).toMatchInlineSnapshot(`
      [
        "warning [KONG-UPSTREAM-1] upstream at "gw/orders": neither active health checks (healthchecks.active.healthy.interval and healthchecks.active.unhealthy.interval are 0) nor passive ones (the thresholds of healthchecks.passive.unhealthy are 0) are on: Kong keeps sending requests to a target that is down; set the thresholds of healthchecks.passive.unhealthy or the intervals of healthchecks.active",
      ]
    `);
  });

  it("does not report passive or active checks", () => {
    expect(findingsOf("KONG-UPSTREAM-1", (stack) => new Upstream(stack, "orders", { name: "orders", healthchecks: { passive: { unhealthy: { timeouts: 3 } } } }))).toEqual([]);
    expect(findingsOf("KONG-UPSTREAM-1", (stack) => new Upstream(stack, "orders", { name: "orders", healthchecks: { active: { healthy: { interval: 5 }, unhealthy: { interval: 5 } } } }))).toEqual([]);
  });
});
