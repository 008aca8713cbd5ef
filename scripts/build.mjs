// Builds the package: the library with tsc into dist/, and the apply-time program as one
// self-contained file, dist/kong-session.cjs, that Terraform runs with plain `node`.
import { execFileSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { buildRuntime } from "./build-runtime.mjs";

const RUNTIME_FILE = "kong-session.cjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
// the generated tables of facts and the emulator's JSON Schemas are JSON, read on first use: tsc does not copy them
for (const dir of ["schema/generated/plugins", "schema/generated/entities", "testing/generated"]) {
  cpSync(path.join(root, "src", dir), path.join(root, "dist", dir), { recursive: true, filter: (file) => !file.endsWith(".ts") });
}

const { bytes } = await buildRuntime({ root, outfile: path.join(root, "dist", RUNTIME_FILE) });
console.log(`built dist/ and dist/${RUNTIME_FILE} (${(bytes / 1024).toFixed(1)} KiB)`);
