/**
 * `import` of plugins of every kind prints real code: pasted into a stack, with the imports its first
 * lines list, it type-checks against the library, synthesizes, and `diff` then finds every plugin
 * unchanged, Kong's filled-in defaults included: the code describes Kong exactly. No secret appears
 * anywhere: each is read from a sensitive variable, known only at apply.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongEmulator } from "../../src/testing/index.js";
import { ALL_SECRETS, asKongStores, FIXTURES } from "./plugin-fixtures.js";
import { asModule, expectNoSecrets, normalize, ROOT, runCli, SECRET, tempDir, TOKEN, typeCheck } from "./support.js";

/** A seeded route or service's name, the same on every run: `import --all` prints it as the construct id. */
let seeds = 0;
const seedName = (kind: string) => `${kind}-${++seeds}`;

const run = promisify(execFile);
const WS = "team-payments";

/** Fixed ids: construct ids hold their first 8 characters. */
const IDS: Record<string, string> = {
  "rate-limiting": "1a000000-0000-4000-8000-000000000001",
  "key-auth": "2b000000-0000-4000-8000-000000000002",
  cors: "3c000000-0000-4000-8000-000000000003",
  acl: "4d000000-0000-4000-8000-000000000004",
  "request-transformer": "5e000000-0000-4000-8000-000000000005",
  "http-log": "6f000000-0000-4000-8000-000000000006",
  "openid-connect": "7a000000-0000-4000-8000-000000000007",
  custom: "8b000000-0000-4000-8000-000000000008",
  session: "9c000000-0000-4000-8000-000000000009",
};

