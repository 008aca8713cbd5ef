import { Annotations, Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { KongGatewayProvider, PluginSession, PluginSessionValidationError } from "../../src/index.js";
import { stackWithProvider, thrown } from "../support/synth.js";

const ROUTE = "3473c251-5b6c-4f45-b1ff-7ede735a366d";

describe("PluginSession errors", () => {
  it("fails when the configuration is invalid, listing every problem in one error", () => {
    const { stack } = stackWithProvider();
    const error = thrown(
      () =>
        new PluginSession(stack, "session", {
          config: { cookieSameSite: "lax", logoutMethods: ["POST", "PUT"], rollingTimeout: -5, cookieNmae: "x" } as any,
          route: { id: "not-a-uuid" },
          workspace: "team payments",
        }),
    );
    expect(error).toBeInstanceOf(PluginSessionValidationError);
    expect((error as PluginSessionValidationError).code).toBe("KONG_CDKTF_INVALID_CONFIG");
    expect((error as PluginSessionValidationError).issues).toHaveLength(6);
    expect(error.message).toMatchInlineSnapshot(`
      "invalid session plugin at "payments/session", 6 problems:
        - config.cookieNmae: unknown field (did you mean config.cookieName?)
        - config.cookieSameSite (Kong: config.cookie_same_site): expected one of: Strict, Lax, None, Default, got "lax" (did you mean "Lax"?)
        - config.logoutMethods[1] (Kong: config.logout_methods[1]): expected one of: GET, POST, DELETE, got "PUT"
        - config.rollingTimeout (Kong: config.rolling_timeout): expected a finite number that is not negative, got -5
        - route.id: expected a valid UUID, got "not-a-uuid"
        - workspace: the only accepted ascii characters are alphanumerics or ., -, _, and ~, got "team payments""
    `);
  });

  it("fails when the stack has no KongGatewayProvider", () => {
    const stack = new TerraformStack(Testing.app(), "payments");
    expect(thrown(() => new PluginSession(stack, "session", {})).message).toMatchInlineSnapshot(`"no KongGatewayProvider in stack "payments" for session plugin at "payments/session": add \`new KongGatewayProvider(stack, "kong", { serverUrl: "http://localhost:8001" })\` to the stack before the plugins, or pass the \`provider\` prop"`);
  });

  it("fails when the stack has two providers and none is chosen", () => {
    const { stack } = stackWithProvider();
    new KongGatewayProvider(stack, "other", { backend: "terraform_data", serverUrl: "http://other:8001" });
    expect(thrown(() => new PluginSession(stack, "session", {})).message).toMatchInlineSnapshot(`"stack "payments" has 2 KongGatewayProviders ("payments/kong", "payments/other"): pass the \`provider\` prop to session plugin at "payments/session""`);
  });

  it("uses the provider given explicitly", () => {
    const { stack } = stackWithProvider();
    const other = new KongGatewayProvider(stack, "other", { backend: "terraform_data", serverUrl: "http://other:8001" });
    expect(new PluginSession(stack, "session", { provider: other }).provider).toBe(other);
  });

  it("fails when two session plugins share a route in one workspace", () => {
    const { app, stack } = stackWithProvider();
    new PluginSession(stack, "first", { route: { id: ROUTE } });
    const other = new TerraformStack(app, "other");
    new KongGatewayProvider(other, "kong", { backend: "terraform_data" });
    expect(thrown(() => new PluginSession(other, "second", { route: { id: ROUTE }, workspace: "default" })).message).toMatchInlineSnapshot(`
      "invalid session plugin at "other/second", 1 problem:
        - route.id: another session plugin, "payments/first", has the same route in workspace "default"; Kong allows one session plugin per route/service combination, got "3473c251-5b6c-4f45-b1ff-7ede735a366d""
    `);
  });

  it("allows the same route in another workspace or on another server", () => {
    const { stack } = stackWithProvider();
    new PluginSession(stack, "a", { route: { id: ROUTE } });
    new PluginSession(stack, "b", { route: { id: ROUTE }, workspace: "team-payments" });
    const other = new KongGatewayProvider(stack, "other", { backend: "terraform_data", serverUrl: "http://other:8001" });
    expect(() => new PluginSession(stack, "c", { route: { id: ROUTE }, provider: other })).not.toThrow();
  });

  it("fails when two plugins share an id or an instance name", () => {
    const { stack } = stackWithProvider();
    new PluginSession(stack, "a", { id: "5f5b6b2e-0c1d-4f7a-9e3b-2a1c0d9e8f7b", instanceName: "login" });
    expect(
      thrown(() => new PluginSession(stack, "b", { id: "5f5b6b2e-0c1d-4f7a-9e3b-2a1c0d9e8f7b", instanceName: "login", route: { id: ROUTE } }))
        .message,
    ).toMatchInlineSnapshot(`
      "invalid session plugin at "payments/b", 2 problems:
        - id: the plugin id is also used by "payments/a", got "5f5b6b2e-0c1d-4f7a-9e3b-2a1c0d9e8f7b"
        - instanceName: the instance name is also used by "payments/a" in workspace "default", got "login""
    `);
  });

  it("warns when the secret is a literal string, and not for a vault reference", () => {
    const { stack } = stackWithProvider();
    const literal = new PluginSession(stack, "literal", { config: { secret: "s3cr3t-value-123" }, route: { id: ROUTE } });
    const vault = new PluginSession(stack, "vault", { config: { secret: "{vault://env/session-secret}" } });
    const warnings = (construct: PluginSession) =>
      construct.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data as string);
    expect(warnings(literal)).toMatchInlineSnapshot(`
      [
        "config.secret of session plugin at "payments/literal" is a literal string: written into the synthesized JSON (base64-encoded; never into Terraform's plans, state or logs) and kept in your code; pass a sensitive TerraformVariable or a Kong vault reference ({vault://env/session-secret}) instead",
      ]
    `);
    expect(warnings(literal).join()).not.toContain("s3cr3t-value-123");
    expect(warnings(vault)).toEqual([]);
    expect(Annotations).toBeDefined();
  });
});

