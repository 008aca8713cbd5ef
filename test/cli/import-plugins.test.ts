/**
 * `kong-gateway-cdktf import` of plugins other than the session plugin, in-process against the
 * emulator: the typed construct of each, defaults of the live Kong's version left out, secrets as
 * variables or comments, vault references as they are, what cannot be carried said as such.
 */
import { MockAgent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { KongEmulator } from "../../src/testing/index.js";
import { asKongStores } from "./plugin-fixtures.js";
import { expectNoSecrets, normalize, TOKEN } from "./support.js";

const WS = "team-payments";
const PROVISION_KEY = "Pr0visionKeyGeneratedByK0ngXyz";
const CLIENT_SECRET = "0authIntrospecti0nS3cretXyz";

async function cli(kong: KongEmulator, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { KONG_ADMIN_URL: kong.url, KONG_ADMIN_TOKEN: TOKEN }, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

describe("import of a plugin by its import id", () => {
  let kong: KongEmulator;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.10.0", workspaces: [WS], adminToken: TOKEN });
  });

  afterAll(async () => {
    await kong?.stop();
  });

  const seed = (id: string, body: { name: string; config: Record<string, unknown>; [field: string]: unknown }) =>
    kong.seedPlugin({ ...asKongStores(body), id } as never, WS);

  it("prints a vault reference as Kong stores it, and a generated secret as a comment (every apply keeps it)", async () => {
    const consumer = { id: "5d6e7f8a-9b0c-4d1e-8f2a-3b4c5d6e7f8a" };
    seed("1f000000-0000-4000-8000-000000000001", {
      name: "oauth2",
      consumer: null,
      config: { scopes: ["read"], mandatory_scope: true, enable_client_credentials: true, provision_key: PROVISION_KEY },
    });
    seed("2f000000-0000-4000-8000-000000000002", {
      name: "rate-limiting",
      consumer,
      config: { second: 2, policy: "redis", redis: { host: "{vault://env/redis-host}", password: "{vault://aws/redis/password}" } },
    });
    const oauth2 = await cli(kong, ["import", JSON.stringify({ id: "1f000000-0000-4000-8000-000000000001", workspace: WS })]);
    expect(oauth2.code).toBe(0);
    expect(oauth2.stderr).toBe("");
    expect(normalize(oauth2.stdout)).toMatchInlineSnapshot(`
      "// import { PluginOauth2 } from "cdktf-kong-gateway";
      // oauth2 plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginOauth2(this, "oauth2_1f000000", {
        id: "<uuid>",
        workspace: "team-payments",
        config: {
          enableClientCredentials: true,
          mandatoryScope: true,
          // provisionKey: provisionKey.stringValue, // was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable or a vault reference
          scopes: ["read"],
        },
      });
      "
    `);
    expectNoSecrets(oauth2, PROVISION_KEY);

    const limits = await cli(kong, ["import", JSON.stringify({ id: "2f000000-0000-4000-8000-000000000002", workspace: WS })]);
    expect(limits.code).toBe(0);
    expect(limits.stderr).toBe("");
    expect(normalize(limits.stdout)).toMatchInlineSnapshot(`
      "// import { PluginRateLimiting } from "cdktf-kong-gateway";
      // rate-limiting plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginRateLimiting(this, "rate_limiting_2f000000", {
        id: "<uuid>",
        workspace: "team-payments",
        consumer: { id: "<uuid>" },
        config: {
          policy: "redis",
          redis: {
            host: "{vault://env/redis-host}",
            password: "{vault://aws/redis/password}",
          },
          second: 2,
        },
      });
      "
    `);
  });

  it("keeps a Kong-generated value that is no secret, as it is", async () => {
    seed("3f000000-0000-4000-8000-000000000003", { name: "rate-limiting-advanced", config: { limit: [10], window_size: [60], namespace: "kX8ZtQ2bN4" } });
    const result = await cli(kong, ["import", JSON.stringify({ id: "3f000000-0000-4000-8000-000000000003", workspace: WS })]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`namespace: "kX8ZtQ2bN4",`);
    expect(result.stdout).toContain(`limit: [10],`);
    expect(result.stdout).toContain(`windowSize: [60],`);
  });

  it("warns of what cannot be carried over, and of live values that break this library's rules", async () => {
    // a field of a newer Kong than the facts know, and a value the facts refuse
    const stored = asKongStores({ name: "cors", config: { origins: ["https://a.example.com"], methods: ["GET", "FETCH"] } });
    kong.seedPlugin({ ...stored, id: "4f000000-0000-4000-8000-000000000004", config: { ...stored.config, not_a_field: 1 } } as never, WS);
    const result = await cli(kong, ["import", JSON.stringify({ id: "4f000000-0000-4000-8000-000000000004", workspace: WS })]);
    expect(result.code).toBe(0);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "warning: plugin <uuid> in workspace team-payments: left out config.not_a_field: not attributes of PluginCors
      warning: plugin <uuid> in workspace team-payments: the live value breaks a rule of this library: config.methods[1]: expected one of: CONNECT, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, TRACE, got "FETCH"
      "
    `);
    expect(normalize(result.stdout)).toMatchInlineSnapshot(`
      "// import { PluginCors } from "cdktf-kong-gateway";
      // cors plugin <uuid> in workspace team-payments, read from http://<kong>
      // warning: plugin <uuid> in workspace team-payments: left out config.not_a_field: not attributes of PluginCors
      // warning: plugin <uuid> in workspace team-payments: the live value breaks a rule of this library: config.methods[1]: expected one of: CONNECT, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, TRACE, got "FETCH"
      new PluginCors(this, "cors_4f000000", {
        id: "<uuid>",
        workspace: "team-payments",
        config: { methods: ["GET", "FETCH"], origins: ["https://a.example.com"] },
      });
      "
    `);
  });

  it("prints a plugin without facts as a KongPlugin, its config in Kong's names", async () => {
    kong.seedPlugin({ id: "5f000000-0000-4000-8000-000000000005", name: "my-auth", config: { client_secret: CLIENT_SECRET, header_names: ["x-a"], ttl: 30, nested: { keep_me: "yes", unset: null } } } as never, WS);
    const result = await cli(kong, ["import", JSON.stringify({ id: "5f000000-0000-4000-8000-000000000005", workspace: WS })]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      "warning: plugin 5f000000-0000-4000-8000-000000000005 in workspace team-payments: config.client_secret was set in Kong and is not printed: the code reads it from the sensitive variable my_auth_5f000000_client_secret (set TF_VAR_my_auth_5f000000_client_secret, or give a vault reference)\n",
    );
    expect(result.stdout).not.toContain(CLIENT_SECRET);
    // without facts, a field whose name says secret is read from a sensitive variable, never printed
    expect(normalize(result.stdout)).toMatchInlineSnapshot(`
      "// import { KongPlugin } from "cdktf-kong-gateway";
      // import { TerraformVariable } from "cdktf";
      // my-auth plugin <uuid> in workspace team-payments, read from http://<kong> (no facts: a custom plugin, its config as Kong stores it)
      const myAuth5F000000ClientSecret = new TerraformVariable(this, "my_auth_5f000000_client_secret", {
        type: "string",
        sensitive: true,
        description: "config.client_secret of the my-auth plugin <uuid>: was set in Kong (not printed)",
      });
      new KongPlugin(this, "my_auth_5f000000", {
        name: "my-auth",
        id: "<uuid>",
        workspace: "team-payments",
        config: {
          client_secret: myAuth5F000000ClientSecret.stringValue,
          header_names: ["x-a"],
          ttl: 30,
          nested: { keep_me: "yes" },
        },
      });
      "
    `);
  });
});

describe("import from open-source Kong", () => {
  let kong: KongEmulator;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "community", version: "3.4.2" });
  });

  afterAll(async () => {
    await kong?.stop();
  });

  it("leaves out the defaults of the live Kong's version and edition", async () => {
    // GIVEN a plugin holding open-source Kong 3.4's defaults: hide_credentials false, true in newer versions
    kong.seedPlugin({ ...asKongStores({ name: "key-auth", config: { key_names: ["x-key"] } }, "3.4"), id: "6f000000-0000-4000-8000-000000000006" } as never);
    const result = await cli(kong, ["import", JSON.stringify({ id: "6f000000-0000-4000-8000-000000000006" })]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).not.toContain("hideCredentials");
    expect(normalize(result.stdout)).toMatchInlineSnapshot(`
      "// import { PluginKeyAuth } from "cdktf-kong-gateway";
      // key-auth plugin <uuid> (default workspace), read from http://<kong>
      new PluginKeyAuth(this, "key_auth_6f000000", {
        id: "<uuid>",
        config: { keyNames: ["x-key"] },
      });
      "
    `);
    expect(kong.requests.some((r) => r.method === "GET" && r.path === "/")).toBe(true);
  });

  it("says when nothing matches", async () => {
    const result = await cli(kong, ["import", "--all", "--tag", "nothing"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "found 0 plugins tagged nothing in the default workspace at http://<kong>
      "
    `);
  });
});

