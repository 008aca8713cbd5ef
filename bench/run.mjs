// `npm run bench` (about 9 minutes) or `npm run bench -- --quick` (about 1 minute): what users pay
// for this library, against the floors, before and after the performance work, in one run.
// Prints tables and writes docs/BENCHMARKS.md. All traffic goes to an emulator on 127.0.0.1.
//
// Options:
//   --quick             fewer sizes and runs
//   --baseline <rev>    the git revision measured as "before" (default: the last one before the work)
//   --no-baseline       measure the working tree only
//   --bundle-rev <rev>  a git revision whose runtime bundle's size is reported too (default: the last
//                       one before every plugin was added), with --no-baseline too
//   --out <file>        where to write the report (default docs/BENCHMARKS.md); --out - prints only
//   --json <file>       also save the raw results
//   --from <file>       measure nothing: render the report from results saved with --json
import { execFile, execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { benchAction } from "./action.mjs";
import { ROOT, buildCurrent, buildRevision, scratchDir } from "./lib/build.mjs";
import { cleanEnv, machine, median, routeId, timeProcess } from "./lib/util.mjs";
import { printTables, writeReport } from "./report.mjs";
import { benchGateway } from "./gateway.mjs";
import { benchSync } from "./sync.mjs";
import { benchSynth } from "./synth.mjs";
import { benchTerraform } from "./terraform.mjs";

/** The last commit before the performance work: the "before" of every table. */
const BASELINE = "87d8f7e";
/** The last commit before every plugin was added (the session plugin only): its bundle's size is reported. */
const BUNDLE_REVISION = "7af03ab";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    baseline: { type: "string", default: BASELINE },
    "no-baseline": { type: "boolean", default: false },
    "bundle-rev": { type: "string", default: BUNDLE_REVISION },
    out: { type: "string", default: path.join(ROOT, "docs", "BENCHMARKS.md") },
    json: { type: "string" },
    from: { type: "string" },
  },
});

if (values.from) {
  const saved = JSON.parse(readFileSync(values.from, "utf8"));
  printTables(saved);
  if (values.out !== "-") writeReport(saved, values.out);
  process.exit(0);
}
const quick = values.quick;
const log = (line) => process.stderr.write(`${line}\n`);

const plan = quick
  ? {
      synth: [
        { n: 1, runs: 3, validate: false },
        { n: 100, runs: 3, validate: false },
        { n: 1000, runs: 1, validate: false },
        { n: 1, runs: 3, validate: true },
        { n: 1000, runs: 3, validate: false, stack: "mixed" },
      ],
      actionRuns: 10,
      concurrentRuns: 2,
      terraform: [{ n: 10, runs: 1 }],
      sync: [{ n: 100, runs: 1 }],
      gateway: { services: 200, runs: 1 },
    }
  : {
      synth: [
        { n: 1, runs: 7, validate: false },
        { n: 100, runs: 7, validate: false },
        { n: 1000, runs: 5, validate: false },
        { n: 1, runs: 5, validate: true },
        { n: 30, runs: 3, validate: true },
        { n: 1000, runs: 3, validate: true, afterOnly: true },
        { n: 100, runs: 5, validate: false, stack: "mixed" },
        { n: 1000, runs: 5, validate: false, stack: "mixed" },
      ],
      actionRuns: 25,
      concurrentRuns: 5,
      terraform: [
        { n: 10, runs: 3 },
        { n: 100, runs: 2 },
      ],
      sync: [
        { n: 300, runs: 1 },
        { n: 1000, runs: 1 },
      ],
      gateway: { services: 200, runs: 3 },
    };

