/**
 * `diff` reads `workspace: "default"` and no workspace as one workspace: nothing of the stack is
 * reported as "to delete" for the other spelling.
 */
import * as path from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongGatewayProvider, Service } from "../../src/index.js";
import { KongEmulator, TerraformWorkdir } from "../../src/testing/index.js";
import { terraform } from "../support/e2e.js";
import { appliedWorkdir, runCli, tempDir, TOKEN } from "./support.js";

describe.skipIf(!terraform)("diff: an entity declared with workspace 'default'", () => {
  let kong: KongEmulator;
  let work: ReturnType<typeof tempDir>;
  let workdir: TerraformWorkdir;
  let outdir: string;
  const env = { KONG_ADMIN_TOKEN: TOKEN };

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.15.0", adminToken: TOKEN, workspaces: ["team-a"] });
    work = tempDir("cli-diff-default-workspace");
    outdir = path.join(work.dir, "cdktf.out");
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "gw");
    new LocalBackend(stack, { path: path.join(work.dir, "terraform.tfstate") });
    new KongGatewayProvider(stack, "kong", { serverUrl: kong.url, kongVersion: "3.15" });
    new Service(stack, "orders", { name: "orders", host: "orders.internal", workspace: "default" });
    new Service(stack, "billing", { name: "billing", host: "billing.internal" });
    app.synth();
    workdir = await appliedWorkdir(outdir, "gw", env);
  }, 120_000);

  afterAll(async () => {
    workdir?.dispose();
    work?.dispose();
    await kong?.stop();
  });

  it("finds nothing to change and nothing to delete right after the apply", async () => {
    const result = await runCli(["diff", "--out", outdir], { env });
    expect(result.stdout).not.toContain("- delete");
    expect(result.stdout).toContain("Entities: 0 to create, 0 to update, 2 unchanged");
  });
});
