/**
 * The emulator's request log and the statistics derived from it.
 */
import type { EmulatorStats, RecordedRequest } from "./types.js";

/** Replaces the value of the RBAC header (any case) so tokens never reach the log. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>, rbacHeader: string): Record<string, string> {
  const secret = rbacHeader.toLowerCase();
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = lower === secret || lower === "kong-admin-token" ? "[redacted]" : Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** Query parameters as a record; repeated ones become arrays. */
export function queryRecord(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    Object.defineProperty(out, key, { value: all.length === 1 ? all[0]! : all, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** Recorded requests in the order their answers were decided. */
export class RequestLog {
  private readonly entries: RecordedRequest[] = [];
  private waiters: Array<{ readonly count: number; readonly resolve: () => void }> = [];

  /** Everything recorded so far (a read-only view). */
  get requests(): ReadonlyArray<RecordedRequest> {
    return this.entries;
  }

  /** Appends one request. */
  add(entry: RecordedRequest): void {
    this.entries.push(Object.freeze(entry));
    const ready = this.waiters.filter((w) => this.entries.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.entries.length < w.count);
    for (const waiter of ready) waiter.resolve();
  }

  /** Resolves once at least `count` requests are recorded. */
  waitFor(count: number): Promise<void> {
    if (this.entries.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Forgets every recorded request. */
  clear(): void {
    this.entries.length = 0;
  }

  /** Totals, status counts and latency percentiles of the recorded requests. */
  stats(): EmulatorStats {
    const byStatus: Record<string, number> = {};
    let faultsInjected = 0;
    for (const entry of this.entries) {
      byStatus[String(entry.status)] = (byStatus[String(entry.status)] ?? 0) + 1;
      if (entry.fault !== undefined) faultsInjected++;
    }
    const latencies = this.entries.map((e) => e.durationMs).sort((a, b) => a - b);
    return {
      requests: this.entries.length,
      faultsInjected,
      byStatus,
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.length ? latencies[latencies.length - 1]! : 0 },
    };
  }
}
