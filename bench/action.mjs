// Section 2: one apply-time action, as Terraform starts it for one plugin at create time, against
// `node -e 0`; plus the effective parallelism of 10 such actions at once (for section 3).
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { median, timeProcess } from "./lib/util.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The case of a non-session plugin's action (its program reads the plugin's table of facts). */
export const RATE_LIMITING_CASE = "after: rate-limiting apply (KONG_CDKTF_FACTS)";

/** Synthesizes N plugins with a build's library (`kind` "mixed": of 20 kinds, "mixed-sync": with the sync layout; `change`: see stack.cjs); returns the stack directory. */
export function synthStack(build, n, serverUrl, outdir, kind, change) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(HERE, "stack.cjs"), build.dist, String(n), serverUrl, outdir, ...(kind ? [kind] : []), ...(change ? [change] : [])], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout.trim()),
    );
  });
}

/** Terraform's template syntax in JSON strings: `$${` is a literal `${`, `%%{` a literal `%{`. */
function unescapeTemplate(value) {
  return value.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/**
 * What Terraform starts for each plugin at create time: the command and environment of the
 * create-time provisioners of its resources, `self.triggers_replace.*` and `sensitive("…")`
 * resolved as Terraform does.
 */
export function createTimeActions(stackDir) {
  const json = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const actions = [];
  for (const [id, resource] of Object.entries(json.resource.terraform_data)) {
    for (const provisioner of resource.provisioner ?? []) {
      const exec = provisioner["local-exec"];
      if (!exec || exec.when === "destroy") continue;
      const env = {};
      for (const [name, value] of Object.entries(exec.environment ?? {})) {
        const self = /^\$\{self\.triggers_replace\.([A-Za-z0-9_]+)\}$/.exec(value);
        // a secret (a referenceable or encrypted field's value) travels base64-encoded in `sensitive("…")`
        const sensitive = /^\$\{sensitive\("([A-Za-z0-9+/=]*)"\)\}$/.exec(value);
        env[name] = sensitive ? sensitive[1] : unescapeTemplate(self ? resource.triggers_replace[self[1]] : value);
      }
      const [command, ...args] = exec.command.split(" ");
      actions.push({ resource: id, command: command === "node" ? process.execPath : command, args, env, cwd: stackDir });
    }
  }
  return actions;
}

/** Builds a reference program (bench/reference/*.ts) the way the real program is built. */
async function buildReference(scratch, name) {
  const { buildRuntime } = await import(new URL("../scripts/build-runtime.mjs", import.meta.url).href);
  const outfile = path.join(scratch, `${name}.cjs`);
  await buildRuntime({ root: path.join(HERE, ".."), entry: path.join("bench", "reference", `${name}.ts`), outfile });
  return outfile;
}

/**
 * @param {object} o
 * @param {Array<{label: string, dist: string}>} o.builds "after" first
 * @param {import("../src/testing/index.js").KongEmulator} o.kong
 * @param {(n: number) => void} o.resetKong forgets the plugins, keeps the routes of n plugins
 */
export async function benchAction({ builds, kong, resetKong, runs, concurrentRuns, scratch, env, log }) {
  const stacks = {};
  for (const build of builds) {
    stacks[build.label] = createTimeActions(await synthStack(build, 10, kong.url, mkdtempSync(path.join(scratch, `stack-${build.label}-`))));
  }
  const after = stacks[builds[0].label];
  const one = after[0];
  // a plugin whose program validates with a table of facts (the session plugin's rules are built
  // in): rate-limiting, the first plugin of a stack of 20 kinds, its facts file an asset of the stack
  const mixed = createTimeActions(await synthStack(builds[0], 20, kong.url, mkdtempSync(path.join(scratch, "stack-mixed-")), "mixed"));
  const rateLimiting = mixed.find((a) => /^rate-limiting-0_config_/.test(a.resource));
  if (!rateLimiting?.env.KONG_CDKTF_FACTS) throw new Error("the rate-limiting plugin's action has no KONG_CDKTF_FACTS");

  // a cache directory of the benchmark's own, warmed by one run of each case
  const warmTmp = path.join(scratch, "tmp-warm");
  mkdirSync(warmTmp, { mode: 0o700 });
  const baseEnv = { ...env, TMPDIR: warmTmp };
  const references = {
    "undici-get-put": await buildReference(scratch, "undici-get-put"),
    "node-http-get-put": await buildReference(scratch, "node-http-get-put"),
  };

  const cases = [{ name: "floor: node -e 0", command: process.execPath, args: ["-e", "0"], env: baseEnv }];
  for (const build of builds) {
    const action = stacks[build.label][0];
    cases.push({ name: `${build.label}: kong-session.cjs apply`, command: action.command, args: action.args, env: { ...baseEnv, ...action.env }, cwd: action.cwd });
    if (build.label === builds[0].label) {
      cases.push({ name: `${build.label}, cold code cache (first run)`, cold: true, command: action.command, args: action.args, env: { ...env, ...action.env }, cwd: action.cwd });
      const r = rateLimiting;
      cases.push({ name: RATE_LIMITING_CASE, factsBytes: statSync(path.join(r.cwd, r.env.KONG_CDKTF_FACTS)).size, command: r.command, args: r.args, env: { ...baseEnv, ...r.env }, cwd: r.cwd });
    }
  }
  for (const [name, file] of Object.entries(references)) {
    // "apply": the loader caches per action, and the reference programs ignore their arguments
    cases.push({ name: `reference: ${name}`, command: process.execPath, args: [file, "apply"], env: { ...baseEnv, ...one.env } });
  }

  // warm-up: the code caches (of the delete and reap actions too, for section 3), the file cache,
  // the emulator's JIT
  for (const c of cases) {
    resetKong(10);
    await timeProcess(c.command, c.args, { env: c.env, cwd: c.cwd });
    // the non-session case measures a real write: the emulator must hold the plugin afterwards
    if (c.name === RATE_LIMITING_CASE && !kong.plugins().some((p) => p.name === "rate-limiting" && p.config.minute === 60)) {
      throw new Error("the rate-limiting action exited 0 but the emulator does not hold the plugin");
    }
  }
  for (const build of builds) {
    const { command, args, cwd } = stacks[build.label][0];
    const program = args[0];
    await timeProcess(command, [program, "delete"], { env: { ...baseEnv, KONG_CDKTF_PLUGIN_ID: "00000000-0000-4000-8000-000000000000", KONG_CDKTF_SERVER_URL: kong.url }, cwd });
    await timeProcess(command, [program, "reap"], { env: baseEnv, cwd });
  }
  const samples = Object.fromEntries(cases.map((c) => [c.name, []]));
  for (let run = 0; run < runs; run++) {
    for (const c of cases) {
      resetKong(10);
      let caseEnv = c.env;
      let coldDir;
      if (c.cold) {
        coldDir = mkdtempSync(path.join(scratch, "tmp-cold-"));
        caseEnv = { ...c.env, TMPDIR: coldDir };
      }
      samples[c.name].push((await timeProcess(c.command, c.args, { env: caseEnv, cwd: c.cwd })).ms);
      if (coldDir) rmSync(coldDir, { recursive: true, force: true });
    }
    if ((run + 1) % 5 === 0 || run + 1 === runs) log(`  action: run ${run + 1}/${runs}`);
  }
  const rows = cases.map((c) => ({ name: c.name, ms: median(samples[c.name]), min: Math.min(...samples[c.name]), ...(c.factsBytes ? { factsBytes: c.factsBytes } : {}) }));

  // effective parallelism: 10 actions (10 plugins) at once, as terraform's default -parallelism
  const parallel = [];
  for (const build of builds) {
    const batch = stacks[build.label];
    const walls = [];
    for (let run = 0; run < concurrentRuns; run++) {
      resetKong(10);
      const started = performance.now();
      await Promise.all(batch.map((a) => timeProcess(a.command, a.args, { env: { ...baseEnv, ...a.env }, cwd: a.cwd })));
      walls.push(performance.now() - started);
    }
    const single = rows.find((r) => r.name === `${build.label}: kong-session.cjs apply`).ms;
    const wall = median(walls);
    parallel.push({ label: build.label, actions: batch.length, wallMs: wall, perActionMs: wall / batch.length, singleMs: single, parallelism: (batch.length * single) / wall });
  }
  log(`  action: ${concurrentRuns} batches of 10 concurrent actions per build`);
  return { rows, parallel, bundles: Object.fromEntries(builds.map((b) => [b.label, b.bundleBytes])), warmTmp };
}
