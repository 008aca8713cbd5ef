/**
 * Identity fields from references through the real terraform binary: the provider's `serverUrl`,
 * the plugin's `workspace` and `id` are `TerraformVariable`s whose values terraform reads from
 * `TF_VAR_*`; the program resolves them at apply, and the destroy-time provisioners read them from
 * the identity resource's `input` as the last apply resolved them.
 */
import { TerraformVariable } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongGatewayProvider, PluginSession } from "../../src/index.js";
import { KongEmulator } from "../../src/testing/index.js";
import { E2eStack, expectExit, terraform } from "../support/e2e.js";

const TOKEN = "e2e-references-token-91c3aa";
const WS = "team-refs";
const PLUGIN_ID = "5b0f1c2d-3e4a-4b5c-8d6e-7f8091a2b3c4";

if (!terraform) process.stderr.write("\n*** SKIPPED: end-to-end references: terraform is not installed ***\n\n");

describe.skipIf(!terraform)(`terraform ${terraform?.version ?? "(missing)"}: server URL, workspace and id from variables`, () => {
  let kong: KongEmulator;
  let stack: E2eStack;
  /** the variables' values, as terraform reads them */
  let vars: Record<string, string>;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", workspaces: [WS], adminToken: TOKEN });
    vars = { TF_VAR_kong_url: `http://localhost:${kong.port}`, TF_VAR_workspace: WS, TF_VAR_plugin_id: PLUGIN_ID };
    stack = new E2eStack({ backend: "terraform_data" }, { KONG_ADMIN_TOKEN: TOKEN });
  });

  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
  });

  const load = (cookieName: string) =>
    stack.loadStack((s) => {
      const url = new TerraformVariable(s, "kong_url", { type: "string" });
      const workspace = new TerraformVariable(s, "workspace", { type: "string" });
      const id = new TerraformVariable(s, "plugin_id", { type: "string" });
      new KongGatewayProvider(s, "kong", { backend: "terraform_data", layout: "per-resource", serverUrl: url.stringValue });
      new PluginSession(s, "session", { id: id.stringValue, workspace: workspace.stringValue, config: { cookieName } });
    });

  async function applyAndExpectEmptyPlan(what: string) {
    const applied = expectExit(await stack.apply(vars), 0, what);
    expectExit(await stack.plan(vars), 0, `plan right after ${what}`);
    return applied;
  }

  const requests = (method: string) => kong.requests.filter((r) => r.method === method).map((r) => r.path);

  it("creates the plugin at the variable's id in the variable's workspace", async () => {
    load("sid");
    const created = await applyAndExpectEmptyPlan("first apply");
    expect(kong.plugins("default")).toEqual([]);
    expect(kong.plugins(WS)).toHaveLength(1);
    expect(kong.plugin(PLUGIN_ID, WS)).toMatchObject({ id: PLUGIN_ID, name: "session", config: { cookie_name: "sid" } });
    expect(requests("PUT")).toEqual([`/${WS}/plugins/${PLUGIN_ID}`]);
    expect(new Set(kong.requests.map((r) => r.headers.host))).toEqual(new Set([`localhost:${kong.port}`]));
    expect(created.stdout).toMatch(new RegExp(`kong: created session plugin ${PLUGIN_ID} in workspace ${WS} in \\d+ ms`));
  });

  it("updates it in place on a config change", async () => {
    const before = kong.plugin(PLUGIN_ID, WS)!;
    kong.clearRequests();
    load("sid2");
    await applyAndExpectEmptyPlan("config change");
    expect(requests("DELETE")).toEqual([]);
    expect(requests("PUT")).toEqual([`/${WS}/plugins/${PLUGIN_ID}`]);
    expect(kong.plugin(PLUGIN_ID, WS)).toMatchObject({ config: { cookie_name: "sid2", secret: before.config.secret }, created_at: before.created_at });
  });

  it("changes nothing destructively when the URL variable spells the same server another way", async () => {
    const before = kong.plugin(PLUGIN_ID, WS)!;
    // GIVEN the same emulator, by IP address and with a trailing slash
    vars = { ...vars, TF_VAR_kong_url: `http://127.0.0.1:${kong.port}/` };
    kong.clearRequests();
    // WHEN the stack is applied with it
    const applied = await applyAndExpectEmptyPlan("server URL spelled another way");
    // THEN no plugin is deleted or re-created: the program reads it at the new spelling and finds it unchanged
    expect(requests("DELETE")).toEqual([]);
    expect(requests("PUT")).toEqual([]);
    expect(kong.requests.map((r) => r.headers.host)).toEqual([`127.0.0.1:${kong.port}`]);
    expect(applied.stdout).toMatch(new RegExp(`kong: session plugin ${PLUGIN_ID} unchanged in workspace ${WS} in \\d+ ms`));
    expect(kong.plugins(WS)).toHaveLength(1);
    expect(kong.plugin(PLUGIN_ID, WS)).toMatchObject({ config: { cookie_name: "sid2", secret: before.config.secret }, created_at: before.created_at });
    // the identity resource is kept (never replaced), its input updated in place
    expect(applied.stdout).not.toMatch(/terraform_data\.session_identity_\w+: Destroying/);
    expect(applied.stdout).toMatch(/terraform_data\.session_identity_\w+: Modifications complete/);
    expect(applied.stdout).not.toMatch(/terraform_data\.kong_reaper_\w+: Destroying/);
    const state = JSON.parse(await stack.statePull()) as StateFile;
    const identity = state.resources.find((r) => r.name.startsWith("session_identity_"))!;
    expect(identity.instances[0]!.attributes.input.value).toEqual({ plugin_id: PLUGIN_ID, workspace: WS, server_url: `http://127.0.0.1:${kong.port}/` });
  });

  it("deletes it on terraform destroy", async () => {
    kong.clearRequests();
    expectExit(await stack.destroy(vars), 0, "terraform destroy");
    expect(kong.plugins(WS)).toEqual([]);
    expect(requests("DELETE")).toEqual([`/${WS}/plugins/${PLUGIN_ID}`]);
    // at the URL the variable gives now
    expect(new Set(kong.requests.map((r) => r.headers.host))).toEqual(new Set([`127.0.0.1:${kong.port}`]));
    expect(await stack.stateList(vars)).toEqual([]);
  });
});

