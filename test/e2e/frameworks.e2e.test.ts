/**
 * The packed package in the projects that each framework's own `init --template=typescript --local`
 * makes, installed the plain way (`npm install cdktf-kong-gateway`, no overrides): CDK for Terraform
 * (cdktf-cli 0.21.0 on this Node) and CDK Terrain (cdktn-cli 0.24.0 on Node 22, from the npm package
 * `node`, which ships its binary). Each project's app is the template's stack with a provider, a
 * service, a route and two plugins, beside the whole-gateway example (examples/whole-gateway, its
 * "cdktf" import made the project's framework); the framework's CLI synthesizes it (`cdktf synth` /
 * `cdktn synth`, ts-node type-checking it), the real terraform applies it to the emulator, a changed
 * rate limit is one PUT per stack, the plan is then empty, and destroy leaves Kong empty; the package's
 * declarations type-check without skipLibCheck in an install without the other framework. A cdktn
 * project that also has cdktf installed (a prebuilt provider's peer) synthesizes the same JSON.
 *
 * Needs dist/ (`npm test` builds first), terraform and the npm registry or npm's cache. The CLIs and
 * the projects are cached under the OS temp directory (the projects by the packed tarball's digest),
 * so only the first run installs them; another tarball's projects are removed once unused for an hour.
 * Without terraform the tests are skipped, loudly.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongEmulator, maskRuntimeAssetHash } from "../../src/testing/index.js";
import { TerraformWorkdir } from "../../src/testing/terraform.js";
import { expectExit, terraform } from "../support/e2e.js";

const ROOT = path.resolve(__dirname, "..", "..");
const CACHE = path.join(tmpdir(), "cdktf-kong-gateway-test-cache", "frameworks");
/** The CLIs, and Node 22 for cdktn-cli (it needs >= 22.19), installed once into the cache. */
const TOOLS = { "cdktf-cli": "0.21.0", "cdktn-cli": "0.24.0", node: "22.23.3" } as const;
const KEY = "frameworks-e2e-mobile-app-key-5d2c8e1f9a3b7c4d";
const STEP_TIMEOUT = 180_000;

type Framework = "cdktf" | "cdktn";

/** The environment of the CLIs and npm: this process's without npm's lifecycle variables and vitest's. */
const KEPT_NPM_VARIABLES = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig", "npm_config_globalconfig", "npm_config_cafile"]);
const baseEnv: Record<string, string> = Object.fromEntries(
  Object.entries(process.env).filter(
    (entry): entry is [string, string] =>
      entry[1] !== undefined &&
      !(entry[0].toLowerCase().startsWith("npm_") && !KEPT_NPM_VARIABLES.has(entry[0].toLowerCase())) &&
      !entry[0].startsWith("VITEST") &&
      !entry[0].startsWith("TF_") &&
      !["NODE_OPTIONS", "NODE_ENV"].includes(entry[0]),
  ),
);

interface RunResult {
  code: number;
  stdout: string;
  output: string;
}

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 240_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...baseEnv, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, output: `${stdout}${stderr}${error && code === -1 ? `\n${error.message}` : ""}` });
    });
  });
}

async function succeed(what: string, command: string, args: readonly string[], cwd: string, env?: Record<string, string>): Promise<RunResult> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) throw new Error(`${what} exited with ${result.code}:\n${result.output.slice(-6000)}`);
  return result;
}

