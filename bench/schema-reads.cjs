// Which generated tables of facts a synth reads, in a process of its own:
//
//   node bench/schema-reads.cjs <dist> <kinds>
//
// Counts every file under <dist>/schema/generated/plugins/ (the tables of facts) and
// <dist>/testing/generated/ (the emulator's JSON Schemas) that the process opens, reads, requires
// or copies, through a spy on `fs` installed before anything else loads: after importing the
// library, and after synthesizing a stack of 3 plugins of each of the first <kinds> kinds of
// bench/kinds.cjs. Also counts the generated construct modules (`plugins/generated/*.js`) loaded.
// Prints one JSON line.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const [dist, kindsText] = process.argv.slice(2);
const kinds = Number(kindsText);
const tables = path.join(path.resolve(dist), "schema", "generated", "plugins") + path.sep;
const schemas = path.join(path.resolve(dist), "testing", "generated") + path.sep;
const constructs = path.join(path.resolve(dist), "plugins", "generated") + path.sep;

/** file → the fs functions that touched it */
const touched = new Map();
function note(fn, file) {
  if (typeof file !== "string" && !(file instanceof URL) && !Buffer.isBuffer(file)) return;
  const full = path.resolve(file instanceof URL ? file.pathname : String(file));
  if (!full.startsWith(tables) && !full.startsWith(schemas)) return;
  if (!touched.has(full)) touched.set(full, new Set());
  touched.get(full).add(fn);
}
// every fs entry point that can read a file's content (sync, callback and promise forms)
for (const fn of ["readFileSync", "openSync", "copyFileSync", "cpSync", "readFile", "open", "copyFile", "cp", "createReadStream"]) {
  const original = fs[fn];
  if (typeof original !== "function") continue;
  fs[fn] = function (file, ...rest) {
    note(fn, file);
    return original.call(this, file, ...rest);
  };
}
for (const fn of ["readFile", "open", "copyFile", "cp"]) {
  const original = fs.promises[fn];
  fs.promises[fn] = function (file, ...rest) {
    note(`promises.${fn}`, file);
    return original.call(this, file, ...rest);
  };
}

const snapshot = () => {
  const files = [...touched.keys()];
  return {
    tables: files.filter((f) => f.startsWith(tables)).map((f) => path.basename(f, ".json")).sort(),
    schemas: files.filter((f) => f.startsWith(schemas)).map((f) => path.relative(schemas, f)).sort(),
    constructModules: Object.keys(require.cache).filter((f) => f.startsWith(constructs)).length,
  };
};

const cdktf = require("cdktf");
const lib = require(path.join(path.resolve(dist), "index.js"));
const afterImport = snapshot();

const { KINDS, mixedStack } = require("./kinds.cjs");
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-bench-reads-"));
const app = new cdktf.App({ outdir, skipValidation: true });
const stack = new cdktf.TerraformStack(app, "bench");
mixedStack(lib, stack, 3 * kinds, { kinds });
app.synth();
const afterSynth = snapshot();
const assets = fs.readdirSync(path.join(outdir, "stacks", "bench", "assets")).filter((a) => a.startsWith("kong-plugin-facts-"));
fs.rmSync(outdir, { recursive: true, force: true });

const available = fs.readdirSync(tables).filter((f) => f.endsWith(".json")).length;
process.stdout.write(
  `${JSON.stringify({
    kinds: KINDS.slice(0, kinds).map(([name]) => name),
    plugins: 3 * kinds,
    available,
    constructModulesAvailable: fs.readdirSync(constructs).filter((f) => f.endsWith(".js")).length,
    afterImport,
    afterSynth,
    factsAssets: assets.length,
    how: Object.fromEntries([...touched].map(([file, fns]) => [path.basename(file), [...fns].sort().join(", ")])),
  })}\n`,
);
