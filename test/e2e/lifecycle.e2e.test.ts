/**
 * The real terraform binary applies synthesized stacks whose provisioners run the bundled program
 * against the emulator: create, update in place, identity changes, Kong rejecting, destroy, removal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginSession, type PluginSessionProps } from "../../src/index.js";
import { KongEmulator } from "../../src/testing/index.js";
import { backendsToRun, E2eStack, expectExit, terraform } from "../support/e2e.js";

const TOKEN = "e2e-admin-token-7f3a9c";
const WS = "team-payments";

for (const { backend, skip } of backendsToRun()) {
  const reason = !terraform ? "terraform is not installed" : skip;
  if (reason) process.stderr.write(`\n*** SKIPPED: end-to-end lifecycle with ${backend}: ${reason} ***\n\n`);

  describe.skipIf(reason !== undefined)(`terraform ${terraform?.version ?? "(missing)"} lifecycle with ${backend}`, () => {
    let kong: KongEmulator;
    let routeA: string;
    let routeB: string;
    let stack: E2eStack;

    beforeAll(async () => {
      kong = await KongEmulator.start({ edition: "enterprise", workspaces: [WS], adminToken: TOKEN });
      routeA = kong.addRoute({ workspace: WS }).id;
      routeB = kong.addRoute({ workspace: WS }).id;
      stack = new E2eStack({ backend, serverUrl: kong.url }, { KONG_ADMIN_TOKEN: TOKEN });
    });

    afterAll(async () => {
      stack?.dispose();
      await kong?.stop();
    });

    const load = (sessions: Record<string, PluginSessionProps>) =>
      stack.load((s) => {
        for (const [id, props] of Object.entries(sessions)) new PluginSession(s, id, props);
      });

    async function applyAndExpectEmptyPlan(what: string) {
      const applied = expectExit(await stack.apply(), 0, what);
      expectExit(await stack.plan(), 0, `plan right after ${what}`);
      return applied;
    }

    it("creates the plugin, then updates it in place on a config change", async () => {
      load({ session: { config: { cookieName: "sid" }, route: { id: routeA }, workspace: WS } });
      const created = await applyAndExpectEmptyPlan("first apply");
      const [plugin] = kong.plugins(WS);
      expect(plugin).toMatchObject({ name: "session", route: { id: routeA }, config: { cookie_name: "sid", rolling_timeout: 3600 } });
      expect(created.stdout).toContain(`kong: created session plugin ${plugin!.id}`);
      const secret = plugin!.config.secret;

      kong.clearRequests();
      load({ session: { config: { cookieName: "sid", rollingTimeout: 600 }, route: { id: routeA }, workspace: WS } });
      const updated = await applyAndExpectEmptyPlan("config change");
      expect(kong.plugins(WS)).toHaveLength(1);
      expect(kong.plugin(plugin!.id, WS)).toMatchObject({ config: { cookie_name: "sid", rolling_timeout: 600, secret } });
      expect(kong.requests.filter((r) => r.method === "DELETE")).toEqual([]);
      expect(kong.requests.filter((r) => r.method === "PUT").map((r) => r.path)).toEqual([`/${WS}/plugins/${plugin!.id}`]);
      expect(updated.stdout).toContain("(rolling_timeout)");
      expect(updated.stdout + updated.stderr).not.toContain(TOKEN);
      expect(updated.stdout + updated.stderr).not.toContain(secret);
    });

    it("moves the plugin to another route in place, and to another workspace by re-creating it", async () => {
      const [before] = kong.plugins(WS);
      kong.clearRequests();
      load({ session: { config: { cookieName: "sid", rollingTimeout: 600 }, route: { id: routeB }, workspace: WS } });
      await applyAndExpectEmptyPlan("route change");
      expect(kong.plugins(WS)).toHaveLength(1);
      expect(kong.plugin(before!.id, WS)).toMatchObject({ route: { id: routeB } });
      expect(kong.requests.filter((r) => r.method === "DELETE")).toEqual([]);

      kong.clearRequests();
      load({ session: { config: { cookieName: "sid", rollingTimeout: 600 } } });
      await applyAndExpectEmptyPlan("workspace change");
      expect(kong.plugins(WS)).toEqual([]);
      expect(kong.plugins("default")).toHaveLength(1);
      // the identity resource's destroy and the reaper may both delete the old plugin: same path, idempotent
      const deletes = kong.requests.filter((r) => r.method === "DELETE").map((r) => r.path);
      expect(deletes.length).toBeGreaterThanOrEqual(1);
      expect(new Set(deletes)).toEqual(new Set([`/${WS}/plugins/${before!.id}`]));
    });

    it("fails the apply when Kong rejects the plugin, and converges once it is corrected", async () => {
      const missing = "0b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c";
      load({ session: { config: { cookieName: "sid" }, route: { id: missing } } });
      const failed = await stack.apply();
      expect(failed.exitCode).toBe(1);
      expect(failed.stderr).toContain("KONG_FOREIGN_KEY_VIOLATION");
      expect(failed.stderr).toContain(missing);

      const route = kong.addRoute({}).id;
      load({ session: { config: { cookieName: "sid" }, route: { id: route } } });
      await applyAndExpectEmptyPlan("corrected apply");
      expect(kong.plugins("default")).toMatchObject([{ route: { id: route } }]);
    });

    it("deletes a plugin removed from the code on the next apply", async () => {
      const route = kong.addRoute({}).id;
      load({ session: { config: { cookieName: "sid" } }, second: { route: { id: route } } });
      await applyAndExpectEmptyPlan("two plugins");
      expect(kong.plugins("default")).toHaveLength(2);

      kong.clearRequests();
      load({ session: { config: { cookieName: "sid" } } });
      const removed = await applyAndExpectEmptyPlan("second removed from the code");
      expect(kong.plugins("default")).toHaveLength(1);
      expect(kong.requests.filter((r) => r.method === "DELETE")).toHaveLength(1);
      expect(removed.stdout).toMatch(/kong: deleted session plugin [0-9a-f-]{36}/);
    });

    it("deletes every plugin on terraform destroy", async () => {
      expectExit(await stack.destroy(), 0, "terraform destroy");
      expect(kong.plugins("default")).toEqual([]);
      expect(kong.plugins(WS)).toEqual([]);
    });
  });
}
