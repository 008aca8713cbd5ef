/**
 * The sync layout at scale, through the real terraform: thousands of plugins in one provider are one
 * apply whose desired set no environment variable carries; a change of one plugin writes that one,
 * a removal deletes that one, destroy deletes them all. CI runs N = 1,500 with 200-character construct
 * names; the full run (KONG_RELIABILITY_FULL=1) runs N = 5,000.
 */
import type { TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginRateLimiting, type KongGatewayProvider } from "../../src/index.js";
import { KongEmulator } from "../../src/testing/index.js";
import { E2eStack, expectExit, terraform } from "../support/e2e.js";

const FULL = process.env.KONG_RELIABILITY_FULL === "1";
const N = FULL ? 5000 : 1500;
const NAME = FULL ? "limits" : "l".repeat(200);
const TOKEN = "e2e-sync-scale-token-5e7a";
const STEP_TIMEOUT = 600_000;
const route = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

if (!terraform) process.stderr.write("\n*** SKIPPED: the sync layout at scale needs the terraform binary on the PATH ***\n\n");

describe.skipIf(!terraform)(`the sync layout with ${N.toLocaleString("en-US")} plugins through terraform ${terraform?.version ?? "(missing)"}`, () => {
  let kong: KongEmulator;
  let stack: E2eStack;
  const ids: string[] = [];

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.15", adminToken: TOKEN });
    for (let i = 0; i < N; i++) kong.addRoute({ id: route(i) });
    stack = new E2eStack({ serverUrl: kong.url, layout: "sync" }, { KONG_ADMIN_TOKEN: TOKEN });
  });

  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
  });

  function load(minuteOf: (i: number) => number, keep: (i: number) => boolean = () => true): void {
    ids.length = 0;
    stack.load((s: TerraformStack, provider: KongGatewayProvider) => {
      for (let i = 0; i < N; i++) {
        if (keep(i)) ids[i] = new PluginRateLimiting(s, `${NAME}-${i}`, { provider, route: { id: route(i) }, config: { minute: minuteOf(i) } }).pluginId;
      }
    });
  }

  it(
    "creates every plugin in one apply",
    async () => {
      load(() => 10);
      const applied = expectExit(await stack.apply(), 0, "apply");
      expect(applied.stdout).toContain(`kong: sync: ${N} plugins declared: ${N} created, 0 updated, 0 unchanged, 0 deleted`);
      expect(kong.plugins()).toHaveLength(N);
    },
    STEP_TIMEOUT,
  );

  it(
    "writes the one plugin that changed, and deletes the one removed",
    async () => {
      load((i) => (i === 7 ? 11 : 10));
      kong.clearRequests();
      expectExit(await stack.apply(), 0, "apply of one change");
      expect(kong.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /plugins/${ids[7]}`]);
      const removed = ids[9]!;
      load((i) => (i === 7 ? 11 : 10), (i) => i !== 9);
      kong.clearRequests();
      expectExit(await stack.apply(), 0, "apply of one removal");
      expect(kong.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([`DELETE /plugins/${removed}`]);
      expect(kong.plugins()).toHaveLength(N - 1);
    },
    STEP_TIMEOUT,
  );

  it(
    "destroys every plugin",
    async () => {
      expectExit(await stack.destroy(), 0, "destroy");
      expect(kong.plugins()).toEqual([]);
    },
    STEP_TIMEOUT,
  );
});
