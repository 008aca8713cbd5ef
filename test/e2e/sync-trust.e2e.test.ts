/**
 * The trust round's guarantees for the sync layout (the default), through the real terraform binary,
 * as test/reliability checks them for the per-resource layout:
 * - two apps named alike on one Kong: the second neither overwrites nor deletes the first one's
 *   plugin (`KONG_OWNERSHIP_CONFLICT`, no write at all); a third that names the plugin's id takes it
 *   over with a warning, and then the first app's destroy leaves it alone;
 * - Kong rejects one plugin of many: the others are written, the one failure is reported with its
 *   mapped message, and once corrected the next apply writes that plugin only;
 * - a Kong that accepts connections and never answers: the apply fails within its deadline with one
 *   clear message, and nothing is reported as written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginSession, type PluginSessionProps } from "../../src/index.js";
import { OWNER_TAG_PREFIX } from "../../src/runtime/ownership.js";
import { KongEmulator, type KongPluginEntity, type RecordedRequest } from "../../src/testing/index.js";
import { AppDir, outputOf } from "../reliability/support/app.js";
import { expectExit, terraform } from "../support/e2e.js";
import { silentServer, type SilentServer } from "../support/silent-server.js";

const TOKEN = "kpat_synctrust_Q8wE2rT6yU1iO5pA3sD9";
const ROUTE_A = "3473c251-5b6c-4f45-b1ff-7ede735a366d";
const ROUTE_B = "6c1f0e2d-8a4b-4c3d-9e5f-0a1b2c3d4e5f";
const MISSING_ROUTE = "9d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";
const STEP_TIMEOUT = 120_000;

if (!terraform) process.stderr.write("\n*** SKIPPED: end-to-end trust of the sync layout: terraform is not installed ***\n\n");

const writes = (requests: ReadonlyArray<RecordedRequest>) => requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
const ownerTags = (plugin: KongPluginEntity | undefined) => (plugin?.tags ?? []).filter((t) => t.startsWith(OWNER_TAG_PREFIX));

/** The id of the app's owner resource: the token its plugins are tagged with. */
async function ownerId(app: AppDir): Promise<string> {
  const shown = JSON.parse((await app.workdir.run(["show", "-json"])).stdout) as {
    values: { root_module: { resources: Array<{ address: string; values: { id: string } }> } };
  };
  const owners = shown.values.root_module.resources.filter((r) => r.address.startsWith("terraform_data.kong_owner_"));
  expect(owners).toHaveLength(1);
  return owners[0]!.values.id;
}

