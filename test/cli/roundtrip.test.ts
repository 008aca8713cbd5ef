/**
 * The code `import` prints is real code: pasted into a stack it type-checks against the library,
 * synthesizes, and `diff` then finds every plugin unchanged: the code describes Kong exactly. And the
 * first apply of it changes none of the plugin's values: empty lists stay `[]`, the user's tags stay.
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { PluginSession } from "../../src/index.js";
import { applyAction, type ActionContext } from "../../src/runtime/actions.js";
import { KongAdminClient } from "../../src/runtime/client.js";
import { Logger, Redactor } from "../../src/runtime/log.js";
import { ownerTag } from "../../src/runtime/ownership.js";
import { KongEmulator } from "../../src/testing/index.js";
import { resources, stackWithProvider, synthJson, unescapeTemplate } from "../support/synth.js";
import { expectNoSecrets, normalize, ROOT, runCli, SECRET, tempDir, TOKEN } from "./support.js";

/** A seeded route or service's name, the same on every run: `import --all` prints it as the construct id. */
let seeds = 0;
const seedName = (kind: string) => `${kind}-${++seeds}`;

const run = promisify(execFile);
const WS = "team-payments";

describe("import, then synth, then diff", () => {
  let kong: KongEmulator;
  let env: Record<string, string>;
  let work: ReturnType<typeof tempDir>;

  async function put(workspace: string | undefined, id: string, body: Record<string, unknown>): Promise<void> {
    const response = await fetch(`${kong.url}${workspace ? `/${workspace}` : ""}/plugins/${id}`, {
      method: "PUT",
      headers: { "kong-admin-token": TOKEN, "content-type": "application/json" },
      body: JSON.stringify({ name: "session", ...body }),
    });
    expect(response.status, await response.text()).toBe(200);
  }

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.10.0", workspaces: [WS], adminToken: TOKEN });
    env = { KONG_ADMIN_URL: kong.url, KONG_ADMIN_TOKEN: TOKEN };
    work = tempDir("cli-roundtrip");
    const route = (workspace?: string) => ({ id: kong.addRoute({ ...(workspace ? { workspace } : {}), paths: ["/"], name: seedName("route") }).id });
    // GIVEN plugins made by hand, through the Admin API, with every kind of attribute
    await put(WS, "1b7a3c2e-0d4f-4e6a-8b9c-1d2e3f4a5b6c", {
      instance_name: "checkout-session",
      route: route(WS),
      enabled: false,
      protocols: ["https"],
      tags: ["team-payments", "managed-by:hand"],
      ordering: { before: { access: ["rate-limiting"] } },
      config: {
        secret: SECRET,
        cookie_name: "checkout",
        cookie_same_site: "None",
        cookie_domain: "shop.example.com",
        cookie_http_only: false,
        absolute_timeout: 3.79,
        idling_timeout: 0,
        logout_methods: ["GET"],
        request_headers: ["id", "timeout"],
        response_headers: ["subject"],
        remember: true,
        remember_rolling_timeout: 1209600,
        read_body_for_logout: true,
        hash_subject: true,
        store_metadata: true,
        storage: "kong",
      },
    });
    await put(WS, "2c8b4d3f-1e5a-4f7b-9cad-2e3f4a5b6c7d", {
      service: { id: kong.addService({ workspace: WS, name: seedName("service") }).id },
      config: { secret: "{vault://env/session-secret}", audience: "shop", logout_methods: ["DELETE", "POST"] },
    });
    await put(undefined, "3d9c5e4a-2f6b-4a8c-8dbe-3f4a5b6c7d8e", { route: route() });
    // empty lists where Kong's default is another list, or null
    await put(WS, "4eac6f5b-3a7c-4b9d-9ecf-4a5b6c7d8e9f", {
      service: { id: kong.addService({ workspace: WS, name: seedName("service") }).id },
      protocols: [],
      tags: [],
      partials: [],
      ordering: { after: { access: [] } },
      config: { logout_methods: [], request_headers: [], response_headers: [] },
    });
  });

  afterAll(async () => {
    work?.dispose();
    await kong?.stop();
  });

  it("prints code that type-checks, synthesizes and matches Kong", async () => {
    const inWorkspace = await runCli(["import", "--all", "--workspace", WS], { env });
    const inDefault = await runCli(["import", "--all"], { env });
    expect(inWorkspace.code).toBe(0);
    expect(inDefault.code).toBe(0);
    expectNoSecrets(inWorkspace, SECRET);
    expect(normalize(inWorkspace.stdout)).toMatchInlineSnapshot(`
      "// import { PluginSession, Route, Service } from "cdktf-kong-gateway";
      // service <uuid> in workspace team-payments
      const service2 = new Service(this, "service-2", {
        id: "<uuid>",
        workspace: "team-payments",
        host: "localhost",
        name: "service-2",
      });

      // service <uuid> in workspace team-payments
      const service4 = new Service(this, "service-4", {
        id: "<uuid>",
        workspace: "team-payments",
        host: "localhost",
        name: "service-4",
      });

      // route <uuid> in workspace team-payments
      const route1 = new Route(this, "route-1", {
        id: "<uuid>",
        workspace: "team-payments",
        name: "route-1",
        paths: ["/"],
      });

      // session plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginSession(this, "checkout-session", {
        id: "<uuid>",
        workspace: "team-payments",
        instanceName: "checkout-session",
        route: route1,
        config: {
          absoluteTimeout: 3.79,
          cookieDomain: "shop.example.com",
          cookieHttpOnly: false,
          cookieName: "checkout",
          cookieSameSite: "None",
          hashSubject: true,
          idlingTimeout: 0,
          logoutMethods: ["GET"],
          readBodyForLogout: true,
          remember: true,
          rememberRollingTimeout: 1209600,
          requestHeaders: ["id", "timeout"],
          responseHeaders: ["subject"],
          storage: "kong",
          storeMetadata: true,
          // secret: sessionSecret.stringValue, // was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable or a vault reference
        },
        enabled: false,
        protocols: ["https"],
        tags: ["team-payments", "managed-by:hand"],
        ordering: {
          before: { access: ["rate-limiting"] },
        },
      });

      // session plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginSession(this, "session_<id8>", {
        id: "<uuid>",
        workspace: "team-payments",
        service: service2,
        config: {
          audience: "shop",
          secret: "{vault://env/session-secret}",
        },
      });

      // session plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginSession(this, "session_<id8>", {
        id: "<uuid>",
        workspace: "team-payments",
        service: service4,
        config: {
          logoutMethods: [],
          requestHeaders: [],
          responseHeaders: [],
          // secret: sessionSecret.stringValue, // was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable or a vault reference
        },
        protocols: [],
        ordering: {
          after: { access: [] },
        },
        partials: [],
      });
      "
    `);

    // WHEN the code is pasted into a stack
    const app = path.join(work.dir, "app.ts");
    const library = path.relative(work.dir, path.join(ROOT, "src", "index.js")).split(path.sep).join("/");
    writeFileSync(
      app,
      [
        `import { App, TerraformStack } from "cdktf";`,
        `import type { Construct } from "constructs";`,
        `import { KongGatewayProvider, PluginSession, Route, Service } from "${library}";`,
        ``,
        `class Adopted extends TerraformStack {`,
        `  constructor(scope: Construct, id: string) {`,
        `    super(scope, id);`,
        `    new KongGatewayProvider(this, "kong", { serverUrl: ${JSON.stringify(kong.url)}, backend: "terraform_data" });`,
        inWorkspace.stdout,
        inDefault.stdout,
        `  }`,
        `}`,
        ``,
        `const app = new App({ outdir: process.argv[2]! });`,
        `new Adopted(app, "adopted");`,
        `app.synth();`,
        ``,
      ].join("\n"),
    );
    writeFileSync(
      path.join(work.dir, "tsconfig.json"),
      JSON.stringify({ extends: path.join(ROOT, "tsconfig.json"), compilerOptions: { noEmit: true, rootDir: ROOT }, files: ["app.ts"], include: [] }),
    );

    // THEN it type-checks against the library
    const tsc = await run(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", work.dir]).catch((e: unknown) => e as { stdout?: string; stderr?: string });
    expect(`${tsc.stdout ?? ""}${tsc.stderr ?? ""}`).toBe("");

    // AND synthesizes
    const outdir = path.join(work.dir, "cdktf.out");
    const synth = await run(process.execPath, ["--import", "tsx", app, outdir], { cwd: ROOT }).then(
      () => "",
      (e: { stderr?: string; message?: string }) => `${e.stderr ?? e.message}`,
    );
    expect(synth).toBe("");

    // AND describes Kong exactly: diff finds nothing to change
    const diff = await runCli(["diff", "--out", outdir], { env });
    expect(normalize(diff.stdout)).toMatchInlineSnapshot(`
      "= unchanged adopted/route-1: route <uuid> in workspace team-payments
      = unchanged adopted/route-3: route <uuid> (default workspace)
      = unchanged adopted/service-2: service <uuid> in workspace team-payments
      = unchanged adopted/service-4: service <uuid> in workspace team-payments
      = unchanged adopted/checkout-session: session plugin <uuid> in workspace team-payments
      = unchanged adopted/session_2c8b4d3f: session plugin <uuid> in workspace team-payments
      = unchanged adopted/session_3d9c5e4a: session plugin <uuid> (default workspace)
      = unchanged adopted/session_4eac6f5b: session plugin <uuid> in workspace team-payments
      Entities: 0 to create, 0 to update, 4 unchanged
      Summary: 0 to create, 0 to update, 4 unchanged
      "
    `);
    expect(diff.code).toBe(0);
    expectNoSecrets(diff, SECRET);
  }, 240_000);
});

