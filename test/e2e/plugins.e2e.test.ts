/**
 * Ten different typed plugins, on routes and services seeded in the emulator (Kong Enterprise 3.15,
 * the provider's target), through the real terraform binary: apply (each plugin with its config and
 * its owner tag), update two in place (same ids, nothing else written), remove one from the code
 * (the reaper deletes it, the others are untouched), destroy (all gone). Two plugins the stack did
 * not create survive every step unchanged, and neither literal secret (the session plugin's
 * `config.secret`, openid-connect's `config.client_secret`) appears in terraform's output, in the
 * plan as JSON or in the state files.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PluginAcl,
  PluginCorrelationId,
  PluginCors,
  PluginIpRestriction,
  PluginKeyAuth,
  PluginOpenidConnect,
  PluginRateLimiting,
  PluginRequestTransformer,
  PluginResponseTransformer,
  PluginSession,
  type KongGatewayProvider,
} from "../../src/index.js";
import { KongEmulator, type KongPluginEntity, type TerraformResult } from "../../src/testing/index.js";
import { E2eStack, expectExit, secretForms, terraform } from "../support/e2e.js";

const TOKEN = "e2e-plugins-admin-token-3c8d1e";
const SESSION_SECRET = "Sess10nSecretOfThePluginsE2e-4b7d9f1a3c5e";
const OIDC_SECRET = "OidcClientSecretOfThePluginsE2e-8a6c4e2f0d";
const SECRETS = { "session secret": SESSION_SECRET, "openid-connect client_secret": OIDC_SECRET };
const OWNER_TAG = "cdktf-kong-gateway:owner=";
const STEP_TIMEOUT = 180_000;


function expectNoSecret(where: string, text: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    for (const form of secretForms(secret)) expect(text.includes(form), `${where} contains the ${name} as ${JSON.stringify(form)}`).toBe(false);
  }
}

/** The plugins of the stack, by construct id; `configOf` gives the construct's config for a step. */
type Step = "first" | "updated";
const PLUGIN_NAMES = {
  "rate-limiting": "rate-limiting",
  "key-auth": "key-auth",
  cors: "cors",
  acl: "acl",
  "request-transformer": "request-transformer",
  "ip-restriction": "ip-restriction",
  "correlation-id": "correlation-id",
  "response-transformer": "response-transformer",
  session: "session",
  oidc: "openid-connect",
} as const;
type PluginKey = keyof typeof PLUGIN_NAMES;

if (!terraform) process.stderr.write("\n*** SKIPPED: end-to-end ten plugins: terraform is not installed ***\n\n");

/** The layouts, each run through the same steps; what differs is the resources that carry the plugins. */
const LAYOUTS = ["per-resource", "sync"] as const;