describe.skipIf(!terraform)(`terraform ${terraform?.version ?? "(missing)"}, sync layout: two apps named alike on one Kong`, () => {
  let kong: KongEmulator;
  let a: AppDir;
  let b: AppDir;
  let c: AppDir;
  let aId: string;
  let aPluginJson: string;

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

  const A_CONFIG: PluginSessionProps = { route: { id: ROUTE_A }, config: { cookieName: "sid", rollingTimeout: 3600 } };
  const loadA = (props: PluginSessionProps) => a.load({ serverUrl: kong.url, layout: "sync" }, (stack) => new PluginSession(stack, "session", props));
  const pluginJson = (id: string) => JSON.stringify(kong.plugin(id));

  it(
    "app A applies: its plugin carries A's owner tag, and its plan is empty",
    async () => {
      loadA(A_CONFIG);
      expectExit(await a.apply(), 0, "A's apply");
      const plugins = kong.plugins();
      expect(plugins).toHaveLength(1);
      aId = plugins[0]!.id;
      expect(ownerTags(plugins[0])).toEqual([`${OWNER_TAG_PREFIX}${await ownerId(a)}`]);
      aPluginJson = pluginJson(aId);
      expectExit(await a.plan(), 0, "A's plan after its apply");
    },
    STEP_TIMEOUT,
  );

  it(
    "app B, named alike, fails with KONG_OWNERSHIP_CONFLICT and writes nothing; its destroy deletes nothing",
    async () => {
      b.load({ serverUrl: kong.url, layout: "sync" }, (stack) => new PluginSession(stack, "session", { route: { id: ROUTE_B }, config: { cookieName: "team-b" } }));
      kong.clearRequests();
      const failed = await b.apply();
      expect(failed.exitCode).toBe(1);
      expect(outputOf(failed)).toMatch(new RegExp(`kong: error KONG_OWNERSHIP_CONFLICT: .*${aId}`));
      expect(outputOf(failed)).toMatch(/kong: sync: 1 plugins declared: 0 created, 0 updated, 0 unchanged, 0 deleted, 1 failed/);
      expect(writes(kong.requests)).toEqual([]);
      expect(pluginJson(aId)).toBe(aPluginJson);

      kong.clearRequests();
      expectExit(await b.destroy(), 0, "B's destroy");
      expect(writes(kong.requests)).toEqual([]);
      expect(pluginJson(aId)).toBe(aPluginJson);
      expect(outputOf(await b.plan())).not.toContain(TOKEN);
    },
    STEP_TIMEOUT,
  );

  it(
    "app A still updates its plugin in place: one PUT, no DELETE, the same id and created_at",
    async () => {
      expectExit(await a.plan(), 0, "A's plan after B");
      const before = kong.plugin(aId)!;
      loadA({ ...A_CONFIG, config: { ...A_CONFIG.config, cookieName: "sid-2" } });
      kong.clearRequests();
      expectExit(await a.apply(), 0, "A's update");
      expect(writes(kong.requests)).toEqual([`PUT /plugins/${aId}`]);
      expect(kong.plugin(aId)).toMatchObject({ id: aId, created_at: before.created_at, config: { cookie_name: "sid-2", secret: before.config.secret } });
      expectExit(await a.plan(), 0, "A's plan after its update");
    },
    STEP_TIMEOUT,
  );

  it(
    "app C names A's plugin id: takes it over with a warning; then A's destroy leaves it alone",
    async () => {
      c.load({ serverUrl: kong.url, layout: "sync" }, (stack) => new PluginSession(stack, "session", { id: aId, route: { id: ROUTE_A }, config: { cookieName: "team-c" } }));
      const taken = expectExit(await c.apply(), 0, "C's apply");
      expect(outputOf(taken)).toMatch(new RegExp(`kong: warning: adopting plugin ${aId} \\(default workspace\\): it was managed by another stack`));
      const cOwner = await ownerId(c);
      expect(ownerTags(kong.plugin(aId))).toEqual([`${OWNER_TAG_PREFIX}${cOwner}`]);

      kong.clearRequests();
      expectExit(await a.destroy(), 0, "A's destroy");
      expect(writes(kong.requests)).toEqual([]);
      expect(kong.plugin(aId)).toMatchObject({ config: { cookie_name: "team-c" } });
      expect(ownerTags(kong.plugin(aId))).toEqual([`${OWNER_TAG_PREFIX}${cOwner}`]);

      expectExit(await c.destroy(), 0, "C's destroy");
      expect(kong.plugins()).toEqual([]);
    },
    STEP_TIMEOUT,
  );
});

