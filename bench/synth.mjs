// Section 1: synth of N PluginSessions, or of N typed plugins of 20 kinds (`stack: "mixed"`, the
// library "after" only: the builds before had no other plugin), against cdktf's own floor (the same
// resources built directly with cdktf's DataResource), each case in a fresh child process, runs
// interleaved.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./lib/util.mjs";

const CASE = path.join(path.dirname(fileURLToPath(import.meta.url)), "synth-case.cjs");

function runCase(args, env) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CASE, ...args], { env, maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`synth case ${args.join(" ")} failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()));
    });
  });
}

const FIELDS = ["cdktfImportMs", "libImportMs", "constructMs", "synthMs", "totalMs", "maxRssMiB"];

function summarize(samples) {
  return Object.fromEntries(FIELDS.map((f) => [f, median(samples.map((s) => s[f]))]));
}

/**
 * @param {object} o
 * @param {Array<{label: string, dist: string}>} o.libs the library builds to compare ("after" first)
 * @param {Array<{n: number, runs: number, validate: boolean, afterOnly?: boolean, stack?: "session" | "mixed"}>} o.cases
 *   `afterOnly`: the first library only (no floor, no other build), for sizes where those take minutes;
 *   `stack`: N PluginSessions (the default) or N plugins of 20 kinds (the first library and the floor)
 * @param {string} o.scratch a directory for the floor specs
 * @returns per case: { n, validate, runs, stack, floor, [label]: summary }
 */
export async function benchSynth({ libs, cases, scratch, env, log }) {
  const results = [];
  for (const c of cases) {
    const stack = c.stack ?? "session";
    const mode = stack === "mixed" ? "mixed" : "lib";
    const spec = path.join(scratch, `spec-${stack}-${c.n}.json`);
    const validate = c.validate ? "1" : "0";
    // one lib run writes the floor's spec (and warms the file cache); not counted
    if (!c.afterOnly) await runCase([mode, String(c.n), libs[0].dist, "0", spec], env);
    const measured = c.afterOnly || stack === "mixed" ? libs.slice(0, 1) : libs;
    const samples = Object.fromEntries([...measured.map((l) => [l.label, []]), ["floor", []]]);
    for (let run = 0; run < c.runs; run++) {
      if (!c.afterOnly) samples.floor.push(await runCase(["floor", String(c.n), spec, validate], env));
      for (const l of measured) samples[l.label].push(await runCase([mode, String(c.n), l.dist, validate], env));
      log(`  synth N=${c.n}${stack === "mixed" ? " of 20 kinds" : ""}${c.validate ? " (cdktf validations on)" : ""}: run ${run + 1}/${c.runs}`);
    }
    const row = { n: c.n, validate: c.validate, runs: c.runs, stack };
    for (const [label, list] of Object.entries(samples)) if (list.length > 0) row[label] = summarize(list);
    results.push(row);
  }
  return results;
}
