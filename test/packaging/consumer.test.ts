/**
 * The packed package, installed into a consumer project made from `cdktf init --template typescript`'s
 * own template (cdktf-cli 0.21.0, taken from its npm tarball at run time): the types of "cdktf-kong-gateway"
 * and "cdktf-kong-gateway/testing" resolve under node10 (the template's tsconfig: module CommonJS, no
 * moduleResolution), node16, nodenext and bundler, and the template's jest setup (ts-jest,
 * `Testing.setupJest()`, and this library's matchers added to its setup.js) runs a test that imports both
 * and uses the matchers; a file of "cdktf-kong-gateway/testing" type-checks with no test runner's types. A
 * control run without `typesVersions` shows what node10 consumers got before. Needs dist/ (`npm test`
 * builds first) and the npm registry or npm's cache; when `npm pack cdktf-cli` cannot get the template,
 * the tests are skipped with a loud `*** SKIPPED ***`.
 */
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "..", "..");
const CDKTF_CLI = "cdktf-cli@0.21.0";
const CACHE_DIR = path.join(tmpdir(), "cdktf-kong-gateway-test-cache");
const TEMPLATE = "package/bundle/templates/typescript";
const PROJECT_NAME = "kong-consumer-app"; // the project directory's basename: `{{ $base }}`
const PROJECT_ID = "0b7e2c1a-5d3f-4e8a-9c6b-1f2e3d4c5b6a"; // `cdktf init` puts a random UUID here

/** What the consumer installs: cdktf init's set, pinned (typescript@latest is 7, which breaks the template). */
const DEPENDENCIES = {
  cdktf: "0.21.0",
  constructs: (JSON.parse(readFileSync(path.join(ROOT, "node_modules", "constructs", "package.json"), "utf8")) as { version: string }).version,
};
const DEV_DEPENDENCIES = {
  typescript: "5.9.3",
  jest: "29.7.0",
  "ts-jest": "29.4.15",
  "@types/jest": "29.5.14",
  "@types/node": "20.19.43",
};

/** The resolutions beyond the template's own (node10), each a tsconfig extending the template's. */
const RESOLUTIONS = [
  { name: "node16", module: "node16", moduleResolution: "node16" },
  { name: "nodenext", module: "nodenext", moduleResolution: "nodenext" },
  { name: "bundler", module: "esnext", moduleResolution: "bundler" },
] as const;

const MAIN_TS = `import { Construct } from "constructs";
import { App, TerraformStack } from "cdktf";
import { KongGatewayProvider, PluginRateLimiting, PluginSession } from "cdktf-kong-gateway";

export class MyStack extends TerraformStack {
  readonly session: PluginSession;
  readonly limits: PluginRateLimiting;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new KongGatewayProvider(this, "kong", { serverUrl: "http://localhost:8001", backend: "terraform_data" });
    this.session = new PluginSession(this, "session", { config: { cookieName: "consumer-sid" } });
    this.limits = new PluginRateLimiting(this, "limits", { config: { minute: 5, policy: "local" } });
  }
}

if (require.main === module) {
  const app = new App();
  new MyStack(app, "${PROJECT_NAME}");
  app.synth();
}
`;

const MAIN_TEST_TS = `import "cdktf/lib/testing/adapters/jest"; // Load types for expect matchers
import "cdktf-kong-gateway/testing/jest"; // the types of toHaveKongPlugin and toHaveKongEntity (setup.js adds them)
import { DataResource, Testing } from "cdktf";
import { KongEmulator, kongBodies, maskRuntimeAssetHash } from "cdktf-kong-gateway/testing";
import { MyStack } from "../main";

describe("MyStack", () => {
  it("synthesizes the session plugin", () => {
    const stack = new MyStack(Testing.app(), "consumer");
    const synthesized: string = maskRuntimeAssetHash(Testing.synth(stack));
    expect(synthesized).toHaveResource(DataResource);
    expect(synthesized).toContain("consumer/session");
    expect(synthesized).toContain("assets/kong-session-runtime/<hash>/kong-session.cjs");
    // the sync layout: one sync resource, one trigger key per plugin
    expect(synthesized).toContain("kong-session.cjs sync");
    expect(synthesized).toContain("consumer/limits");
    expect(stack.session.pluginId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it("matches the plugins with toHaveKongPlugin", () => {
    const stack = new MyStack(Testing.app(), "consumer");
    expect(stack).toHaveKongPlugin("rate-limiting", { config: { minute: 5, policy: expect.any(String) } });
    expect(stack).not.toHaveKongPlugin("rate-limiting", { config: { minute: 6 } });
    expect(stack).not.toHaveKongEntity("Route");
    expect(kongBodies(stack).plugins.map((plugin) => plugin.path)).toEqual(["consumer/limits", "consumer/session"]);
    expect(() => expect(stack).toHaveKongPlugin("cors")).toThrow('expected stack "consumer" to have a cors plugin, and it has none');
  });

  it("starts and stops the Kong emulator", async () => {
    const kong: KongEmulator = await KongEmulator.start();
    try {
      expect(kong.url.startsWith("http://127.0.0.1:")).toBe(true);
      // the emulator's JSON Schemas ship in the package: rate-limiting is validated
      const put = (config: object) =>
        fetch(\`\${kong.url}/plugins/0b7e2c1a-5d3f-4e8a-9c6b-1f2e3d4c5b6b\`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "rate-limiting", config }) });
      expect((await put({ minutes: 5 })).status).toBe(400);
      expect((await put({ minute: 5 })).status).toBe(200);
    } finally {
      await kong.stop();
    }
  });
});
`;

