/**
 * Sizes of the reliability runs: CI runs reduced sizes; `npm run test:full` sets
 * KONG_RELIABILITY_FULL=1 (and a run id) and runs the full sizes that docs/RELIABILITY.md records.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { vi } from "vitest";

// a terraform run of many plugins takes longer than the suite's default of 30 s
vi.setConfig({ testTimeout: 170_000, hookTimeout: 120_000 });

/** True in `npm run test:full`. */
export const FULL = process.env.KONG_RELIABILITY_FULL === "1";

/** The id of the full run that records results; undefined in CI (nothing is recorded). */
export const RUN_ID = FULL ? process.env.KONG_RELIABILITY_RUN : undefined;

/** The size of a run: `ci` in CI, `full` in the full run. */
export function size(ci: number, full: number): number {
  return FULL ? full : ci;
}

import { ROOT } from "./report.js";

export { ROOT };

/**
 * The bundled apply-time program, exactly as Terraform runs it (`npm run build` makes it): a copy
 * taken when a test file starts, so a rebuild of dist/ during a long run does not pull it away.
 */
export const PROGRAM = ((): string => {
  const built = path.join(ROOT, "dist", "kong-session.cjs");
  if (!existsSync(built)) return built; // the runs fail with "Cannot find module": build first
  const copy = path.join(mkdtempSync(path.join(tmpdir(), "kong-cdktf-program-")), "kong-session.cjs");
  copyFileSync(built, copy);
  return copy;
})();

/** The built CLI. */
export const CLI = path.join(ROOT, "dist", "cli", "main.js");

/** The terraform version, or undefined (then the tests that need it skip loudly). */
export const TERRAFORM_VERSION = ((): string | undefined => {
  try {
    const out = execFileSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    return (JSON.parse(out) as { terraform_version: string }).terraform_version;
  } catch {
    return undefined;
  }
})();