describe("import when Kong's version is not one of the published data", () => {
  it("leaves out the defaults of the nearest version with published schemas, and says so", async () => {
    const kong = await KongEmulator.start({ edition: "enterprise", version: "3.16.0.0" });
    try {
      kong.seedPlugin({ ...asKongStores({ name: "acl", config: { allow: ["admins"] } }, "3.15"), id: "7f000000-0000-4000-8000-000000000007" } as never);
      const result = await cli(kong, ["import", JSON.stringify({ id: "7f000000-0000-4000-8000-000000000007" })]);
      expect(result.code).toBe(0);
      expect(normalize(result.stderr)).toMatchInlineSnapshot(`
        "warning: Kong at http://<kong> reports version 3.16: leaving out the defaults of Kong Enterprise 3.15, the nearest with published schemas
        "
      `);
      expect(result.stdout).toContain(`config: { allow: ["admins"] },`);
    } finally {
      await kong.stop();
    }
  });

  it("leaves out the newest Kong Enterprise's defaults when GET / fails, and says so", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const origin = agent.get("http://kong.test:8001");
    const id = "8f000000-0000-4000-8000-000000000008";
    const json = { headers: { "content-type": "application/json" } };
    origin.intercept({ path: `/plugins/${id}`, method: "GET" }).reply(200, { ...asKongStores({ name: "acl", config: { allow: ["ops"] } }), id }, json);
    origin.intercept({ path: "/", method: "GET" }).reply(403, { message: "You cannot consume this service" }, json);
    let stdout = "";
    let stderr = "";
    const code = await main(["import", JSON.stringify({ id }), "--server-url", "http://kong.test:8001"], {}, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      dispatcher: agent,
    });
    expect(code).toBe(0);
    expect(stderr).toMatchInlineSnapshot(`
      "warning: cannot read Kong's version at http://kong.test:8001 (the admin token is not allowed to GET / (403: You cannot consume this service): check KONG_ADMIN_TOKEN and the RBAC role of its admin in the default workspace): leaving out the defaults of Kong Enterprise 3.15
      "
    `);
    expect(stdout).toContain(`config: { allow: ["ops"] },`);
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
});