/** A file that uses "cdktf-kong-gateway/testing" with no test runner's types in the program. */
const TESTING_ONLY_TS = `import { Testing } from "cdktf";
import { kongBodies, kongMatchers, type KongBodies } from "cdktf-kong-gateway/testing";
import { MyStack } from "./main";

const bodies: KongBodies = kongBodies(new MyStack(Testing.app(), "consumer"));
export const names: string[] = bodies.plugins.map((plugin) => plugin.name);
export const matchers: object = kongMatchers;
`;
const TESTING_ONLY_TSCONFIG = { extends: "./tsconfig.json", compilerOptions: { types: ["node"], incremental: false }, include: [], files: ["testing-only.ts"] };

/**
 * The environment of the consumer's commands: this process's, without what `npm test` and vitest add
 * (npm's lifecycle variables, e.g. `npm_config_local_prefix` or `npm_config_loglevel=silent`, and VITEST_*),
 * keeping npm's cache, registry and config files.
 */
const KEPT_NPM_VARIABLES = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig", "npm_config_globalconfig", "npm_config_cafile"]);
const childEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !(key.toLowerCase().startsWith("npm_") && !KEPT_NPM_VARIABLES.has(key.toLowerCase())) && !key.startsWith("VITEST") && key !== "NODE_OPTIONS" && key !== "NODE_ENV",
  ),
);

interface RunResult {
  code: number;
  stdout: string;
  /** stdout and stderr */
  output: string;
}

function run(command: string, args: string[], cwd: string, timeoutMs = 90_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: childEnv, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, output: `${stdout}${stderr}${error && code === -1 ? `\n${error.message}` : ""}` });
    });
  });
}

function expectSuccess(result: RunResult, what: string): void {
  if (result.code !== 0) throw new Error(`${what} exited with ${result.code}:\n${result.output}`);
}

/** `npm pack cdktf-cli@0.21.0` into the cache directory (npm's cache serves it after the first time), or why not. */
const cliTarball = ((): { file: string } | { skip: string } => {
  mkdirSync(CACHE_DIR, { recursive: true });
  const destination = mkdtempSync(path.join(CACHE_DIR, "pack-"));
  try {
    try {
      execFileSync("npm", ["pack", CDKTF_CLI, "--prefer-offline", "--pack-destination", destination], {
        env: childEnv,
        stdio: ["ignore", "pipe", "pipe"],
        timeout: 120_000,
      });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? "";
      const reason = stderr
        .split("\n")
        .filter((line) => /^npm error (code |\S*Error: )/.test(line))
        .map((line) => line.slice("npm error ".length))
        .join("; ");
      return { skip: `\`npm pack ${CDKTF_CLI}\` failed (no network and not in npm's cache?): ${reason || (error as Error).message}` };
    }
    const file = path.join(CACHE_DIR, "cdktf-cli-0.21.0.tgz");
    renameSync(path.join(destination, "cdktf-cli-0.21.0.tgz"), file);
    return { file };
  } finally {
    rmSync(destination, { recursive: true, force: true });
  }
})();

