// Section 5 (issue 11): the sync layout against the floor of any design with a Terraform resource per
// plugin, side by side in one run: create, no-op plan, change one, change all and destroy of N typed
// plugins of 20 kinds (bench/kinds.cjs) with `layout: "sync"`, against N `terraform_data` resources,
// one per plugin, whose provisioners run `true` (and one such resource alone: Terraform's own cost of any
// apply). Then the sync process alone (the apply-time
// program, started as Terraform starts it), its wall time per changed plugin and its peak memory.
//
//   node bench/sync.mjs [--sizes 300,1000] [--runs 1]   (or from bench/run.mjs)
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { synthStack } from "./action.mjs";
import { cleanEnv, median, routeId, timeProcess } from "./lib/util.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const STEPS = ["create", "noop plan", "change one", "change all", "destroy"];

function expectOk(result, what) {
  if (result.exitCode !== 0) throw new Error(`${what}: terraform exited ${result.exitCode}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  return result;
}

/** N terraform_data resources, one per plugin, with a create-time `true` provisioner; `changed(i)` changes resource i's triggers. */
function floorConfig(n, changed) {
  const resources = {};
  for (let i = 0; i < n; i++) {
    resources[`plugin_${i}`] = { triggers_replace: { v: changed(i) }, provisioner: [{ "local-exec": { command: "true" } }] };
  }
  return { terraform: { backend: { local: { path: "terraform.tfstate" } } }, resource: { terraform_data: resources } };
}

/**
 * @param {object} o
 * @param {string} o.dist the library build (dist/)
 * @param {Array<{n: number, runs: number}>} o.sizes
 */
export async function benchSync({ dist, sizes, scratch, env, log }) {
  const require = createRequire(import.meta.url);
  const { KongEmulator, TerraformWorkdir } = require(path.join(dist, "testing", "index.js"));
  const kong = await KongEmulator.start({ host: "127.0.0.1", version: "3.15.0" });
  const reset = (n) => {
    kong.reset();
    for (let i = 0; i < n; i++) kong.addRoute({ id: routeId(i), name: `route-${i}` });
  };
  const results = [];
  try {
    for (const { n, runs } of sizes) {
      const stacks = {};
      for (const change of ["none", "one", "all"]) stacks[change] = await synthStack({ dist }, n, kong.url, mkdtempSync(path.join(scratch, `sync-${n}-${change}-`)), "mixed-sync", change);
      /** A working copy of `count` floor resources per change: none, the first one, all. */
      const floorDirs = (name, count) =>
        Object.fromEntries(
          [["none", () => "a"], ["one", (i) => (i === 0 ? "b" : "a")], ["all", () => "c"]].map(([change, value]) => {
            const dir = mkdtempSync(path.join(scratch, `${name}-${n}-${change}-`));
            writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(floorConfig(count, value)));
            return [change, dir];
          }),
        );
      // and one terraform_data with a `true` provisioner: what any apply of a stack with a resource
      // costs Terraform here, whatever else it does (its "change all" is its "change one")
      const dirsOf = { floor: floorDirs("floor", n), one: floorDirs("one", 1), sync: stacks };
      const perStep = () => Object.fromEntries(STEPS.map((s) => [s, []]));
      const samples = { sync: perStep(), floor: perStep(), one: perStep(), writes: [] };
      for (let run = 0; run < runs; run++) {
        for (const variant of ["floor", "one", "sync"]) {
          reset(n);
          const dirs = dirsOf[variant];
          const workdir = TerraformWorkdir.create({ parentDir: scratch, env: { ...env, TF_PLUGIN_CACHE_DIR: "" } });
          try {
            const s = samples[variant];
            workdir.load(dirs.none);
            expectOk(await workdir.init(), "terraform init");
            kong.clearRequests();
            s.create.push(expectOk(await workdir.apply(), `${variant} create`).durationMs);
            if (variant === "sync" && kong.plugins().length !== n) throw new Error(`the sync left ${kong.plugins().length} plugins in the emulator, expected ${n}`);
            const plan = await workdir.plan();
            if (plan.exitCode !== 0) throw new Error(`${variant}: the plan after create is not empty (exit ${plan.exitCode})\n${plan.stdout.slice(-2000)}`);
            s["noop plan"].push(plan.durationMs);
            workdir.load(dirs.one);
            kong.clearRequests();
            s["change one"].push(expectOk(await workdir.apply(), `${variant} change one`).durationMs);
            if (variant === "sync") samples.writes.push(kong.requests.filter((r) => r.method !== "GET").length);
            workdir.load(dirs.all);
            s["change all"].push(expectOk(await workdir.apply(), `${variant} change all`).durationMs);
            s.destroy.push(expectOk(await workdir.destroy(), `${variant} destroy`).durationMs);
            if (variant === "sync" && kong.plugins().length !== 0) throw new Error(`destroy left ${kong.plugins().length} plugins in the emulator`);
          } finally {
            workdir.dispose();
          }
        }
        log(`  sync layout N=${n}: run ${run + 1}/${runs}`);
      }
      results.push({
        n,
        runs,
        steps: STEPS.map((step) => ({ step, floorMs: median(samples.floor[step]), oneMs: median(samples.one[step]), syncMs: median(samples.sync[step]) })),
        changeOneWrites: median(samples.writes),
        process: await processAlone(stacks, n, kong, reset, env),
      });
    }
  } finally {
    await kong.stop();
  }
  return results;
}

/**
 * The sync process alone, as Terraform starts it (in the stack's directory, the same environment),
 * under /usr/bin/time for its peak memory: create all N, nothing to change, change all N.
 */
async function processAlone(stacks, n, kong, reset, env) {
  reset(n);
  const owner = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";
  const run = async (dir) => {
    const bundle = path.join(dir, "assets", readdirSync(path.join(dir, "assets")).find((d) => d.startsWith("kong-session-runtime")));
    const program = path.join(bundle, readdirSync(bundle)[0], "kong-session.cjs");
    const desired = path.join("assets", readdirSync(path.join(dir, "assets")).find((d) => d.startsWith("kong-sync-")), "desired.json");
    const result = await timeProcess("/usr/bin/time", ["-f", "kong-bench-time %e %M", process.execPath, program, "sync"], {
      cwd: dir,
      env: { ...env, KONG_CDKTF_SYNC: desired, KONG_CDKTF_OWNER: owner, KONG_CDKTF_CONNECTION: "{}" },
      timeoutMs: 600_000,
    });
    const [, , maxKiB] = /kong-bench-time ([\d.]+) (\d+)/.exec(result.stderr) ?? [];
    return { ms: result.ms, maxRssMiB: Number(maxKiB) / 1024 };
  };
  const create = await run(stacks.none);
  const unchanged = await run(stacks.none);
  const all = await run(stacks.all);
  return { create, unchanged, changeAll: all, perChangedMs: all.ms / n };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { sizes: { type: "string", default: "300,1000" }, runs: { type: "string", default: "1" }, dist: { type: "string", default: path.join(HERE, "..", "dist") } } });
  const scratch = mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-bench-sync-"));
  try {
    const results = await benchSync({
      dist: values.dist,
      sizes: values.sizes.split(",").map((n) => ({ n: Number(n), runs: Number(values.runs) })),
      scratch,
      env: cleanEnv(),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
