/**
 * End-to-end support: synthesize a cdktf app into a fresh directory and hand it to a terraform
 * working directory that keeps its state between synths.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { TerraformWorkdir, type TerraformResult } from "../../src/testing/terraform.js";
import { KongGatewayProvider, type Backend, type KongGatewayProviderProps } from "../../src/index.js";

/** The terraform on the PATH and its version, or undefined (then the end-to-end tests skip, loudly). */
export const terraform = ((): { binary: string; version: string } | undefined => {
  try {
    const out = execFileSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    return { binary: "terraform", version: (JSON.parse(out) as { terraform_version: string }).terraform_version };
  } catch {
    return undefined;
  }
})();

/** The hashicorp/null mirror for null_resource end-to-end runs, from KONG_CDKTF_NULL_PROVIDER_MIRROR. */
export const nullProviderMirror = process.env.KONG_CDKTF_NULL_PROVIDER_MIRROR;

if (!terraform) {
  process.stderr.write(
    "\n*** SKIPPED: end-to-end tests need the `terraform` binary on the PATH (Terraform >= 1.4); none was found ***\n\n",
  );
}

/** The backends whose end-to-end runs can happen on this machine, and why the others cannot. */
export function backendsToRun(): Array<{ backend: Backend; skip?: string }> {
  return [
    { backend: "terraform_data" },
    {
      backend: "null_resource",
      ...(nullProviderMirror
        ? {}
        : {
            skip: "null_resource needs the hashicorp/null provider, which cannot be downloaded here; set KONG_CDKTF_NULL_PROVIDER_MIRROR to a filesystem mirror directory holding it",
          }),
    },
  ];
}

/** Synthesizes one stack built by `build` and returns the synthesized stack directory. */
export function synthStack(name: string, build: (stack: TerraformStack) => void): { dir: string; dispose: () => void } {
  const outdir = mkdtempSync(path.join(tmpdir(), "kong-cdktf-synth-"));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, name);
  new LocalBackend(stack, { path: "terraform.tfstate" });
  build(stack);
  app.synth();
  return { dir: path.join(outdir, "stacks", name), dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** A terraform working directory plus a way to (re)load a stack built against a provider. */
export class E2eStack {
  readonly workdir: TerraformWorkdir;
  private initialized = false;

  constructor(
    private readonly providerProps: KongGatewayProviderProps,
    env: Record<string, string> = {},
  ) {
    this.workdir = TerraformWorkdir.create({
      binary: terraform?.binary ?? "terraform",
      env,
      ...(providerProps.backend === "null_resource" && nullProviderMirror ? { providerMirror: nullProviderMirror } : {}),
    });
  }

  /**
   * Synthesizes the stack that `build` describes and makes it the working directory's configuration;
   * `providerProps` replace the constructor's for this synth (e.g. another server URL, same state).
   */
  load(build: (stack: TerraformStack, provider: KongGatewayProvider) => void, providerProps: KongGatewayProviderProps = this.providerProps): this {
    const synth = synthStack("e2e", (stack) => build(stack, new KongGatewayProvider(stack, "kong", providerProps)));
    this.workdir.load(synth.dir);
    synth.dispose();
    return this;
  }

  /**
   * Synthesizes a stack that `build` describes whole, its KongGatewayProvider(s) included: for a
   * provider whose props need the stack first (a `serverUrl` from a `TerraformVariable`).
   */
  loadStack(build: (stack: TerraformStack) => void): this {
    const synth = synthStack("e2e", build);
    this.workdir.load(synth.dir);
    synth.dispose();
    return this;
  }

  /** Makes an already synthesized stack directory (cdk.tf.json and assets) the configuration. */
  loadDir(stackDir: string): this {
    this.workdir.load(stackDir);
    return this;
  }

  /** Any `terraform <args>` in the working directory, after `terraform init`. */
  async run(args: readonly string[], env?: Record<string, string>): Promise<TerraformResult> {
    await this.init();
    return this.workdir.run(args, env);
  }

  /** The addresses `terraform state list` prints (none for an empty or missing state). */
  async stateList(env?: Record<string, string>): Promise<string[]> {
    const listed = expectExit(await this.run(["state", "list"], env), 0, "terraform state list");
    return listed.stdout.split("\n").filter((line) => line.trim() !== "");
  }

  /** The state as `terraform state pull` prints it (JSON text). */
  async statePull(env?: Record<string, string>): Promise<string> {
    return expectExit(await this.run(["state", "pull"], env), 0, "terraform state pull").stdout;
  }

  /** `terraform init` once, after the first configuration is loaded. */
  async init(): Promise<void> {
    if (this.initialized) return;
    expectExit(await this.workdir.init(), 0, "terraform init");
    this.initialized = true;
  }

  async apply(env?: Record<string, string>): Promise<TerraformResult> {
    await this.init();
    return this.workdir.apply([], env);
  }

  async plan(env?: Record<string, string>): Promise<TerraformResult> {
    await this.init();
    return this.workdir.plan([], env);
  }

  async destroy(env?: Record<string, string>): Promise<TerraformResult> {
    await this.init();
    return this.workdir.destroy([], env);
  }

  dispose(): void {
    this.workdir.dispose();
  }
}

/** Fails with terraform's whole output when a command did not exit as expected. */
export function expectExit(result: TerraformResult, exitCode: number, what: string): TerraformResult {
  if (result.exitCode !== exitCode) {
    throw new Error(`${what}: terraform exited ${result.exitCode}, expected ${exitCode}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
  }
  return result;
}

/**
 * Every form a secret could be printed in: as is, JSON- or HCL-escaped (Terraform writes `${` as
 * `$${` in quoted strings), with non-ASCII as \uXXXX, URL-encoded, hex, base64 and base64url at any
 * alignment (inside a longer encoded text), and each third of it (a truncated or wrapped line).
 */
export function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const asciiJson = json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const hcl = json.replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
  const bytes = Buffer.from(secret, "utf8");
  const encoded: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const text = Buffer.concat([Buffer.alloc(pad), bytes]).toString("base64");
    // drop the characters that depend on the bytes before and after the secret
    const core = text.slice(pad === 0 ? 0 : Math.ceil((pad * 4) / 3), -4);
    encoded.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  const third = Math.ceil(secret.length / 3);
  const thirds = [secret.slice(0, third), secret.slice(third, 2 * third), secret.slice(2 * third)];
  return [...new Set([secret, json, asciiJson, hcl, encodeURIComponent(secret), bytes.toString("hex"), ...encoded, ...thirds])];
}
