/**
 * The HTTP side of the Admin API client: one request with a timeout, retried with exponential
 * backoff and full jitter on transient failures (connection errors, resets, timeouts, 429 with
 * `Retry-After`, 502, 503, 504) within an overall deadline, TLS options, answers read up to 1 MiB
 * and parsed. Every write of the client is an idempotent PUT or DELETE, or a POST that names the id of
 * the entity it creates (a retry of one that had succeeded meets its own entity), so a retry is always safe.
 */
import { readFileSync } from "node:fs";
import type { Dispatcher } from "undici";
import type { KongAdminClientOptions } from "./client.js";
import { KongCdktfError, KongRequestError, KongResponseError, KongTransportError, type KongTransportErrorCode } from "./errors.js";
import { Redactor, type RetryEvent } from "./log.js";
import { loadAgent, loadRequest } from "./undici.js";

/** Answers larger than this are refused (one plugin, or an error). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A page of a listing may be larger: up to this (the client asks for smaller pages past it). */
export const MAX_PAGE_BYTES = 16 * 1024 * 1024;

export const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const BACKOFF_BASE_MS = 200;
const BACKOFF_MAX_MS = 5000;
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_|EPROTO$|HOSTNAME_MISMATCH$)/;

export type Method = "GET" | "PUT" | "POST" | "DELETE";

/** Kong's answer to one request (after retries). */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** parsed JSON when `kind` is `json`, else the text */
  readonly body: unknown;
  readonly kind: "json" | "html" | "text" | "empty";
  readonly method: Method;
  readonly path: string;
  readonly url: string;
  readonly attempts: number;
}

class AttemptTimeout extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

/** Sends requests to one Admin API; see {@link KongAdminClientOptions} for the options. */
export class Transport {
  /** the server URL without user info, for messages */
  readonly serverUrl: string;
  readonly redactor: Redactor;
  /** whether a token is sent */
  readonly hasToken: boolean;
  /** the header the token is sent in */
  readonly tokenHeader: string;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly headers: Record<string, string>;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly requestTimeoutMs: number;
  private readonly deadlineMs: number;
  private deadlineAt: number;
  /** Infinity: as many retries as the deadline allows */
  private readonly maxRetries: number;
  private readonly random: () => number;
  private readonly onRetry: ((event: RetryEvent) => void) | undefined;
  private readonly onDebug: ((message: string) => void) | undefined;

  constructor(options: KongAdminClientOptions) {
    this.redactor = options.redactor ?? new Redactor();
    this.redactor.add(options.token);
    const url = parseServerUrl(options.serverUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
    this.serverUrl = this.origin + this.basePath;

    this.requestTimeoutMs = positive(options.requestTimeoutMs, 10_000, "requestTimeoutMs");
    this.deadlineMs = positive(options.deadlineMs, 60_000, "deadlineMs");
    this.maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
    if (this.maxRetries !== Number.POSITIVE_INFINITY && (!Number.isInteger(this.maxRetries) || this.maxRetries < 0)) {
      throw new KongRequestError(`invalid maxRetries ${String(options.maxRetries)}: expected an integer of at least 0`);
    }
    this.deadlineAt = Date.now() + this.deadlineMs;
    this.random = options.random ?? Math.random;
    this.onRetry = options.onRetry;
    this.onDebug = options.onDebug;

    this.headers = { accept: "application/json", "user-agent": "cdktf-kong-gateway" };
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      this.headers[name.toLowerCase()] = value;
      if (/authorization|token|secret|cookie|key/i.test(name)) this.redactor.add(value);
    }
    // credentials: redacted whatever their header is called
    for (const [name, value] of Object.entries(options.secretHeaders ?? {})) {
      this.redactor.add(value);
      this.headers[name.toLowerCase()] = value;
    }
    if (url.username || url.password) {
      const user = decodeURIComponent(url.username);
      const password = decodeURIComponent(url.password);
      this.redactor.add(password);
      this.redactor.add(url.password);
      this.headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
      this.redactor.add(this.headers.authorization);
    }
    this.hasToken = typeof options.token === "string" && options.token !== "";
    this.tokenHeader = options.tokenHeader ?? "Kong-Admin-Token";
    if (this.hasToken) this.headers[this.tokenHeader.toLowerCase()] = options.token!;

    // only https has certificates to skip: for http the option changes nothing, so nothing to warn about
    if (options.insecureSkipTlsVerify && url.protocol === "https:") {
      const warn = options.onWarning ?? ((message: string) => process.stderr.write(`kong: warning: ${message}\n`));
      warn(`certificate verification is off for ${this.serverUrl} (${options.insecureOptionName ?? "tls.insecureSkipVerify"}): use it only for tests`);
    }
    if (options.dispatcher) {
      this.dispatcher = options.dispatcher;
      this.ownsDispatcher = false;
    } else {
      const Agent = loadAgent();
      this.dispatcher = new Agent({ connect: tlsOptions(options) });
      this.ownsDispatcher = true;
    }
  }

