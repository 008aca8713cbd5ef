// Section 6 (issue 12): a whole gateway, 200 services, 400 routes (two per service), 600 plugins (a
// key-auth on every route, a rate-limiting on every service), with the default sync layout, against
// open-source Kong 3.9 in the emulator. Synth against two floors in fresh child processes, runs
// interleaved (bench/gateway-case.cjs): cdktf building the same three resources and desired set, and
// cdktf building one resource per entity (the official provider's design, its bodies as nested
// attributes). Then terraform: create, no-op plan, change one route's paths, destroy, with the time the
// sync process itself reports and the requests it sent.
//
//   node bench/gateway.mjs [--services 200] [--runs 3]   (or from bench/run.mjs)
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { cleanEnv, median } from "./lib/util.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CASE = path.join(HERE, "gateway-case.cjs");
const FIELDS = ["constructMs", "synthMs", "totalMs", "maxRssMiB"];

function runCase(args, env) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CASE, ...args], { env, maxBuffer: 16 * 1024 * 1024, timeout: 10 * 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`gateway case ${args.join(" ")} failed: ${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout.trim().split("\n").pop())),
    );
  });
}

function expectOk(result, what) {
  if (result.exitCode !== 0) throw new Error(`${what}: terraform exited ${result.exitCode}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  return result;
}

/** The milliseconds the sync process reports on its plugins' summary line (it starts timing as the process starts its work). */
function syncMs(stdout) {
  const match = /kong: sync: \d+ plugins declared: [^(]*\((\d+) ms\)/.exec(stdout);
  return match ? Number(match[1]) : NaN;
}

/**
 * @param {object} o
 * @param {string} o.dist the library build (dist/)
 * @param {number} o.services services in the gateway (two routes and three plugins each)
 * @param {number} o.runs synth runs of each case
 */
export async function benchGateway({ dist, services, runs, scratch, env, log }) {
  const require = createRequire(import.meta.url);
  const { KongEmulator, TerraformWorkdir } = require(path.join(dist, "testing", "index.js"));
  const spec = path.join(mkdtempSync(path.join(scratch, "gateway-spec-")), "spec.json");
  await runCase(["lib", String(services), dist, spec], env);
  const samples = { lib: [], floor: [], perEntity: [] };
  for (let run = 0; run < runs; run++) {
    samples.floor.push(await runCase(["floor", String(services), spec], env));
    samples.perEntity.push(await runCase(["per-entity", String(services), spec], env));
    samples.lib.push(await runCase(["lib", String(services), dist], env));
    log(`  gateway synth of ${services} services: run ${run + 1}/${runs}`);
  }
  const summarize = (list) => Object.fromEntries(FIELDS.map((f) => [f, median(list.map((s) => s[f]))]));
  const synth = { lib: summarize(samples.lib), floor: summarize(samples.floor), perEntity: summarize(samples.perEntity) };

  const kong = await KongEmulator.start({ host: "127.0.0.1", edition: "community", version: "3.9.1" });
  const steps = {};
  try {
    const caseEnv = { ...env, BENCH_KONG_URL: kong.url };
    const dirs = {};
    for (const change of ["none", "one"]) {
      const outdir = mkdtempSync(path.join(scratch, `gateway-${change}-`));
      await runCase(["lib", String(services), dist, "", outdir, change], caseEnv);
      dirs[change] = path.join(outdir, "stacks", "gateway");
    }
    const workdir = TerraformWorkdir.create({ parentDir: scratch, env: { ...env, TF_PLUGIN_CACHE_DIR: "" } });
    try {
      workdir.load(dirs.none);
      expectOk(await workdir.init(), "terraform init");
      kong.clearRequests();
      const create = expectOk(await workdir.apply(), "create");
      steps.create = { ms: create.durationMs, syncMs: syncMs(create.stdout), requests: kong.requests.length };
      const entities = ["services", "routes"].reduce((n, kind) => n + kong.entities(kind).length, 0);
      if (entities !== services * 3 || kong.plugins().length !== services * 3) throw new Error(`the create left ${entities} services and routes and ${kong.plugins().length} plugins`);
      kong.clearRequests();
      const plan = await workdir.plan();
      if (plan.exitCode !== 0) throw new Error(`the plan after create is not empty (exit ${plan.exitCode})`);
      steps["noop plan"] = { ms: plan.durationMs, requests: kong.requests.length };
      workdir.load(dirs.one);
      kong.clearRequests();
      const changed = expectOk(await workdir.apply(), "change one");
      steps["change one"] = { ms: changed.durationMs, syncMs: syncMs(changed.stdout), requests: kong.requests.length, writes: kong.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} /${r.path.split("/")[1]}`) };
      kong.clearRequests();
      const destroyed = expectOk(await workdir.destroy(), "destroy");
      steps.destroy = { ms: destroyed.durationMs, requests: kong.requests.length };
      if (kong.plugins().length !== 0 || kong.entities("services").length !== 0) throw new Error("destroy left entities in the emulator");
    } finally {
      workdir.dispose();
    }
  } finally {
    await kong.stop();
  }
  return { services, routes: services * 2, plugins: services * 3, runs, synth, steps };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { services: { type: "string", default: "200" }, runs: { type: "string", default: "3" }, dist: { type: "string", default: path.join(HERE, "..", "dist") } } });
  const scratch = mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-bench-gateway-"));
  try {
    const result = await benchGateway({ dist: values.dist, services: Number(values.services), runs: Number(values.runs), scratch, env: cleanEnv(), log: (line) => process.stderr.write(`${line}\n`) });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
