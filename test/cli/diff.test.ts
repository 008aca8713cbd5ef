/**
 * `kong-gateway-cdktf diff` on stacks synthesized with cdktf and applied with the real terraform,
 * against the emulator: every status, field changes, the state that tells drift from pending code,
 * `--json`, and the exit codes of `terraform plan -detailed-exitcode`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { App, LocalBackend, TerraformStack, TerraformVariable } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongGatewayProvider, PluginSession, type PluginSessionProps } from "../../src/index.js";
import { KongEmulator, TerraformWorkdir } from "../../src/testing/index.js";
import { terraform } from "../support/e2e.js";
import { expectNoSecrets, normalize, runCli, SECRET, tempDir, TOKEN } from "./support.js";

const WS = "team-payments";
const HAND_SECRET = "HandS3tS3cr3tInK0ng0123456789abcdefABCDEF";

/** Props of each construct by id, a function of the routes so the stack can be rebuilt. */
type Sessions = Record<string, PluginSessionProps | ((stack: TerraformStack) => PluginSessionProps)>;

/** Synthesizes stack `payments` into `outdir`, its state in `stateFile` (a local backend). */
function synth(outdir: string, serverUrl: string, stateFile: string, sessions: Sessions): string {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, "payments");
  new LocalBackend(stack, { path: stateFile });
  new KongGatewayProvider(stack, "kong", { serverUrl, backend: "terraform_data", layout: "per-resource" });
  for (const [id, props] of Object.entries(sessions)) new PluginSession(stack, id, typeof props === "function" ? props(stack) : props);
  app.synth();
  return path.join(outdir, "stacks", "payments");
}