/** Makes `dir` once: built in a directory of its own, then renamed into place (a concurrent run's copy wins). */
async function cached(dir: string, build: (scratch: string) => Promise<void>): Promise<string> {
  const marker = path.join(dir, ".complete");
  if (existsSync(marker)) {
    utimesSync(marker, new Date(), new Date()); // in use: not pruned
    return dir;
  }
  const scratch = `${dir}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    await build(scratch);
    writeFileSync(path.join(scratch, ".complete"), "");
    rmSync(dir, { recursive: true, force: true });
    renameSync(scratch, dir);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    if (existsSync(path.join(dir, ".complete"))) return dir;
    throw error;
  }
  return dir;
}

/**
 * Removes what the cache holds for other tarballs (the entries `pattern` matches, but those kept) once
 * unused for an hour: another checkout's run on this machine may be using its own.
 */
function prune(pattern: RegExp, keep: readonly string[]): void {
  const unusedSince = Date.now() - 3600_000;
  for (const entry of readdirSync(CACHE)) {
    if (!pattern.test(entry) || keep.includes(entry)) continue;
    const full = path.join(CACHE, entry);
    const used = existsSync(path.join(full, ".complete")) ? path.join(full, ".complete") : full;
    if (statSync(used).mtimeMs < unusedSince) rmSync(full, { recursive: true, force: true });
  }
}

const digest = (text: string | Buffer) => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** The template's stack with this library in it, and the whole-gateway example beside it. */
function mainTs(framework: Framework, stackName: string): string {
  return `import { Construct } from "constructs";
import { App, DataResource, TerraformOutput, TerraformStack } from "${framework}";
import { KongGatewayProvider, PluginKeyAuth, PluginRateLimiting, Route, Service } from "cdktf-kong-gateway";
import { WholeGatewayStack } from "./whole-gateway";

class MyStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    const provider = new KongGatewayProvider(this, "kong", { serverUrl: process.env.KONG_URL!, kongVersion: "3.9", edition: "oss" });
    const service = new Service(this, "echo", { name: "echo", url: "http://echo.internal:8080" });
    const route = new Route(this, "echo_route", { service, name: "echo", paths: ["/echo"] });
    new PluginKeyAuth(this, "echo_key_auth", { route, config: { keyNames: ["apikey"] } });
    const limits = new PluginRateLimiting(this, "echo_limits", {
      service,
      config: { minute: Number(process.env.ECHO_PER_MINUTE), policy: "local" },
    });
    // the library's resources fit this framework's types: a dependency of the framework's own resource
    new DataResource(this, "after_limits", { input: { plugin: limits.pluginId }, dependsOn: [limits.configResource, provider.reaper] });
    new TerraformOutput(this, "limits_plugin_id", { value: limits.pluginId });
    // @ts-expect-error the resources are typed (not \`any\`): one is no number
    limits.configResource satisfies number;
  }
}

