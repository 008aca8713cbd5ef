/**
 * Fault injection: a queue of faults for the next requests in arrival order, and a seeded random
 * mode (mulberry32) so a run with the same seed and the same requests gets the same faults.
 */
import type { FailureSpec, FaultKind, KongFaultControls, MalformedKind, RandomFaultOptions } from "./types.js";

/** What to do with one request. */
export type FaultAction =
  | { readonly kind: "fail"; readonly status: FailureSpec["status"]; readonly retryAfterSeconds?: number }
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "reset" }
  | { readonly kind: "hang" }
  | { readonly kind: "malformed"; readonly malformed: MalformedKind };

/** The recorded name of a fault. */
export function faultKindOf(action: FaultAction): FaultKind {
  switch (action.kind) {
    case "fail":
      return String(action.status) as FaultKind;
    case "malformed":
      return action.malformed;
    default:
      return action.kind;
  }
}

/** A small, fast, seedable PRNG (mulberry32) returning numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAIL_STATUSES = new Set([429, 500, 502, 503, 504]);
const RANDOM_KINDS = ["429", "502", "503", "504", "reset", "delay"] as const;
const MALFORMED_KINDS = new Set(["invalid-json", "html", "huge", "wrong-plugin-name"]);

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
}

function checkMs(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ms must be a non-negative number, got ${ms}`);
}

/** The fault plan of one emulator (its `faults` property). */
export class FaultPlan implements KongFaultControls {
  private readonly queue: FaultAction[] = [];
  private randomMode?: { rate: number; kinds: readonly (typeof RANDOM_KINDS)[number][]; delayMs: number; next: () => number };

  /** Answer the next `count` requests with `failure.status` (and `Retry-After`) without processing them. */
  failNext(count: number, failure: FailureSpec): void {
    checkCount(count);
    if (!FAIL_STATUSES.has(failure.status)) throw new RangeError(`status must be one of 429, 500, 502, 503, 504, got ${failure.status}`);
    if (failure.retryAfterSeconds !== undefined) checkMs(failure.retryAfterSeconds);
    this.push(count, { kind: "fail", status: failure.status, retryAfterSeconds: failure.retryAfterSeconds });
  }

  /** Process the next `count` requests at once but send the answers only after `ms` milliseconds. */
  delayNext(count: number, ms: number): void {
    checkCount(count);
    checkMs(ms);
    this.push(count, { kind: "delay", ms });
  }

  /** Destroy the connection of the next `count` requests without processing or answering them. */
  resetNext(count: number): void {
    checkCount(count);
    this.push(count, { kind: "reset" });
  }

  /** Accept the next `count` requests and never answer them (until the client gives up or `stop()`). */
  hangNext(count: number): void {
    checkCount(count);
    this.push(count, { kind: "hang" });
  }

  /**
   * From now on, give each request (once the queue is empty) a fault with probability `rate`; the
   * kind is drawn uniformly from `kinds` by a generator seeded with `seed`.
   */
  random(options: RandomFaultOptions): void {
    if (!(options.rate >= 0 && options.rate <= 1)) throw new RangeError(`rate must be between 0 and 1, got ${options.rate}`);
    const kinds = options.kinds ?? RANDOM_KINDS;
    if (kinds.length === 0 || kinds.some((k) => !RANDOM_KINDS.includes(k))) throw new RangeError(`kinds must be a non-empty subset of ${RANDOM_KINDS.join(", ")}`);
    const delayMs = options.delayMs ?? 1000;
    checkMs(delayMs);
    this.randomMode = { rate: options.rate, kinds: [...kinds], delayMs, next: mulberry32(options.seed ?? 1) };
  }

  /** Process the next `count` requests but break their answers as `kind` says. */
  malformedNext(count: number, kind: MalformedKind): void {
    checkCount(count);
    if (!MALFORMED_KINDS.has(kind)) throw new RangeError(`unknown malformed kind '${String(kind)}'`);
    this.push(count, { kind: "malformed", malformed: kind });
  }

  /** Forget all queued faults and the random mode. */
  clear(): void {
    this.queue.length = 0;
    this.randomMode = undefined;
  }

  /** The fault for the request that just arrived, if any (consumes it). */
  take(): FaultAction | undefined {
    const queued = this.queue.shift();
    if (queued) return queued;
    const mode = this.randomMode;
    if (!mode || mode.rate === 0) return undefined;
    if (mode.next() >= mode.rate) return undefined;
    const kind = mode.kinds[Math.floor(mode.next() * mode.kinds.length)]!;
    if (kind === "reset") return { kind: "reset" };
    if (kind === "delay") return { kind: "delay", ms: mode.delayMs };
    return { kind: "fail", status: Number(kind) as FailureSpec["status"] };
  }

  private push(count: number, action: FaultAction): void {
    for (let i = 0; i < count; i++) this.queue.push(action);
  }
}
