/**
 * What a command of the CLI is given and where it writes: argv, the environment and two streams, so a
 * test can run a command in-process; only `main.ts`'s bootstrap touches `process`.
 *
 * Every line goes through a {@link Redactor}: the admin token and every plugin secret the command
 * has seen are replaced by `<redacted>` before anything is written.
 */
import type { Dispatcher } from "undici";
import { Redactor, type OutputStream } from "../runtime/log.js";
import { cliSecretStringsOf } from "./secrets.js";
import { isVaultReference } from "../schema/vault.js";

/** The environment, like `process.env`. */
export type CliEnv = Readonly<Record<string, string | undefined>>;

/** Where a command reads and writes, and what tests inject. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /**
   * Reads all of standard input (for `validate -`).
   *
   * @default - reads `process.stdin`
   */
  readonly readStdin?: () => Promise<string>;
  /**
   * The directory relative paths are resolved against.
   *
   * @default - `process.cwd()`
   */
  readonly cwd?: string;
  /**
   * The undici dispatcher for every Admin API request, e.g. a `MockAgent`.
   *
   * @default - an undici `Agent` per server, closed when the command ends
   */
  readonly dispatcher?: Dispatcher;
}

/** A command: the arguments after its name, the environment, the streams; returns the exit code. */
export type Command = (argv: readonly string[], env: CliEnv, io: CliIo) => Promise<number>;

/** Exit codes: 0 done (or, for `diff`, nothing differs), 1 error, 2 `diff` found differences. */
export const EXIT = { ok: 0, error: 1, differences: 2 } as const;

/** A command's user-facing mistake (bad flag, bad input): printed as `error: <message>`, exit 1. */
export class CliUsageError extends Error {
  override name = "CliUsageError";
}

/**
 * The runtime's redactor, except that vault references (`{vault://env/session-secret}`) are not
 * secrets: Kong stores and returns them as they are, and `import` prints them; nor are Kong's
 * published defaults of a plugin's fields (see `cliSecretStringsOf`).
 */
export class CliRedactor extends Redactor {
  constructor() {
    super(cliSecretStringsOf);
  }

  override add(secret: unknown): void {
    if (isVaultReference(secret)) return;
    super.add(secret);
  }
}

/** Redacted writing of results (stdout) and progress, warnings and errors (stderr). */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly redactor: Redactor = new CliRedactor(),
  ) {}

  /** Text on stdout, as is apart from redaction (add the newlines yourself). */
  result(text: string): void {
    this.io.stdout.write(this.redactor.redact(text));
  }

  /** One line on stderr. */
  progress(line: string): void {
    this.io.stderr.write(`${this.redactor.redact(line)}\n`);
  }

  /** `warning: <line>` on stderr. */
  warn(line: string): void {
    this.io.stderr.write(`warning: ${this.redactor.redact(cliMessage(line))}\n`);
  }

  /** `error KONG_…: <message>` (or `error: <message>`) on stderr. */
  error(error: unknown): void {
    this.io.stderr.write(`${this.redactor.redact(formatError(error))}\n`);
  }
}

/** How an error reads on stderr: its stable code when it has one. */
export function formatError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message || error.name : String(error);
  const prefix = typeof code === "string" && code.startsWith("KONG_") ? `error ${code}` : "error";
  return `${prefix}: ${cliMessage(message)}`;
}

/** The runtime's messages speak of the environment Terraform runs in; here it is the user's shell. */
function cliMessage(message: string): string {
  return message
    .replace("set KONG_ADMIN_TOKEN in the environment Terraform runs in", "set KONG_ADMIN_TOKEN in the environment")
    .replace("set the caCertFile option to the PEM file", "pass --ca-cert with the PEM file")
    .replace("raise the requestTimeoutMs option", "raise --timeout");
}

/** The whole of `process.stdin` as text. */
export async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A JSON parse failure as a position, never quoting the text (it may hold a secret):
 * `line 3, column 7: expected ',' or '}' after property value`.
 */
export function describeJsonError(error: unknown, text: string): string {
  const raw = error instanceof Error ? error.message : String(error);
  // V8 quotes a piece of the input (`Unexpected token 'x', "…" is not valid JSON`): drop the quote
  let message = raw.replace(/, ".*" is not valid JSON$/s, "").replace(/ in JSON at position \d+.*$/s, "");
  message = message.replace(/^Unexpected end of JSON input$/, "unexpected end of input");
  message = message.charAt(0).toLowerCase() + message.slice(1);
  const position = /at position (\d+)/.exec(raw);
  if (text.trim() === "") return "the input is empty";
  if (!position) return message;
  const offset = Number(position[1]);
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `line ${line}, column ${column}: ${message}`;
}
