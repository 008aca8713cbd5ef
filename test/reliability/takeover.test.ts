/**
 * Trust: two independent apps (own working directories and states) that both name their stack
 * `kong` and their construct `session`, as the README does, derive the same plugin id on one Kong.
 * The second one must neither overwrite nor delete the first one's plugin; with an `idNamespace` the
 * two coexist; a third app that names the plugin's id takes it over on purpose, and then the first
 * app's destroy leaves it alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginSession, type PluginSessionProps } from "../../src/index.js";
import { OWNER_TAG_PREFIX } from "../../src/runtime/ownership.js";
import { KongEmulator, type KongPluginEntity, type RecordedRequest } from "../../src/testing/index.js";
import { expectExit } from "../support/e2e.js";
import { AppDir, outputOf } from "./support/app.js";
import { TERRAFORM_VERSION } from "./support/mode.js";
import { n, record, seconds, type ResultRow } from "./support/results.js";

const TOKEN = "kpat_takeover_M3nB8vC1xZ6lK4jH9gF2";
/** The README's route. */
const ROUTE_A = "3473c251-5b6c-4f45-b1ff-7ede735a366d";
const ROUTE_B = "6c1f0e2d-8a4b-4c3d-9e5f-0a1b2c3d4e5f";
const SESSION = "session";

if (!TERRAFORM_VERSION) process.stderr.write("\n*** SKIPPED: reliability takeover runs need the terraform binary ***\n\n");