const skipReason = "skip" in cliTarball ? cliTarball.skip : undefined;
if (skipReason) process.stderr.write(`\n*** SKIPPED: consumer project from cdktf's typescript template: ${skipReason} ***\n\n`);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Copies a template directory the way sscaff does for `cdktf init`: placeholders filled in names and contents. */
function scaffold(template: string, destination: string, context: Record<string, string>, dir = ""): void {
  const substitute = (text: string) =>
    Object.entries({ ...context, "": "" }).reduce((out, [key, value]) => out.replace(new RegExp(`{{ *${escapeRegExp(key)} *}}`, "g"), value), text);
  for (const entry of readdirSync(path.join(template, dir))) {
    if (entry === ".hooks.sscaff.js") continue; // its post hook only runs `npm install` (done below, pinned)
    const source = path.join(template, dir, entry);
    if (statSync(source).isDirectory()) {
      scaffold(template, destination, context, path.join(dir, entry));
      continue;
    }
    const target = path.join(destination, substitute(path.join(dir, entry)));
    const text = substitute(readFileSync(source, "utf8"));
    if (/{{.*}}/.test(text)) throw new Error(`unfilled placeholder in ${path.join(dir, entry)}: ${/{{.*}}/.exec(text)?.[0]}`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

const INSTALLED_PACKAGE_JSON = ["node_modules", "cdktf-kong-gateway", "package.json"];

describe.skipIf(skipReason !== undefined)(`a consumer project from ${CDKTF_CLI}'s typescript template`, () => {
  let work: string;
  let project: string;
  let packedFiles: string[];

  beforeAll(async () => {
    for (const file of ["dist/index.d.ts", "dist/testing/index.d.ts", "dist/kong-session.cjs"]) {
      if (!existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
    }
    // digits only: the template's jest config ignores every path matching /.js/ (a regex), which a
    // random suffix such as "VJofjs" would match, and then jest finds no test
    work = path.join(tmpdir(), `kong-cdktf-consumer-${process.pid}-${Date.now()}`);
    mkdirSync(work, { recursive: true });

    const pack = await run("npm", ["pack", "--json", "--pack-destination", work], ROOT);
    expectSuccess(pack, "npm pack (the library)");
    const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    packedFiles = packed!.files.map((f) => f.path);

    const cli = path.join(work, "cdktf-cli");
    mkdirSync(cli);
    expectSuccess(await run("tar", ["-xzf", (cliTarball as { file: string }).file, "-C", cli, TEMPLATE], work), "tar");
    project = path.join(work, PROJECT_NAME);
    scaffold(path.join(cli, TEMPLATE), project, { $base: PROJECT_NAME, projectId: PROJECT_ID, sendCrashReports: "false", futureFlags: "" });

    const manifest = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")) as Record<string, unknown>;
    manifest.dependencies = { "cdktf-kong-gateway": `file:${path.join(work, packed!.filename)}`, ...DEPENDENCIES };
    manifest.devDependencies = DEV_DEPENDENCIES;
    writeFileSync(path.join(project, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(path.join(project, "main.ts"), MAIN_TS);
    writeFileSync(path.join(project, "__tests__", "main-test.ts"), MAIN_TEST_TS);
    // the template's setup file (setupFilesAfterEnv), with this library's matchers after cdktf's
    const setup = readFileSync(path.join(project, "setup.js"), "utf8");
    expect(setup).toContain("cdktf.Testing.setupJest();");
    writeFileSync(path.join(project, "setup.js"), `${setup.trimEnd()}\nrequire("cdktf-kong-gateway/testing/jest");\n`);
    writeFileSync(path.join(project, "testing-only.ts"), TESTING_ONLY_TS);
    writeFileSync(path.join(project, "tsconfig.testing-only.json"), `${JSON.stringify(TESTING_ONLY_TSCONFIG, null, 2)}\n`);
    for (const { name, module, moduleResolution } of RESOLUTIONS) {
      writeFileSync(path.join(project, `tsconfig.${name}.json`), `${JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { module, moduleResolution } }, null, 2)}\n`);
    }

    expectSuccess(await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], project, 150_000), "npm install");
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("packs both entry points' types, the runtime, README.md, LICENSE and CHANGELOG.md", () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "dist/index.d.ts",
        "dist/testing/index.d.ts",
        "dist/testing/vitest.d.mts",
        "dist/testing/vitest.mjs",
        "dist/testing/jest.d.ts",
        "dist/testing/jest.js",
        "dist/kong-session.cjs",
      ]),
    );
    const manifest = JSON.parse(readFileSync(path.join(project, ...INSTALLED_PACKAGE_JSON), "utf8")) as {
      types: string;
      exports: Record<string, string | { types?: string }>;
      typesVersions: Record<string, Record<string, string[]>>;
    };
    const subpathTypes = Object.entries(manifest.exports).flatMap(([subpath, target]) =>
      subpath !== "." && typeof target === "object" && target.types ? [[subpath.slice(2), target.types] as const] : [],
    );
    expect(subpathTypes.map(([subpath]) => subpath)).toEqual(["testing", "testing/vitest", "testing/jest"]);
    // node10 sees no "exports": every subpath with types needs a typesVersions entry pointing at the same file
    for (const [subpath, types] of subpathTypes) {
      expect(manifest.typesVersions["*"]?.[subpath]?.map((file) => path.posix.normalize(file))).toEqual([path.posix.normalize(types)]);
    }
    for (const file of [manifest.types, ...Object.values(manifest.typesVersions["*"] ?? {}).flat()]) {
      expect(packedFiles).toContain(path.posix.normalize(file));
    }
  });

  it("type-checks with the template's own tsconfig (module CommonJS, node10 resolution)", async () => {
    const tsconfig = JSON.parse(readFileSync(path.join(project, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions.module).toBe("CommonJS");
    expect(tsconfig.compilerOptions.moduleResolution).toBeUndefined();
    const tsc = await run("npx", ["--no", "--", "tsc", "--noEmit", "-p", ".", "--listFiles"], project);
    expectSuccess(tsc, "tsc (node10)");
    expect(tsc.stdout).toContain("node_modules/cdktf-kong-gateway/dist/index.d.ts");
    expect(tsc.stdout).toContain("node_modules/cdktf-kong-gateway/dist/testing/index.d.ts");
  });

  for (const { name, module, moduleResolution } of RESOLUTIONS) {
    it(`type-checks with module ${module} and moduleResolution ${moduleResolution}`, async () => {
      const tsc = await run("npx", ["--no", "--", "tsc", "--noEmit", "-p", `tsconfig.${name}.json`, "--listFiles"], project);
      expectSuccess(tsc, `tsc (${name})`);
      expect(tsc.stdout).toContain("node_modules/cdktf-kong-gateway/dist/index.d.ts");
      expect(tsc.stdout).toContain("node_modules/cdktf-kong-gateway/dist/testing/index.d.ts");
    });
  }

  it("type-checks a file of cdktf-kong-gateway/testing with no test runner's types", async () => {
    const tsc = await run("npx", ["--no", "--", "tsc", "--noEmit", "-p", "tsconfig.testing-only.json", "--listFiles"], project);
    expectSuccess(tsc, "tsc (testing only)");
    expect(tsc.stdout).toContain("node_modules/cdktf-kong-gateway/dist/testing/index.d.ts");
    expect(tsc.stdout).not.toMatch(/node_modules\/(?:@types\/jest|jest|expect|vitest|@vitest)\//);
  });

  it("runs the template's jest setup (ts-jest, Testing.setupJest) on a test importing both entry points", async () => {
    const jest = await run("npx", ["--no", "--", "jest", "--ci", "--no-cache", "--json", "--outputFile=jest-results.json"], project);
    expectSuccess(jest, "jest");
    const results = JSON.parse(readFileSync(path.join(project, "jest-results.json"), "utf8")) as {
      numTotalTests: number;
      numPassedTests: number;
      testResults: Array<{ assertionResults: Array<{ title: string; status: string }> }>;
    };
    expect(results.numTotalTests).toBe(3);
    expect(results.numPassedTests).toBe(3);
    expect(results.testResults.flatMap((r) => r.assertionResults.map((a) => `${a.title}: ${a.status}`))).toEqual([
      "synthesizes the session plugin: passed",
      "matches the plugins with toHaveKongPlugin: passed",
      "starts and stops the Kong emulator: passed",
    ]);
  });

  it("fails when the packed package.json has no typesVersions (TS2307 for cdktf-kong-gateway/testing under node10)", async () => {
    const file = path.join(project, ...INSTALLED_PACKAGE_JSON);
    const original = readFileSync(file, "utf8");
    const manifest = JSON.parse(original) as Record<string, unknown>;
    expect(manifest.typesVersions).toBeDefined();
    delete manifest.typesVersions;
    writeFileSync(file, JSON.stringify(manifest, null, 2));
    try {
      const tsc = await run("npx", ["--no", "--", "tsc", "--noEmit", "-p", "."], project);
      expect(tsc.code).not.toBe(0);
      expect(tsc.output).toMatch(/error TS2307: Cannot find module 'cdktf-kong-gateway\/testing'/);
      expect(tsc.output).not.toContain("Cannot find module 'cdktf-kong-gateway'"); // the root resolves through "types"
      const jest = await run("npx", ["--no", "--", "jest", "--ci", "--no-cache"], project);
      expect(jest.code).not.toBe(0);
      expect(jest.output).toContain("TS2307");
    } finally {
      writeFileSync(file, original);
    }
  });
});