describe.skipIf(!terraform)(`terraform ${terraform?.version ?? "(missing)"}: a new value of the id or workspace variable`, () => {
  let kong: KongEmulator;
  let stack: E2eStack;
  const OTHER_WS = "team-refs-2";
  const NEW_ID = "6c1a2d3e-4f5b-4c6d-9e7f-8091a2b3c4d5";

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", workspaces: [WS, OTHER_WS], adminToken: TOKEN });
    stack = new E2eStack({ backend: "terraform_data" }, { KONG_ADMIN_TOKEN: TOKEN });
    stack.loadStack((s) => {
      const url = new TerraformVariable(s, "kong_url", { type: "string" });
      const workspace = new TerraformVariable(s, "workspace", { type: "string" });
      const id = new TerraformVariable(s, "plugin_id", { type: "string" });
      new KongGatewayProvider(s, "kong", { backend: "terraform_data", layout: "per-resource", serverUrl: url.stringValue });
      new PluginSession(s, "session", { id: id.stringValue, workspace: workspace.stringValue, config: { cookieName: "sid" } });
    });
  });

  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
  });

  // With the id and workspace from references the reaper cannot tell that they changed (its list of
  // current plugins holds null for them): the referenced-identity resource, replaced when their
  // resolved values change, deletes the previous plugin before the new one is written.
  it("deletes the previous plugin when the variables name another id and workspace", async () => {
    const vars = { TF_VAR_kong_url: kong.url, TF_VAR_workspace: WS, TF_VAR_plugin_id: PLUGIN_ID };
    expectExit(await stack.apply(vars), 0, "first apply");
    expect(kong.plugin(PLUGIN_ID, WS)).toBeDefined();

    const moved = { ...vars, TF_VAR_workspace: OTHER_WS, TF_VAR_plugin_id: NEW_ID };
    expectExit(await stack.apply(moved), 0, "apply with another id and workspace");
    expect(kong.plugin(NEW_ID, OTHER_WS)).toBeDefined();
    expect(kong.plugin(PLUGIN_ID, WS)).toBeUndefined();
  });
});

interface StateFile {
  resources: Array<{ name: string; instances: Array<{ attributes: { input: { value: Record<string, string> } } }> }>;
}
