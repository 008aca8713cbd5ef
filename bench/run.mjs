// `npm run bench` (about 6 minutes) or `npm run bench -- --quick` (about 1 minute): what users pay
// for this library, against the floors, before and after the performance work, in one run.
// Prints tables and writes docs/BENCHMARKS.md. All traffic goes to an emulator on 127.0.0.1.
//
// Options:
//   --quick             fewer sizes and runs
//   --baseline <rev>    the git revision measured as "before" (default: the last one before the work)
//   --no-baseline       measure the working tree only
//   --out <file>        where to write the report (default docs/BENCHMARKS.md); --out - prints only
//   --json <file>       also save the raw results
//   --from <file>       measure nothing: render the report from results saved with --json
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { benchAction } from "./action.mjs";
import { ROOT, buildCurrent, buildRevision, scratchDir } from "./lib/build.mjs";
import { cleanEnv, machine, median, routeId, timeProcess } from "./lib/util.mjs";
import { printTables, writeReport } from "./report.mjs";
import { benchSynth } from "./synth.mjs";
import { benchTerraform } from "./terraform.mjs";

/** The last commit before the performance work: the "before" of every table. */
const BASELINE = "87d8f7e";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    baseline: { type: "string", default: BASELINE },
    "no-baseline": { type: "boolean", default: false },
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
      ],
      actionRuns: 10,
      concurrentRuns: 2,
      terraform: [{ n: 10, runs: 1 }],
    }
  : {
      synth: [
        { n: 1, runs: 7, validate: false },
        { n: 100, runs: 7, validate: false },
        { n: 1000, runs: 5, validate: false },
        { n: 1, runs: 5, validate: true },
        { n: 30, runs: 3, validate: true },
        { n: 1000, runs: 3, validate: true, afterOnly: true },
      ],
      actionRuns: 25,
      concurrentRuns: 5,
      terraform: [
        { n: 10, runs: 3 },
        { n: 100, runs: 2 },
      ],
    };

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

  const require = createRequire(import.meta.url);
  const { KongEmulator } = require(path.join(after.dist, "testing", "index.js"));
  kong = await KongEmulator.start({ host: "127.0.0.1" });
  const resetKong = (n) => {
    kong.reset();
    for (let i = 0; i < n; i++) kong.addRoute({ id: routeId(i), name: `route-${i}` });
  };
  const env = cleanEnv();

  log("1/3 synth");
  const synth = await benchSynth({ libs: builds, cases: plan.synth, scratch, env, log });

  log("2/3 one apply-time action");
  const action = await benchAction({ builds, kong, resetKong, runs: plan.actionRuns, concurrentRuns: plan.concurrentRuns, scratch, env, log });
  if (extraCaCerts) {
    const withCa = [];
    for (let i = 0; i < 7; i++) withCa.push((await timeProcess(process.execPath, ["-e", "0"], { env: { ...env, NODE_EXTRA_CA_CERTS: extraCaCerts } })).ms);
    action.extraCaCerts = { path: extraCaCerts, floorMs: median(withCa) };
  }

  log("3/3 terraform apply, re-apply, destroy");
  // the code caches warmed by section 2, as on a runner after its first apply
  const terraform = await benchTerraform({ builds, sizes: plan.terraform, kong, resetKong, scratch, env: { TMPDIR: action.warmTmp }, log });
  delete action.warmTmp;

  const results = {
    date: new Date().toISOString(),
    quick,
    command: `npm run bench${quick ? " -- --quick" : ""}`,
    baseline: builds.length > 1 ? values.baseline : undefined,
    baselineNote,
    machine: { ...info, loadAverage: `${loadBefore.map((l) => l.toFixed(2)).join(" ")} at start, ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} at end` },
    durationS: (Date.now() - started) / 1000,
    synth,
    action,
    terraform,
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