describe("import of every kind of plugin, then tsc, synth and diff", () => {
  let kong: KongEmulator;
  let env: Record<string, string>;
  let work: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.10.0", workspaces: [WS], adminToken: TOKEN });
    env = { KONG_ADMIN_URL: kong.url, KONG_ADMIN_TOKEN: TOKEN };
    work = tempDir("cli-roundtrip-plugins");
    // GIVEN plugins as Kong stores them (every default filled in), scoped in every way
    const route = { id: kong.addRoute({ workspace: WS, paths: ["/"], name: seedName("route") }).id };
    const service = { id: kong.addService({ workspace: WS, name: seedName("service") }).id };
    const scoped: Record<string, Record<string, unknown>> = { "rate-limiting": { service }, "key-auth": { route }, acl: { route } };
    for (const [key, fixture] of Object.entries(FIXTURES)) {
      const workspace = key === "cors" || key === "custom" ? undefined : WS;
      kong.seedPlugin({ ...asKongStores(fixture), id: IDS[key]!, ...scoped[key] } as never, workspace);
    }
    kong.seedPlugin({ id: IDS.session!, name: "session", config: { secret: SECRET, cookie_name: "sid" } } as never, WS);
  });

  afterAll(async () => {
    work?.dispose();
    await kong?.stop();
  });

  it("prints code that type-checks, synthesizes and matches Kong, without a secret", async () => {
    const inWorkspace = await runCli(["import", "--all", "--workspace", WS], { env });
    const inDefault = await runCli(["import", "--all"], { env });
    expect(inWorkspace.code, inWorkspace.stderr).toBe(0);
    expect(inDefault.code, inDefault.stderr).toBe(0);
    for (const result of [inWorkspace, inDefault]) expectNoSecrets(result, SECRET, ...ALL_SECRETS);
    expect(normalize(inWorkspace.stdout)).toMatchInlineSnapshot(`
      "// import { PluginAcl, PluginHttpLog, PluginKeyAuth, PluginOpenidConnect, PluginRateLimiting, PluginRequestTransformer, PluginSession, Route, Service } from "cdktf-kong-gateway";
      // import { TerraformVariable } from "cdktf";
      // service <uuid> in workspace team-payments
      const service2 = new Service(this, "service-2", {
        id: "<uuid>",
        workspace: "team-payments",
        host: "localhost",
        name: "service-2",
      });

      // route <uuid> in workspace team-payments
      const route1 = new Route(this, "route-1", {
        id: "<uuid>",
        workspace: "team-payments",
        name: "route-1",
        paths: ["/"],
      });

      // rate-limiting plugin <uuid> in workspace team-payments, read from http://<kong>
      const limitsRedisHost = new TerraformVariable(this, "limits_redis_host", {
        type: "string",
        sensitive: true,
        description: "config.redis.host of the rate-limiting plugin <uuid>: was set in Kong (not printed)",
      });
      const limitsRedisPassword = new TerraformVariable(this, "limits_redis_password", {
        type: "string",
        sensitive: true,
        description: "config.redis.password of the rate-limiting plugin <uuid>: was set in Kong (not printed)",
      });
      new PluginRateLimiting(this, "limits", {
        id: "<uuid>",
        workspace: "team-payments",
        instanceName: "limits",
        service: service2,
        config: {
          hour: 100,
          limitBy: "ip",
          minute: 5,
          policy: "redis",
          redis: {
            host: limitsRedisHost.stringValue,
            password: limitsRedisPassword.stringValue,
            port: 6380,
          },
        },
      });

      // key-auth plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginKeyAuth(this, "key_auth_2b000000", {
        id: "<uuid>",
        workspace: "team-payments",
        route: route1,
        config: { hideCredentials: true, keyNames: ["apikey", "x-api-key"] },
        tags: ["edge"],
      });

      // acl plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginAcl(this, "acl_4d000000", {
        id: "<uuid>",
        workspace: "team-payments",
        route: route1,
        config: { allow: ["admins", "ops"], hideGroupsHeader: true },
        enabled: false,
      });

      // request-transformer plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginRequestTransformer(this, "request_transformer_5e000000", {
        id: "<uuid>",
        workspace: "team-payments",
        config: {
          add: { headers: ["x-added:1", "x-other:2"], querystring: ["q:1"] },
          remove: { body: ["password"] },
          rename: { headers: ["x-old:x-new"] },
        },
        protocols: ["https"],
      });

      // http-log plugin <uuid> in workspace team-payments, read from http://<kong>
      const httpLog6F000000HeadersXApiVersion = new TerraformVariable(this, "http_log_6f000000_headers_X_Api_Version", {
        type: "string",
        sensitive: true,
        description: "config.headers.X-Api-Version of the http-log plugin <uuid>: was set in Kong (not printed)",
      });
      const httpLog6F000000HeadersXTrace = new TerraformVariable(this, "http_log_6f000000_headers_x_trace", {
        type: "string",
        sensitive: true,
        description: "config.headers.x_trace of the http-log plugin <uuid>: was set in Kong (not printed)",
      });
      const httpLog6F000000HttpEndpoint = new TerraformVariable(this, "http_log_6f000000_http_endpoint", {
        type: "string",
        sensitive: true,
        description: "config.httpEndpoint of the http-log plugin <uuid>: was set in Kong (not printed)",
      });
      new PluginHttpLog(this, "http_log_6f000000", {
        id: "<uuid>",
        workspace: "team-payments",
        config: {
          customFieldsByLua: { "route.tier": "return 'gold'" },
          headers: {
            "X-Api-Version": httpLog6F000000HeadersXApiVersion.stringValue,
            x_trace: httpLog6F000000HeadersXTrace.stringValue,
          },
          httpEndpoint: httpLog6F000000HttpEndpoint.stringValue,
        },
      });

      // openid-connect plugin <uuid> in workspace team-payments, read from http://<kong>
      const openidConnect7A000000ClientId0 = new TerraformVariable(this, "openid_connect_7a000000_client_id_0", {
        type: "string",
        sensitive: true,
        description: "config.clientId[0] of the openid-connect plugin <uuid>: was set in Kong (not printed)",
      });
      const openidConnect7A000000ClientSecret0 = new TerraformVariable(this, "openid_connect_7a000000_client_secret_0", {
        type: "string",
        sensitive: true,
        description: "config.clientSecret[0] of the openid-connect plugin <uuid>: was set in Kong (not printed)",
      });
      const openidConnect7A000000Issuer = new TerraformVariable(this, "openid_connect_7a000000_issuer", {
        type: "string",
        sensitive: true,
        description: "config.issuer of the openid-connect plugin <uuid>: was set in Kong (not printed)",
      });
      const openidConnect7A000000Scopes0 = new TerraformVariable(this, "openid_connect_7a000000_scopes_0", {
        type: "string",
        sensitive: true,
        description: "config.scopes[0] of the openid-connect plugin <uuid>: was set in Kong (not printed)",
      });
      const openidConnect7A000000Scopes1 = new TerraformVariable(this, "openid_connect_7a000000_scopes_1", {
        type: "string",
        sensitive: true,
        description: "config.scopes[1] of the openid-connect plugin <uuid>: was set in Kong (not printed)",
      });
      const openidConnect7A000000SessionSecret = new TerraformVariable(this, "openid_connect_7a000000_session_secret", {
        type: "string",
        sensitive: true,
        description: "config.sessionSecret of the openid-connect plugin <uuid>: was set in Kong (not printed)",
      });
      new PluginOpenidConnect(this, "openid_connect_7a000000", {
        id: "<uuid>",
        workspace: "team-payments",
        config: {
          authMethods: ["authorization_code", "session"],
          clientId: [openidConnect7A000000ClientId0.stringValue],
          clientSecret: [openidConnect7A000000ClientSecret0.stringValue],
          issuer: openidConnect7A000000Issuer.stringValue,
          scopes: [
            openidConnect7A000000Scopes0.stringValue,
            openidConnect7A000000Scopes1.stringValue,
          ],
          sessionSecret: openidConnect7A000000SessionSecret.stringValue,
        },
      });

      // session plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginSession(this, "session_<id8>", {
        id: "<uuid>",
        workspace: "team-payments",
        config: {
          cookieName: "sid",
          // secret: sessionSecret.stringValue, // was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable or a vault reference
        },
      });
      "
    `);
    expect(normalize(inWorkspace.stderr)).toMatchInlineSnapshot(`
      "warning: plugin <uuid> in workspace team-payments: config.redis.host was set in Kong and is not printed: the code reads it from the sensitive variable limits_redis_host (set TF_VAR_limits_redis_host, or give a vault reference)
      warning: plugin <uuid> in workspace team-payments: config.redis.password was set in Kong and is not printed: the code reads it from the sensitive variable limits_redis_password (set TF_VAR_limits_redis_password, or give a vault reference)
      warning: plugin <uuid> in workspace team-payments: config.headers.X-Api-Version was set in Kong and is not printed: the code reads it from the sensitive variable http_log_6f000000_headers_X_Api_Version (set TF_VAR_http_log_6f000000_headers_X_Api_Version, or give a vault reference)
      warning: plugin <uuid> in workspace team-payments: config.headers.x_trace was set in Kong and is not printed: the code reads it from the sensitive variable http_log_6f000000_headers_x_trace (set TF_VAR_http_log_6f000000_headers_x_trace, or give a vault reference)
      warning: plugin <uuid> in workspace team-payments: config.httpEndpoint was set in Kong and is not printed: the code reads it from the sensitive variable http_log_6f000000_http_endpoint (set TF_VAR_http_log_6f000000_http_endpoint, or give a vault reference)
      warning: plugin <uuid> in workspace team-payments: config.clientId[0] was set in Kong and is not printed: the code reads it from the sensitive variable openid_connect_7a000000_client_id_0 (set TF_VAR_openid_connect_7a000000_client_id_0, or give a vault reference)
      warning: plugin <uuid> in workspace team-payments: config.clientSecret[0] was set in Kong and is not printed: the code reads it from the sensitive variable openid_connect_7a000000_client_secret_0 (set TF_VAR_openid_connect_7a000000_client_secret_0, or give a vault reference)
      warning: plugin <uuid> in workspace team-payments: config.issuer was set in Kong and is not printed: the code reads it from the sensitive variable openid_connect_7a000000_issuer (set TF_VAR_openid_connect_7a000000_issuer, or give a vault reference)
      warning: plugin <uuid> in workspace team-payments: config.scopes[0] was set in Kong and is not printed: the code reads it from the sensitive variable openid_connect_7a000000_scopes_0 (set TF_VAR_openid_connect_7a000000_scopes_0, or give a vault reference)
      warning: plugin <uuid> in workspace team-payments: config.scopes[1] was set in Kong and is not printed: the code reads it from the sensitive variable openid_connect_7a000000_scopes_1 (set TF_VAR_openid_connect_7a000000_scopes_1, or give a vault reference)
      warning: plugin <uuid> in workspace team-payments: config.sessionSecret was set in Kong and is not printed: the code reads it from the sensitive variable openid_connect_7a000000_session_secret (set TF_VAR_openid_connect_7a000000_session_secret, or give a vault reference)
      found 7 plugins of 7 kinds and 2 entities of 2 kinds in workspace team-payments at http://<kong>
      "
    `);
    expect(normalize(inDefault.stdout)).toMatchInlineSnapshot(`
      "// import { KongPlugin, PluginCors } from "cdktf-kong-gateway";
      // import { TerraformVariable } from "cdktf";
      // cors plugin <uuid> (default workspace), read from http://<kong>
      new PluginCors(this, "cors_3c000000", {
        id: "<uuid>",
        config: {
          credentials: true,
          headers: [],
          maxAge: 3600,
          methods: ["GET", "POST"],
          origins: ["https://a.example.com", "https://b.example.com"],
        },
      });

      // x-trace-header plugin <uuid> (default workspace), read from http://<kong> (no facts: a custom plugin, its config as Kong stores it)
      const xTraceHeader8B000000Secret = new TerraformVariable(this, "x_trace_header_8b000000_secret", {
        type: "string",
        sensitive: true,
        description: "config.secret of the x-trace-header plugin <uuid>: was set in Kong (not printed)",
      });
      new KongPlugin(this, "x_trace_header_8b000000", {
        name: "x-trace-header",
        id: "<uuid>",
        config: {
          header_name: "X-Trace",
          sample_rate: 0.25,
          targets: ["a", "b"],
          secret: xTraceHeader8B000000Secret.stringValue,
          extra: { deep_key: true },
        },
      });
      "
    `);
    expect(normalize(inDefault.stderr)).toMatchInlineSnapshot(`
      "warning: plugin <uuid> (default workspace): config.secret was set in Kong and is not printed: the code reads it from the sensitive variable x_trace_header_8b000000_secret (set TF_VAR_x_trace_header_8b000000_secret, or give a vault reference)
      found 2 plugins of 2 kinds in the default workspace at http://<kong>
      "
    `);

    // WHEN the code is pasted into a stack, with the imports it lists
    const app = path.join(work.dir, "app.ts");
    writeFileSync(app, asModule([inWorkspace.stdout, inDefault.stdout], work.dir, kong.url));

    // THEN it type-checks against the library
    expect(await typeCheck(work.dir, "app.ts")).toBe("");

    // AND synthesizes
    const outdir = path.join(work.dir, "cdktf.out");
    const synth = await run(process.execPath, ["--import", "tsx", app, outdir], { cwd: ROOT }).then(
      (r) => r.stderr,
      (e: { stderr?: string; message?: string }) => `${e.stderr ?? e.message}`,
    );
    expect(synth).toBe("");

    // AND describes Kong exactly: diff finds nothing to change; the secrets are known only at apply
    const diff = await runCli(["diff", "--out", outdir], { env });
    expect(normalize(diff.stdout)).toMatchInlineSnapshot(`
      "= unchanged adopted/route-1: route <uuid> in workspace team-payments
      = unchanged adopted/service-2: service <uuid> in workspace team-payments
      = unchanged adopted/acl_4d000000: acl plugin <uuid> in workspace team-payments
      = unchanged adopted/cors_3c000000: cors plugin <uuid> (default workspace)
      = unchanged adopted/http_log_6f000000: http-log plugin <uuid> in workspace team-payments
          config.headers.X-Api-Version: (known after apply)
          config.headers.x_trace: (known after apply)
          config.http_endpoint: (known after apply)
      = unchanged adopted/key_auth_2b000000: key-auth plugin <uuid> in workspace team-payments
      = unchanged adopted/limits: rate-limiting plugin <uuid> in workspace team-payments
          config.redis.host: (known after apply)
          config.redis.password: (known after apply)
      = unchanged adopted/openid_connect_7a000000: openid-connect plugin <uuid> in workspace team-payments
          config.client_id[0]: (known after apply)
          config.client_secret[0]: (known after apply)
          config.issuer: (known after apply)
          config.scopes[0]: (known after apply)
          config.scopes[1]: (known after apply)
          config.session_secret: (known after apply)
      = unchanged adopted/request_transformer_5e000000: request-transformer plugin <uuid> in workspace team-payments
      = unchanged adopted/session_9c000000: session plugin <uuid> in workspace team-payments
      = unchanged adopted/x_trace_header_8b000000: x-trace-header plugin <uuid> (default workspace)
          config.secret: (known after apply)
      Entities: 0 to create, 0 to update, 2 unchanged
      Summary: 0 to create, 0 to update, 9 unchanged
      "
    `);
    expect(diff.code).toBe(0);
    expectNoSecrets(diff, SECRET, ...ALL_SECRETS);
  }, 240_000);
});
