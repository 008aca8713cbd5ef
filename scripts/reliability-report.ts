/**
 * docs/RELIABILITY.md from measured results.
 *
 *   tsx scripts/reliability-report.ts --run     run test/reliability at full size (records results), then render
 *   tsx scripts/reliability-report.ts --render  render from the recorded results only (after editing the text)
 *   tsx scripts/reliability-report.ts --check   exit 1 when the document is not what the results render
 *
 * `npm run test:full` is `npm run build && tsx scripts/reliability-report.ts --run`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem, type as osType, release } from "node:os";
import * as path from "node:path";
import { DOC, loadResults, loadRun, problems, render, RESULTS_DIR, ROOT, RUN_FILE, type RunInfo } from "../test/reliability/support/report.js";

function tryRun(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { cwd: ROOT, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } }).trim();
  } catch {
    return "unknown";
  }
}

function fullRun(): void {
  const runId = new Date().toISOString();
  const started = Date.now();
  // a result left from an earlier run must not pass for this one
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const vitest = path.join(ROOT, "node_modules", "vitest", "vitest.mjs");
  const result = spawnSync(process.execPath, [vitest, "run", "test/reliability", "--no-file-parallelism"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, KONG_RELIABILITY_FULL: "1", KONG_RELIABILITY_RUN: runId },
  });
  if (result.status !== 0) {
    process.stderr.write("\nthe full reliability run failed: docs/RELIABILITY.md is left as it was\n");
    process.exit(result.status ?? 1);
  }
  const terraform = (() => {
    try {
      return (JSON.parse(tryRun("terraform", ["version", "-json"])) as { terraform_version: string }).terraform_version;
    } catch {
      return "unknown";
    }
  })();
  const status = tryRun("git", ["status", "--porcelain", "--untracked-files=no"]);
  const run: RunInfo = {
    runId,
    date: runId.slice(0, 10),
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(totalmem() / 1024 ** 3)} GiB, ${osType()} ${release()}`,
    node: process.version,
    terraform,
    commit: `${tryRun("git", ["rev-parse", "--short", "HEAD"])}${status === "" ? "" : " with uncommitted changes"}`,
    durationS: (Date.now() - started) / 1000,
  };
  writeFileSync(RUN_FILE, `${JSON.stringify(run, null, 2)}\n`);
}

function renderDoc(): string {
  const results = loadResults();
  const run = loadRun();
  const found = problems(results, run);
  if (found.length > 0) {
    process.stderr.write(`cannot render docs/RELIABILITY.md:\n${found.map((p) => `  - ${p}`).join("\n")}\n`);
    process.exit(1);
  }
  return render(results, run!);
}

const mode = process.argv[2] ?? "--run";
if (mode === "--run") {
  fullRun();
  writeFileSync(DOC, renderDoc());
  process.stdout.write(`wrote ${path.relative(ROOT, DOC)}\n`);
} else if (mode === "--render") {
  writeFileSync(DOC, renderDoc());
  process.stdout.write(`wrote ${path.relative(ROOT, DOC)}\n`);
} else if (mode === "--check") {
  const expected = renderDoc();
  let actual = "";
  try {
    actual = readFileSync(DOC, "utf8");
  } catch {
    // missing
  }
  if (actual !== expected) {
    process.stderr.write("docs/RELIABILITY.md is not what the recorded results render: run `tsx scripts/reliability-report.ts --render`\n");
    process.exit(1);
  }
  process.stdout.write("docs/RELIABILITY.md matches the recorded results\n");
} else {
  process.stderr.write("usage: tsx scripts/reliability-report.ts [--run|--render|--check]\n");
  process.exit(2);
}
