/**
 * `validate --out` and `diff` read the plugins of the sync layout from its desired set, and `diff`
 * names the sync resource's replacement as the repair of a plugin changed behind Terraform's back.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongGatewayProvider, PluginCors, PluginRateLimiting } from "../../src/index.js";
import { KongEmulator, TerraformWorkdir } from "../../src/testing/index.js";
import { terraform } from "../support/e2e.js";
import { appliedWorkdir, normalize, runCli, tempDir, TOKEN } from "./support.js";

describe.skipIf(!terraform)("the CLI on a stack of the sync layout", () => {
  let kong: KongEmulator;
  let work: ReturnType<typeof tempDir>;
  let workdir: TerraformWorkdir;
  let outdir: string;
  const env = { KONG_ADMIN_TOKEN: TOKEN };
  let ids: Record<string, string> = {};

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.15", adminToken: TOKEN });
    const routes = [kong.addRoute({ name: "a" }).id, kong.addRoute({ name: "b" }).id];
    work = tempDir("cli-sync");
    outdir = path.join(work.dir, "cdktf.out");
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "edge");
    new LocalBackend(stack, { path: path.join(work.dir, "terraform.tfstate") });
    new KongGatewayProvider(stack, "kong", { serverUrl: kong.url, layout: "sync" });
    ids = {
      limits: new PluginRateLimiting(stack, "limits", { route: { id: routes[0]! }, config: { minute: 5 } }).pluginId,
      cors: new PluginCors(stack, "cors", { route: { id: routes[1]! }, config: { origins: ["https://app.example.com"] } }).pluginId,
    };
    app.synth();
    workdir = await appliedWorkdir(outdir, "edge", env);
  });

  afterAll(async () => {
    workdir?.dispose();
    work?.dispose();
    await kong?.stop();
  });

  it("validates the plugins of the desired set", async () => {
    const result = await runCli(["validate", "--out", outdir], { env });
    expect(normalize(result.stdout)).toBe("ok: 2 plugins of 1 stack in <work>/cdktf.out are valid for Kong Enterprise 3.15\n");
    expect(result.code).toBe(0);
  });

  it("warns about a desired set it cannot read, and skips it", async () => {
    const stackDir = path.join(outdir, "stacks", "edge");
    const configuration = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
    const syncId = Object.keys(configuration.resource.terraform_data).find((id: string) => id.startsWith("kong_sync_"))!;
    const file = path.join(stackDir, configuration.resource.terraform_data[syncId].provisioner[0]["local-exec"].environment.KONG_CDKTF_SYNC);
    const saved = readFileSync(file, "utf8");
    try {
      writeFileSync(file, JSON.stringify({ version: 99, plugins: [] }));
      const old = await runCli(["validate", "--out", outdir], { env });
      expect(normalize(old.stderr).replace(/kong-sync-[0-9a-f]+/, "kong-sync-ADDR")).toContain(
        `warning: stack edge: terraform_data.${syncId}: the desired set assets/kong-sync-ADDR/desired.json is not of version 1: skipped (use the cdktf-kong-gateway that synthesized it)`,
      );
      rmSync(file);
      const missing = await runCli(["validate", "--out", outdir], { env });
      expect(normalize(missing.stderr).replace(/kong-sync-[0-9a-f]+/, "kong-sync-ADDR")).toContain(
        `warning: stack edge: terraform_data.${syncId} reads the desired set assets/kong-sync-ADDR/desired.json, which is missing or not JSON: skipped (synthesize the stack again)`,
      );
    } finally {
      writeFileSync(file, saved);
    }
  });

  it("finds nothing to change after the apply, and names the sync resource's replacement as the repair of a plugin deleted by hand", async () => {
    const clean = await runCli(["diff", "--out", outdir], { env });
    expect(normalize(clean.stdout, { [ids.limits!]: "<limits>", [ids.cors!]: "<cors>" })).toContain("Summary: 0 to create, 0 to update, 2 unchanged");
    expect(clean.code).toBe(0);

    const deleted = await fetch(`${kong.url}/plugins/${ids.cors}`, { method: "DELETE", headers: { "kong-admin-token": TOKEN } });
    expect(deleted.status).toBe(204);
    const drift = await runCli(["diff", "--out", outdir], { env });
    expect(drift.stdout).toMatch(/! missing in Kong edge\/cors: cors plugin [0-9a-f-]{36} \(default workspace\)/);
    expect(drift.stdout).toMatch(/repair: terraform apply -replace=terraform_data\.kong_sync_[0-9A-F]{8}/);
    expect(drift.code).toBe(2);
  });
});
