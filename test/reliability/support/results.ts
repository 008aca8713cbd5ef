/**
 * Recording measured results. Each scenario, once its assertions have passed, calls {@link record}:
 * in the full run (`npm run test:full`) that writes `test/reliability/results/<id>.json` with the run
 * id and the hash of the test file that measured it; in CI it prints the figures only.
 * `scripts/reliability-report.ts` renders docs/RELIABILITY.md from those files, and
 * `report.test.ts` checks in every CI run that the document is exactly that rendering and that no
 * result is older than its test.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";
import { RUN_ID } from "./mode.js";
import { RESULTS_DIR, ROOT, sha256Of, type ScenarioResult, type StoredResult } from "./report.js";

export type { ResultRow, ScenarioResult } from "./report.js";

/**
 * Records a scenario's measured result; call it after the assertions, so that a failed scenario
 * keeps an older run id and the report refuses to render.
 *
 * @param extraSources other files (relative to the repository root) whose change makes the result stale
 */
export function record(result: ScenarioResult, extraSources: readonly string[] = []): void {
  const testPath = expect.getState().testPath;
  if (!testPath) throw new Error("record() must be called inside a test");
  const files = [path.relative(ROOT, testPath), ...extraSources].map((f) => f.split(path.sep).join("/"));
  const figures = result.figures ? ` ${JSON.stringify(result.figures)}` : "";
  process.stdout.write(`[reliability] ${result.id}:${figures}\n${result.rows.map((r) => `  - ${r.tried} | ${r.times} | ${r.held}`).join("\n")}\n`);
  if (!RUN_ID) return;
  const stored: StoredResult = {
    id: result.id,
    runId: RUN_ID,
    sources: files.map((file) => ({ path: file, sha256: sha256Of(file) })),
    rows: result.rows,
    ...(result.figures ? { figures: result.figures } : {}),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, `${result.id}.json`), `${JSON.stringify(stored, null, 2)}\n`);
}

/** `1234` → `1,234`. */
export function n(value: number): string {
  return value.toLocaleString("en-US");
}

/** Milliseconds as seconds with one decimal: `12.3 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
