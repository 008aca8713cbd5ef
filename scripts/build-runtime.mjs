// The apply-time program as one self-contained file that Terraform runs with plain `node`:
// scripts/runtime-loader.cjs, then the bundled program in a comment, which the loader compiles
// through V8's code cache (see the loader for why and how).
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const LOADER = path.join(path.dirname(fileURLToPath(import.meta.url)), "runtime-loader.cjs");
const MARKER = "/*\0kong-session-program\n";

/**
 * Builtin modules and undici modules replaced in the bundle, each for start-up time measured with
 * `npm run bench` (see docs/BENCHMARKS.md):
 *
 * Never run by this program, replaced by a module that throws when loaded:
 * - `node:http2`: undici speaks HTTP/2 only when `allowH2` is set (it is not: ALPN offers http/1.1
 *   only) and falls back by itself when the module cannot be loaded; loading it costs ~10 ms (tls,
 *   crypto, fs/promises, readline).
 * - undici's `web/fetch/body.js` (with `webidl`, `formdata`, ...): used only to send FormData or
 *   Blob bodies; the program sends strings. A third of undici's bundled size.
 *
 * Replaced for undici's modules by the little they use (~8 ms and ~2 ms of start-up):
 * - `node:http`: undici reads `IncomingMessage`, to recognize one when destroying a request body
 *   (this program never loads node:http, so it never has one), and `maxHeaderSize`, Node's
 *   `--max-http-header-size` (16 KiB unless set on the command line or in NODE_OPTIONS, then read
 *   from node:http itself).
 * - `node:assert`: undici only calls `assert(value)` on its own invariants (checked below).
 */
const STUBS = {
  "node:http2": `throw new Error("node:http2 is not part of kong-session.cjs");`,
  "undici/lib/web/fetch/body.js": `throw new Error("undici/lib/web/fetch/body.js is not part of kong-session.cjs");`,
  "node:http": `"use strict";
const flag = "--max-http-header-size";
const flagSet = process.execArgv.some((arg) => arg.startsWith(flag)) || (process.env.NODE_OPTIONS || "").includes(flag);
module.exports = {
  IncomingMessage: class IncomingMessageNotLoaded {},
  maxHeaderSize: flagSet ? require("node:http").maxHeaderSize : 16 * 1024,
};`,
  "node:assert": `"use strict";
module.exports = function assert(value, message) {
  if (!value) throw Object.assign(new Error(message || "undici: internal assertion failed"), { name: "AssertionError", code: "ERR_ASSERTION" });
};`,
};

const UNDICI = /[\\/]node_modules[\\/]undici[\\/]lib[\\/]/;

const stubs = {
  name: "kong-session-stubs",
  setup(build) {
    const stub = (name) => ({ path: name, namespace: "kong-session-stubs" });
    build.onResolve({ filter: /^node:http2$/ }, () => stub("node:http2"));
    build.onResolve({ filter: /^node:(http|assert)$/ }, (args) => (UNDICI.test(args.importer) ? stub(args.path) : undefined));
    build.onResolve({ filter: /^\.\.\/web\/fetch\/body\.js$/ }, (args) =>
      /[\\/]dispatcher[\\/]client-h[12]\.js$/.test(args.importer) && UNDICI.test(args.importer) ? stub("undici/lib/web/fetch/body.js") : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "kong-session-stubs" }, (args) => ({ contents: STUBS[args.path], loader: "js" }));
  },
};

/** Fails the build when undici uses more of node:assert than the stub has. */
function checkAssertUse(metafile, root) {
  for (const input of Object.keys(metafile.inputs)) {
    if (!UNDICI.test(input)) continue;
    const text = readFileSync(path.resolve(root, input), "utf8");
    const other = /\bassert\.(\w+)/.exec(text);
    if (other) throw new Error(`${input} uses assert.${other[1]}, which the node:assert stub of scripts/build-runtime.mjs lacks`);
  }
}

/**
 * Bundles `src/runtime/main.ts` of `root` into `outfile`.
 *
 * @param {{ root: string, outfile: string, entry?: string, nodePaths?: string[], minify?: boolean, plugins?: object[] }} options
 *   for the benchmarks and profiling: another `entry` (a reference program), `minify: false` to keep
 *   names, esbuild `plugins` to instrument a build
 * @returns {Promise<{ bytes: number, programBytes: number }>}
 */
export async function buildRuntime({ root, outfile, entry = "src/runtime/main.ts", nodePaths = [], minify = true, plugins = [] }) {
  const esbuild = require("esbuild");
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [path.resolve(root, entry)],
    outfile,
    write: false,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // `minify: false` keeps the names (for profiles); comments go in any case
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: minify,
    charset: "ascii",
    legalComments: "none",
    nodePaths,
    plugins: [stubs, ...plugins],
    metafile: true,
    logLevel: "warning",
  });
  checkAssertUse(result.metafile, root);
  // the program reads the one table of facts its stack gives it (KONG_CDKTF_FACTS): none is bundled
  const tables = Object.keys(result.metafile.inputs).filter((input) => /schema[\\/]generated[\\/](?:plugins[\\/]|catalog\.)/.test(input));
  if (tables.length > 0) throw new Error(`the bundled program must not include the tables of facts, but has ${tables.slice(0, 3).join(", ")}${tables.length > 3 ? ", …" : ""}`);
  // compiled by the loader as a CommonJS module's function, with the loader's module and require
  const program = `(function (exports, require, module, __filename, __dirname) {${result.outputFiles[0].text}\n})`;
  for (let i = 0; i < program.length; i++) {
    const code = program.charCodeAt(i);
    if (code === 0 || code > 127) throw new Error(`the bundled program has a character the loader cannot carry (code ${code} at ${i})`);
  }
  if (/\bimport\(/.test(program)) throw new Error("the bundled program has a dynamic import(), which vm.Script cannot run");
  const hash = createHash("sha256").update(program).digest("hex").slice(0, 16);
  const loader = readFileSync(LOADER, "utf8").replace('"__PROGRAM_HASH__"', JSON.stringify(hash));
  if (/[^\x01-\x7f]/.test(loader)) throw new Error(`${LOADER} must be ASCII: the file is written as latin1`);
  const file = `${loader}${MARKER}${program.replaceAll("*/", "*\0/")}*/\n`;
  writeFileSync(outfile, file, "latin1");
  return { bytes: Buffer.byteLength(file, "latin1"), programBytes: program.length };
}
