/**
 * How the CLI reaches the Admin API: the same options as the apply-time program, from flags and the
 * environment. The admin token comes from `KONG_ADMIN_TOKEN` only, never from a flag, which would
 * land in shell history.
 */
import { accessSync, constants } from "node:fs";
import * as path from "node:path";
import { KongAdminClient, type KongAdminClientOptions } from "../runtime/client.js";
import { ENV, type ConnectionOptions } from "../runtime/contract.js";
import { readSecretHeaders } from "../runtime/input.js";
import { CliUsageError, type CliEnv, type CliIo, type Output } from "./io.js";

/** The default Admin API URL, as the provider's. */
export const DEFAULT_SERVER_URL = "http://localhost:8001";

/** Environment variable of the Admin API URL (the `--server-url` flag wins). */
export const SERVER_URL_ENV = "KONG_ADMIN_URL";

/** A bound on everything one command does, retries included: generous, a `diff` may read many plugins. */
const COMMAND_DEADLINE_MS = 10 * 60_000;

/** How many times a command retries one request (a stack's own `maxRetries` wins). */
const COMMAND_MAX_RETRIES = 5;

/** `parseArgs` options shared by the commands that talk to Kong. */
export const CONNECTION_OPTIONS = {
  "server-url": { type: "string" },
  "ca-cert": { type: "string" },
  "client-cert": { type: "string" },
  "client-key": { type: "string" },
  "insecure-skip-verify": { type: "boolean" },
  header: { type: "string", multiple: true },
  timeout: { type: "string" },
} as const;

/** The help text of those options. */
export const CONNECTION_HELP = `connection:
  --server-url URL        the Admin API (default: $${SERVER_URL_ENV}, else ${DEFAULT_SERVER_URL})
  --ca-cert FILE          PEM bundle of the CAs to trust for https
  --client-cert FILE      PEM client certificate (mutual TLS), with --client-key
  --client-key FILE       PEM key of --client-cert
  --insecure-skip-verify  do not verify the server's certificate (prints a warning)
  --header 'Name: value'  extra header on every request (repeatable)
  --timeout MS            timeout of one request in milliseconds (default 10000)

environment:
  ${ENV.adminToken}        the admin token, sent as Kong-Admin-Token (never a flag)
  ${SERVER_URL_ENV}          the Admin API URL when --server-url is not given
  KONG_CDKTF_DEBUG=1      print every request and answer (redacted) on stderr`;

/** The parsed connection flags. */
export interface ConnectionFlags {
  readonly "server-url"?: string;
  readonly "ca-cert"?: string;
  readonly "client-cert"?: string;
  readonly "client-key"?: string;
  readonly "insecure-skip-verify"?: boolean;
  readonly header?: string[];
  readonly timeout?: string;
}

