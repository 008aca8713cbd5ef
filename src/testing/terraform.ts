/**
 * Runs the real `terraform` binary on a synthesized stack, for end-to-end tests of cdktf apps
 * (yours and ours) against the emulator: a private working directory, a CLI config file of its own,
 * and commands run asynchronously so an in-process emulator keeps answering.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** The outcome of one terraform command. */
export interface TerraformResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

export interface TerraformWorkdirOptions {
  /** the terraform binary @default "terraform" from the PATH */
  readonly binary?: string;
  /** extra environment for every command (e.g. `KONG_ADMIN_TOKEN`, `TF_VAR_…`) */
  readonly env?: Record<string, string>;
  /**
   * A directory laid out as a provider filesystem mirror holding hashicorp/null, for stacks whose
   * backend is `null_resource` on a machine that cannot download providers.
   * @default - providers are installed the usual way
   */
  readonly providerMirror?: string;
  /** where the working directory is created @default the OS temp directory */
  readonly parentDir?: string;
}

/** The installed terraform and its version, or undefined when there is none. */
export async function findTerraform(binary = "terraform"): Promise<{ binary: string; version: string } | undefined> {
  const result = await run(binary, ["version", "-json"], process.cwd(), process.env as Record<string, string>).catch(() => undefined);
  if (!result || result.exitCode !== 0) return undefined;
  try {
    return { binary, version: (JSON.parse(result.stdout) as { terraform_version: string }).terraform_version };
  } catch {
    return { binary, version: result.stdout.split("\n")[0] ?? "unknown" };
  }
}

/**
 * A terraform working directory that outlives synths: each {@link TerraformWorkdir.load} replaces the
 * configuration (cdk.tf.json and assets) and keeps `.terraform` and the state, as re-running
 * `cdktf synth` then `terraform apply` in one place would.
 */
export class TerraformWorkdir {
  static create(options: TerraformWorkdirOptions = {}): TerraformWorkdir {
    return new TerraformWorkdir(options);
  }

  /** the directory terraform runs in */
  readonly dir: string;
  private readonly root: string;
  private readonly env: Record<string, string>;
  private readonly binary: string;

  private constructor(options: TerraformWorkdirOptions) {
    this.root = mkdtempSync(path.join(options.parentDir ?? tmpdir(), "kong-cdktf-tf-"));
    this.dir = path.join(this.root, "stack");
    mkdirSync(this.dir);
    this.binary = options.binary ?? "terraform";
    const cliConfig = path.join(this.root, "terraform.rc");
    writeFileSync(cliConfig, cliConfigText(options.providerMirror));
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([key, value]) => value !== undefined && !key.startsWith("TF_") && key !== "KONG_ADMIN_TOKEN"),
    ) as Record<string, string>;
    this.env = {
      ...inherited,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      TF_PLUGIN_CACHE_DIR: "",
      ...options.env,
    };
  }

  /**
   * Takes the synthesized stack in `stackDir` (cdktf.out/stacks/NAME): copies its cdk.tf.json and
   * assets over the previous ones.
   */
  load(stackDir: string): this {
    for (const entry of readdirSync(this.dir)) {
      if (entry === "cdk.tf.json" || entry === "assets") rmSync(path.join(this.dir, entry), { recursive: true, force: true });
    }
    cpSync(path.join(stackDir, "cdk.tf.json"), path.join(this.dir, "cdk.tf.json"));
    if (existsSync(path.join(stackDir, "assets"))) cpSync(path.join(stackDir, "assets"), path.join(this.dir, "assets"), { recursive: true });
    return this;
  }

  /** Runs `terraform <args>` in the working directory. */
  run(args: readonly string[], env: Record<string, string> = {}): Promise<TerraformResult> {
    return run(this.binary, ["-chdir=" + this.dir, ...args], this.root, { ...this.env, ...env });
  }

  init(): Promise<TerraformResult> {
    return this.run(["init", "-input=false", "-no-color"]);
  }

  apply(extraArgs: readonly string[] = [], env?: Record<string, string>): Promise<TerraformResult> {
    return this.run(["apply", "-auto-approve", "-input=false", "-no-color", ...extraArgs], env);
  }

  /** `terraform plan -detailed-exitcode`: exit 0 means no changes, 2 means changes. */
  plan(extraArgs: readonly string[] = [], env?: Record<string, string>): Promise<TerraformResult> {
    return this.run(["plan", "-detailed-exitcode", "-input=false", "-no-color", ...extraArgs], env);
  }

  destroy(extraArgs: readonly string[] = [], env?: Record<string, string>): Promise<TerraformResult> {
    return this.run(["destroy", "-auto-approve", "-input=false", "-no-color", ...extraArgs], env);
  }

  /** Deletes the working directory. */
  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

function cliConfigText(providerMirror: string | undefined): string {
  const lines = ["disable_checkpoint = true"];
  if (providerMirror) {
    lines.push(
      "provider_installation {",
      `  filesystem_mirror {`,
      `    path    = ${JSON.stringify(path.resolve(providerMirror))}`,
      `    include = ["registry.terraform.io/hashicorp/null"]`,
      "  }",
      "  direct {",
      `    exclude = ["registry.terraform.io/hashicorp/null"]`,
      "  }",
      "}",
    );
  }
  return lines.join("\n") + "\n";
}

function run(binary: string, args: readonly string[], cwd: string, env: Record<string, string>): Promise<TerraformResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(binary, args, { cwd, env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (error as NodeJS.ErrnoException & { code?: unknown }).code : 0;
      if (typeof code === "string") return reject(error); // ENOENT and friends: no such binary
      resolve({ exitCode: typeof code === "number" ? code : 1, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}
