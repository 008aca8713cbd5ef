/**
 * Load: one stack of many PluginSessions (CI: 100, full run: 500) is synthesized (wall time and peak
 * memory measured in a process of its own, with the built library), applied with Terraform's default
 * parallelism, planned and destroyed against the emulator.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongEmulator, TerraformWorkdir } from "../../src/testing/index.js";
import { expectExit } from "../support/e2e.js";
import { ROOT, size, TERRAFORM_VERSION } from "./support/mode.js";
import { cleanEnv } from "./support/program.js";
import { n, record, seconds } from "./support/results.js";

const PLUGINS = size(100, 500);
const TOKEN = "kpat_load_W3eR6tY9uI2oP5aS8dF1";

interface SynthFigures {
  plugins: number;
  synthMs: number;
  processMs: number;
  maxRssKb: number;
  jsonBytes: number;
}

function synthInChild(outdir: string, serverUrl: string, routesFile: string): Promise<SynthFigures & { wallMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(ROOT, "test", "reliability", "support", "synth-load.cjs"), outdir, serverUrl, routesFile],
      { cwd: ROOT, env: cleanEnv(), maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`synth failed: ${error.message}\n${stderr}`));
        resolve({ ...(JSON.parse(stdout) as SynthFigures), wallMs: performance.now() - started });
      },
    );
  });
}

if (!TERRAFORM_VERSION) process.stderr.write("\n*** SKIPPED: reliability load run needs the terraform binary ***\n\n");

describe.skipIf(!TERRAFORM_VERSION)(`${PLUGINS} PluginSessions in one stack`, () => {
  let kong: KongEmulator;
  let work: string;
  let workdir: TerraformWorkdir;

  beforeAll(async () => {
    kong = await KongEmulator.start({ adminToken: TOKEN });
    work = mkdtempSync(path.join(tmpdir(), "kong-cdktf-load-"));
    workdir = TerraformWorkdir.create({ env: { KONG_ADMIN_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    workdir?.dispose();
    rmSync(work, { recursive: true, force: true });
    await kong?.stop();
  });

  it("synth, apply (default parallelism), plan and destroy complete without error", async () => {
    const routes = Array.from({ length: PLUGINS }, () => kong.addRoute().id);
    const routesFile = path.join(work, "routes.json");
    writeFileSync(routesFile, JSON.stringify(routes));
    const synth = await synthInChild(path.join(work, "cdktf.out"), kong.url, routesFile);
    expect(synth.plugins).toBe(PLUGINS);

    workdir.load(path.join(work, "cdktf.out", "stacks", "load"));
    expectExit(await workdir.init(), 0, "terraform init");
    const applied = expectExit(await workdir.apply(), 0, "apply");
    expect(applied.stdout).toContain(`Apply complete! Resources: ${2 * PLUGINS + 1} added, 0 changed, 0 destroyed.`);
    const plugins = kong.plugins();
    expect(plugins).toHaveLength(PLUGINS);
    expect(new Set(plugins.map((p) => p.route?.id))).toEqual(new Set(routes));
    expect(new Set(plugins.map((p) => p.config.cookie_name)).size).toBe(PLUGINS);
    const requestsApply = kong.stats().requests;

    const planned = expectExit(await workdir.plan(), 0, "plan after apply");
    kong.clearRequests();
    const destroyed = expectExit(await workdir.destroy(), 0, "destroy");
    expect(destroyed.stdout).toContain(`Destroy complete! Resources: ${2 * PLUGINS + 1} destroyed.`);
    expect(kong.plugins()).toEqual([]);
    const requestsDestroy = kong.stats().requests;
    expect(applied.stdout + applied.stderr + destroyed.stdout + destroyed.stderr).not.toContain(TOKEN);

    record({
      id: "load",
      rows: [
        {
          tried: `synthesize one stack of ${PLUGINS} PluginSessions (built library, a process of its own)`,
          times: "1 synth",
          held: `${seconds(synth.synthMs)} to synthesize (${seconds(synth.wallMs)} with node start-up), peak memory (max RSS) ${Math.round(synth.maxRssKb / 1024)} MiB, cdk.tf.json ${(synth.jsonBytes / 1024 / 1024).toFixed(1)} MiB`,
        },
        {
          tried: `terraform apply of the ${PLUGINS} plugins (${2 * PLUGINS + 1} resources), default parallelism (10)`,
          times: `1 apply, ${n(requestsApply)} Admin API requests`,
          held: `exit 0 in ${seconds(applied.durationMs)}; ${PLUGINS} plugins, each on its route with its config`,
        },
        { tried: "terraform plan right after", times: "1 plan", held: `empty (exit 0) in ${seconds(planned.durationMs)}` },
        { tried: "terraform destroy", times: `1 destroy, ${n(requestsDestroy)} Admin API requests`, held: `exit 0 in ${seconds(destroyed.durationMs)}; no plugin left` },
      ],
    }, ["test/reliability/support/synth-load.cjs"]);
  }, size(170_000, 900_000));
});
