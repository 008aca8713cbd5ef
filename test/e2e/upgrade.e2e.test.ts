/**
 * Existing users: a stack deployed by cdktf-kong-gateway 0.1 upgrades with one apply of the same
 * app synthesized by this version, and no plugin is deleted or re-created: same ids, same secrets
 * (users stay logged in), same created_at; every plugin is taken over and tagged with its owner.
 *
 * Version 0.1 is built from git (commit d15ce1b, the last 0.1 commit: `git archive`, then its own
 * build script with this checkout's node_modules; about 7 s) and synthesizes the stack in a child
 * process (fixtures/synth-stack.cjs), so the stack really is 0.1's: its apply-time program, its
 * triggers, its reaper list. Real terraform binary.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginSession, type KongGatewayProviderProps, type PluginSessionProps } from "../../src/index.js";
import { OWNER_TAG_PREFIX } from "../../src/runtime/ownership.js";
import { KongEmulator, type KongPluginEntity } from "../../src/testing/index.js";
import { E2eStack, expectExit, nullProviderMirror, terraform } from "../support/e2e.js";

const ROOT = path.resolve(__dirname, "..", "..");
const SYNTH_SCRIPT = path.join(__dirname, "fixtures", "synth-stack.cjs");
/** The last commit of version 0.1. */
const V01_COMMIT = "d15ce1b";
const TOKEN = "e2e-upgrade-token-8a4f3c";
const WS = "team-upgrade";
const ROUTE = "2c9a7e51-6d3b-4f80-9a1e-5b7c3d2f1e04";
/** the stack name and construct ids of E2eStack, so that both versions derive the same plugin ids */
const STACK_NAME = "e2e";

/** One plugin with config, one in a workspace, one on a route: the same props for both versions. */
const SESSIONS: Record<string, PluginSessionProps> = {
  session: { config: { cookieName: "sid", rollingTimeout: 600, cookieSameSite: "Lax" } },
  tenant: { workspace: WS, config: { cookieName: "tenant" } },
  login: { route: { id: ROUTE }, config: { logoutMethods: ["POST"] } },
};

/** Why the 0.1 build cannot happen here, if it cannot. */
const v01Missing = ((): string | undefined => {
  try {
    execFileSync("git", ["-C", ROOT, "cat-file", "-e", `${V01_COMMIT}^{commit}`], { stdio: "ignore" });
    return undefined;
  } catch {
    return `commit ${V01_COMMIT} (the last 0.1 commit) is not in ${ROOT}: run the tests in a full git clone (git fetch --unshallow)`;
  }
})();

const VARIANTS: Array<{ name: string; v01Provider: KongGatewayProviderProps; providerMirror?: string; skip?: string }> = [
  { name: 'backend: "terraform_data"', v01Provider: { backend: "terraform_data" } },
  {
    name: "0.1's default backend (null_resource)",
    v01Provider: {},
    ...(nullProviderMirror
      ? { providerMirror: nullProviderMirror }
      : {
          skip: "0.1's default backend was null_resource, which needs the hashicorp/null provider, which cannot be downloaded here; set KONG_CDKTF_NULL_PROVIDER_MIRROR to a filesystem mirror directory holding it",
        }),
  },
];

let v01Root: string | undefined;
/** Builds 0.1 once for the file, in a temporary directory (no git worktree, nothing written to the checkout). */
function buildV01(): string {
  if (v01Root) return v01Root;
  const dir = mkdtempSync(path.join(tmpdir(), "kong-cdktf-v0.1-"));
  const archive = path.join(dir, "source.tar");
  execFileSync("git", ["-C", ROOT, "archive", "--format=tar", "-o", archive, V01_COMMIT]);
  const root = path.join(dir, "package");
  mkdirSync(root);
  execFileSync("tar", ["-xf", archive, "-C", root]);
  symlinkSync(path.join(ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "pipe" });
  v01Root = root;
  return root;
}

afterAll(() => {
  if (v01Root) rmSync(path.dirname(v01Root), { recursive: true, force: true });
});

