// Small helpers of the benchmark scripts: statistics, child processes, machine description, tables.
import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import * as os from "node:os";

/** Median (the mean of the two middle values for an even count). */
export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `value` with `digits` decimals, or "-" for a missing value. */
export function fmt(value, digits = 1) {
  return value === undefined || value === null || Number.isNaN(value) ? "-" : value.toFixed(digits);
}

/** `a / b` as `1.23x`. */
export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : "-";
}

/**
 * The environment every measured child gets: only what node and terraform need, the same for the
 * floor and the case, so both pay the same start-up. Some CI images set NODE_EXTRA_CA_CERTS, which
 * makes every node process parse a CA bundle at start (measured separately, see the report).
 */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const key of ["PATH", "HOME", "LANG", "TMPDIR", "SYSTEMROOT"]) if (process.env[key] !== undefined) env[key] = process.env[key];
  return { ...env, ...extra };
}

/**
 * Runs a process to its end with stdout and stderr piped (as Terraform's local-exec does) and
 * returns its wall time in ms. Rejects on a non-zero exit or after `timeoutMs`.
 */
export function timeProcess(command, args, { env, cwd, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const ms = performance.now() - started;
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`${command} ${args.join(" ")} exited ${code ?? signal}\n${stdout}${stderr}`));
      else resolve({ ms, stdout, stderr });
    });
  });
}

/** Runs a command and returns its stdout (for version strings); undefined when it fails. */
export function capture(command, args, options = {}) {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: "utf8", timeout: 30_000, ...options }, (error, stdout) => resolve(error ? undefined : stdout.trim()));
  });
}

/** CPU model, cores, memory, OS, node and terraform versions. */
export async function machine() {
  let cpu = os.cpus()[0]?.model ?? "unknown";
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    cpu = /model name\s*:\s*(.*)/.exec(info)?.[1] ?? cpu;
  } catch {
    // not Linux
  }
  const tfJson = await capture("terraform", ["version", "-json"], { env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  let terraform = "not installed";
  try {
    terraform = tfJson ? JSON.parse(tfJson).terraform_version : terraform;
  } catch {
    // keep "not installed"
  }
  return {
    cpu,
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    terraform,
    loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(" "),
  };
}

/** A Markdown table: columns of numbers (and ratios) aligned right, others left. */
export function table(header, rows) {
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((row) => /^(-|[\d.,]+x?|[\d.]+ \/ [\d.]+)$/.test(String(row[i]))));
  const lines = [`| ${header.join(" | ")} |`, `| ${numeric.map((n) => (n ? "---:" : "---")).join(" | ")} |`];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}

/** Prints a table to the terminal (Markdown reads fine there too). */
export function printTable(title, header, rows) {
  process.stdout.write(`\n${title}\n${table(header, rows)}\n`);
}

/** A deterministic UUID for the i-th plugin's route (tests need distinct routes: one session plugin per route). */
export function routeId(i) {
  const hex = (i + 1).toString(16).padStart(12, "0");
  return `3473c251-5b6c-4f45-b1ff-${hex}`;
}
