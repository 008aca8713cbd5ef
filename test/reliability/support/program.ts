/**
 * Runs the bundled apply-time program (dist/kong-session.cjs) as Terraform's local-exec does: a
 * child `node` process, its input in environment variables.
 */
import { spawn } from "node:child_process";
import { ENV, REQUEST_VERSION, type ConnectionOptions, type RuntimeAction } from "../../../src/runtime/contract.js";
import { PROGRAM } from "./mode.js";

export interface ProgramResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** wall time from spawn to exit */
  readonly ms: number;
}

/** This process's environment without anything Kong or Terraform. */
export function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith("KONG_") && !entry[0].startsWith("TF_"),
    ),
  );
}

/**
 * Runs `node kong-session.cjs <action>` with `env` added to a clean environment.
 *
 * @param killAfterMs a bound for the test itself: the child is killed (and the result says so) after it
 */
export function runProgram(action: RuntimeAction | string, env: Record<string, string>, killAfterMs = 120_000): Promise<ProgramResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PROGRAM, action], { env: { ...cleanEnv(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** The owner token of the reliability tests' plugins. */
export const RELIABILITY_OWNER = "7d3c2b1a-0f9e-4d8c-b7a6-958473625140";

export interface ApplyInput {
  readonly owner?: string;
  readonly pluginId: string;
  readonly serverUrl: string;
  readonly payload: Record<string, unknown>;
  readonly workspace?: string;
  readonly connection?: ConnectionOptions;
  readonly token?: string;
  readonly debug?: boolean;
}

/** The environment of an `apply`, as the synthesized stack sets it. */
export function applyEnv(input: ApplyInput): Record<string, string> {
  return {
    [ENV.request]: JSON.stringify({
      version: REQUEST_VERSION,
      pluginId: input.pluginId,
      workspace: input.workspace ?? "",
      serverUrl: input.serverUrl,
      path: "reliability/session",
      owner: input.owner ?? RELIABILITY_OWNER,
      payload: { name: "session", ...input.payload },
    }),
    ...common(input),
  };
}

/** The environment of a `delete`. */
export function deleteEnv(input: Omit<ApplyInput, "payload">): Record<string, string> {
  return {
    [ENV.pluginId]: input.pluginId,
    [ENV.workspace]: input.workspace ?? "",
    [ENV.serverUrl]: input.serverUrl,
    [ENV.owner]: input.owner ?? RELIABILITY_OWNER,
    ...common(input),
  };
}

function common(input: Omit<ApplyInput, "payload" | "pluginId" | "serverUrl">): Record<string, string> {
  return {
    ...(input.connection ? { [ENV.connection]: JSON.stringify(input.connection) } : {}),
    ...(input.token ? { [ENV.adminToken]: input.token } : {}),
    ...(input.debug ? { KONG_CDKTF_DEBUG: "1" } : {}),
  };
}
