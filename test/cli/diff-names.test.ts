/**
 * `diff` on a stack whose references name entities it does not declare (`service: { name }`, a
 * consumer's `{ username }`): it compares the ids Kong stores, as the sync does, so nothing reads as a
 * change right after the apply; a name Kong no longer holds is said, with what the apply would do.
 */
import * as path from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongGatewayProvider, PluginRateLimiting, Route } from "../../src/index.js";
import { KongEmulator, TerraformWorkdir } from "../../src/testing/index.js";
import { terraform } from "../support/e2e.js";
import { appliedWorkdir, runCli, tempDir, TOKEN } from "./support.js";

describe.skipIf(!terraform)("diff on a stack with references by name", () => {
  let kong: KongEmulator;
  let work: ReturnType<typeof tempDir>;
  let workdir: TerraformWorkdir;
  let outdir: string;
  const env = { KONG_ADMIN_TOKEN: TOKEN };

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "community", version: "3.9.1", adminToken: TOKEN });
    kong.addService({ name: "legacy", host: "legacy.internal" });
    const partner = await fetch(`${kong.url}/consumers`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ username: "partner" }) });
    expect(partner.status).toBe(201);
    work = tempDir("cli-diff-names");
    outdir = path.join(work.dir, "cdktf.out");
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "gw");
    new LocalBackend(stack, { path: path.join(work.dir, "terraform.tfstate") });
    new KongGatewayProvider(stack, "kong", { serverUrl: kong.url, edition: "oss", kongVersion: "3.9" });
    new Route(stack, "checkout", { name: "checkout", service: { name: "legacy" }, paths: ["/checkout"] });
    new PluginRateLimiting(stack, "partner-limits", { consumer: { username: "partner" }, config: { minute: 5, policy: "local" } });
    app.synth();
    workdir = await appliedWorkdir(outdir, "gw", env);
  });

  afterAll(async () => {
    workdir?.dispose();
    work?.dispose();
    await kong?.stop();
  });

  it("finds nothing to change right after the apply", async () => {
    const result = await runCli(["diff", "--out", outdir], { env });
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("Entities: 0 to create, 0 to update, 1 unchanged");
    expect(result.stdout).toContain("Summary: 0 to create, 0 to update, 1 unchanged");
    expect(result.stdout).toContain("= unchanged gw/partner-limits: rate-limiting plugin");
    expect(result.code).toBe(0);
  });

  it("says so when Kong no longer holds a name", async () => {
    const consumer = kong.entities("consumers")[0]!;
    const deleted = await fetch(`${kong.url}/consumers/${consumer.id as string}`, { method: "DELETE", headers: { "kong-admin-token": TOKEN } });
    expect(deleted.status).toBe(204);
    const result = await runCli(["diff", "--out", outdir], { env });
    expect(result.stderr).toContain(
      'warning: consumer "partner", which the rate-limiting plugin at "gw/partner-limits" names (consumer.username), is not in Kong (default workspace): declare it in the stack, or create it before the apply (the apply would stop on it)',
    );
  });
});
