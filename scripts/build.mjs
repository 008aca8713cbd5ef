// Builds the package: the library with tsc into dist/, and the apply-time program as one
// self-contained file, dist/kong-session.cjs, that Terraform runs with plain `node`.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });

const esbuild = require("esbuild");
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ["src/runtime/main.ts"],
  outfile: "dist/kong-session.cjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`built dist/ and dist/kong-session.cjs (${(bytes / 1024).toFixed(1)} KiB)`);
