/**
 * `kong-gateway-cdktf import` as a child process against the emulator: one plugin by id or instance
 * name, every plugin (of any kind) over several pages, workspaces, and each way it fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongEmulator } from "../../src/testing/index.js";
import { expectNoSecrets, normalize, runCli, SECRET, TOKEN } from "./support.js";

/** A seeded route or service's name, the same on every run: `import --all` prints it as the construct id. */
let seeds = 0;
const seedName = (kind: string) => `${kind}-${++seeds}`;

const WS = "team-payments";

describe("import", () => {
  let kong: KongEmulator;
  let env: Record<string, string>;
  let routeId: string;
  let sessionId: string;
  let vaultId: string;
  let corsId: string;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.10.0", workspaces: [WS], adminToken: TOKEN });
    env = { KONG_ADMIN_URL: kong.url, KONG_ADMIN_TOKEN: TOKEN };
    routeId = kong.addRoute({ workspace: WS, paths: ["/"], name: seedName("route") }).id;
    sessionId = kong.seedPlugin(
      {
        name: "session",
        instance_name: "web-session",
        route: { id: routeId },
        enabled: false,
        protocols: ["https", "http"],
        tags: ["team-payments"],
        // defaults given explicitly (in another order) must not be printed
        config: {
          secret: SECRET,
          cookie_name: "sid",
          cookie_same_site: "Lax",
          logout_methods: ["DELETE", "POST"],
          rolling_timeout: 600,
          idling_timeout: 900,
          request_headers: ["id", "audience"],
          store_metadata: true,
        },
      },
      WS,
    ).id;
    vaultId = kong.seedPlugin({ name: "session", config: { secret: "{vault://env/session-secret}", cookie_secure: false } }, WS).id;
    corsId = kong.seedPlugin({ name: "cors", config: { origins: ["https://shop.example.com"], max_age: 600 } }, WS).id;
  });

  afterAll(async () => {
    await kong?.stop();
  });

  it("prints a PluginSession with the live configuration that differs from Kong's defaults", async () => {
    const result = await runCli(["import", JSON.stringify({ id: sessionId, workspace: WS })], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(normalize(result.stdout)).toMatchInlineSnapshot(`
      "// import { PluginSession } from "cdktf-kong-gateway";
      // session plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginSession(this, "web-session", {
        id: "<uuid>",
        workspace: "team-payments",
        instanceName: "web-session",
        route: { id: "<uuid>" },
        config: {
          cookieName: "sid",
          cookieSameSite: "Lax",
          requestHeaders: ["id", "audience"],
          rollingTimeout: 600,
          storeMetadata: true,
          // secret: sessionSecret.stringValue, // was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable or a vault reference
        },
        enabled: false,
        protocols: ["https", "http"],
        tags: ["team-payments"],
      });
      "
    `);
    expect(result.stdout).toContain(`id: "${sessionId}"`);
    expect(result.stdout).toContain(`route: { id: "${routeId}" }`);
    expect(result.stdout).not.toMatch(/created_?at|updated_?at|createdAt|updatedAt/i);
    expectNoSecrets(result, SECRET);
  });

  it("accepts the instance name in place of the id", async () => {
    const byName = await runCli(["import", `{"id": "web-session", "workspace": "${WS}"}`], { env });
    const byId = await runCli(["import", JSON.stringify({ id: sessionId, workspace: WS })], { env });
    expect(byName.code).toBe(0);
    expect(byName.stdout).toBe(byId.stdout);
  });

  it("accepts the keys of the import id in any letter case, as the official provider does", async () => {
    const upper = await runCli(["import", `{"ID": "${sessionId}", "Workspace": "${WS}"}`], { env });
    const lower = await runCli(["import", JSON.stringify({ id: sessionId, workspace: WS })], { env });
    expect(upper.code).toBe(0);
    expect(upper.stderr).toBe("");
    expect(upper.stdout).toContain(`id: "${sessionId}",`);
    expect(upper.stdout).toBe(lower.stdout);
  });

  it("prints a vault reference as the secret, as Kong stores it", async () => {
    const result = await runCli(["import", JSON.stringify({ id: vaultId, workspace: WS })], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`new PluginSession(this, "session_${vaultId.slice(0, 8)}", {`);
    expect(normalize(result.stdout)).toMatchInlineSnapshot(`
      "// import { PluginSession } from "cdktf-kong-gateway";
      // session plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginSession(this, "session_<id8>", {
        id: "<uuid>",
        workspace: "team-payments",
        config: {
          cookieSecure: false,
          secret: "{vault://env/session-secret}",
        },
      });
      "
    `);
  });

  it("fails when the plugin does not exist", async () => {
    const result = await runCli(["import", `{"id": "0d9e8f7a-1b2c-4d3e-8f4a-5b6c7d8e9f01", "workspace": "${WS}"}`], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "error: plugin <uuid> does not exist in workspace team-payments at http://<kong>
      "
    `);
  });

  it("prints a plugin of any kind as its typed construct", async () => {
    const result = await runCli(["import", JSON.stringify({ id: corsId, workspace: WS })], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(normalize(result.stdout).replace(/cors_[0-9a-f]{8}/, "cors_<id8>")).toMatchInlineSnapshot(`
      "// import { PluginCors } from "cdktf-kong-gateway";
      // cors plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginCors(this, "cors_<id8>", {
        id: "<uuid>",
        workspace: "team-payments",
        config: { maxAge: 600, origins: ["https://shop.example.com"] },
      });
      "
    `);
    expect(result.stdout).toContain(`new PluginCors(this, "cors_${corsId.slice(0, 8)}", {`);
  });

  it("fails when the admin token is missing (401)", async () => {
    const result = await runCli(["import", JSON.stringify({ id: sessionId, workspace: WS })], { env: { KONG_ADMIN_URL: kong.url } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "error KONG_UNAUTHORIZED: kong requires an admin token (401 on GET /team-payments/plugins/<uuid>: Invalid RBAC credentials): set KONG_ADMIN_TOKEN in the environment
      "
    `);
  });

  it("fails when the admin token is wrong, without printing it", async () => {
    const wrong = `${TOKEN}-wrong`;
    const result = await runCli(["import", JSON.stringify({ id: sessionId, workspace: WS })], {
      env: { KONG_ADMIN_URL: kong.url, KONG_ADMIN_TOKEN: wrong },
    });
    expect(result.code).toBe(1);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "error KONG_UNAUTHORIZED: kong rejected the admin token (401 on GET /team-payments/plugins/<uuid>: Invalid RBAC credentials): check KONG_ADMIN_TOKEN
      "
    `);
    expectNoSecrets(result, wrong);
  });

  it("fails when the workspace does not exist", async () => {
    const result = await runCli(["import", JSON.stringify({ id: sessionId, workspace: "nope" })], { env });
    expect(result.code).toBe(1);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "error KONG_WORKSPACE_NOT_FOUND: workspace nope does not exist at http://<kong> (404 on GET /nope/plugins?size=1): create it, or fix the workspace name
      "
    `);
  });

  describe("invalid import ids", () => {
    const cases: Array<[string, string]> = [
      ["is not JSON", `{"id": "x", }`],
      ["is a bare id", `3473c251-5b6c-4f45-b1ff-7ede735a366d`],
      ["misses the id", `{"workspace": "${WS}"}`],
      ["has an unknown key", `{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "${WS}", "name": "session"}`],
      ["has an extra key", `{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "${WS}", "extra": 1}`],
      ["has a key twice in two cases", `{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "ID": "web-session"}`],
      ["misspells workspace", `{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "worksapce": "${WS}"}`],
      ["is a list", `["3473c251-5b6c-4f45-b1ff-7ede735a366d"]`],
      ["has a number id", `{"id": 42}`],
      ["has a number ID", `{"ID": 42}`],
      ["has an empty workspace", `{"id": "web-session", "workspace": ""}`],
    ];
    it("fails when the import id is malformed, and explains each problem", async () => {
      kong.clearRequests();
      const results = await Promise.all(cases.map(([, id]) => runCli(["import", id], { env })));
      for (const result of results) {
        expect(result.code).toBe(1);
        expect(result.stdout).toBe("");
      }
      // no request was needed to find out
      expect(kong.requests).toEqual([]);
      const lines = results.map((result, i) => `${cases[i]![0]}: ${result.stderr.trim()}`);
      expect(lines).toMatchInlineSnapshot(`
        [
          "is not JSON: error: invalid import id: not valid JSON (line 1, column 13: expected double-quoted property name); expected a JSON object such as '{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "default"}'",
          "is a bare id: error: invalid import id: "3473c251-5b6c-4f45-b1ff-7ede735a366d" is not JSON; the import id is a JSON object: '{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "<name>"}' (leave out "workspace" for open-source Kong)",
          "misses the id: error: invalid import id: the key "id" is missing; expected a JSON object such as '{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "default"}'",
          "has an unknown key: error: invalid import id: unknown key "name": only "id" and "workspace" are allowed; expected a JSON object such as '{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "default"}'",
          "has an extra key: error: invalid import id: unknown key "extra": only "id" and "workspace" are allowed; expected a JSON object such as '{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "default"}'",
          "has a key twice in two cases: error: invalid import id: the key "id" is given twice, as "id" and "ID": give it once; expected a JSON object such as '{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "default"}'",
          "misspells workspace: error: invalid import id: unknown key "worksapce" (did you mean "workspace"?): only "id" and "workspace" are allowed; expected a JSON object such as '{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "default"}'",
          "is a list: error: invalid import id: got a list; expected a JSON object such as '{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "default"}'",
          "has a number id: error: invalid import id: "id" must be a string, got a number; expected a JSON object such as '{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "default"}'",
          "has a number ID: error: invalid import id: "ID" must be a string, got a number; expected a JSON object such as '{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "default"}'",
          "has an empty workspace: error: invalid import id: "workspace" is empty (leave the key out for open-source Kong); expected a JSON object such as '{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "default"}'",
        ]
      `);
    }, 120_000);
  });

  it("fails when --workspace is given without --all", async () => {
    const result = await runCli(["import", JSON.stringify({ id: sessionId }), "--workspace", WS], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "error: --workspace and --tag go with --all; for one plugin, put the workspace in the import id
      "
    `);
  });
});

describe("import --all", () => {
  let kong: KongEmulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", workspaces: [WS], adminToken: TOKEN });
    env = { KONG_ADMIN_URL: kong.url, KONG_ADMIN_TOKEN: TOKEN };
    // 130 session plugins and 15 others in the workspace: two pages of 100
    for (let i = 0; i < 130; i++) {
      const route = kong.addRoute({ workspace: WS, paths: ["/"], name: seedName("route") });
      kong.seedPlugin({ name: "session", route, tags: i % 2 === 0 ? ["even"] : ["odd"], config: { cookie_name: `sid${i}` } }, WS);
    }
    for (let i = 0; i < 15; i++) kong.seedPlugin({ name: "cors", route: kong.addRoute({ workspace: WS, paths: ["/"], name: seedName("route") }) }, WS);
    // one in the default workspace
    kong.seedPlugin({ name: "session", instance_name: "default-one" });
  });

  afterAll(async () => {
    await kong?.stop();
  });

  it("generates code for every plugin and the routes they are on, following the pages", async () => {
    kong.clearRequests();
    const result = await runCli(["import", "--all", "--workspace", WS], { env });
    expect(result.code).toBe(0);
    expect(result.stdout.match(/new PluginSession\(/g)).toHaveLength(130);
    expect(result.stdout.match(/new PluginCors\(/g)).toHaveLength(15);
    expect(result.stdout.split("\n")[0]).toBe(`// import { PluginCors, PluginSession, Route } from "cdktf-kong-gateway";`);
    // each plugin refers to its route's construct
    expect(result.stdout).not.toMatch(/route: \{ id:/);
    for (let i = 0; i < 130; i++) expect(result.stdout).toContain(`cookieName: "sid${i}",`);
    expect(new Set(result.stdout.match(/"session_[0-9a-f]{8}"/g)).size).toBe(130);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "found 145 plugins of 2 kinds and 145 entities of 1 kind in workspace team-payments at http://<kong>
      "
    `);
    const pages = kong.requests.filter((r) => r.method === "GET" && r.path === `/${WS}/plugins`);
    expect(pages).toHaveLength(2);
    expect(pages[1]!.query.offset).toBeDefined();
  });

  it("filters by tag and reads several workspaces", async () => {
    const result = await runCli(["import", "--all", "--workspace", WS, "--workspace", "default", "--tag", "even"], { env });
    expect(result.code).toBe(0);
    expect(result.stdout.match(/new PluginSession\(/g)).toHaveLength(65);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "found 65 plugins of 1 kind tagged even in workspace team-payments, workspace default at http://<kong>
      "
    `);
    const all = await runCli(["import", "--all"], { env });
    expect(all.stdout).toContain(`new PluginSession(this, "default-one", {`);
    expect(all.stdout.match(/new PluginSession\(/g)).toHaveLength(1);
  });
});

