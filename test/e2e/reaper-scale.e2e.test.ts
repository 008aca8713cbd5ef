/**
 * The reaper at scale, through the real terraform: the lists of a provider with thousands of plugins
 * travel in chunks of environment variables that each stay under Linux's 128 KiB, and removing one
 * plugin from the code deletes exactly that one.
 *
 * Applying thousands of plugins takes a process per plugin, so the test applies the reaper alone:
 * the reaper of a synthesized stack of N plugins, its references to the identity resources replaced
 * by the owner tokens they would resolve to, against an emulator seeded with the N plugins as this
 * stack wrote them. CI runs N = 1,500 with 200-character construct names (several chunks); the full
 * run (KONG_RELIABILITY_FULL=1) runs N = 5,000.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongGatewayProvider, PluginSession } from "../../src/index.js";
import { KongEmulator } from "../../src/testing/index.js";
import { TerraformWorkdir } from "../../src/testing/terraform.js";
import { expectExit, terraform } from "../support/e2e.js";

const FULL = process.env.KONG_RELIABILITY_FULL === "1";
const N = FULL ? 5000 : 1500;
const NAME = FULL ? "plugin" : "p".repeat(200);
const REMOVED = 1234;
const route = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
/** The owner token the identity resource of plugin i would have (a UUID, as terraform_data's ids are). */
const owner = (i: number) => `11111111-0000-4000-8000-${String(i).padStart(12, "0")}`;

if (!terraform) process.stderr.write("\n*** SKIPPED: the reaper at scale needs the terraform binary on the PATH ***\n\n");

describe.skipIf(!terraform)(`the reaper of ${N.toLocaleString("en-US")} plugins through terraform ${terraform?.version ?? "(missing)"}`, () => {
  let kong: KongEmulator;
  let workdir: TerraformWorkdir;
  const ids: string[] = [];

  /** Synthesizes the stack of the plugins `keep` says, and loads its reaper alone into the working directory. */
  function loadReaper(keep: (i: number) => boolean): { chunks: string[]; current: string[] } {
    const outdir = mkdtempSync(path.join(tmpdir(), "kong-cdktf-reaper-"));
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, "scale");
      new LocalBackend(stack, { path: "terraform.tfstate" });
      new KongGatewayProvider(stack, "kong", { serverUrl: kong.url, layout: "per-resource" });
      for (let i = 0; i < N; i++) {
        if (!keep(i)) continue;
        const session = new PluginSession(stack, `${NAME}-${i}`, { route: { id: route(i) } });
        ids[i] = session.pluginId;
      }
      app.synth();
      const dir = path.join(outdir, "stacks", "scale");
      const json = JSON.parse(readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
      const [reaperId, reaper] = Object.entries(json.resource.terraform_data as Record<string, any>).find(([id]) => id.startsWith("kong_reaper"))!;
      // each `${terraform_data.<plugin>_identity_<hash>.id}` as Terraform would resolve it: the plugin's owner token
      const byLogicalId = new Map<string, string>();
      for (const [id, resource] of Object.entries(json.resource.terraform_data as Record<string, any>)) {
        const path = resource["//"]?.metadata?.path as string | undefined;
        const match = path ? /\/([^/]+)\/identity$/.exec(path) : null;
        if (match) byLogicalId.set(id, owner(Number(match[1]!.slice(NAME.length + 1))));
      }
      for (const [key, value] of Object.entries(reaper.triggers_replace as Record<string, string>)) {
        reaper.triggers_replace[key] = value.replace(/\$\{terraform_data\.([A-Za-z0-9_-]+)\.id\}/g, (_, id: string) => byLogicalId.get(id)!);
      }
      delete reaper.depends_on;
      json.resource = { terraform_data: { [reaperId]: reaper } };
      writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(json));
      workdir.load(dir);
      const environment = reaper.provisioner[0]["local-exec"].environment as Record<string, string>;
      return {
        chunks: Object.values(reaper.triggers_replace as Record<string, string>),
        current: Object.entries(environment).filter(([name]) => name.startsWith("KONG_CDKTF_REAP_CURRENT_")).map(([, value]) => value),
      };
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "community", version: "3.9.1" });
    workdir = TerraformWorkdir.create({ binary: terraform!.binary });
  }, 120_000);

  afterAll(async () => {
    workdir?.dispose();
    await kong?.stop();
  });

  it("keeps every chunk of both lists under 128 KiB, and removing one plugin from the code deletes exactly that one", async () => {
    // GIVEN the reaper of all N plugins applied, and Kong holding them as this stack wrote them
    const all = loadReaper(() => true);
    for (const chunk of [...all.chunks, ...all.current]) expect(Buffer.byteLength(chunk)).toBeLessThan(128 * 1024 - 1024);
    expect(all.chunks.length).toBeGreaterThan(1);
    expectExit(await workdir.init(), 0, "terraform init");
    expectExit(await workdir.apply(), 0, "apply of the reaper of every plugin");
    for (let i = 0; i < N; i++) {
      kong.addRoute({ id: route(i) });
      kong.seedPlugin({ id: ids[i]!, name: "session", route: { id: route(i) }, tags: [`cdktf-kong-gateway:owner=${owner(i)}`] });
    }
    kong.clearRequests();

    // WHEN one plugin leaves the code
    loadReaper((i) => i !== REMOVED);
    const applied = expectExit(await workdir.apply(), 0, "apply with one plugin removed");

    // THEN the reaper, replaced, deleted that plugin and no other
    expect(applied.stdout).toContain(`kong: deleted session plugin ${ids[REMOVED]} (default workspace)`);
    expect(kong.requests.filter((r) => r.method === "DELETE").map((r) => r.path)).toEqual([`/plugins/${ids[REMOVED]}`]);
    expect(kong.plugins()).toHaveLength(N - 1);
    expect(kong.plugin(ids[REMOVED]!)).toBeUndefined();
    expectExit(await workdir.plan(), 0, "plan after the removal");
  }, FULL ? 900_000 : 300_000);
});