describe.skipIf(!terraform)(`terraform ${terraform?.version ?? "(missing)"}, sync layout: Kong rejects one of 20 plugins`, () => {
  const PLUGINS = 20;
  const REJECTED = 7;
  let kong: KongEmulator;
  let app: AppDir;
  let routes: string[];

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", adminToken: TOKEN });
    routes = Array.from({ length: PLUGINS }, () => kong.addRoute().id);
    app = new AppDir("e2e", { KONG_ADMIN_TOKEN: TOKEN });
  });
  afterAll(async () => {
    app?.dispose();
    await kong?.stop();
  });

  const load = (routeOf: (i: number) => string) =>
    app.load({ serverUrl: kong.url, layout: "sync" }, (stack) => {
      for (let i = 0; i < PLUGINS; i++) new PluginSession(stack, `session${i}`, { route: { id: routeOf(i) }, config: { cookieName: `sid-${i}` } });
    });

  it(
    "writes the others, reports the one failure with its mapped message, and converges once corrected, writing that plugin only",
    async () => {
      load((i) => (i === REJECTED ? MISSING_ROUTE : routes[i]!));
      const failed = await app.apply();
      const output = outputOf(failed);
      expect(failed.exitCode).toBe(1);
      const names = new Set(kong.plugins().map((p) => p.config.cookie_name));
      for (let i = 0; i < PLUGINS; i++) expect(names.has(`sid-${i}`), `plugin ${i}`).toBe(i !== REJECTED);
      const errors = (output.match(/\(local-exec\): kong: error KONG_[A-Z_]+: .*/g) ?? []).map((line) => line.replace(/^\(local-exec\): /, ""));
      expect(errors).toEqual([
        expect.stringMatching(
          new RegExp(`^kong: error KONG_FOREIGN_KEY_VIOLATION: route ${MISSING_ROUTE} does not exist in the default workspace \\(PUT /plugins/[0-9a-f-]{36}\\): create the route first, or fix the route id of the plugin$`),
        ),
      ]);
      expect(output).toMatch(new RegExp(`sync: ${PLUGINS} plugins declared: ${PLUGINS - 1} created, 0 updated, 0 unchanged, 0 deleted, 1 failed`));
      expect(output.match(/Error: local-exec provisioner error/g)).toHaveLength(1);

      load((i) => routes[i]!);
      kong.clearRequests();
      const fixed = expectExit(await app.apply(), 0, "corrected apply");
      expect(writes(kong.requests)).toEqual([expect.stringMatching(/^PUT \/plugins\/[0-9a-f-]{36}$/)]);
      expect(outputOf(fixed)).toMatch(new RegExp(`sync: ${PLUGINS} plugins declared: 1 created, 0 updated, ${PLUGINS - 1} unchanged, 0 deleted`));
      expect(kong.plugins().find((p) => p.config.cookie_name === `sid-${REJECTED}`)).toMatchObject({ route: { id: routes[REJECTED] } });
      expectExit(await app.plan(), 0, "plan after the corrected apply");
      expect(output + outputOf(fixed)).not.toContain(TOKEN);
      expectExit(await app.destroy(), 0, "destroy");
      expect(kong.plugins()).toEqual([]);
    },
    STEP_TIMEOUT,
  );
});

describe.skipIf(!terraform)(`terraform ${terraform?.version ?? "(missing)"}, sync layout: a Kong that accepts and never answers`, () => {
  let server: SilentServer;
  let app: AppDir;

  beforeAll(async () => {
    server = await silentServer();
    app = new AppDir("e2e", { KONG_ADMIN_TOKEN: TOKEN });
  });
  afterAll(async () => {
    app?.dispose();
    await server?.close();
  });

  it(
    "fails within the deadline with one clear message, nothing reported written",
    async () => {
      app.load({ serverUrl: server.url, layout: "sync", requestTimeoutMs: 500, deadlineMs: 3000, maxRetries: 100 }, (stack) => {
        for (let i = 0; i < 5; i++) new PluginSession(stack, `session${i}`, { service: { id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` }, config: { cookieName: `sid-${i}` } });
      });
      const applied = await app.apply();
      const output = outputOf(applied);
      expect(applied.exitCode).toBe(1);
      // the sync lists what the stack owns before it writes: that listing is what gives up
      expect(output.match(/kong: error KONG_DEADLINE_EXCEEDED: gave up on GET \/\S+ at http:\/\/127\.0\.0\.1:\d+ after the deadline of 3000 ms/g)).toHaveLength(1);
      expect(output.match(/Error: local-exec provisioner error/g)).toHaveLength(1);
      expect(output).not.toMatch(/kong: (created|updated)|unchanged/);
      expect(output).not.toContain("Apply complete");
      expect(output).not.toContain(TOKEN);
      expect(server.accepted()).toBeGreaterThanOrEqual(1);
      // the sync resource is tainted: the next plan applies it again
      const plan = await app.plan();
      expect(plan.exitCode).toBe(2);
      expect(plan.stdout).toMatch(/# terraform_data\.kong_sync_\S+ is tainted, so must be replaced/);
    },
    STEP_TIMEOUT,
  );
});