  /** The full URL of a path, without user info. */
  url(path: string): string {
    return this.serverUrl + path;
  }

  /** Starts the deadline again: the next requests get the whole `deadlineMs` (one per plugin of a reap). */
  restartDeadline(): void {
    this.deadlineAt = Date.now() + this.deadlineMs;
  }

  /**
   * A transport with this one's settings and connections and a deadline of its own, for work done
   * alongside other work (`sync` writes several plugins at once, each within its own deadline).
   * Closing it closes nothing: the connections are this one's.
   */
  fork(): Transport {
    return Object.create(this, {
      deadlineAt: { value: Date.now() + this.deadlineMs, writable: true },
      ownsDispatcher: { value: false },
    }) as Transport;
  }

  /** Closes the transport's own connections (not an injected dispatcher). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** One request with retries, timeouts and the deadline; any status is returned. */
  async send(method: Method, path: string, body?: unknown, retries = true, maxBodyBytes = MAX_BODY_BYTES): Promise<Answer> {
    const fullPath = this.basePath + path;
    const url = this.origin + fullPath;
    this.redactor.addPluginSecret(body);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const maxAttempts = retries ? this.maxRetries + 1 : 1;
    const shownMax = Number.isFinite(maxAttempts) ? maxAttempts : undefined;
    let last = "";
    for (let attempt = 1; ; attempt++) {
      const remaining = this.deadlineAt - Date.now();
      if (remaining <= 0) throw this.deadlineError(method, fullPath, attempt - 1, last);
      const timeoutMs = Math.min(this.requestTimeoutMs, remaining);
      let wait: number;
      try {
        const answer = await this.attempt(method, fullPath, url, payload, timeoutMs, attempt, maxBodyBytes);
        if (!RETRY_STATUSES.has(answer.status) || attempt >= maxAttempts) return answer;
        last = String(answer.status);
        const retryAfter = answer.status === 429 ? parseRetryAfter(header(answer.headers, "retry-after"), Date.now()) : undefined;
        if (retryAfter !== undefined && Date.now() + retryAfter > this.deadlineAt) {
          throw new KongTransportError(
            "KONG_DEADLINE_EXCEEDED",
            `gave up on ${method} ${fullPath}: Kong answered 429 and asked to wait ${Math.ceil(retryAfter / 1000)} s, past the deadline of ${this.deadlineMs} ms (raise the deadlineMs option to wait longer)`,
            { method, url, attempts: attempt },
          );
        }
        wait = retryAfter ?? this.backoff(attempt);
      } catch (error) {
        if (error instanceof KongCdktfError) throw error;
        if (error instanceof AttemptTimeout) {
          if (timeoutMs < this.requestTimeoutMs) throw this.deadlineError(method, fullPath, attempt, "timeout");
          if (attempt >= maxAttempts) {
            throw this.transportError("KONG_TIMEOUT", method, fullPath, url, attempt, error, `timed out after ${error.ms} ms`);
          }
          last = "timeout";
        } else {
          const code = errorCode(error);
          if (code !== undefined && TLS_CODE.test(code)) {
            throw this.transportError("KONG_TLS_ERROR", method, fullPath, url, attempt, error, code);
          }
          if (code === "UND_ERR_INVALID_ARG" || code === "ERR_INVALID_ARG_TYPE" || code === "ERR_INVALID_CHAR") {
            throw new KongRequestError(this.redactor.redact(`cannot send ${method} ${fullPath}: ${messageText(error)}`), { cause: error });
          }
          const kind = code !== undefined && TIMEOUT_CODES.has(code) ? "KONG_TIMEOUT" : "KONG_CONNECTION_FAILED";
          const transient = code !== undefined && (CONNECTION_CODES.has(code) || TIMEOUT_CODES.has(code));
          if (!transient || attempt >= maxAttempts) {
            throw this.transportError(kind, method, fullPath, url, attempt, error, code ?? messageText(error));
          }
          last = code;
        }
        wait = this.backoff(attempt);
      }
      if (Date.now() + wait >= this.deadlineAt) throw this.deadlineError(method, fullPath, attempt, last);
      this.onRetry?.({
        method,
        path: fullPath,
        attempt: attempt + 1,
        ...(shownMax === undefined ? {} : { maxAttempts: shownMax }),
        delayMs: wait,
        remainingMs: Math.max(0, this.deadlineAt - Date.now()),
        reason: last,
      });
      if (wait > 0) await sleep(wait);
    }
  }