describe("KongGatewayProvider errors", () => {
  it("fails when settings are invalid or would synthesize a secret", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const error = thrown(
      () =>
        new KongGatewayProvider(stack, "kong", {
          serverUrl: "ftp://user:pw@kong",
          backend: "terraform-data" as any,
          headers: { "Kong-Admin-Token": "tok-123-secret", "X-Ok": "fine" },
          tls: { caFile: "/ca.pem" } as any,
          requestTimeoutMs: 0,
          retries: 3,
        } as any),
    );
    expect(error.message).toMatchInlineSnapshot(`
      "invalid KongGatewayProvider at "s/kong", 6 problems:
        - retries: unknown field (did you mean maxRetries?)
        - serverUrl: expected an http:// or https:// URL, got "ftp://<redacted>@kong"
        - backend: expected one of: null_resource, terraform_data, got "terraform-data" (did you mean "terraform_data"?)
        - headers.Kong-Admin-Token: the admin token must not be synthesized: it is read from KONG_ADMIN_TOKEN in Terraform's environment, got "<redacted>"
        - tls.caFile: unknown field
        - requestTimeoutMs: expected a positive integer (milliseconds), got 0"
    `);
    expect(error.message).not.toContain("tok-123-secret");
  });

  it("fails when the server URL holds credentials, without printing them", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const error = thrown(() => new KongGatewayProvider(stack, "kong", { serverUrl: "https://admin:hunter2@kong:8444" }));
    expect(error.message).toMatchInlineSnapshot(`
      "invalid KongGatewayProvider at "s/kong", 1 problem:
        - serverUrl: must not contain credentials; set KONG_ADMIN_TOKEN in Terraform's environment, got "https://<redacted>@kong:8444""
    `);
    expect(error.message).not.toContain("hunter2");
  });
});