const app = new App();
new MyStack(app, "${stackName}");
new WholeGatewayStack(app, "whole-gateway", { serverUrl: process.env.KONG_URL!, ordersPerMinute: Number(process.env.ORDERS_PER_MINUTE) });
app.synth();
`;
}

if (!terraform) process.stderr.write("\n*** SKIPPED: cdktf and cdktn consumer projects end to end: terraform is not installed ***\n\n");

describe.skipIf(!terraform)("the packed package in cdktf's and cdktn's own init templates, end to end", () => {
  let work: string;
  let tools: string;
  let node22: string;
  let kong: KongEmulator;
  const projects = {} as Record<Framework | "cdktn+cdktf", string>;
  const cliConfig = () => path.join(work, "terraform.rc");

  /** The environment of a framework's CLI: its Node first on the PATH (the app's ts-node runs on it too). */
  const cliEnv = (framework: Framework, extra: Record<string, string> = {}): Record<string, string> => ({
    CHECKPOINT_DISABLE: "1",
    CI: "1",
    TF_CLI_CONFIG_FILE: cliConfig(),
    ...(framework === "cdktn" ? { PATH: `${path.dirname(node22)}${path.delimiter}${baseEnv.PATH ?? ""}` } : {}),
    ...extra,
  });
  const cli = (framework: Framework) => path.join(tools, "node_modules", ".bin", framework);

  beforeAll(async () => {
    for (const file of ["dist/index.js", "dist/index.d.ts", "dist/kong-session.cjs"]) {
      if (!existsSync(path.join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
    }
    mkdirSync(CACHE, { recursive: true });
    work = path.join(tmpdir(), `kong-cdktf-frameworks-${process.pid}-${Date.now()}`);
    mkdirSync(work, { recursive: true });
    writeFileSync(cliConfig(), "disable_checkpoint = true\n");

    const pack = await succeed("npm pack (the library)", "npm", ["pack", "--json", "--pack-destination", work], ROOT);
    const packed = path.join(work, (JSON.parse(pack.stdout) as Array<{ filename: string }>)[0]!.filename);
    const key = digest(readFileSync(packed));
    // where the cached projects' package.json finds it later (`file:`), whatever run made them
    const tarball = path.join(CACHE, `cdktf-kong-gateway-${key}.tgz`);
    if (!existsSync(tarball)) cpSync(packed, tarball);
    utimesSync(tarball, new Date(), new Date());

    tools = await cached(path.join(CACHE, `tools-${digest(JSON.stringify(TOOLS))}`), async (dir) => {
      writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "frameworks-tools", private: true, dependencies: TOOLS }, null, 2)}\n`);
      await succeed("npm install (the CLIs and Node 22)", "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], dir);
    });
    node22 = path.join(tools, "node_modules", "node", "bin", "node");
    expect((await succeed("node 22 --version", node22, ["--version"], work)).stdout.trim()).toBe(`v${TOOLS.node}`);

    // `init` as a user runs it, then the library the plain way (after init: its npm install runs first)
    const initProject = async (framework: Framework, dir: string, fixTemplate: string[] = []): Promise<void> => {
      const project = path.join(dir, "app");
      mkdirSync(project);
      const args = ["init", "--template=typescript", "--local", "--project-name=kong-app", "--project-description=kong", "--enable-crash-reporting=false"];
      await succeed(`${framework} init`, cli(framework), args, project, cliEnv(framework));
      if (fixTemplate.length > 0) await succeed("npm install (template fix)", "npm", ["install", "-D", ...fixTemplate, "--prefer-offline", "--no-audit", "--no-fund"], project);
      await succeed(`npm install ${path.basename(tarball)}`, "npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"], project);
    };
    // cdktf-cli 0.21's template installs typescript@latest (7), which ts-jest 29 refuses: every later
    // `npm install` fails on that peer until TypeScript is 5 again (cdktn's template pins typescript@5.x)
    projects.cdktf = path.join(await cached(path.join(CACHE, `cdktf-${key}`), (dir) => initProject("cdktf", dir, ["typescript@5.9.3"])), "app");
    projects.cdktn = path.join(await cached(path.join(CACHE, `cdktn-${key}`), (dir) => initProject("cdktn", dir)), "app");
    // a cdktn app that also has cdktf, as a package's peer dependency would bring it
    projects["cdktn+cdktf"] = path.join(
      await cached(path.join(CACHE, `cdktn+cdktf-${key}`), async (dir) => {
        cpSync(path.dirname(projects.cdktn), dir, { recursive: true, verbatimSymlinks: true });
        rmSync(path.join(dir, ".complete"));
        await succeed("npm install cdktf@0.21.0", "npm", ["install", "cdktf@0.21.0", "--prefer-offline", "--no-audit", "--no-fund"], path.join(dir, "app"));
      }),
      "app",
    );
    prune(/^(?:cdktf|cdktn|cdktn\+cdktf)-[0-9a-f]{16}(?:\.partial-\d+)?$/, Object.values(projects).map((project) => path.basename(path.dirname(project))));
    prune(/^cdktf-kong-gateway-[0-9a-f]{16}\.tgz$/, [path.basename(tarball)]);

    kong = await KongEmulator.start({ edition: "community", version: "3.9.1" });
  }, 600_000);

  afterAll(async () => {
    await kong?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** A fresh copy of a cached project (its node_modules linked), with the app written in. */
  function checkout(name: keyof typeof projects, framework: Framework): string {
    const dir = path.join(work, name);
    mkdirSync(dir);
    for (const entry of readdirSync(projects[name])) {
      if (entry === "node_modules" || entry === "cdktf.out") continue;
      cpSync(path.join(projects[name], entry), path.join(dir, entry), { recursive: true });
    }
    symlinkSync(path.join(projects[name], "node_modules"), path.join(dir, "node_modules"), "dir");
    writeFileSync(path.join(dir, "main.ts"), mainTs(framework, "kong-app"));
    const example = readFileSync(path.join(ROOT, "examples", "whole-gateway", "main.ts"), "utf8");
    expect(example).toContain(` from "cdktf";`);
    writeFileSync(path.join(dir, "whole-gateway.ts"), example.replace(/ from "cdktf";/g, ` from "${framework}";`));
    return dir;
  }

  /** `<framework> synth` with the rate limits given; the stacks' directories. */
  async function synth(framework: Framework, dir: string, perMinute: { echo: number; orders: number }): Promise<Record<"app" | "gateway", string>> {
    rmSync(path.join(dir, "cdktf.out"), { recursive: true, force: true });
    const env = cliEnv(framework, { KONG_URL: kong.url, ECHO_PER_MINUTE: String(perMinute.echo), ORDERS_PER_MINUTE: String(perMinute.orders) });
    const result = await succeed(`${framework} synth`, cli(framework), ["synth"], dir, env);
    expect(result.output).toContain("kong-app");
    return { app: path.join(dir, "cdktf.out", "stacks", "kong-app"), gateway: path.join(dir, "cdktf.out", "stacks", "whole-gateway") };
  }

  const writes = () => kong.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path.split("/")[1]}`);
  /** A stack's cdk.tf.json, its project's path, the runtime's asset hash and the framework's version masked. */
  const tfJson = (stackDir: string): Record<string, unknown> => {
    const project = path.dirname(path.dirname(path.dirname(stackDir)));
    const json = JSON.parse(maskRuntimeAssetHash(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")).split(project).join("<project>")) as {
      "//": { metadata: { version?: string } };
    };
    expect(json["//"].metadata.version).toMatch(/^0\.2[14]\./);
    delete json["//"].metadata.version;
    return json;
  };

  const synthesized = {} as Record<Framework, Record<"app" | "gateway", Record<string, unknown>>>;

  for (const framework of ["cdktf", "cdktn"] as const) {
    const other = framework === "cdktf" ? "cdktn" : "cdktf";

    it(
      `${framework}: installs without ${other}, synthesizes with \`${framework} synth\`, applies, updates in place (one PUT per stack), plans empty and destroys`,
      async () => {
        const project = projects[framework];
        // the plain install brings neither the other framework nor a prebuilt provider that needs it
        expect(existsSync(path.join(project, "node_modules", framework, "package.json"))).toBe(true);
        expect(existsSync(path.join(project, "node_modules", other))).toBe(false);
        expect(existsSync(path.join(project, "node_modules", "@cdktf", "provider-null"))).toBe(false);
        const manifest = JSON.parse(readFileSync(path.join(project, "package.json"), "utf8")) as { dependencies: Record<string, string> };
        expect(Object.keys(manifest.dependencies).sort()).toEqual(["cdktf-kong-gateway", "constructs", framework].sort());

        const dir = checkout(framework, framework);
        const stacks = await synth(framework, dir, { echo: 10, orders: 60 });
        synthesized[framework] = { app: tfJson(stacks.app), gateway: tfJson(stacks.gateway) };
        expect(JSON.stringify(synthesized[framework].app)).toContain('"terraform_data"');
        expect(JSON.stringify(synthesized[framework].app)).not.toContain("null_resource");

        // the template skips the libraries' declarations (skipLibCheck): checked, this package's have no
        // error in an install without the other framework (zod's own need esModuleInterop, which the template lacks)
        const tsc = await run(path.join(dir, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", ".", "--skipLibCheck", "false", "--incremental", "false", "--listFiles"], dir);
        expect(tsc.output).toContain("/node_modules/cdktf-kong-gateway/dist/internal/cdk.d.ts");
        expect(tsc.output).toContain(`/node_modules/${framework}/lib/index.d.ts`);
        expect(tsc.output.split("\n").filter((line) => /error TS\d+/.test(line) && !line.includes("/node_modules/zod/"))).toEqual([]);

        const workdirs = {
          app: TerraformWorkdir.create({ parentDir: work }),
          gateway: TerraformWorkdir.create({ parentDir: work, env: { TF_VAR_mobile_app_key: KEY } }),
        };
        kong.clearRequests();
        for (const [name, workdir] of Object.entries(workdirs)) {
          workdir.load(stacks[name as "app" | "gateway"]);
          expectExit(await workdir.init(), 0, `terraform init (${name})`);
          expectExit(await workdir.apply(), 0, `terraform apply (${name})`);
        }
        expect(kong.entities("services").map((s) => s.name).sort()).toEqual(["echo", "orders", "payments"]);
        expect(kong.entities("routes").map((r) => r.name).sort()).toEqual(["echo", "orders-api", "payments-api"]);
        expect(kong.plugins().map((p) => p.name).sort()).toEqual(["cors", "key-auth", "key-auth", "rate-limiting", "rate-limiting", "session"]);
        const limits = () => kong.plugins().filter((p) => p.name === "rate-limiting").map((p) => (p.config as { minute: number }).minute).sort((a, b) => a - b);
        expect(limits()).toEqual([10, 60]);
        expect(kong.entities("keyauth_credentials").map((c) => c.key)).toEqual([KEY]);

        // one field changed in each stack: one PUT each, nothing deleted or created
        const changed = await synth(framework, dir, { echo: 20, orders: 120 });
        kong.clearRequests();
        for (const [name, workdir] of Object.entries(workdirs)) {
          workdir.load(changed[name as "app" | "gateway"]);
          expectExit(await workdir.apply(), 0, `terraform apply, changed (${name})`);
        }
        expect(writes()).toEqual(["PUT plugins", "PUT plugins"]);
        expect(limits()).toEqual([20, 120]);
        for (const [name, workdir] of Object.entries(workdirs)) expectExit(await workdir.plan(), 0, `terraform plan after the update (${name})`);

        for (const [name, workdir] of Object.entries(workdirs)) {
          expectExit(await workdir.destroy(), 0, `terraform destroy (${name})`);
          workdir.dispose();
        }
        for (const kind of ["services", "routes", "consumers", "keyauth_credentials"] as const) expect(kong.entities(kind)).toEqual([]);
        expect(kong.plugins()).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  }

  it("writes the same Terraform JSON under both frameworks (paths and the runtime's asset hash aside)", () => {
    expect(synthesized.cdktf, "the cdktf run synthesized").toBeDefined();
    expect(synthesized.cdktn, "the cdktn run synthesized").toBeDefined();
    expect(synthesized.cdktn).toEqual(synthesized.cdktf);
  });

  it(
    "cdktn with cdktf installed too binds cdktn (the app's root) and synthesizes the same JSON",
    async () => {
      const project = projects["cdktn+cdktf"];
      expect(JSON.parse(readFileSync(path.join(project, "node_modules", "cdktf", "package.json"), "utf8")).version).toBe("0.21.0");
      const dir = checkout("cdktn+cdktf", "cdktn");
      const stacks = await synth("cdktn", dir, { echo: 10, orders: 60 });
      expect(synthesized.cdktn, "the cdktn run synthesized").toBeDefined();
      expect({ app: tfJson(stacks.app), gateway: tfJson(stacks.gateway) }).toEqual(synthesized.cdktn);
    },
    STEP_TIMEOUT,
  );
});