  private async attempt(
    method: Method,
    path: string,
    url: string,
    payload: string | undefined,
    timeoutMs: number,
    attempt: number,
    maxBodyBytes: number,
  ): Promise<Answer> {
    const controller = new AbortController();
    const timeout = new AttemptTimeout(timeoutMs);
    const timer = setTimeout(() => controller.abort(timeout), timeoutMs);
    const started = Date.now();
    try {
      if (this.onDebug) this.onDebug(`${method} ${url}${payload === undefined ? "" : ` ${this.printable(JSON.parse(payload))}`}`);
      const response = await loadRequest().call(this.dispatcher, {
        origin: this.origin,
        path,
        method,
        headers: payload === undefined ? this.headers : { ...this.headers, "content-type": "application/json" },
        body: payload,
        signal: controller.signal,
      });
      const text = await readCapped(response.body, maxBodyBytes, () => this.tooLarge(method, path, url, response.statusCode, maxBodyBytes));
      const answer = this.parse(response.statusCode, response.headers, text, method, path, url, attempt);
      if (this.onDebug) {
        const shown = answer.kind === "json" ? this.printable(answer.body) : answer.kind === "html" ? "(an HTML page)" : this.redactor.redact(text);
        this.onDebug(`${method} ${url} -> ${answer.status} in ${Date.now() - started} ms ${shown}`.trimEnd());
      }
      return answer;
    } catch (error) {
      if (controller.signal.aborted && controller.signal.reason === timeout) throw timeout;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private parse(
    status: number,
    headers: Answer["headers"],
    text: string,
    method: Method,
    path: string,
    url: string,
    attempts: number,
  ): Answer {
    const base = { status, headers, method, path, url, attempts };
    const trimmed = text.trim();
    if (trimmed === "") return { ...base, body: "", kind: "empty" };
    const contentType = header(headers, "content-type") ?? "";
    if (/json/i.test(contentType) || /^[[{"]/.test(trimmed)) {
      try {
        const body: unknown = JSON.parse(text);
        this.redactor.addPluginSecret(body);
        const data = (body as { data?: unknown } | null)?.data;
        if (Array.isArray(data)) for (const item of data) this.redactor.addPluginSecret(item);
        return { ...base, body, kind: "json" };
      } catch {
        if (/json/i.test(contentType) && status >= 200 && status < 300) {
          throw new KongResponseError(`invalid JSON from ${method} ${path} (${status}): the answer does not parse`, { status, method, url });
        }
      }
    }
    const html = /text\/html/i.test(contentType) || trimmed.startsWith("<");
    return { ...base, body: html ? "an HTML page" : text, kind: html ? "html" : "text" };
  }


  private tooLarge(method: Method, path: string, url: string, status: number, limit: number): KongResponseError {
    return new KongResponseError(`invalid answer to ${method} ${path} (${status}): larger than ${limit / 1024 / 1024} MiB`, {
      status,
      method,
      url,
    });
  }



  private transportError(
    code: KongTransportErrorCode,
    method: Method,
    path: string,
    url: string,
    attempts: number,
    cause: unknown,
    what: string,
  ): KongTransportError {
    const tries = attempts > 1 ? `, ${attempts} attempts` : "";
    const detail = messageText(cause);
    const message =
      code === "KONG_TLS_ERROR"
        ? `the TLS connection to ${this.serverUrl} failed for ${method} ${path} (${what}: ${detail}): set the caCertFile option to the PEM file of the CA that signed Kong's certificate`
        : code === "KONG_TIMEOUT"
          ? `request ${method} ${path} to ${this.serverUrl} ${what.startsWith("timed out") ? what : `timed out (${what})`}${tries ? ` (${attempts} attempts)` : ""}: raise the requestTimeoutMs option if Kong is slow`
          : `cannot connect to Kong at ${this.serverUrl} for ${method} ${path} (${what}${tries}): check the server URL and that Kong's Admin API listens there`;
    return new KongTransportError(code, this.redactor.redact(message), { method, url, attempts, cause });
  }

  private deadlineError(method: Method, path: string, attempts: number, last: string): KongTransportError {
    const lastPart = last ? `, last: ${/^\d+$/.test(last) ? `status ${last}` : last}` : "";
    return new KongTransportError(
      "KONG_DEADLINE_EXCEEDED",
      `gave up on ${method} ${path} at ${this.serverUrl} after the deadline of ${this.deadlineMs} ms (${attempts} ${attempts === 1 ? "attempt" : "attempts"}${lastPart}): raise the deadlineMs option to wait longer`,
      { method, url: this.origin + path, attempts },
    );
  }

  private backoff(failedAttempt: number): number {
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (failedAttempt - 1));
    return Math.round(this.random() * ceiling);
  }

  private printable(value: unknown): string {
    const text = JSON.stringify(this.redactor.scrub(value));
    return text.length > 2000 ? `${text.slice(0, 2000)}...` : text;
  }
}

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delay seconds or an HTTP date;
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseServerUrl(serverUrl: string): URL {
  const shown = JSON.stringify(serverUrl.replace(/\/\/[^/@]*@/, "//"));
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new KongRequestError(`invalid server URL ${shown}: expected http(s)://host[:port]`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new KongRequestError(`invalid server URL ${shown}: expected http(s)://host[:port]`);
  }
  if (url.search || url.hash) {
    throw new KongRequestError(`invalid server URL ${shown}: expected no query or fragment`);
  }
  return url;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new KongRequestError(`invalid ${name} ${String(value)}: expected a positive number of milliseconds`);
  }
  return value;
}

function tlsOptions(options: KongAdminClientOptions): Record<string, unknown> {
  const tls: Record<string, unknown> = {};
  if (options.caCertFile) tls.ca = readPem(options.caCertFile, "caCertFile");
  if (options.clientCertFile || options.clientKeyFile) {
    if (!options.clientCertFile || !options.clientKeyFile) {
      throw new KongRequestError("clientCertFile and clientKeyFile go together: set both, or neither");
    }
    tls.cert = readPem(options.clientCertFile, "clientCertFile");
    tls.key = readPem(options.clientKeyFile, "clientKeyFile");
  }
  if (options.insecureSkipTlsVerify) tls.rejectUnauthorized = false;
  return tls;
}

function readPem(file: string, option: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new KongRequestError(`cannot read the ${option} file ${file} (${errorCode(error) ?? messageText(error)})`, { cause: error });
  }
}

async function readCapped(body: Dispatcher.ResponseData["body"], limit: number, tooLarge: () => Error): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      body.destroy();
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function header(headers: Answer["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function errorCode(error: unknown): string | undefined {
  const candidates = [error, (error as { cause?: unknown } | null)?.cause, (error as { errors?: unknown[] } | null)?.errors?.[0]];
  for (const candidate of candidates) {
    const code = (candidate as { code?: unknown } | null | undefined)?.code;
    if (typeof code === "string" && code !== "") return code;
  }
  return undefined;
}

function messageText(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
