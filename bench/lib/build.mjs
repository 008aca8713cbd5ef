// Builds a copy of the library for the benchmarks, independent of `tsc` (which may be broken by
// unrelated work in progress): every source file transpiled by esbuild into `<out>/dist`, the
// apply-time program bundled as the package build does, and node_modules linked from the checkout.
// The same for the working tree ("after") and for a git revision ("before"), so both are compared
// in one run, built the same way.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const esbuild = require("esbuild");

/** Library files the benchmarks need (the CLI is not one of them) whose name ends with `ext`. */
function sources(srcDir, ext = ".ts") {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path.relative(srcDir, full) !== "cli") walk(full);
      } else if (entry.name.endsWith(ext) && !entry.name.endsWith(".d.ts")) out.push(full);
    }
  };
  walk(srcDir);
  return out;
}

async function transpile(treeDir, outDir) {
  const srcDir = path.join(treeDir, "src");
  await esbuild.build({
    entryPoints: sources(srcDir),
    outdir: path.join(outDir, "dist"),
    outbase: srcDir,
    format: "cjs",
    platform: "node",
    target: "node20",
    logLevel: "error",
  });
  // the generated tables of facts (and the emulator's JSON Schemas) are JSON files read on first
  // use, as the package build copies them
  for (const file of sources(srcDir, ".json")) {
    const target = path.join(outDir, "dist", path.relative(srcDir, file));
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(outDir, "node_modules"), "dir");
}

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");

/** The working tree: library, emulator and the runtime bundle exactly as `npm run build` makes it. */
export async function buildCurrent(parent) {
  const out = mkdtempSync(path.join(parent, "after-"));
  await transpile(ROOT, out);
  const { buildRuntime } = await import(pathToFileURL(path.join(ROOT, "scripts", "build-runtime.mjs")).href);
  const result = await buildRuntime({ root: ROOT, outfile: path.join(out, "dist", "kong-session.cjs") });
  return { label: "after", dir: out, dist: path.join(out, "dist"), bundle: path.join(out, "dist", "kong-session.cjs"), bundleBytes: result.bytes };
}

/**
 * A git revision of the library, or undefined (with the reason) when git or the revision is not
 * available. Its runtime bundle is built with that revision's scripts/build-runtime.mjs when it has
 * one, else with the options scripts/build.mjs used at the time (bundle, minify, node20, cjs).
 */
export async function buildRevision(parent, rev) {
  try {
    execFileSync("git", ["-C", ROOT, "rev-parse", "--verify", "--quiet", `${rev}^{commit}`], { stdio: "ignore" });
  } catch {
    return { skipped: `git revision ${rev} is not available` };
  }
  const out = mkdtempSync(path.join(parent, "before-"));
  const tree = path.join(out, "tree");
  mkdirSync(tree);
  const tar = path.join(out, "tree.tar");
  execFileSync("git", ["-C", ROOT, "archive", "--format=tar", "-o", tar, rev, "src", "scripts"]);
  execFileSync("tar", ["-xf", tar, "-C", tree]);
  await transpile(tree, out);
  const bundle = path.join(out, "dist", "kong-session.cjs");
  let bytes;
  if (existsSync(path.join(tree, "scripts", "build-runtime.mjs"))) {
    const { buildRuntime } = await import(pathToFileURL(path.join(tree, "scripts", "build-runtime.mjs")).href);
    bytes = (await buildRuntime({ root: tree, outfile: bundle, nodePaths: [path.join(ROOT, "node_modules")] })).bytes;
  } else {
    const result = await esbuild.build({
      absWorkingDir: tree,
      entryPoints: ["src/runtime/main.ts"],
      outfile: bundle,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      minify: true,
      legalComments: "none",
      metafile: true,
      nodePaths: [path.join(ROOT, "node_modules")],
      logLevel: "error",
    });
    bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  }
  rmSync(tar);
  return { label: "before", rev, dir: out, dist: path.join(out, "dist"), bundle, bundleBytes: bytes };
}

/** A scratch directory for one benchmark run, removed by the caller. */
export function scratchDir() {
  return mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-bench-"));
}