for (const layout of LAYOUTS) describe.skipIf(!terraform)(`terraform ${terraform?.version ?? "(missing)"}: ten plugins on routes and services of Kong Enterprise 3.15, ${layout} layout`, () => {
  let kong: KongEmulator;
  let stack: E2eStack;
  const entities = { serviceA: "", serviceB: "", route1: "", route2: "", route3: "", route4: "", route5: "" };
  /** plugin ids by construct id, as the constructs derive them */
  const ids = {} as Record<PluginKey, string>;
  /** every terraform result, for the check that no secret was printed */
  const outputs: Array<{ what: string; result: TerraformResult }> = [];
  /** the plugins the stack did not create, as seeded */
  let foreign: KongPluginEntity[] = [];

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.15", adminToken: TOKEN });
    entities.serviceA = kong.addService({ name: "payments" }).id;
    entities.serviceB = kong.addService({ name: "orders" }).id;
    entities.route1 = kong.addRoute({ name: "payments-api", service: { id: entities.serviceA } }).id;
    entities.route2 = kong.addRoute({ name: "payments-web", service: { id: entities.serviceA } }).id;
    entities.route3 = kong.addRoute({ name: "orders-web", service: { id: entities.serviceB } }).id;
    entities.route4 = kong.addRoute({ name: "orders-api", service: { id: entities.serviceB } }).id;
    entities.route5 = kong.addRoute({ name: "legacy" }).id;
    // not created by the stack: one without an owner tag (by hand, another tool) on a route the
    // stack also uses, of a name the stack uses; one of another stack (its owner tag)
    foreign = [
      kong.seedPlugin({ name: "rate-limiting", route: { id: entities.route1 }, config: { minute: 5 }, tags: ["other-team"] }),
      kong.seedPlugin({ name: "cors", route: { id: entities.route5 }, config: { origins: ["https://legacy.example.com"] }, tags: [`${OWNER_TAG}0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b`] }),
    ];
    stack = new E2eStack({ backend: "terraform_data", layout, serverUrl: kong.url, kongVersion: "3.15", edition: "enterprise" }, { KONG_ADMIN_TOKEN: TOKEN });
  });

  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
  });

  /** Declares the plugins of `keys` with their configs of `step`. */
  function load(step: Step, keys: readonly PluginKey[] = Object.keys(PLUGIN_NAMES) as PluginKey[]): void {
    const { serviceA, serviceB, route1, route2, route3, route4 } = entities;
    const declare: Record<PluginKey, (s: TerraformStack, provider: KongGatewayProvider) => { pluginId: string }> = {
      "rate-limiting": (s, provider) =>
        new PluginRateLimiting(s, "rate-limiting", { provider, service: { id: serviceA }, config: { minute: step === "first" ? 60 : 120, hour: 1000, policy: "local" } }),
      "key-auth": (s, provider) => new PluginKeyAuth(s, "key-auth", { provider, route: { id: route1 }, config: { keyNames: ["apikey"], hideCredentials: true } }),
      cors: (s, provider) =>
        new PluginCors(s, "cors", {
          provider,
          route: { id: route2 },
          tags: ["team-payments"],
          config: { origins: step === "first" ? ["https://app.example.com"] : ["https://app.example.com", "https://admin.example.com"], methods: ["GET", "POST"], credentials: true, maxAge: 3600 },
        }),
      acl: (s, provider) => new PluginAcl(s, "acl", { provider, route: { id: route1 }, config: { allow: ["payments"], hideGroupsHeader: true } }),
      "request-transformer": (s, provider) =>
        new PluginRequestTransformer(s, "request-transformer", { provider, service: { id: serviceB }, config: { add: { headers: ["x-team:orders"] }, remove: { headers: ["x-debug"] } } }),
      "ip-restriction": (s, provider) => new PluginIpRestriction(s, "ip-restriction", { provider, route: { id: route3 }, config: { allow: ["10.0.0.0/8", "192.168.1.1"], status: 403 } }),
      "correlation-id": (s, provider) =>
        new PluginCorrelationId(s, "correlation-id", { provider, service: { id: serviceA }, config: { headerName: "X-Request-ID", generator: "uuid#counter", echoDownstream: true } }),
      "response-transformer": (s, provider) =>
        new PluginResponseTransformer(s, "response-transformer", { provider, route: { id: route2 }, config: { add: { headers: ["x-served-by:kong"] } } }),
      session: (s, provider) => new PluginSession(s, "session", { provider, route: { id: route3 }, config: { cookieName: "orders-sid", secret: SESSION_SECRET, rollingTimeout: 1800 } }),
      oidc: (s, provider) =>
        new PluginOpenidConnect(s, "oidc", {
          provider,
          route: { id: route4 },
          instanceName: "orders-oidc",
          config: {
            issuer: "https://idp.example.com/.well-known/openid-configuration",
            clientId: ["orders-client"],
            clientSecret: [OIDC_SECRET],
            authMethods: ["client_credentials", "bearer"],
            scopes: ["openid", "orders"],
          },
        }),
    };
    stack.load((s, provider) => {
      for (const key of keys) ids[key] = declare[key](s, provider).pluginId;
    });
  }

  async function tf(what: string, run: () => Promise<TerraformResult>, exitCode = 0): Promise<TerraformResult> {
    const result = await run();
    outputs.push({ what, result });
    return expectExit(result, exitCode, what);
  }

  /** The state files on disk (the local backend's), and the state as terraform prints it. */
  async function stateTexts(): Promise<Array<[string, string]>> {
    const files = ["terraform.tfstate", "terraform.tfstate.backup"].map((f) => path.join(stack.workdir.dir, f)).filter((f) => existsSync(f));
    expect(files.length, "the local backend's state file exists").toBeGreaterThan(0);
    const pulled = await tf("terraform state pull", () => stack.run(["state", "pull"]));
    return [...files.map((f): [string, string] => [path.basename(f), readFileSync(f, "utf8")]), ["terraform state pull", pulled.stdout]];
  }

  /** The owner token of a construct: its identity resource's id (the provider's owner resource's with the sync layout), from the state. */
  function ownerOf(key: PluginKey): string {
    const state = JSON.parse(readFileSync(path.join(stack.workdir.dir, "terraform.tfstate"), "utf8")) as {
      resources: Array<{ name: string; instances: Array<{ attributes: { id: string } }> }>;
    };
    const identity = state.resources.find((r) => r.name.startsWith(layout === "sync" ? "kong_owner_" : `${key}_identity_`));
    expect(identity, `the identity resource of ${key} is in the state`).toBeDefined();
    return identity!.instances[0]!.attributes.id;
  }

  /** The plan as JSON (`terraform plan -out`, then `terraform show -json`), checked for secrets. */
  async function planJson(what: string): Promise<string> {
    await tf(`plan -out (${what})`, () => stack.run(["plan", "-out=e2e.tfplan", "-input=false", "-no-color"]));
    const shown = await tf(`show -json (${what})`, () => stack.run(["show", "-json", "e2e.tfplan"]));
    expect(JSON.parse(shown.stdout)).toHaveProperty("resource_changes");
    // checked for secrets by the test of secrets, with everything else terraform printed
    return shown.stdout;
  }

  const ours = () => kong.plugins().filter((p) => !foreign.some((f) => f.id === p.id));
  const expectForeignUntouched = () => {
    for (const f of foreign) expect(kong.plugin(f.id), `the plugin ${f.name} ${f.id} the stack did not create`).toEqual(f);
  };

  it(
    "creates the ten plugins with their configs and the owner tag, and re-applying changes nothing",
    async () => {
      load("first");
      const plan = JSON.parse(await planJson("first apply")) as { resource_changes: Array<{ change: { actions: string[] } }> };
      // two resources per plugin (identity, config) and the reaper; with the sync layout, the owner, the sync resource and the (empty) reaper
      expect(plan.resource_changes.filter((c) => c.change.actions.includes("create"))).toHaveLength(layout === "sync" ? 3 : 21);
      await tf("first apply", () => stack.apply());
      await tf("plan after the first apply", () => stack.plan());

      const { serviceA, serviceB, route1, route2, route3, route4 } = entities;
      const expected: Record<PluginKey, object> = {
        "rate-limiting": { service: { id: serviceA }, route: null, config: { minute: 60, hour: 1000, policy: "local" } },
        "key-auth": { route: { id: route1 }, config: { key_names: ["apikey"], hide_credentials: true } },
        cors: { route: { id: route2 }, config: { origins: ["https://app.example.com"], methods: ["GET", "POST"], credentials: true, max_age: 3600 } },
        acl: { route: { id: route1 }, config: { allow: ["payments"], hide_groups_header: true } },
        "request-transformer": { service: { id: serviceB }, config: { add: { headers: ["x-team:orders"] }, remove: { headers: ["x-debug"] } } },
        "ip-restriction": { route: { id: route3 }, config: { allow: ["10.0.0.0/8", "192.168.1.1"], status: 403 } },
        "correlation-id": { service: { id: serviceA }, config: { header_name: "X-Request-ID", generator: "uuid#counter", echo_downstream: true } },
        "response-transformer": { route: { id: route2 }, config: { add: { headers: ["x-served-by:kong"] } } },
        session: { route: { id: route3 }, config: { cookie_name: "orders-sid", secret: SESSION_SECRET, rolling_timeout: 1800 } },
        oidc: {
          route: { id: route4 },
          instance_name: "orders-oidc",
          config: { issuer: "https://idp.example.com/.well-known/openid-configuration", client_id: ["orders-client"], client_secret: [OIDC_SECRET], auth_methods: ["client_credentials", "bearer"] },
        },
      };
      expect(ours()).toHaveLength(10);
      for (const key of Object.keys(PLUGIN_NAMES) as PluginKey[]) {
        const plugin = kong.plugin(ids[key]);
        expect(plugin, `plugin ${key} (${ids[key]})`).toMatchObject({ name: PLUGIN_NAMES[key], enabled: true, ...expected[key] });
        expect(plugin!.tags, `tags of ${key}`).toContain(`${OWNER_TAG}${ownerOf(key)}`);
      }
      expect(kong.plugin(ids.cors)!.tags).toEqual(["team-payments", `${OWNER_TAG}${ownerOf("cors")}`]);
      expectForeignUntouched();
    },
    STEP_TIMEOUT,
  );

  it(
    "updates two plugins in place: the same ids, nothing else written, secrets kept",
    async () => {
      const before = Object.fromEntries(ours().map((p) => [p.id, p]));
      load("updated");
      const plan = JSON.parse(await planJson("update")) as {
        resource_changes: Array<{ address: string; change: { actions: string[]; before: { triggers_replace?: Record<string, string> } | null; after: { triggers_replace?: Record<string, string> } | null } }>;
      };
      const changed = plan.resource_changes.filter((c) => !c.change.actions.includes("no-op"));
      if (layout === "sync") {
        // one resource is replaced, and its triggers name the two plugins that change: the reviewer's per-plugin lines
        expect(changed.map((c) => c.address)).toEqual([expect.stringMatching(/^terraform_data\.kong_sync_/)]);
        const { before: was, after: now } = changed[0]!.change;
        const keys = Object.keys(now!.triggers_replace!).filter((key) => was!.triggers_replace![key] !== now!.triggers_replace![key]);
        expect(keys.sort()).toEqual(["e2e/cors", "e2e/rate-limiting"]);
        const human = await tf("plan of the update", () => stack.plan(), 2);
        expect(human.stdout).toMatch(/~ "e2e\/cors" += "[0-9a-f]{16}" -> "[0-9a-f]{16}"/);
        expect(human.stdout).toMatch(/~ "e2e\/rate-limiting" += "[0-9a-f]{16}" -> "[0-9a-f]{16}"/);
        expect(human.stdout).not.toMatch(/~ "e2e\/acl"/);
      } else {
        // the config resource of each is replaced, the identities (owner tokens) stay
        expect(changed.map((c) => c.address).sort()).toEqual([expect.stringMatching(/^terraform_data\.cors_config_/), expect.stringMatching(/^terraform_data\.rate-limiting_config_/)]);
      }
      kong.clearRequests();
      await tf("apply of the two changes", () => stack.apply());
      await tf("plan after the update", () => stack.plan());

      const writes = kong.requests.filter((r) => r.method !== "GET");
      expect(writes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([`PUT /plugins/${ids.cors}`, `PUT /plugins/${ids["rate-limiting"]}`].sort());
      expect(ours()).toHaveLength(10);
      expect(kong.plugin(ids["rate-limiting"])).toMatchObject({ config: { minute: 120, hour: 1000 }, created_at: before[ids["rate-limiting"]]!.created_at });
      expect(kong.plugin(ids.cors)).toMatchObject({ config: { origins: ["https://app.example.com", "https://admin.example.com"], max_age: 3600 }, created_at: before[ids.cors]!.created_at });
      for (const key of Object.keys(PLUGIN_NAMES) as PluginKey[]) {
        if (key !== "rate-limiting" && key !== "cors") expect(kong.plugin(ids[key]), `plugin ${key} is untouched`).toEqual(before[ids[key]]);
      }
      expect(kong.plugin(ids.session)!.config.secret).toBe(SESSION_SECRET);
      expect(kong.plugin(ids.oidc)!.config.client_secret).toEqual([OIDC_SECRET]);
      expectForeignUntouched();
    },
    STEP_TIMEOUT,
  );

  it(
    "deletes the plugin removed from the code, and touches no other",
    async () => {
      const before = Object.fromEntries(ours().map((p) => [p.id, p]));
      const removed = ids["correlation-id"];
      load(
        "updated",
        (Object.keys(PLUGIN_NAMES) as PluginKey[]).filter((k) => k !== "correlation-id"),
      );
      kong.clearRequests();
      const applied = await tf("apply without correlation-id", () => stack.apply());
      await tf("plan after the removal", () => stack.plan());

      expect(kong.plugin(removed)).toBeUndefined();
      expect(kong.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /plugins/${removed}`]);
      // by the reaper (Terraform runs no destroy-time provisioner of a resource removed from the
      // configuration), or by the sync, which deletes what the stack owns and no longer declares
      const by = layout === "sync" ? "kong_sync" : "kong_reaper";
      expect(applied.stdout).toMatch(new RegExp(`terraform_data\\.${by}_[0-9A-F]+ \\(local-exec\\): kong: deleted correlation-id plugin ${removed}`));
      expect(ours()).toHaveLength(9);
      for (const plugin of ours()) expect(plugin).toEqual(before[plugin.id]);
      expectForeignUntouched();
    },
    STEP_TIMEOUT,
  );

  it(
    "no secret in terraform's output (but the plan as JSON, below) or in the state files",
    async () => {
      // the check finds a secret where one is: Kong holds both
      expect(secretForms(SESSION_SECRET).some((form) => JSON.stringify(kong.plugin(ids.session)).includes(form))).toBe(true);
      for (const [where, text] of await stateTexts()) {
        // the state knows the plugin: its id (its identity resource's), or its key in the sync resource's triggers
        expect(text).toContain(layout === "sync" ? '"e2e/oidc"' : ids.oidc);
        expectNoSecret(where, text);
      }
      for (const { what, result } of outputs.filter((o) => !o.what.startsWith("show -json"))) {
        expectNoSecret(`stdout of ${what}`, result.stdout);
        expectNoSecret(`stderr of ${what}`, result.stderr);
      }
    },
    STEP_TIMEOUT,
  );

  it("no secret in the plan as JSON (terraform show -json of a saved plan)", () => {
    const plans = outputs.filter((o) => o.what.startsWith("show -json"));
    expect(plans).toHaveLength(2);
    for (const { what, result } of plans) {
      expectNoSecret(`the plan as JSON, ${what}`, result.stdout);
      expectNoSecret(`stderr of ${what}`, result.stderr);
    }
  });

  it(
    "destroys every plugin of the stack, and only those",
    async () => {
      const destroyed = await tf("terraform destroy", () => stack.destroy());
      expectNoSecret("stdout of terraform destroy", destroyed.stdout);
      expectNoSecret("stderr of terraform destroy", destroyed.stderr);
      expect(ours()).toEqual([]);
      expect(kong.plugins()).toHaveLength(foreign.length);
      expectForeignUntouched();
      for (const [where, text] of await stateTexts()) expectNoSecret(`${where} after destroy`, text);
    },
    STEP_TIMEOUT,
  );
});
