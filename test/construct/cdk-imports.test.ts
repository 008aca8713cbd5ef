import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { expect, test } from "vitest";

const ROOT = path.join(__dirname, "..", "..");
const SRC = path.join(ROOT, "src");
const DIST = path.join(ROOT, "dist");
/** cdktf, cdktn and their packages (prebuilt providers: @cdktf/provider-null, @cdktn/provider-aws, …) */
const FRAMEWORK = String.raw`(?:cdktf|cdktn|@cdktf\/[^"]+|@cdktn\/[^"]+)`;
const IMPORTS_FRAMEWORK = new RegExp(String.raw`^(?:import|export)\b[^;]*?from\s+"${FRAMEWORK}"|require\("${FRAMEWORK}"\)|import\("${FRAMEWORK}"\)`, "m");

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return files(full, suffix);
    return full.endsWith(suffix) ? [full] : [];
  });
}

const relative = (root: string, file: string) => path.relative(root, file).split(path.sep).join("/");

test("only src/internal/cdk.ts imports cdktf, cdktn or a package of theirs", () => {
  const importers = files(SRC, ".ts")
    .filter((file) => IMPORTS_FRAMEWORK.test(readFileSync(file, "utf8")))
    .map((file) => relative(SRC, file));
  expect(importers).toEqual(["internal/cdk.ts"]);
});

test("src/internal/cdk.ts imports the frameworks' types only, and loads them by name when first asked", () => {
  const text = readFileSync(path.join(SRC, "internal", "cdk.ts"), "utf8");
  const imports = text.match(new RegExp(String.raw`^import\b[^;]*?from\s+"${FRAMEWORK}";`, "gm"));
  expect(imports).toEqual(['import type * as Cdktf from "cdktf";']);
  expect(text).toContain('export const FRAMEWORKS = ["cdktf", "cdktn"] as const;');
  expect(text.match(/require\([^)]*\)/g)).toEqual(["require(name)"]);
});

test("the published declarations name neither cdktf nor cdktn (a cdktn-only or cdktf-only install resolves them all)", () => {
  expect(existsSync(path.join(DIST, "index.d.ts")), "dist/ is missing: run `npm run build` first (npm test does)").toBe(true);
  const naming = files(DIST, ".d.ts")
    .filter((file) => IMPORTS_FRAMEWORK.test(readFileSync(file, "utf8")) || new RegExp(String.raw`import\("${FRAMEWORK}"\)`).test(readFileSync(file, "utf8")))
    .map((file) => relative(DIST, file));
  expect(naming).toEqual([]);
});

test("package.json: cdktf and cdktn are optional peers, and no dependency needs either", () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    peerDependencies: Record<string, string>;
    peerDependenciesMeta: Record<string, { optional?: boolean }>;
    dependencies: Record<string, string>;
  };
  expect(manifest.peerDependencies).toEqual({ cdktf: "^0.21.0", cdktn: "^0.24.0", constructs: "^10.4.2" });
  expect(manifest.peerDependenciesMeta).toEqual({ cdktf: { optional: true }, cdktn: { optional: true } });
  expect(Object.keys(manifest.dependencies).filter((name) => new RegExp(`^${FRAMEWORK}$`).test(name))).toEqual([]);
  // the dependencies' own peers: none names a framework (as @cdktf/provider-null's cdktf peer did)
  for (const name of Object.keys(manifest.dependencies)) {
    const own = JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")) as { peerDependencies?: Record<string, string> };
    expect(Object.keys(own.peerDependencies ?? {}).filter((peer) => new RegExp(`^${FRAMEWORK}$`).test(peer)), name).toEqual([]);
  }
});

test("the CLI, the testing entry, the bundled program and the main entry load with neither framework installed", () => {
  expect(existsSync(path.join(DIST, "kong-session.cjs")), "dist/ is missing: run `npm run build` first (npm test does)").toBe(true);
  const dir = mkdtempSync(path.join(tmpdir(), "kong-cdktf-no-framework-"));
  try {
    // resolving cdktf or cdktn fails as where neither is installed, and is recorded
    const hook = path.join(dir, "no-framework.cjs");
    writeFileSync(
      hook,
      `const Module = require("module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (/^(?:cdktf|cdktn|@cdktf\\/|@cdktn\\/)/.test(request)) {
    process.stderr.write("resolved " + request + "\\n");
    const error = new Error("Cannot find module '" + request + "'");
    error.code = "MODULE_NOT_FOUND";
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
`,
    );
    const node = (args: string[]) => {
      const result = spawnSync(process.execPath, ["--require", hook, ...args], { cwd: dir, encoding: "utf8" });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    const cli = node([path.join(DIST, "cli", "main.js"), "--help"]);
    expect(cli.status).toBe(0);
    expect(cli.stderr).not.toContain("resolved ");
    expect(cli.stdout).toContain("kong-gateway-cdktf");
    // the program, without a command: its usage error (it loaded)
    const program = node([path.join(DIST, "kong-session.cjs")]);
    expect(program.status).toBe(2);
    expect(program.stderr).not.toContain("resolved ");
    expect(program.stderr).toContain("usage: node kong-session.cjs <apply|delete|reap|sync|teardown>");
    const script = `
      require(${JSON.stringify(path.join(DIST, "testing", "index.js"))});
      const { KongGatewayProvider } = require(${JSON.stringify(path.join(DIST, "index.js"))});
      const { Construct } = require(${JSON.stringify(require.resolve("constructs", { paths: [DIST] }))});
      process.stderr.write("loaded\\n");
      try { new KongGatewayProvider(new Construct(undefined, "app"), "kong"); } catch (error) { console.log(error.message); }
    `;
    const main = node(["-e", script]);
    expect(main.status).toBe(0);
    // loading looked for neither; the first construct looked for both
    expect(main.stderr).toBe("loaded\nresolved cdktf\nresolved cdktn\n");
    expect(main.stdout.trim()).toMatchInlineSnapshot(
      `""app/kong": cdktf-kong-gateway needs cdktf (0.21) or cdktn (0.24) and found neither: install the one your app uses (npm install cdktn@0.24 or npm install cdktf@0.21)"`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