for (const variant of VARIANTS) {
  const reason = !terraform ? "terraform is not installed" : (v01Missing ?? variant.skip);
  if (reason) process.stderr.write(`\n*** SKIPPED: end-to-end upgrade from 0.1 with ${variant.name}: ${reason} ***\n\n`);

  describe.skipIf(reason !== undefined)(`terraform ${terraform?.version ?? "(missing)"}: upgrade of a 0.1 stack with ${variant.name}`, () => {
    let kong: KongEmulator;
    let stack: E2eStack;
    let synthDir: string;
    /** the plugins as 0.1 left them */
    let before: Record<string, KongPluginEntity>;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const v01 = buildV01();
      kong = await KongEmulator.start({ edition: "enterprise", workspaces: [WS], adminToken: TOKEN });
      kong.addRoute({ id: ROUTE });
      // the mirror only matters for null_resource; E2eStack passes it for that backend
      stack = new E2eStack({ serverUrl: kong.url, layout: "per-resource", ...(variant.providerMirror ? { backend: "null_resource" } : {}) }, { KONG_ADMIN_TOKEN: TOKEN });
      synthDir = mkdtempSync(path.join(tmpdir(), "kong-cdktf-v0.1-synth-"));
      const spec = { outdir: synthDir, stackName: STACK_NAME, provider: { serverUrl: kong.url, ...variant.v01Provider }, sessions: SESSIONS };
      execFileSync(process.execPath, [SYNTH_SCRIPT, v01, JSON.stringify(spec)], { stdio: "pipe" });
    }, 180_000); // building 0.1 takes ~7 s alone, several times that beside other test files

    afterAll(async () => {
      stack?.dispose();
      await kong?.stop();
      if (synthDir) rmSync(synthDir, { recursive: true, force: true });
    });

    const workspaceOf = (name: string) => SESSIONS[name]!.workspace;
    const live = (name: string) => kong.plugin(ids[name]!, workspaceOf(name));
    const deletes = () => kong.requests.filter((r) => r.method === "DELETE").map((r) => r.path);

    /** The current library's app: the same construct ids and props; `change` alters one plugin's config. */
    const loadCurrent = (change: Partial<Record<string, PluginSessionProps>> = {}) =>
      stack.load(
        (s) => {
          for (const [name, props] of Object.entries(SESSIONS)) new PluginSession(s, name, change[name] ?? props);
        },
        { serverUrl: kong.url, backend: "terraform_data", layout: "per-resource" },
      );

    it("0.1 deploys the three plugins, untagged", async () => {
      const dir = path.join(synthDir, "stacks", STACK_NAME);
      // really 0.1's stack: one reaper list under "plugins" (this version writes plugins_0, plugins_1, …)
      const json = JSON.parse(readFileSync(path.join(dir, "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, any>> };
      const type = variant.v01Provider.backend ?? "null_resource";
      const reaper = Object.entries(json.resource[type]!).find(([id]) => id.startsWith("kong_reaper_"))![1];
      expect(Object.keys(reaper[type === "terraform_data" ? "triggers_replace" : "triggers"])).toEqual(["plugins"]);

      stack.loadDir(dir);
      expectExit(await stack.apply(), 0, "apply of the 0.1 stack");
      expectExit(await stack.plan(), 0, "plan after the 0.1 apply");
      const plugins = [...kong.plugins(), ...kong.plugins(WS)];
      expect(plugins).toHaveLength(3);
      for (const plugin of plugins) expect(plugin.tags ?? []).toEqual([]);
      ids.session = kong.plugins().find((p) => p.config.cookie_name === "sid")!.id;
      ids.login = kong.plugins().find((p) => p.route?.id === ROUTE)!.id;
      ids.tenant = kong.plugins(WS)[0]!.id;
      expect(new Set(Object.values(ids)).size).toBe(3);
      before = Object.fromEntries(Object.keys(SESSIONS).map((name) => [name, live(name)!]));
    });

    it("the current version takes the stack over with one apply: nothing deleted, ids, secrets and created_at kept", async () => {
      kong.clearRequests();
      // WHEN the same app, synthesized by this version, is applied in the same working directory
      loadCurrent();
      const upgraded = expectExit(await stack.apply(), 0, "upgrade apply");

      // THEN no plugin was deleted or re-created
      expect(deletes()).toEqual([]);
      expect(kong.plugins()).toHaveLength(2);
      expect(kong.plugins(WS)).toHaveLength(1);
      expect(upgraded.stdout).toContain("kong: no removed plugins to delete");
      expect(upgraded.stdout).not.toMatch(/kong: (created|deleted) session plugin/);
      // each plugin rewritten once, in place, only to add its owner tag
      expect(upgraded.stdout).toMatch(new RegExp(`kong: updated session plugin ${ids.session} \\(default workspace; tags\\) in \\d+ ms`));
      expect(upgraded.stdout).toMatch(new RegExp(`kong: updated session plugin ${ids.login} \\(default workspace; tags\\) in \\d+ ms`));
      expect(upgraded.stdout).toMatch(new RegExp(`kong: updated session plugin ${ids.tenant} in workspace ${WS} \\(tags\\) in \\d+ ms`));
      const state = JSON.parse(await stack.statePull()) as StateFile;
      for (const name of Object.keys(SESSIONS)) {
        const plugin = live(name)!;
        expect(plugin.id).toBe(ids[name]);
        expect(plugin.config.secret).toBe(before[name]!.config.secret);
        expect(plugin.created_at).toBe(before[name]!.created_at);
        // exactly one owner tag: the id of its identity resource, which this apply did not replace
        const identity = state.resources.find((r) => r.type === "terraform_data" && r.name.startsWith(`${name}_identity_`))!;
        expect((plugin.tags ?? []).filter((tag) => tag.startsWith(OWNER_TAG_PREFIX))).toEqual([`${OWNER_TAG_PREFIX}${identity.instances[0]!.attributes.id}`]);
      }
      if (variant.v01Provider.backend === "terraform_data") {
        expect(upgraded.stdout).not.toMatch(/_identity_\w+: Destroying/);
        expect(upgraded.stdout).not.toMatch(/_identity_\w+: Creating/);
      }
      expectExit(await stack.plan(), 0, "plan after the upgrade");
    });

    it("updates in place on a config change after the upgrade", async () => {
      const secret = live("session")!.config.secret;
      kong.clearRequests();
      loadCurrent({ session: { config: { cookieName: "sid2", rollingTimeout: 600, cookieSameSite: "Lax" } } });
      const changed = expectExit(await stack.apply(), 0, "config change");
      expect(deletes()).toEqual([]);
      expect(kong.requests.filter((r) => r.method === "PUT").map((r) => r.path)).toEqual([`/plugins/${ids.session}`]);
      expect(live("session")).toMatchObject({ config: { cookie_name: "sid2", secret }, created_at: before.session!.created_at });
      expect(changed.stdout).toMatch(new RegExp(`kong: updated session plugin ${ids.session} \\(default workspace; cookie_name\\) in \\d+ ms`));
      expectExit(await stack.plan(), 0, "plan after the config change");
    });

    it("deletes every plugin on terraform destroy", async () => {
      kong.clearRequests();
      expectExit(await stack.destroy(), 0, "terraform destroy");
      expect(kong.plugins()).toEqual([]);
      expect(kong.plugins(WS)).toEqual([]);
      expect(new Set(deletes())).toEqual(new Set([`/plugins/${ids.session}`, `/plugins/${ids.login}`, `/${WS}/plugins/${ids.tenant}`]));
      expect(await stack.stateList()).toEqual([]);
    });

    it("deletes a plugin removed from the code in the upgrade apply (0.1's reaper list), and only that one", async () => {
      // GIVEN the 0.1 stack deployed again
      stack.loadDir(path.join(synthDir, "stacks", STACK_NAME));
      expectExit(await stack.apply(), 0, "apply of the 0.1 stack");
      const secrets = Object.fromEntries(Object.keys(SESSIONS).map((name) => [name, live(name)!.config.secret]));
      kong.clearRequests();
      // WHEN the upgrade apply also drops "login" from the code
      stack.load(
        (s) => {
          for (const [name, props] of Object.entries(SESSIONS)) if (name !== "login") new PluginSession(s, name, props);
        },
        { serverUrl: kong.url, backend: "terraform_data", layout: "per-resource" },
      );
      const upgraded = expectExit(await stack.apply(), 0, "upgrade apply without login");
      // THEN 0.1's reaper list deletes it, and the others are kept with their secrets
      expect(deletes()).toEqual([`/plugins/${ids.login}`]);
      expect(upgraded.stdout).toMatch(new RegExp(`kong: deleted session plugin ${ids.login} \\(default workspace\\) in \\d+ ms`));
      expect(live("login")).toBeUndefined();
      expect(live("session")?.config.secret).toBe(secrets.session);
      expect(live("tenant")?.config.secret).toBe(secrets.tenant);
      expectExit(await stack.plan(), 0, "plan after the upgrade");
      expectExit(await stack.destroy(), 0, "terraform destroy");
      expect([...kong.plugins(), ...kong.plugins(WS)]).toEqual([]);
    });
  });
}

interface StateFile {
  resources: Array<{ type: string; name: string; instances: Array<{ attributes: { id: string } }> }>;
}
