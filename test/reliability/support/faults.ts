/**
 * Fault accounting for the reliability runs: the faults the emulator injected (from its request
 * log) and the retries the apply-time program announced (its `kong: retrying …` lines in
 * Terraform's output).
 */
import type { KongEmulator, RecordedRequest } from "../../../src/testing/index.js";

/**
 * Makes the 429 answers of the emulator's random fault mode carry `Retry-After: <seconds>`, as Kong's
 * rate limiting does. The random mode draws `429` without the header; this wraps the plan's `take()`
 * (the emulator's public `faults` object) and leaves every other fault as drawn.
 */
export function withRetryAfterOn429(kong: KongEmulator, seconds: number): void {
  const plan = kong.faults as unknown as { take: () => unknown };
  const take = plan.take.bind(plan);
  plan.take = () => {
    const fault = take() as { kind?: string; status?: number } | undefined;
    return fault?.kind === "fail" && fault.status === 429 ? { ...fault, retryAfterSeconds: seconds } : fault;
  };
}

/** How many recorded requests got each injected fault kind. */
export function faultsByKind(requests: ReadonlyArray<RecordedRequest>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) if (r.fault) counts[r.fault] = (counts[r.fault] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * One `kong: retrying GET /plugins/… after 503 (attempt 2 of 11, waiting 400 ms)` line, or, when only
 * the deadline bounds the retries, `… (attempt 2, waiting 400 ms, 59 s left before the deadline)`.
 */
export interface RetryLine {
  readonly method: string;
  readonly path: string;
  readonly reason: string;
  readonly attempt: number;
}

const RETRY = /kong: retrying (GET|PUT|DELETE) (\S+) after (.+?) \(attempt (\d+)(?: of \d+)?, waiting \d+ ms(?:, \d+ s left before the deadline)?\)/g;

/** The retry lines the program printed, as Terraform shows local-exec output. */
export function retryLines(output: string): RetryLine[] {
  return [...output.matchAll(RETRY)].map((m) => ({ method: m[1]!, path: m[2]!, reason: m[3]!, attempt: Number(m[4]) }));
}

/** Retry reasons counted: `{ "503": 12, "a timeout": 4, "ECONNRESET": 7, … }`. */
export function retriesByReason(lines: readonly RetryLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) counts[line.reason] = (counts[line.reason] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** `{ a: 1, b: 2 }` → `a 1, b 2`. */
export function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? "none" : entries.map(([k, v]) => `${k}: ${v}`).join(", ");
}