describe("import from open-source Kong", () => {
  let kong: KongEmulator;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "community" });
  });

  afterAll(async () => {
    await kong?.stop();
  });

  it("takes an import id without a workspace", async () => {
    const { id } = kong.seedPlugin({ name: "session", config: { remember: true } });
    const result = await runCli(["import", JSON.stringify({ id }), "--server-url", kong.url]);
    expect(result.code).toBe(0);
    expect(normalize(result.stdout)).toMatchInlineSnapshot(`
      "// import { PluginSession } from "cdktf-kong-gateway";
      // session plugin <uuid> (default workspace), read from http://<kong>
      new PluginSession(this, "session_<id8>", {
        id: "<uuid>",
        config: {
          remember: true,
          // secret: sessionSecret.stringValue, // was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable or a vault reference
        },
      });
      "
    `);
  });

  it("fails when a workspace is given to open-source Kong", async () => {
    const { id } = kong.seedPlugin({ name: "session", service: kong.addService({ name: seedName("service") }) });
    const result = await runCli(["import", JSON.stringify({ id, workspace: "default" }), "--server-url", kong.url]);
    expect(result.code).toBe(1);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "error KONG_WORKSPACE_NOT_FOUND: workspace default does not exist at http://<kong> (404 on GET /default/plugins?size=1): it is open-source Kong 3.9.1, which has no workspaces: leave the workspace unset
      "
    `);
  });
});
