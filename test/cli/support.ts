/**
 * Runs the CLI as a child process (`node --import tsx src/cli/main.ts`, the sources, so no build is
 * needed) and normalizes its output for snapshots.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import * as path from "node:path";
import { expect } from "vitest";
import { TerraformWorkdir } from "../../src/testing/index.js";

export const ROOT = path.resolve(__dirname, "..", "..");
export const CLI = path.join(ROOT, "src", "cli", "main.ts");

/** A real-looking admin token and session secret, to prove they never appear in any output. */
export const TOKEN = "kpat_cli_7Hq2Lr9ZxWc4Vb8Nm1Ks5Tj3Pd6Fg0Ae";
export const SECRET = "CliS3ss10nS3cr3t0123456789abcdefABCDEFghij";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of the child: this process's, without anything Kong or Terraform. */
function baseEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !entry[0].startsWith("KONG_") && !entry[0].startsWith("TF_") && !entry[0].startsWith("VITEST"),
    ),
  );
}

/** Runs `kong-gateway-cdktf <args>`; never rejects for a non-zero exit. */
export function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", CLI, ...args],
      { cwd: options.cwd ?? ROOT, env: { ...baseEnv(), ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (error as NodeJS.ErrnoException & { code?: unknown }).code : 0;
        if (typeof code === "string") return reject(error);
        resolve({ code: typeof code === "number" ? code : 1, stdout, stderr });
      },
    );
    child.stdin?.end(options.stdin ?? "");
  });
}

/** A temp directory of {@link tempDir}, absolute (wherever the repository is checked out) or relative. */
const WORK_DIR = new RegExp(`(?:${ROOT.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/)?tmp/cli-[a-z-]+-[A-Za-z0-9]{6}`, "g");

/** Replaces what changes from run to run: the emulator's port, UUIDs, temp directories. */
export function normalize(text: string, known: Record<string, string> = {}): string {
  let out = text;
  for (const [value, name] of Object.entries(known)) out = out.split(value).join(name);
  return out
    .replace(/(https?):\/\/127\.0\.0\.1:\d+/g, "$1://<kong>")
    .replace(/"session_[0-9a-f]{8}"/g, '"session_<id8>"')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<uuid>")
    .replace(WORK_DIR, "<work>")
    .replace(/\/tmp\/[^\s":]+/g, "<tmp>");
}

/** Asserts that neither the admin token nor any of the secrets appears in the output. */
export function expectNoSecrets(result: CliResult, ...secrets: string[]): void {
  for (const secret of [TOKEN, ...secrets]) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
}

/** A fresh directory under the repository's `tmp/` (ignored by git), so node_modules resolve from it. */
export function tempDir(prefix: string): { dir: string; dispose: () => void } {
  const parent = path.join(ROOT, "tmp");
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, `${prefix}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The printed code as a module: its commented import lines made real, pointing at the sources. */
export function asModule(printed: readonly string[], dir: string, serverUrl: string): string {
  const library = path.relative(dir, path.join(ROOT, "src", "index.js")).split(path.sep).join("/");
  const code = printed.join("\n");
  const imports = [...code.matchAll(/^\/\/ (import \{ [^}]+ \} from "(?:cdktf-kong-gateway|cdktf)";)$/gm)].map((m) => m[1]!.replace(`"cdktf-kong-gateway"`, `"${library}"`));
  return [
    `import { App, TerraformStack } from "cdktf";`,
    `import type { Construct } from "constructs";`,
    `import { KongGatewayProvider } from "${library}";`,
    ...new Set(imports),
    ``,
    `class Adopted extends TerraformStack {`,
    `  constructor(scope: Construct, id: string) {`,
    `    super(scope, id);`,
    `    new KongGatewayProvider(this, "kong", { serverUrl: ${JSON.stringify(serverUrl)}, backend: "terraform_data", kongVersion: "3.10" });`,
    code,
    `  }`,
    `}`,
    ``,
    `const app = new App({ outdir: process.argv[2]! });`,
    `new Adopted(app, "adopted");`,
    `app.synth();`,
    ``,
  ].join("\n");
}

/** tsc on one file against the library; its output ("" when it type-checks). */
export async function typeCheck(dir: string, file: string): Promise<string> {
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ extends: path.join(ROOT, "tsconfig.json"), compilerOptions: { noEmit: true, rootDir: ROOT }, files: [file], include: [] }),
  );
  const tsc = await promisify(execFile)(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", dir]).catch((e: unknown) => e as { stdout?: string; stderr?: string });
  return `${tsc.stdout ?? ""}${tsc.stderr ?? ""}`;
}


/**
 * The terraform working directory of a synthesized stack (`<outdir>/stacks/<stack>`), initialized
 * and applied, for the CLI to compare with Kong; the apply's output is in the failure.
 */
export async function appliedWorkdir(outdir: string, stack: string, env: Record<string, string>): Promise<TerraformWorkdir> {
  const workdir = TerraformWorkdir.create({ env });
  workdir.load(path.join(outdir, "stacks", stack));
  expect((await workdir.init()).exitCode).toBe(0);
  const applied = await workdir.apply();
  expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
  return workdir;
}