/** Connection settings from flags: what the user asked for, before any stack's own settings. */
export interface CliConnection {
  /** from `--server-url` only (undefined when not given) */
  readonly serverUrlFlag?: string;
  /** `--server-url`, else `KONG_ADMIN_URL`, else the default */
  readonly serverUrl: string;
  readonly options: ConnectionOptions;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Reads and checks the connection flags. */
export function readConnectionFlags(flags: ConnectionFlags, env: CliEnv, cwd: string): CliConnection {
  const headers: Record<string, string> = {};
  for (const header of flags.header ?? []) {
    const colon = header.indexOf(":");
    const name = colon > 0 ? header.slice(0, colon).trim() : "";
    if (!HEADER_NAME.test(name)) {
      throw new CliUsageError(`invalid --header ${JSON.stringify(header.slice(0, 40))}: expected 'Name: value'`);
    }
    if (name.toLowerCase() === "kong-admin-token") {
      throw new CliUsageError(`the admin token is read from ${ENV.adminToken} only, never from a flag (flags land in shell history)`);
    }
    const value = header.slice(colon + 1).trim();
    if (/[\r\n\0]/.test(value)) throw new CliUsageError(`invalid --header ${name}: the value has a line break`);
    headers[name] = value;
  }
  let requestTimeoutMs: number | undefined;
  if (flags.timeout !== undefined) {
    requestTimeoutMs = Number(flags.timeout);
    if (!/^\d+$/.test(flags.timeout.trim()) || !Number.isSafeInteger(requestTimeoutMs) || requestTimeoutMs <= 0) {
      throw new CliUsageError(`invalid --timeout ${JSON.stringify(flags.timeout)}: expected a positive number of milliseconds`);
    }
  }
  if (Boolean(flags["client-cert"]) !== Boolean(flags["client-key"])) {
    throw new CliUsageError("--client-cert and --client-key go together: give both, or neither");
  }
  const file = (value: string | undefined, flag: string) => {
    if (value === undefined) return undefined;
    const resolved = path.resolve(cwd, value);
    try {
      accessSync(resolved, constants.R_OK);
    } catch (error) {
      throw new CliUsageError(`cannot read the ${flag} file ${value} (${(error as { code?: string }).code ?? String(error)})`);
    }
    return resolved;
  };
  const options: Record<string, unknown> = {
    headers: Object.keys(headers).length > 0 ? headers : undefined,
    caCertFile: file(flags["ca-cert"], "--ca-cert"),
    clientCertFile: file(flags["client-cert"], "--client-cert"),
    clientKeyFile: file(flags["client-key"], "--client-key"),
    insecureSkipTlsVerify: flags["insecure-skip-verify"] || undefined,
    requestTimeoutMs,
  };
  const serverUrlFlag = flags["server-url"];
  const fromEnv = env[SERVER_URL_ENV]?.trim();
  return {
    ...(serverUrlFlag !== undefined ? { serverUrlFlag } : {}),
    serverUrl: serverUrlFlag ?? (fromEnv || DEFAULT_SERVER_URL),
    options: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ConnectionOptions,
  };
}

/** Makes Admin API clients that share the command's redactor, warnings and dispatcher. */
export class ClientFactory {
  private readonly clients = new Map<string, KongAdminClient>();
  private readonly token: string | undefined;
  private readonly debug: boolean;

  constructor(
    private readonly env: CliEnv,
    private readonly io: CliIo,
    private readonly out: Output,
  ) {
    const raw = env[ENV.adminToken];
    out.redactor.add(raw);
    this.token = raw?.trim() || undefined;
    out.redactor.add(this.token);
    this.debug = env.KONG_CDKTF_DEBUG === "1" || env.KONG_CDKTF_DEBUG === "true";
  }

  /** The client of a server URL with these options (one per distinct pair, for the whole command). */
  client(serverUrl: string, options: ConnectionOptions): KongAdminClient {
    const key = JSON.stringify([serverUrl, options]);
    let client = this.clients.get(key);
    if (!client) {
      // a stack's credential headers come from the environment, as at apply; never from its JSON
      const { headersFromEnv, adminTokenHeader, ...rest } = options;
      const secretHeaders = readSecretHeaders(headersFromEnv ? { headersFromEnv } : {}, this.env);
      for (const value of Object.values(secretHeaders)) this.out.redactor.add(value);
      const settings: KongAdminClientOptions = {
        deadlineMs: COMMAND_DEADLINE_MS,
        // a person waits at the terminal: a few retries, not the whole deadline
        maxRetries: COMMAND_MAX_RETRIES,
        insecureOptionName: "--insecure-skip-verify",
        ...rest,
        ...(adminTokenHeader ? { tokenHeader: adminTokenHeader } : {}),
        ...(Object.keys(secretHeaders).length > 0 ? { secretHeaders } : {}),
        serverUrl,
        ...(this.token ? { token: this.token } : {}),
        ...(this.io.dispatcher ? { dispatcher: this.io.dispatcher } : {}),
        redactor: this.out.redactor,
        onRetry: (event) =>
          this.out.progress(`retrying ${event.method} ${event.path} after ${event.reason} (attempt ${event.attempt} of ${event.maxAttempts})`),
        onWarning: (message) => this.out.warn(message),
        ...(this.debug ? { onDebug: (message: string) => this.out.progress(`debug: ${message}`) } : {}),
      };
      client = new KongAdminClient(settings);
      this.clients.set(key, client);
    }
    return client;
  }

  /** Closes every client's connections. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.clients.values()].map((client) => client.close()));
  }
}
