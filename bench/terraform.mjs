// Sections 3 and 4: real `terraform apply` / no-op re-apply / `destroy` of N plugins against the
// emulator (terraform's default -parallelism=10), and the emulator's request latency meanwhile.
// The floor: the same configuration with every provisioner command replaced by `node -e 0`.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { synthStack } from "./action.mjs";
import { median } from "./lib/util.mjs";

/** The synthesized stack with every provisioner's command replaced by `node -e 0`, or removed. */
function floorStack(stackDir, provisioners) {
  const file = path.join(stackDir, "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8"));
  for (const resource of Object.values(json.resource.terraform_data)) {
    if (provisioners === "none") delete resource.provisioner;
    for (const provisioner of resource.provisioner ?? []) provisioner["local-exec"].command = "node -e 0";
  }
  writeFileSync(file, JSON.stringify(json, null, 2));
  return stackDir;
}

function expectOk(result, what) {
  if (result.exitCode !== 0) throw new Error(`${what}: terraform exited ${result.exitCode}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  return result;
}

/**
 * @param {object} o
 * @param {Array<{label: string, dist: string}>} o.builds "after" first
 * @param {Array<{n: number, runs: number}>} o.sizes plugin counts, and runs of each build at that count
 */
export async function benchTerraform({ builds, sizes, kong, resetKong, scratch, env, log }) {
  const require = createRequire(import.meta.url);
  const { TerraformWorkdir } = require(path.join(builds[0].dist, "testing", "terraform.js"));
  const results = [];
  for (const { n, runs } of sizes) {
    const variants = [];
    for (const build of builds) variants.push({ label: build.label, stack: await synthStack(build, n, kong.url, mkdtempSync(path.join(scratch, `tf-${build.label}-${n}-`))) });
    variants.push({
      label: "floor",
      stack: floorStack(await synthStack(builds[0], n, kong.url, mkdtempSync(path.join(scratch, `tf-floor-${n}-`))), "node -e 0"),
    });
    variants.push({
      label: "terraform only",
      stack: floorStack(await synthStack(builds[0], n, kong.url, mkdtempSync(path.join(scratch, `tf-bare-${n}-`))), "none"),
    });
    const samples = Object.fromEntries(variants.map((v) => [v.label, { apply: [], noop: [], destroy: [], applyStats: [], destroyStats: [] }]));
    for (let run = 0; run < runs; run++) {
      for (const variant of variants) {
        resetKong(n);
        const workdir = TerraformWorkdir.create({ parentDir: scratch, env: { ...env, TF_PLUGIN_CACHE_DIR: "" } });
        try {
          workdir.load(variant.stack);
          expectOk(await workdir.init(), "terraform init");
          kong.clearRequests();
          const apply = expectOk(await workdir.apply(), "terraform apply");
          const applyStats = kong.stats();
          const writes = variant.label === builds[0].label || variant.label === builds[1]?.label;
          if (writes && kong.plugins().length !== n) throw new Error(`apply left ${kong.plugins().length} plugins in the emulator, expected ${n}`);
          const noop = expectOk(await workdir.apply(), "terraform apply (no changes)");
          if (!/0 added, 0 changed, 0 destroyed|No changes/.test(noop.stdout)) throw new Error(`the re-apply changed something:\n${noop.stdout.slice(-2000)}`);
          kong.clearRequests();
          const destroy = expectOk(await workdir.destroy(), "terraform destroy");
          const destroyStats = kong.stats();
          if (writes && kong.plugins().length !== 0) throw new Error(`destroy left ${kong.plugins().length} plugins in the emulator`);
          const s = samples[variant.label];
          s.apply.push(apply.durationMs);
          s.noop.push(noop.durationMs);
          s.destroy.push(destroy.durationMs);
          s.applyStats.push(applyStats);
          s.destroyStats.push(destroyStats);
        } finally {
          workdir.dispose();
        }
      }
      log(`  terraform N=${n}: run ${run + 1}/${runs}`);
    }
    for (const [label, s] of Object.entries(samples)) {
      const stats = (list) => ({
        requests: median(list.map((x) => x.requests)),
        p50: median(list.map((x) => x.latencyMs.p50)),
        p99: median(list.map((x) => x.latencyMs.p99)),
        max: Math.max(...list.map((x) => x.latencyMs.max)),
      });
      results.push({
        n,
        label,
        applyMs: median(s.apply),
        noopMs: median(s.noop),
        destroyMs: median(s.destroy),
        applyStats: stats(s.applyStats),
        destroyStats: stats(s.destroyStats),
      });
    }
  }
  return results;
}