describe("adopting a plugin with empty lists and owner tags", () => {
  /** The token of the adopting stack (its identity resource's id). */
  const OWNER = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
  let kong: KongEmulator;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.10.0", workspaces: [WS], adminToken: TOKEN });
  });

  afterAll(async () => {
    await kong?.stop();
  });

  it("prints code whose first apply leaves Kong's values as they are", async () => {
    // GIVEN plugins holding [] where Kong's default is another list or null, and owner tags
    const seed = (body: Record<string, unknown>) => kong.seedPlugin({ name: "session", route: kong.addRoute({ workspace: WS, paths: ["/"], name: seedName("route") }), ...body }, WS).id;
    const empties = seed({
      // on a service: a plugin on a route must share a protocol with it
      route: null,
      service: kong.addService({ workspace: WS, name: seedName("service") }),
      protocols: [],
      tags: [ownerTag(OWNER)],
      ordering: { before: { access: [] } },
      partials: [],
      config: { logout_methods: [], request_headers: [] },
    });
    const tagged = seed({ tags: ["team", ownerTag(OWNER)], config: { request_headers: [], response_headers: ["id"] } });
    const unowned = seed({ tags: [], config: { logout_methods: [] } });
    const before = await Promise.all([empties, tagged, unowned].map((id) => getPlugin(id)));

    // WHEN the printed code is run in a stack, and the apply-time program applies what it synthesizes
    const printed = [];
    for (const id of [empties, tagged, unowned]) printed.push(await importInProcess(["import", JSON.stringify({ id, workspace: WS })]));
    const code = printed.join("\n");
    expect(normalize(code)).toMatchInlineSnapshot(`
      "// import { PluginSession } from "cdktf-kong-gateway";
      // session plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginSession(this, "session_<id8>", {
        id: "<uuid>",
        workspace: "team-payments",
        service: { id: "<uuid>" },
        config: {
          logoutMethods: [],
          requestHeaders: [],
          // secret: sessionSecret.stringValue, // was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable or a vault reference
        },
        protocols: [],
        ordering: {
          before: { access: [] },
        },
        partials: [],
      });

      // import { PluginSession } from "cdktf-kong-gateway";
      // session plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginSession(this, "session_<id8>", {
        id: "<uuid>",
        workspace: "team-payments",
        route: { id: "<uuid>" },
        config: {
          requestHeaders: [],
          responseHeaders: ["id"],
          // secret: sessionSecret.stringValue, // was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable or a vault reference
        },
        tags: ["team"],
      });

      // import { PluginSession } from "cdktf-kong-gateway";
      // session plugin <uuid> in workspace team-payments, read from http://<kong>
      new PluginSession(this, "session_<id8>", {
        id: "<uuid>",
        workspace: "team-payments",
        route: { id: "<uuid>" },
        config: {
          logoutMethods: [],
          // secret: sessionSecret.stringValue, // was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable or a vault reference
        },
      });
      "
    `);
    const { stack } = stackWithProvider({ serverUrl: kong.url, backend: "terraform_data" }, "adopted");
    new Function("PluginSession", code).call(stack, PluginSession);
    const requests = new Map<string, Record<string, unknown>>();
    for (const resource of Object.values(resources(synthJson(stack)))) {
      const request = resource.triggers_replace?.request;
      if (typeof request === "string") requests.set(JSON.parse(unescapeTemplate(request)).pluginId, JSON.parse(unescapeTemplate(request)));
    }
    expect([...requests.keys()].sort()).toEqual([empties, tagged, unowned].sort());
    kong.clearRequests();
    const outcomes = [];
    for (const id of [empties, tagged, unowned]) {
      const outcome = await applyAction({ KONG_CDKTF_REQUEST: JSON.stringify({ ...requests.get(id), owner: OWNER }) }, context());
      outcomes.push({ result: outcome.result, changed: outcome.changed });
    }

    // THEN no value changes, but for the owner tag added to the plugin that had none
    expect(outcomes).toEqual([
      { result: "unchanged", changed: [] },
      { result: "unchanged", changed: [] },
      { result: "updated", changed: ["tags"] },
    ]);
    expect(kong.requests.filter((r) => r.method === "PUT").map((r) => r.path)).toContain(`/${WS}/plugins/${unowned}`);
    expect(kong.requests.filter((r) => r.method === "PUT").map((r) => r.path)).not.toContain(`/${WS}/plugins/${tagged}`);
    const after = await Promise.all([empties, tagged, unowned].map((id) => getPlugin(id)));
    const withoutUpdatedAt = ({ updated_at: _, ...plugin }: Record<string, unknown>) => plugin;
    expect(withoutUpdatedAt(after[0]!)).toEqual(withoutUpdatedAt(before[0]!));
    expect(after[1]).toEqual(before[1]);
    expect(withoutUpdatedAt(after[2]!)).toEqual({ ...withoutUpdatedAt(before[2]!), tags: [ownerTag(OWNER)] });
    expect(after[0]).toMatchObject({ protocols: [], partials: [], ordering: { before: { access: [] } } });
    expect(after[0]!.config).toMatchObject({ logout_methods: [], request_headers: [] });
  });

  async function getPlugin(id: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${kong.url}/${WS}/plugins/${id}`, { headers: { "kong-admin-token": TOKEN } });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  /** Runs the CLI in-process; returns what it printed on stdout, after checking it warned of nothing. */
  async function importInProcess(argv: string[]): Promise<string> {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, { KONG_ADMIN_URL: kong.url, KONG_ADMIN_TOKEN: TOKEN }, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
    });
    expect(stderr).toBe("");
    expect(code).toBe(0);
    return stdout;
  }

  function context(): ActionContext {
    const sink = { write: () => true };
    return {
      logger: new Logger(sink, sink, new Redactor()),
      client: (serverUrl: string) => new KongAdminClient({ serverUrl, token: TOKEN }),
    };
  }
});