/** bench/schema-reads.cjs in a child process: which tables of facts a synth of `kinds` kinds reads. */
function schemaReadsOf(dist, kinds, env) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, "bench", "schema-reads.cjs"), dist, String(kinds)], { env, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`schema-reads failed: ${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout.trim().split("\n").pop())),
    );
  });
}

const started = Date.now();
const scratch = scratchDir();
// Measured separately below: some images set it, and it makes every node start parse a CA bundle.
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS;
delete process.env.NODE_EXTRA_CA_CERTS;
let kong;
try {
  const info = await machine();
  const loadBefore = os.loadavg();
  log(`building the working tree${values["no-baseline"] ? "" : ` and ${values.baseline}`} into ${scratch}`);
  const after = await buildCurrent(scratch);
  const builds = [after];
  let baselineNote;
  if (!values["no-baseline"]) {
    const before = await buildRevision(scratch, values.baseline);
    if (before.skipped) baselineNote = before.skipped;
    else builds.push(before);
  } else baselineNote = "--no-baseline";
  // the runtime bundle's size at another revision (only its size: nothing else of it is measured)
  const bundles = builds.map((b) => ({ label: b.label, ...(b.rev ? { rev: b.rev } : {}), bytes: b.bundleBytes }));
  if (!builds.some((b) => b.rev === values["bundle-rev"])) {
    const other = await buildRevision(scratch, values["bundle-rev"]);
    bundles.push(other.skipped ? { label: values["bundle-rev"], rev: values["bundle-rev"], skipped: other.skipped } : { label: values["bundle-rev"], rev: values["bundle-rev"], bytes: other.bundleBytes });
  }
  for (const b of bundles) {
    if (!b.rev) continue;
    try {
      b.subject = execFileSync("git", ["-C", ROOT, "log", "-1", "--format=%s", b.rev], { encoding: "utf8" }).trim().slice(0, 80);
    } catch {
      // the revision is not in this checkout: its size says enough
    }
  }
  // the tables of facts a stack may copy beside the bundle: one per plugin kind it uses
  const tablesDir = path.join(after.dist, "schema", "generated", "plugins");
  const tableSizes = readdirSync(tablesDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({ name: f.slice(0, -5), bytes: statSync(path.join(tablesDir, f)).size }))
    .sort((a, b) => a.bytes - b.bytes);
  const factsTables = {
    count: tableSizes.length,
    medianBytes: median(tableSizes.map((t) => t.bytes)),
    largest: tableSizes.at(-1),
    rateLimitingBytes: tableSizes.find((t) => t.name === "rate-limiting")?.bytes,
  };

  const require = createRequire(import.meta.url);
  const { KongEmulator } = require(path.join(after.dist, "testing", "index.js"));
  kong = await KongEmulator.start({ host: "127.0.0.1" });
  const resetKong = (n) => {
    kong.reset();
    for (let i = 0; i < n; i++) kong.addRoute({ id: routeId(i), name: `route-${i}` });
  };
  const env = cleanEnv();

  log("1/5 synth");
  const synth = await benchSynth({ libs: builds, cases: plan.synth, scratch, env, log });
  log("  tables of facts read by a synth of 3 plugin kinds");
  const schemaReads = await schemaReadsOf(after.dist, 3, env);

  log("2/5 one apply-time action");
  const action = await benchAction({ builds, kong, resetKong, runs: plan.actionRuns, concurrentRuns: plan.concurrentRuns, scratch, env, log });
  if (extraCaCerts) {
    const withCa = [];
    for (let i = 0; i < 7; i++) withCa.push((await timeProcess(process.execPath, ["-e", "0"], { env: { ...env, NODE_EXTRA_CA_CERTS: extraCaCerts } })).ms);
    action.extraCaCerts = { path: extraCaCerts, floorMs: median(withCa) };
  }

  log("3/5 terraform apply, re-apply, destroy");
  // the code caches warmed by section 2, as on a runner after its first apply
  const terraform = await benchTerraform({ builds, sizes: plan.terraform, kong, resetKong, scratch, env: { TMPDIR: action.warmTmp }, log });
  delete action.warmTmp;

  log("4/5 the sync layout against a resource per plugin");
  const sync = await benchSync({ dist: after.dist, sizes: plan.sync, scratch, env, log });

  log("5/5 a whole gateway: services, routes and plugins");
  const gateway = await benchGateway({ dist: after.dist, ...plan.gateway, scratch, env, log });

  const results = {
    date: new Date().toISOString(),
    quick,
    command: `npm run bench${quick ? " -- --quick" : ""}`,
    baseline: builds.length > 1 ? values.baseline : undefined,
    baselineNote,
    machine: { ...info, loadAverage: `${loadBefore.map((l) => l.toFixed(2)).join(" ")} at start, ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at end` },
    durationS: (Date.now() - started) / 1000,
    synth,
    schemaReads,
    action,
    bundles,
    factsTables,
    terraform,
    sync,
    gateway,
  };
  printTables(results);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
  if (values.out !== "-") {
    writeReport(results, values.out);
    log(`wrote ${path.relative(process.cwd(), values.out)} in ${results.durationS.toFixed(0)} s`);
  }
} finally {
  await kong?.stop();
  rmSync(scratch, { recursive: true, force: true });
}
