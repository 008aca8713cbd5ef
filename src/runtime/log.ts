/**
 * What the apply-time program prints, and the one place that keeps secrets out of it.
 *
 * One concise line per action on stdout for a person reading the Terraform log; retries, warnings,
 * errors and debug output on stderr. Every line goes through {@link Redactor.redact}, which removes
 * the admin token and every session secret seen (desired and live).
 */

/** Stands where a secret was. */
export const REDACTED = "<redacted>";

/**
 * Knows the secrets of one run and removes them from any text or value before it is printed or
 * put into an error.
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | undefined;

  /** Remembers a secret (ignores anything but a non-empty string). */
  add(secret: unknown): void {
    if (typeof secret !== "string" || secret === "") return;
    const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
    for (const form of forms) {
      if (form !== "" && !this.secrets.has(form)) {
        this.secrets.add(form);
        this.pattern = undefined;
      }
    }
  }

  /** Remembers the `config.secret` of a plugin body or entity, if it has one. */
  addPluginSecret(plugin: unknown): void {
    if (plugin === null || typeof plugin !== "object") return;
    const config = (plugin as { config?: unknown }).config;
    if (config !== null && typeof config === "object") this.add((config as { secret?: unknown }).secret);
  }

  /** The text with every known secret replaced by `<redacted>`. */
  redact(text: string): string {
    if (this.secrets.size === 0) return text;
    this.pattern ??= new RegExp(
      [...this.secrets]
        .sort((a, b) => b.length - a.length)
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("|"),
      "g",
    );
    return text.replace(this.pattern, REDACTED);
  }

  /**
   * A deep copy of a value with every string redacted and every `config.secret` replaced (at any
   * depth, except under Kong's error `fields`, which hold messages), e.g. a Kong response body kept
   * on an error or printed in debug output.
   */
  scrub(value: unknown): unknown {
    return this.scrubAt(value, []);
  }

  private scrubAt(value: unknown, path: readonly string[]): unknown {
    if (typeof value === "string") {
      const isSecret = path.length >= 2 && path.at(-1) === "secret" && path.at(-2) === "config" && path[0] !== "fields";
      return isSecret ? REDACTED : this.redact(value);
    }
    if (Array.isArray(value)) return value.map((item, i) => this.scrubAt(item, [...path, String(i)]));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = this.scrubAt(item, [...path, key]);
      return out;
    }
    return value;
  }
}

/** Something that takes text, like `process.stdout`. */
export interface OutputStream {
  write(chunk: string): unknown;
}

/** A retry about to happen, as the client reports it. */
export interface RetryEvent {
  readonly method: string;
  /** the request path, e.g. `/team-payments/plugins/6f1c…` */
  readonly path: string;
  /** the attempt about to be made, 2 for the first retry */
  readonly attempt: number;
  /** 1 + maxRetries */
  readonly maxAttempts: number;
  /** how long the client waits before the attempt */
  readonly delayMs: number;
  /** what went wrong: an HTTP status (`503`), an error code (`ECONNRESET`) or `timeout` */
  readonly reason: string;
}

/** Prints the program's lines, redacted, with the `kong:` prefix. */
export class Logger {
  private readonly warned = new Set<string>();

  constructor(
    private readonly stdout: OutputStream,
    private readonly stderr: OutputStream,
    readonly redactor: Redactor,
    readonly debugEnabled = false,
  ) {}

  /** One line on stdout: what an action did. */
  info(line: string): void {
    this.stdout.write(`kong: ${this.redactor.redact(line)}\n`);
  }

  /** One line on stderr; the same warning is printed once. */
  warn(line: string): void {
    if (this.warned.has(line)) return;
    this.warned.add(line);
    this.stderr.write(`kong: warning: ${this.redactor.redact(line)}\n`);
  }

  /** `kong: retrying PUT /plugins/… after 503 (attempt 2 of 6, waiting 400 ms)` on stderr. */
  retry(event: RetryEvent): void {
    this.stderr.write(`kong: ${this.redactor.redact(formatRetry(event))}\n`);
  }

  /** `kong: error KONG_…: <message>` on stderr; errors without a code print as `kong: error: …`. */
  error(error: unknown): void {
    const code = errorCode(error);
    const message = errorMessage(error);
    this.stderr.write(`kong: error${code ? ` ${code}` : ""}: ${this.redactor.redact(message)}\n`);
    if (this.debugEnabled && error instanceof Error && error.stack && !code) {
      this.debug(error.stack);
    }
  }

  /** A line on stderr when `KONG_CDKTF_DEBUG=1`. */
  debug(line: string): void {
    if (this.debugEnabled) this.stderr.write(`kong: debug: ${this.redactor.redact(line)}\n`);
  }
}

/** The retry line without the prefix. */
export function formatRetry(event: RetryEvent): string {
  const reason = /^\d+$/.test(event.reason) ? event.reason : event.reason === "timeout" ? "a timeout" : event.reason;
  return `retrying ${event.method} ${event.path} after ${reason} (attempt ${event.attempt} of ${event.maxAttempts}, waiting ${event.delayMs} ms)`;
}

/** `in workspace team-payments`, or `(default workspace)` without one. */
export function formatWorkspace(workspace: string | undefined): string {
  return workspace ? `in workspace ${workspace}` : "(default workspace)";
}

/** What apply did. */
export type ApplyResult = "created" | "updated" | "unchanged";

/** The line of an apply: created, updated (with the fields that changed) or unchanged. */
export function formatApplied(
  result: ApplyResult,
  id: string,
  workspace: string | undefined,
  changed: readonly string[],
  ms: number,
): string {
  const where = formatWorkspace(workspace);
  switch (result) {
    case "created":
      return `created session plugin ${id} ${where} in ${ms} ms`;
    case "updated": {
      const fields = changed.join(", ");
      const detail = !fields ? where : workspace ? `${where} (${fields})` : `(default workspace; ${fields})`;
      return `updated session plugin ${id} ${detail} in ${ms} ms`;
    }
    case "unchanged":
      return `session plugin ${id} unchanged ${where} in ${ms} ms`;
  }
}

/** The line of a delete: deleted, or already absent. */
export function formatDeleted(deleted: boolean, id: string, workspace: string | undefined, ms: number): string {
  const where = formatWorkspace(workspace);
  return deleted ? `deleted session plugin ${id} ${where} in ${ms} ms` : `session plugin ${id} already absent ${where}`;
}

function errorCode(error: unknown): string | undefined {
  if (error === null || typeof error !== "object") return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("KONG_") ? code : undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  try {
    return String(error);
  } catch {
    return "unknown error";
  }
}
