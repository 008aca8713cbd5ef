/**
 * The sync layout through the real terraform binary. A failed sync leaves state from which the next
 * apply converges, and `-replace` of the sync resource repairs a plugin deleted behind the stack's
 * back. A stack deployed with the per-resource layout moves to the sync layout with one apply: no plugin is deleted or re-created (same ids, same `created_at`, the session
 * secret Kong generated kept), each takes the stack's new owner tag, a plugin removed from the code in
 * the same apply is deleted, one changed is updated, plugins the stack did not create are untouched;
 * the next plan is empty and destroy deletes the stack's plugins only.
 */
import type { TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginCors, PluginKeyAuth, PluginRateLimiting, PluginSession, type KongGatewayProvider, type KongGatewayProviderProps } from "../../src/index.js";
import { KongEmulator, type KongPluginEntity } from "../../src/testing/index.js";
import { E2eStack, expectExit, terraform } from "../support/e2e.js";

const TOKEN = "e2e-upgrade-admin-token-8b1f2c";
const OWNER_TAG = "cdktf-kong-gateway:owner=";
const STEP_TIMEOUT = 180_000;

if (!terraform) process.stderr.write("\n*** SKIPPED: end-to-end sync layout: terraform is not installed ***\n\n");

describe.skipIf(!terraform)(`terraform ${terraform?.version ?? "(missing)"}: the sync layout fails, converges and repairs`, () => {
  let kong: KongEmulator;
  let stack: E2eStack;
  const routes: string[] = [];
  const ids: string[] = [];

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.15", adminToken: TOKEN });
    for (let i = 0; i < 3; i++) routes.push(kong.addRoute({ name: `route-${i}` }).id);
    stack = new E2eStack({ serverUrl: kong.url, layout: "sync", deadlineMs: 1500, requestTimeoutMs: 500 }, { KONG_ADMIN_TOKEN: TOKEN });
    stack.load((s, provider) => {
      for (let i = 0; i < 3; i++) ids.push(new PluginRateLimiting(s, `limits-${i}`, { provider, route: { id: routes[i]! }, config: { minute: 10 + i } }).pluginId);
    });
  });

  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
  });

  it(
    "a sync that fails fails the apply, and the next apply converges",
    async () => {
      kong.faults.failNext(10_000, { status: 503 });
      const failed = await stack.apply();
      expect(failed.exitCode).toBe(1);
      expect(`${failed.stdout}${failed.stderr}`).toMatch(/gave up on GET \/(workspaces|plugins)/);
      kong.faults.clear();
      expectExit(await stack.apply(), 0, "apply after the fault");
      expect(kong.plugins().map((p) => p.id).sort()).toEqual([...ids].sort());
      expectExit(await stack.plan(), 0, "plan after convergence");
    },
    STEP_TIMEOUT,
  );

  it(
    "-replace of the sync resource writes back a plugin deleted behind the stack's back, and only that one",
    async () => {
      const deleted = await fetch(`${kong.url}/plugins/${ids[1]}`, { method: "DELETE", headers: { "Kong-Admin-Token": TOKEN } });
      expect(deleted.status).toBe(204);
      const sync = (await stack.stateList()).find((address) => address.startsWith("terraform_data.kong_sync_"))!;
      kong.clearRequests();
      expectExit(await stack.run(["apply", "-auto-approve", "-input=false", "-no-color", `-replace=${sync}`]), 0, "apply -replace");
      expect(kong.plugins().map((p) => p.id).sort()).toEqual([...ids].sort());
      expect(kong.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /plugins/${ids[1]}`]);
    },
    STEP_TIMEOUT,
  );

  it(
    "a new server URL writes every plugin there, and deletes nothing from the old Kong",
    async () => {
      const other = await KongEmulator.start({ edition: "enterprise", version: "3.15", adminToken: TOKEN });
      try {
        for (const id of routes) other.addRoute({ id });
        const before = kong.plugins();
        stack.load(
          (s, provider) => {
            for (let i = 0; i < 3; i++) new PluginRateLimiting(s, `limits-${i}`, { provider, route: { id: routes[i]! }, config: { minute: 10 + i } });
          },
          { serverUrl: other.url, layout: "sync", deadlineMs: 1500, requestTimeoutMs: 500 },
        );
        kong.clearRequests();
        const applied = expectExit(await stack.apply(), 0, "apply to the new URL");
        expect(applied.stdout).toMatch(/~ "\(server url\)" += "http:\/\/127\.0\.0\.1:\d+" -> "http:\/\/127\.0\.0\.1:\d+"/);
        expect(other.plugins().map((p) => p.id).sort()).toEqual([...ids].sort());
        expect(kong.plugins()).toEqual(before);
        expect(kong.requests).toEqual([]);
      } finally {
        await other.stop();
      }
    },
    STEP_TIMEOUT,
  );
});

describe.skipIf(!terraform)(`terraform ${terraform?.version ?? "(missing)"}: from the per-resource layout to the sync layout`, () => {
  let kong: KongEmulator;
  let stack: E2eStack;
  let props: KongGatewayProviderProps;
  const routes: string[] = [];
  const ids: Record<string, string> = {};
  let foreign: KongPluginEntity;
  let before: Record<string, KongPluginEntity> = {};

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.15", adminToken: TOKEN });
    for (let i = 0; i < 4; i++) routes.push(kong.addRoute({ name: `route-${i}` }).id);
    foreign = kong.seedPlugin({ name: "cors", route: { id: routes[3]! }, config: { origins: ["https://other.example.com"] }, tags: [`${OWNER_TAG}0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b`] });
    props = { serverUrl: kong.url, kongVersion: "3.15", edition: "enterprise" };
    stack = new E2eStack(props, { KONG_ADMIN_TOKEN: TOKEN });
  });

  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
  });

  function load(layout: "per-resource" | "sync", step: "first" | "upgraded"): void {
    const build = (s: TerraformStack, provider: KongGatewayProvider) => {
      ids.limits = new PluginRateLimiting(s, "limits", { provider, route: { id: routes[0]! }, config: { minute: step === "first" ? 10 : 20, policy: "local" } }).pluginId;
      ids.auth = new PluginKeyAuth(s, "auth", { provider, route: { id: routes[1]! }, config: { keyNames: ["apikey"] } }).pluginId;
      ids.session = new PluginSession(s, "session", { provider, route: { id: routes[2]! }, config: { cookieName: "sid" } }).pluginId;
      if (step === "first") ids.cors = new PluginCors(s, "cors", { provider, route: { id: routes[0]! }, config: { origins: ["https://app.example.com"] } }).pluginId;
    };
    stack.load(build, { ...props, layout });
  }

  const ours = () => kong.plugins().filter((p) => p.id !== foreign.id);

  it(
    "deploys four plugins with the per-resource layout",
    async () => {
      load("per-resource", "first");
      expectExit(await stack.apply(), 0, "first apply");
      expect(ours()).toHaveLength(4);
      before = Object.fromEntries(ours().map((p) => [p.id, p]));
      // Kong generated the session secret: the upgrade must keep it
      expect(typeof kong.plugin(ids.session!)!.config.secret).toBe("string");
    },
    STEP_TIMEOUT,
  );

  it(
    "moves to the sync layout with one apply: nothing deleted or re-created but the plugin removed from the code",
    async () => {
      load("sync", "upgraded");
      kong.clearRequests();
      const applied = expectExit(await stack.apply(), 0, "apply of the sync layout");
      // the per-resource layout's resources go without running their provisioners (their blocks are gone)
      expect(applied.stdout).toMatch(/terraform_data\.limits_identity_[0-9A-F]+: Destroying/);
      expect(applied.stdout).not.toMatch(/limits_identity_[0-9A-F]+ \(local-exec\)/);
      const writes = kong.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
      expect(writes.filter((w) => w.startsWith("DELETE "))).toEqual([`DELETE /plugins/${ids.cors}`]);
      expect(writes.filter((w) => w.startsWith("POST "))).toEqual([]);

      expect(ours().map((p) => p.id).sort()).toEqual([ids.limits, ids.auth, ids.session].sort());
      const state = JSON.parse(await stack.statePull()) as { resources: Array<{ name: string; instances: Array<{ attributes: { id: string } }> }> };
      const owner = state.resources.find((r) => r.name.startsWith("kong_owner_"))!.instances[0]!.attributes.id;
      for (const plugin of ours()) {
        expect(plugin.created_at, `created_at of ${plugin.name}`).toBe(before[plugin.id]!.created_at);
        expect(plugin.tags).toEqual([`${OWNER_TAG}${owner}`]);
      }
      expect(kong.plugin(ids.session!)!.config.secret).toBe(before[ids.session!]!.config.secret);
      expect(kong.plugin(ids.limits!)!.config.minute).toBe(20);
      expect(kong.plugin(foreign.id)).toEqual(foreign);
      expect(applied.stdout).toContain("was written by this stack's per-resource layout: it takes the stack's owner tag");
      expect(await stack.stateList()).toEqual([
        expect.stringMatching(/^terraform_data\.kong_owner_/),
        expect.stringMatching(/^terraform_data\.kong_reaper_/),
        expect.stringMatching(/^terraform_data\.kong_sync_/),
      ]);
    },
    STEP_TIMEOUT,
  );

  it(
    "plans nothing more, and destroy deletes the stack's plugins only",
    async () => {
      expectExit(await stack.plan(), 0, "plan after the upgrade");
      expectExit(await stack.destroy(), 0, "destroy");
      expect(ours()).toEqual([]);
      expect(kong.plugin(foreign.id)).toEqual(foreign);
    },
    STEP_TIMEOUT,
  );
});