async function admin(kong: KongEmulator, method: string, urlPath: string, body?: unknown): Promise<number> {
  const response = await fetch(`${kong.url}${urlPath}`, {
    method,
    headers: { "kong-admin-token": TOKEN, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  await response.arrayBuffer();
  return response.status;
}

describe.skipIf(!terraform)("diff against an applied stack", () => {
  let kong: KongEmulator;
  let routes: string[];
  let work: ReturnType<typeof tempDir>;
  let workdir: TerraformWorkdir;
  let outdir: string;
  let stateFile: string;
  let env: Record<string, string>;
  let ids: Record<string, string>;

  const routeVariable = (index: number) => (stack: TerraformStack) => ({
    workspace: WS,
    route: { id: new TerraformVariable(stack, "g_route", { type: "string", default: routes[index] }).stringValue },
    config: { cookieName: "g" },
  });

  /** What the last apply used: c, d, e, f, g. */
  const applied = (): Sessions => ({
    b: { workspace: WS, route: { id: routes[1]! }, config: { cookieName: "b" } },
    c: { workspace: WS, route: { id: routes[2]! }, config: { cookieName: "c", logoutMethods: ["DELETE", "POST"] } },
    d: { workspace: WS, route: { id: routes[3]! } },
    e: { workspace: WS, route: { id: routes[4]! }, config: { cookieName: "e" } },
    f: { workspace: WS, route: { id: routes[5]! }, config: { secret: SECRET } },
    g: routeVariable(6),
  });

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", workspaces: [WS], adminToken: TOKEN });
    routes = Array.from({ length: 8 }, () => kong.addRoute({ workspace: WS }).id);
    work = tempDir("cli-diff");
    outdir = path.join(work.dir, "cdktf.out");
    stateFile = path.join(work.dir, "state", "terraform.tfstate");
    mkdirSync(path.dirname(stateFile));
    env = { KONG_ADMIN_TOKEN: TOKEN };

    // GIVEN a stack applied by terraform
    workdir = TerraformWorkdir.create({ env: { KONG_ADMIN_TOKEN: TOKEN } });
    workdir.load(synth(outdir, kong.url, stateFile, applied()));
    const init = await workdir.init();
    expect(init.exitCode, init.stderr).toBe(0);
    const apply = await workdir.apply();
    expect(apply.exitCode, apply.stdout + apply.stderr).toBe(0);
    ids = Object.fromEntries(kong.plugins(WS).map((p) => [p.config.cookie_name as string, p.id]));
  });

  afterAll(async () => {
    workdir?.dispose();
    work?.dispose();
    await kong?.stop();
  });

  it("says nothing differs right after the apply (exit 0)", async () => {
    const result = await runCli(["diff", "--out", outdir], { env });
    expect(normalize(result.stdout)).toMatchInlineSnapshot(`
      "= unchanged payments/b: session plugin <uuid> in workspace team-payments
      = unchanged payments/c: session plugin <uuid> in workspace team-payments
      = unchanged payments/d: session plugin <uuid> in workspace team-payments
      = unchanged payments/e: session plugin <uuid> in workspace team-payments
      = unchanged payments/f: session plugin <uuid> in workspace team-payments
      = unchanged payments/g: session plugin <uuid> in workspace team-payments
          route.id: (known after apply)
      Summary: 0 to create, 0 to update, 6 unchanged
      "
    `);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  describe("after changes in the code and in Kong", () => {
    beforeAll(async () => {
      // WHEN the code changes (a new plugin, b updated) and Kong is changed by hand (d deleted,
      // e's defaulted cookie_same_site and f's secret changed)
      const { d: _d, ...kept } = applied();
      synth(outdir, kong.url, stateFile, {
        a: { workspace: WS, route: { id: routes[0]! }, config: { cookieName: "a" } },
        ...kept,
        b: { workspace: WS, route: { id: routes[1]! }, config: { cookieName: "b", rollingTimeout: 600, cookieSameSite: "Lax" } },
        d: applied().d as PluginSessionProps,
      });
      const d = kong.plugins(WS).find((p) => p.route?.id === routes[3])!;
      expect(await admin(kong, "DELETE", `/${WS}/plugins/${d.id}`)).toBe(204);
      const e = kong.plugins(WS).find((p) => p.route?.id === routes[4])!;
      expect(await admin(kong, "PATCH", `/${WS}/plugins/${e.id}`, { config: { cookie_same_site: "Lax", cookie_name: "e2" } })).toBe(200);
      const f = kong.plugins(WS).find((p) => p.route?.id === routes[5])!;
      expect(await admin(kong, "PATCH", `/${WS}/plugins/${f.id}`, { config: { secret: HAND_SECRET } })).toBe(200);
      const g = kong.plugins(WS).find((p) => p.route?.id === routes[6])!;
      expect(await admin(kong, "PATCH", `/${WS}/plugins/${g.id}`, { route: { id: routes[7] } })).toBe(200);
    });

    it("reports create, update, unchanged, missing and drifted (exit 2)", async () => {
      // THEN the state (found through the local backend's path) tells drift from pending code
      const result = await runCli(["diff", "--out", outdir], { env });
      expect(normalize(result.stdout, { [outdir]: "<out>" })).toMatchInlineSnapshot(`
        "+ create payments/a: session plugin <uuid> in workspace team-payments
        ~ update payments/b: session plugin <uuid> in workspace team-payments
            config.cookie_same_site: "Strict" → "Lax"
            config.rolling_timeout: 3600 → 600
        = unchanged payments/c: session plugin <uuid> in workspace team-payments
        ! missing in Kong payments/d: session plugin <uuid> in workspace team-payments
            repair: terraform apply -replace=terraform_data.d_config_FA305155 (in <work>/cdktf.out/stacks/payments)
        ! changed outside Terraform payments/e: session plugin <uuid> in workspace team-payments
            config.cookie_name: "e2" → "e"
            config.cookie_same_site: "Lax" → "Strict"
            repair: terraform apply -replace=terraform_data.e_config_5975F691 (in <work>/cdktf.out/stacks/payments)
        ! changed outside Terraform payments/f: session plugin <uuid> in workspace team-payments
            config.secret: (changed)
            repair: terraform apply -replace=terraform_data.f_config_B2B6821E (in <work>/cdktf.out/stacks/payments)
        ! changed outside Terraform payments/g: session plugin <uuid> in workspace team-payments
            route.id: "<uuid>" → "<uuid>"
            repair: terraform apply -replace=terraform_data.g_config_5653F3B3 (in <work>/cdktf.out/stacks/payments)
        Summary: 1 to create, 1 to update, 1 unchanged, 1 missing in Kong, 3 changed outside Terraform
        "
      `);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(2);
      expectNoSecrets(result, SECRET, HAND_SECRET);
    });

    it("prints JSON for machines", async () => {
      const result = await runCli(["diff", "--out", outdir, "--json"], { env });
      expect(result.code).toBe(2);
      const document = JSON.parse(result.stdout);
      expect(document.summary).toEqual({ create: 1, update: 1, unchanged: 1, missing: 1, drifted: 3, skipped: 0 });
      expect(normalize(JSON.stringify(document.plugins.map((p: any) => [p.path, p.status, p.changes, p.repair])))).toMatchInlineSnapshot(`"[["payments/a","create",[],null],["payments/b","update",[{"field":"config.cookie_same_site","desired":"Lax","live":"Strict"},{"field":"config.rolling_timeout","desired":600,"live":3600}],null],["payments/c","unchanged",[],null],["payments/d","missing",[],"terraform apply -replace=terraform_data.d_config_FA305155"],["payments/e","drifted",[{"field":"config.cookie_name","desired":"e","live":"e2"},{"field":"config.cookie_same_site","desired":"Strict","live":"Lax"}],"terraform apply -replace=terraform_data.e_config_5975F691"],["payments/f","drifted",[{"field":"config.secret","desired":"<redacted>","live":"<redacted>"}],"terraform apply -replace=terraform_data.f_config_B2B6821E"],["payments/g","drifted",[{"field":"route.id","desired":"<uuid>","live":"<uuid>"}],"terraform apply -replace=terraform_data.g_config_5653F3B3"]]"`);
      expect(document.plugins[0]).toMatchObject({
        stack: "payments",
        path: "payments/a",
        address: expect.stringMatching(/^terraform_data\.a_config_[0-9A-F]{8}$/),
        workspace: WS,
        serverUrl: kong.url,
        status: "create",
        changes: [],
        knownAfterApply: [],
        repair: null,
        note: null,
      });
      expect(document.stacks).toEqual([{ name: "payments", dir: expect.any(String), state: stateFile }]);
      expectNoSecrets(result, SECRET, HAND_SECRET);
    });

    it("falls back to create and update without state, and says so", async () => {
      const result = await runCli(["diff", "--out", outdir, "--state", path.join(work.dir, "nope.tfstate")], { env });
      expect(result.code).toBe(1);
      expect(normalize(result.stderr)).toMatchInlineSnapshot(`
        "error: the state file <work>/nope.tfstate does not exist
        "
      `);

      const stack = path.join(outdir, "stacks", "payments", "cdk.tf.json");
      const json = JSON.parse(readFileSync(stack, "utf8"));
      json.terraform.backend.local.path = "elsewhere.tfstate";
      writeFileSync(stack, JSON.stringify(json));
      try {
        const stateless = await runCli(["diff", "--out", outdir], { env });
        expect(stateless.code).toBe(2);
        expect(normalize(stateless.stderr)).toMatchInlineSnapshot(`
          "note: no terraform state for payments (no <work>/cdktf.out/stacks/payments/elsewhere.tfstate): without it, changes made outside Terraform read as "~ update" and deleted plugins as "+ create"; pass --state FILE to tell them apart
          "
        `);
        expect(normalize(stateless.stdout)).toMatchInlineSnapshot(`
          "+ create payments/a: session plugin <uuid> in workspace team-payments
          ~ update payments/b: session plugin <uuid> in workspace team-payments
              config.cookie_same_site: "Strict" → "Lax"
              config.rolling_timeout: 3600 → 600
          = unchanged payments/c: session plugin <uuid> in workspace team-payments
          + create payments/d: session plugin <uuid> in workspace team-payments
          ~ update payments/e: session plugin <uuid> in workspace team-payments
              config.cookie_name: "e2" → "e"
              config.cookie_same_site: "Lax" → "Strict"
          ~ update payments/f: session plugin <uuid> in workspace team-payments
              config.secret: (changed)
          = unchanged payments/g: session plugin <uuid> in workspace team-payments
              route.id: (known after apply)
          Summary: 2 to create, 3 to update, 2 unchanged
          "
        `);
      } finally {
        json.terraform.backend.local.path = stateFile;
        writeFileSync(stack, JSON.stringify(json));
      }
    });

    it("prints the command that repairs each drifted plugin, and it works", async () => {
      const result = await runCli(["diff", "--out", outdir, "--json"], { env });
      const repairs = JSON.parse(result.stdout).plugins.filter((p: any) => p.repair).map((p: any) => p.repair.split(" ").pop());
      expect(repairs).toHaveLength(4);
      // apply the code (creates a, updates b) and force the repairs
      workdir.load(path.join(outdir, "stacks", "payments"));
      const apply = await workdir.apply(repairs);
      expect(apply.exitCode, apply.stdout + apply.stderr).toBe(0);
      const after = await runCli(["diff", "--out", outdir], { env });
      expect(normalize(after.stdout).split("\n").at(-2)).toBe("Summary: 0 to create, 0 to update, 7 unchanged");
      expect(after.code).toBe(0);
    });
  });
});

describe("diff without terraform", () => {
  let kong: KongEmulator;
  let work: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "community" });
    work = tempDir("cli-diff-plain");
  });

  afterAll(async () => {
    work?.dispose();
    await kong?.stop();
  });

  it("fails when there is no synthesized app", async () => {
    const result = await runCli(["diff", "--out", path.join(work.dir, "missing")]);
    expect(result.code).toBe(1);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "error: no synthesized app at <work>/missing: run cdktf synth first, or pass --out DIR
      "
    `);
  });

  it("fails when the stack is unknown", async () => {
    const outdir = path.join(work.dir, "unknown-stack");
    synth(outdir, kong.url, "terraform.tfstate", { s: {} });
    const result = await runCli(["diff", "--out", outdir, "--stack", "paymnts"]);
    expect(result.code).toBe(1);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "error: no stack "paymnts" in <work>/unknown-stack (did you mean payments?); its stacks: payments
      "
    `);
  });

  it("fails when Kong cannot be reached", async () => {
    const outdir = path.join(work.dir, "unreachable");
    synth(outdir, "http://127.0.0.1:9", "terraform.tfstate", { s: {} });
    const result = await runCli(["diff", "--out", outdir], {});
    expect(result.code).toBe(1);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "note: no terraform state for payments (no <work>/unreachable/stacks/payments/terraform.tfstate): without it, changes made outside Terraform read as "~ update" and deleted plugins as "+ create"; pass --state FILE to tell them apart
      retrying GET /plugins/<uuid> after ECONNREFUSED (attempt 2 of 6)
      retrying GET /plugins/<uuid> after ECONNREFUSED (attempt 3 of 6)
      retrying GET /plugins/<uuid> after ECONNREFUSED (attempt 4 of 6)
      retrying GET /plugins/<uuid> after ECONNREFUSED (attempt 5 of 6)
      retrying GET /plugins/<uuid> after ECONNREFUSED (attempt 6 of 6)
      error KONG_CONNECTION_FAILED: cannot connect to Kong at http://<kong> for GET /plugins/<uuid> (ECONNREFUSED, 6 attempts): check the server URL and that Kong's Admin API listens there
      "
    `);
  }, 60_000);

  it("reads null_resource stacks, and a state file given with --state", async () => {
    // GIVEN a null_resource stack and a state shaped like Terraform's after applying it
    const outdir = path.join(work.dir, "null");
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "legacy");
    new KongGatewayProvider(stack, "kong", { serverUrl: kong.url, backend: "null_resource" });
    new PluginSession(stack, "kept", { route: { id: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c" }, config: { cookieName: "kept" } });
    new PluginSession(stack, "gone", { route: { id: "4a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d" } });
    app.synth();
    const json = JSON.parse(readFileSync(path.join(outdir, "stacks", "legacy", "cdk.tf.json"), "utf8"));
    const configs = Object.entries(json.resource.null_resource as Record<string, { triggers: Record<string, string> }>).filter(([id]) => id.includes("_config_"));
    const state = {
      version: 4,
      terraform_version: "1.11.4",
      serial: 3,
      lineage: "0b6f1c2a-1e4b-7d4e-2a9c-3b2d1e0f9a8b",
      outputs: {},
      resources: configs.map(([name, resource]) => ({
        mode: "managed",
        type: "null_resource",
        name,
        provider: 'provider["registry.terraform.io/hashicorp/null"]',
        instances: [
          {
            schema_version: 0,
            attributes: { id: "1234567890", triggers: Object.fromEntries(Object.entries(resource.triggers).map(([k, v]) => [k, v.replace(/\$\$\{/g, "${")])) },
            sensitive_attributes: [],
          },
        ],
      })),
    };
    const stateFile = path.join(work.dir, "legacy.tfstate");
    writeFileSync(stateFile, JSON.stringify(state));
    // AND Kong: "kept" changed by hand, "gone" deleted
    const kept = JSON.parse(configs.find(([id]) => id.startsWith("kept"))![1].triggers.request);
    kong.seedPlugin({ id: kept.pluginId, name: "session", route: kept.payload.route, config: { cookie_name: "by-hand" } });

    const result = await runCli(["diff", "--out", outdir, "--state", stateFile]);
    expect(normalize(result.stdout)).toMatchInlineSnapshot(`
      "! missing in Kong legacy/gone: session plugin <uuid> (default workspace)
          repair: terraform apply -replace=null_resource.gone_config_F23DF82D (in <work>/null/stacks/legacy)
      ! changed outside Terraform legacy/kept: session plugin <uuid> (default workspace)
          config.cookie_name: "by-hand" → "kept"
          repair: terraform apply -replace=null_resource.kept_config_DF8F2A64 (in <work>/null/stacks/legacy)
      Summary: 0 to create, 0 to update, 0 unchanged, 1 missing in Kong, 1 changed outside Terraform
      "
    `);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(2);
  });

  it("finds stacks without manifest.json, and says when there is nothing to compare", async () => {
    const outdir = path.join(work.dir, "scan");
    synth(outdir, kong.url, "terraform.tfstate", {});
    rmSync(path.join(outdir, "manifest.json"));
    const result = await runCli(["diff", "--out", outdir]);
    expect(result.stdout).toMatchInlineSnapshot(`
      "no plugins in the synthesized stacks
      Summary: 0 to create, 0 to update, 0 unchanged
      "
    `);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("skips a plugin whose identity is known only at apply, and says why", async () => {
    const outdir = path.join(work.dir, "reference");
    synth(outdir, kong.url, "terraform.tfstate", {
      s: (stack) => ({ id: new TerraformVariable(stack, "plugin_id", { type: "string" }).stringValue }),
    });
    const result = await runCli(["diff", "--out", outdir, "--json"]);
    expect(JSON.parse(result.stdout).skipped).toEqual([
      { stack: "payments", address: expect.stringMatching(/^terraform_data\.s_config_/), reason: "the plugin id is known only at apply" },
    ]);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "note: no terraform state for payments (no <work>/reference/stacks/payments/terraform.tfstate): without it, changes made outside Terraform read as "~ update" and deleted plugins as "+ create"; pass --state FILE to tell them apart
      warning: payments/s: skipped: the plugin id is known only at apply
      "
    `);
    expect(result.code).toBe(0);
  });

  it("reads a stack directory given as --out, and --server-url overrides the synthesized one", async () => {
    const outdir = path.join(work.dir, "override");
    const stackDir = synth(outdir, "http://kong.invalid:8001", "terraform.tfstate", { s: { config: { cookieName: "x" } } });
    const result = await runCli(["diff", "--out", stackDir, "--server-url", kong.url]);
    expect(normalize(result.stdout)).toMatchInlineSnapshot(`
      "+ create payments/s: session plugin <uuid> (default workspace)
      Summary: 1 to create, 0 to update, 0 unchanged
      "
    `);
    expect(result.code).toBe(2);
  });
});
