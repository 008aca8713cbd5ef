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
 * Secrets shorter than this are redacted only where they stand as a whole word: replacing every
 * `e` of a one-letter secret would both garble every message and tell the secret (`updat<redacted>d`).
 */
export const WHOLE_WORD_BELOW = 8;

const WORD = /[\p{L}\p{N}_]/u;

/**
 * Knows the secrets of one run and removes them from any text or value before it is printed or
 * put into an error.
 *
 * It searches for each secret as plain text (never through a pattern built from the secrets, whose
 * size and error messages would depend on them) and never throws: a text it cannot redact is
 * withheld whole.
 */
export class Redactor {
  /** every form of every secret, and whether it counts only as a whole word (computed once) */
  private readonly secrets = new Map<string, boolean>();

  /**
   * @param secretsOf the secret strings of a plugin entity or body; by default its `config.secret`
   * (the program and the CLI pass the finder that knows every plugin's secret fields)
   */
  constructor(private readonly secretsOf: (plugin: unknown) => readonly string[] = sessionSecretOf) {}

  /** Remembers a secret (ignores anything but a non-empty string). */
  add(secret: unknown): void {
    if (typeof secret !== "string" || secret === "") return;
    const json = JSON.stringify(secret).slice(1, -1);
    // the forms an answer may echo it in: as is, JSON-escaped (also with \\uXXXX for non-ASCII), URL-encoded
    const asciiJson = json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    let encoded: string | undefined;
    try {
      encoded = encodeURIComponent(secret);
    } catch {
      encoded = undefined; // a lone surrogate: no URL form
    }
    const wholeWord = [...secret].length < WHOLE_WORD_BELOW;
    for (const form of [secret, json, asciiJson, encoded]) if (form && !this.secrets.has(form)) this.secrets.set(form, wholeWord);
  }

  /** Remembers the secrets of a plugin body or entity (its `config.secret`, or what the finder knows). */
  addPluginSecret(plugin: unknown): void {
    try {
      for (const secret of this.secretsOf(plugin)) this.add(secret);
    } catch {
      for (const secret of sessionSecretOf(plugin)) this.add(secret);
    }
  }

  /** How many distinct forms of secrets it knows (for tests and debug output; never the secrets). */
  get size(): number {
    return this.secrets.size;
  }

  /** The text with every known secret replaced by `<redacted>`. */
  redact(text: string): string {
    if (this.secrets.size === 0 || text === "") return text;
    try {
      return redactText(text, this.secrets);
    } catch {
      return "(a message was withheld: it could not be checked for secrets)";
    }
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

/** The `config.secret` of a plugin body or entity, if it has one. */
function sessionSecretOf(plugin: unknown): string[] {
  if (plugin === null || typeof plugin !== "object") return [];
  const config = (plugin as { config?: unknown }).config;
  const secret = config !== null && typeof config === "object" ? (config as { secret?: unknown }).secret : undefined;
  return typeof secret === "string" && secret !== "" ? [secret] : [];
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
  /** 1 + maxRetries; absent when only the deadline bounds the retries */
  readonly maxAttempts?: number;
  /** how long until the deadline, in milliseconds */
  readonly remainingMs?: number;
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

  /**
   * `kong: error KONG_…: <message>` on stderr; errors without a code print as `kong: error: …`.
   * Always prints a line, whatever the error is made of.
   */
  error(error: unknown): void {
    let code: string | undefined;
    let message: string;
    try {
      code = errorCode(error);
      message = this.redactor.redact(errorMessage(error)) || "an error without a message";
    } catch {
      message = "an error whose message could not be read";
    }
    this.stderr.write(`kong: error${code ? ` ${code}` : ""}: ${message}\n`);
    if (this.debugEnabled && error instanceof Error && error.stack && !code) {
      this.debug(error.stack);
    }
  }

  /** A line on stderr when `KONG_CDKTF_DEBUG=1`. */
  debug(line: string): void {
    if (this.debugEnabled) this.stderr.write(`kong: debug: ${this.redactor.redact(line)}\n`);
  }
}

/**
 * The retry line without the prefix: `retrying PUT /plugins/… after 503 (attempt 2, waiting 400 ms,
 * 59 s left before the deadline)`, or `(attempt 2 of 6, waiting 400 ms)` when maxRetries bounds them.
 */
export function formatRetry(event: RetryEvent): string {
  const reason = /^\d+$/.test(event.reason) ? event.reason : event.reason === "timeout" ? "a timeout" : event.reason;
  const attempt = event.maxAttempts === undefined ? `attempt ${event.attempt}` : `attempt ${event.attempt} of ${event.maxAttempts}`;
  const left = event.maxAttempts === undefined && event.remainingMs !== undefined ? `, ${Math.ceil(event.remainingMs / 1000)} s left before the deadline` : "";
  return `retrying ${event.method} ${event.path} after ${reason} (${attempt}, waiting ${event.delayMs} ms${left})`;
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
  name: string,
  id: string,
  workspace: string | undefined,
  changed: readonly string[],
  ms: number,
): string {
  const where = formatWorkspace(workspace);
  switch (result) {
    case "created":
      return `created ${name} plugin ${id} ${where} in ${ms} ms`;
    case "updated": {
      const fields = changed.join(", ");
      const detail = !fields ? where : workspace ? `${where} (${fields})` : `(default workspace; ${fields})`;
      return `updated ${name} plugin ${id} ${detail} in ${ms} ms`;
    }
    case "unchanged":
      return `${name} plugin ${id} unchanged ${where} in ${ms} ms`;
  }
}

/** The line of a delete: deleted, or already absent. */
export function formatDeleted(deleted: boolean, name: string, id: string, workspace: string | undefined, ms: number): string {
  const where = formatWorkspace(workspace);
  return deleted ? `deleted ${name} plugin ${id} ${where} in ${ms} ms` : `${name} plugin ${id} already absent ${where}`;
}

function errorCode(error: unknown): string | undefined {
  if (error === null || typeof error !== "object") return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("KONG_") ? code : undefined;
}

function errorMessage(error: unknown): string {
  try {
    if (error instanceof Error) return error.message || error.name;
    return String(error);
  } catch {
    return "unknown error";
  }
}

/**
 * Every occurrence of every secret, as intervals; overlapping and adjacent ones merge, so a secret
 * inside another (or two touching) are removed whole. Short secrets count only as whole words.
 */
function redactText(text: string, secrets: ReadonlyMap<string, boolean>): string {
  const spans: Array<[number, number]> = [];
  for (const [secret, wholeWord] of secrets) {
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
      const end = at + secret.length;
      if (wholeWord && (joinsWord(text, at - 1, secret, 0) || joinsWord(text, end, secret, secret.length - 1))) continue;
      spans.push([at, end]);
    }
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = "";
  let last = 0;
  let [start, end] = spans[0]!;
  for (const [s, e] of spans.slice(1)) {
    if (s <= end) {
      end = Math.max(end, e);
      continue;
    }
    out += text.slice(last, start) + REDACTED;
    last = end;
    [start, end] = [s, e];
  }
  return out + text.slice(last, start) + REDACTED + text.slice(end);
}

/** True when the character of `text` at `at` and the secret's character at `edge` are both word characters. */
function joinsWord(text: string, at: number, secret: string, edge: number): boolean {
  if (at < 0 || at >= text.length) return false;
  return WORD.test(text[at]!) && WORD.test(secret[edge]!);
}