describe.skipIf(!TERRAFORM_VERSION)(`two apps named alike on one Kong, through terraform ${TERRAFORM_VERSION}`, () => {
  let kong: KongEmulator;
  let a: AppDir;
  let b: AppDir;
  let c: AppDir;
  /** A's plugin as Kong returned it after A's apply, as JSON */
  let aPluginJson: string;
  let aId: string;
  const rows: ResultRow[] = [];
  const figures: Record<string, string | number> = {};

  beforeAll(async () => {
    kong = await KongEmulator.start({ adminToken: TOKEN });
    kong.addRoute({ id: ROUTE_A });
    kong.addRoute({ id: ROUTE_B });
    a = new AppDir("kong", { KONG_ADMIN_TOKEN: TOKEN });
    b = new AppDir("kong", { KONG_ADMIN_TOKEN: TOKEN });
    c = new AppDir("kong", { KONG_ADMIN_TOKEN: TOKEN });
  });
  afterAll(async () => {
    for (const app of [a, b, c]) app?.dispose();
    await kong?.stop();
  });

  const A_CONFIG: PluginSessionProps = { route: { id: ROUTE_A }, config: { cookieName: "sid", cookieSameSite: "Lax", logoutMethods: ["POST"], rollingTimeout: 3600 } };
  const B_CONFIG: PluginSessionProps = { route: { id: ROUTE_B }, config: { cookieName: "team-b", rollingTimeout: 60 }, tags: ["team-b"] };

  const loadA = (props: PluginSessionProps) => a.load({ serverUrl: kong.url }, (stack) => new PluginSession(stack, SESSION, props));
  const loadB = (idNamespace?: string) =>
    b.load({ serverUrl: kong.url, ...(idNamespace ? { idNamespace } : {}) }, (stack) => new PluginSession(stack, SESSION, B_CONFIG));

  const writes = (requests: ReadonlyArray<RecordedRequest>) => requests.filter((r) => r.method !== "GET");
  const ownerTags = (plugin: KongPluginEntity | undefined) => (plugin?.tags ?? []).filter((t) => t.startsWith(OWNER_TAG_PREFIX));
  const pluginJson = (id: string) => JSON.stringify(kong.plugin(id));
  const identityId = async (app: AppDir): Promise<string> => {
    const shown = JSON.parse((await app.workdir.run(["show", "-json"])).stdout) as {
      values: { root_module: { resources: Array<{ address: string; values: { id: string } }> } };
    };
    const identities = shown.values.root_module.resources.filter((r) => /^terraform_data\.session_identity_/.test(r.address));
    expect(identities).toHaveLength(1);
    return identities[0]!.values.id;
  };
  const countBy = (requests: ReadonlyArray<RecordedRequest>) =>
    ["GET", "PUT", "DELETE"].map((m) => `${requests.filter((r) => r.method === m).length} ${m}`).join(", ");

  it("app A applies: its plugin is created with A's owner tag", async () => {
    loadA(A_CONFIG);
    const applied = expectExit(await a.apply(), 0, "A's apply");
    const plugins = kong.plugins();
    expect(plugins).toHaveLength(1);
    aId = plugins[0]!.id;
    expect(plugins[0]!.route).toEqual({ id: ROUTE_A });
    // the owner tag names A's identity resource, whose id Terraform drew at random into A's state
    expect(ownerTags(plugins[0])).toEqual([`${OWNER_TAG_PREFIX}${await identityId(a)}`]);
    aPluginJson = pluginJson(aId);
    expectExit(await a.plan(), 0, "A's plan after its apply");
    figures["A's first apply"] = seconds(applied.durationMs);
  });

  it("fails when app B, named alike, applies: KONG_OWNERSHIP_CONFLICT, nothing written, A's plugin byte for byte as it was", async () => {
    loadB();
    kong.clearRequests();
    const applied = await b.apply();
    const output = outputOf(applied);
    const requests = [...kong.requests];
    expect(applied.exitCode).not.toBe(0);
    expect(output).toMatch(new RegExp(`kong: error KONG_OWNERSHIP_CONFLICT: plugin ${aId} \\(default workspace\\) is managed by another stack`));
    expect(output).toContain("set idNamespace on this app's KongGatewayProvider");
    expect(output).not.toContain(TOKEN);
    // B read, and wrote nothing
    expect(requests.filter((r) => r.method === "GET").length).toBeGreaterThan(0);
    expect(writes(requests)).toEqual([]);
    expect(kong.plugins()).toHaveLength(1);
    expect(pluginJson(aId)).toBe(aPluginJson);
    rows.push({
      tried: "app B (own directory and state, stack `kong`, construct `session`, same derived id, another route and config) applies against A's Kong",
      times: `1 apply; B's requests: ${countBy(requests)}`,
      held: `exit ${applied.exitCode} in ${seconds(applied.durationMs)} with KONG_OWNERSHIP_CONFLICT naming idNamespace; no PUT or DELETE; A's plugin (route, config, secret, owner tag, timestamps) identical as JSON`,
    });
  });

  it("A's plan stays empty; B's destroy exits 0 and leaves A's plugin alone; A still updates in place", async () => {
    expectExit(await a.plan(), 0, "A's plan after B's failed apply");
    kong.clearRequests();
    const destroyed = expectExit(await b.destroy(), 0, "B's destroy");
    const requests = [...kong.requests];
    expect(outputOf(destroyed)).toMatch(new RegExp(`kong: session plugin ${aId} left alone \\(default workspace\\): it belongs to another stack`));
    expect(writes(requests)).toEqual([]);
    expect(pluginJson(aId)).toBe(aPluginJson);
    rows.push({
      tried: "B's `terraform destroy` (its state holds the same plugin id)",
      times: `1 destroy; B's requests: ${countBy(requests)}`,
      held: `exit 0 in ${seconds(destroyed.durationMs)}: "left alone … it belongs to another stack"; no DELETE; A's plugin identical as JSON`,
    });

    const before = kong.plugin(aId)!;
    loadA({ ...A_CONFIG, config: { ...A_CONFIG.config, rollingTimeout: 7200 } });
    kong.clearRequests();
    const updated = expectExit(await a.apply(), 0, "A's config change");
    const after = kong.plugin(aId)!;
    expect(after.config.rolling_timeout).toBe(7200);
    expect(after.config.secret).toBe(before.config.secret);
    expect(after.created_at).toBe(before.created_at);
    expect(ownerTags(after)).toEqual(ownerTags(before));
    expect(kong.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    expect(outputOf(updated)).toMatch(new RegExp(`kong: updated session plugin ${aId} \\(default workspace; rolling_timeout\\)`));
    expectExit(await a.plan(), 0, "A's plan after its config change");
    rows.push({
      tried: "A changes its config afterwards",
      times: "1 apply + 1 plan",
      held: `exit 0 in ${seconds(updated.durationMs)}: updated in place (secret, created_at, owner tag kept; no DELETE); next plan empty`,
    });
  });

  it("B with idNamespace \"team-b\": both plugins coexist, each with its own id and owner", async () => {
    loadB("team-b");
    kong.clearRequests();
    const applied = expectExit(await b.apply(), 0, "B's apply with idNamespace");
    expect(kong.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    const plugins = kong.plugins();
    expect(plugins).toHaveLength(2);
    const bPlugin = plugins.find((p) => p.id !== aId)!;
    expect(bPlugin.route).toEqual({ id: ROUTE_B });
    expect(bPlugin.config.cookie_name).toBe("team-b");
    expect(ownerTags(bPlugin)).toHaveLength(1);
    expect(ownerTags(bPlugin)).not.toEqual(ownerTags(kong.plugin(aId)));
    expect(kong.plugin(aId)!.config.cookie_name).toBe("sid");
    expectExit(await a.plan(), 0, "A's plan with B beside it");
    expectExit(await b.plan(), 0, "B's plan");
    rows.push({
      tried: 'B sets `idNamespace: "team-b"` on its KongGatewayProvider and applies',
      times: "1 apply + 2 plans",
      held: `exit 0 in ${seconds(applied.durationMs)}: 2 plugins, different ids and owner tags; A's untouched; both plans empty`,
    });
    figures["plugins in Kong"] = "1 after A's apply, 1 after B's conflicting apply and destroy, 2 with B's idNamespace";
  });

  it("app C names A's plugin id: takes it over with a warning; then A's destroy leaves it alone", async () => {
    const before = kong.plugin(aId)!;
    c.load({ serverUrl: kong.url }, (stack) => new PluginSession(stack, "adopted", { id: aId, route: { id: ROUTE_A }, config: { cookieName: "sid-c" } }));
    kong.clearRequests();
    const adopted = expectExit(await c.apply(), 0, "C's adopting apply");
    expect(outputOf(adopted)).toMatch(
      new RegExp(`kong: warning: adopting plugin ${aId} \\(default workspace\\): it was managed by another stack \\(tag ${OWNER_TAG_PREFIX}[0-9a-f-]{36}\\); this stack's id prop names it, so it takes it over`),
    );
    const taken = kong.plugin(aId)!;
    expect(taken.config.cookie_name).toBe("sid-c");
    expect(taken.config.secret).toBe(before.config.secret);
    expect(taken.created_at).toBe(before.created_at);
    expect(ownerTags(taken)).toHaveLength(1);
    expect(ownerTags(taken)).not.toEqual(ownerTags(before));
    expectExit(await c.plan(), 0, "C's plan after adopting");

    kong.clearRequests();
    const destroyedA = expectExit(await a.destroy(), 0, "A's destroy after C adopted");
    expect(outputOf(destroyedA)).toMatch(new RegExp(`kong: session plugin ${aId} left alone \\(default workspace\\): it belongs to another stack`));
    expect(kong.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    const kept = pluginJson(aId);
    expect(kept).toBe(JSON.stringify(taken));
    rows.push({
      tried: "app C declares a PluginSession with `id: <A's plugin id>` (adoption) and applies",
      times: "1 apply + 1 plan",
      held: `exit 0 in ${seconds(adopted.durationMs)} with the "adopting plugin … takes it over" warning; C's config and owner tag, A's secret and created_at kept; C's plan empty`,
    });
    rows.push({
      tried: "A's `terraform destroy` after C adopted its plugin",
      times: "1 destroy",
      held: `exit 0 in ${seconds(destroyedA.durationMs)}: "left alone … it belongs to another stack"; no DELETE; the plugin identical as JSON`,
    });

    // each owner's destroy deletes its own plugin, and only that
    kong.clearRequests();
    expectExit(await c.destroy(), 0, "C's destroy");
    expect(kong.plugin(aId)).toBeUndefined();
    expect(kong.plugins()).toHaveLength(1);
    expectExit(await b.destroy(), 0, "B's destroy");
    expect(kong.plugins()).toEqual([]);
    const deletes = kong.requests.filter((r) => r.method === "DELETE" && r.status === 204);
    expect(deletes).toHaveLength(2);
    rows.push({
      tried: "C's destroy, then B's",
      times: "2 destroys",
      held: `each deletes its own plugin (${n(deletes.length)} DELETEs answered 204); Kong empty`,
    });

    record({ id: "trust-takeover", rows, figures });
  });
});
