/**
 * `kong-gateway-cdktf emulator`: serves the offline Kong Admin API emulator (cdktf-kong-gateway/testing)
 * until SIGINT or SIGTERM, e.g. to run `cdktf deploy` or `terraform apply` against it.
 */
import { KongEmulator } from "../testing/emulator.js";
import { CliUsageError, EXIT, Output, type CliEnv, type CliIo } from "./io.js";
import { parseFlags } from "./parse.js";

export const EMULATOR_HELP = `usage: kong-gateway-cdktf emulator [--port N] [--host H] [--edition E] [--kong-version V]
                                   [--workspace W]... [--admin-token-env NAME]

Serves an offline Kong Admin API (the emulator of cdktf-kong-gateway/testing: plugins, services,
routes, consumers, upstreams, targets, certificates, SNIs, CA certificates, vaults, keys, key sets,
the auth plugins' credentials; consumer groups and workspaces on Enterprise) in memory, until
interrupted (Ctrl-C, SIGINT or SIGTERM). Prints one line with its URL on stdout once it listens.

options:
  --port N                the port to listen on; 0 picks a free one (default 8001)
  --host H                the address to listen on (default 127.0.0.1)
  --edition E             oss or enterprise (default enterprise)
  --kong-version V        the Kong version to behave like, e.g. 3.9 (default 3.9.1); also --version
  --workspace W           with --edition enterprise: a workspace besides default (repeatable)
  --admin-token-env NAME  require the admin token held by the environment variable NAME in the
                          Kong-Admin-Token header of every request (default: no token)
  -h, --help              this help

exit codes: 0 stopped by a signal, 1 bad option or the server could not start`;

const OPTIONS = {
  port: { type: "string" },
  host: { type: "string" },
  edition: { type: "string" },
  "kong-version": { type: "string" },
  version: { type: "string" },
  workspace: { type: "string", multiple: true },
  "admin-token-env": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** What the emulator command serves. */
export interface EmulatorSettings {
  readonly port: number;
  readonly host: string;
  readonly edition: "community" | "enterprise";
  readonly version: string;
  readonly workspaces: readonly string[];
  readonly adminToken?: string;
}

/** The emulator command: parses its options, then serves until SIGINT or SIGTERM. */
export async function emulatorCommand(argv: readonly string[], env: CliEnv, io: CliIo): Promise<number> {
  const out = new Output(io);
  let settings: EmulatorSettings;
  try {
    const { values } = parseFlags("emulator", argv, OPTIONS, false);
    if (values.help) {
      out.result(`${EMULATOR_HELP}\n`);
      return EXIT.ok;
    }
    settings = readSettings(values, env);
  } catch (error) {
    out.error(error);
    return EXIT.error;
  }
  return serveEmulator(settings, out, untilSignal());
}

/**
 * Starts the emulator, prints its URL, and stops it when `stop` resolves; 1 when it cannot start.
 * The command passes SIGINT/SIGTERM; tests pass a promise of their own.
 */
export async function serveEmulator(settings: EmulatorSettings, out: Output, stop: Promise<unknown>): Promise<number> {
  if (settings.adminToken !== undefined) out.redactor.add(settings.adminToken);
  let kong: KongEmulator;
  try {
    kong = await KongEmulator.start({
      port: settings.port,
      host: settings.host,
      edition: settings.edition,
      version: settings.version,
      workspaces: settings.workspaces,
      ...(settings.adminToken !== undefined ? { adminToken: settings.adminToken } : {}),
    });
  } catch (error) {
    out.error(startFailure(error, settings));
    return EXIT.error;
  }
  const edition = settings.edition === "community" ? "oss" : "enterprise";
  out.result(`kong emulator (${edition} ${settings.version}) listening on ${kong.url}\n`);
  await stop;
  await kong.stop();
  return EXIT.ok;
}

/** The options, checked: every problem is a {@link CliUsageError}. */
function readSettings(values: Record<string, string | boolean | string[] | undefined>, env: CliEnv): EmulatorSettings {
  const text = (name: string): string | undefined => values[name] as string | undefined;
  const portText = text("port") ?? "8001";
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new CliUsageError(`invalid --port ${JSON.stringify(portText)}: expected a number from 0 to 65535`);
  const edition = text("edition") ?? "enterprise";
  if (edition !== "oss" && edition !== "enterprise") throw new CliUsageError(`invalid --edition ${JSON.stringify(edition)}: expected oss or enterprise`);
  if (text("kong-version") !== undefined && text("version") !== undefined) throw new CliUsageError("--kong-version and --version are the same option: give one");
  const version = text("kong-version") ?? text("version") ?? "3.9.1";
  if (!/^\d+\.\d+(\.\d+){0,2}$/.test(version)) throw new CliUsageError(`invalid --kong-version ${JSON.stringify(version)}: expected a version like 3.9 or 3.9.1`);
  const workspaces = (values["workspace"] as string[] | undefined) ?? [];
  if (workspaces.length > 0 && edition !== "enterprise") throw new CliUsageError("--workspace needs --edition enterprise: workspaces exist only in Kong Enterprise");
  const tokenEnv = text("admin-token-env");
  let adminToken: string | undefined;
  if (tokenEnv !== undefined) {
    adminToken = env[tokenEnv];
    if (adminToken === undefined || adminToken === "") throw new CliUsageError(`--admin-token-env ${tokenEnv}: the environment variable ${tokenEnv} is not set or empty`);
  }
  return { port: Number(portText), host: text("host") ?? "127.0.0.1", edition: edition === "oss" ? "community" : "enterprise", version, workspaces, ...(adminToken !== undefined ? { adminToken } : {}) };
}

function startFailure(error: unknown, settings: EmulatorSettings): Error {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "EADDRINUSE") return new CliUsageError(`port ${settings.port} on ${settings.host} is in use: stop what listens there, or pick another --port`);
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN") return new CliUsageError(`cannot listen on ${settings.host}: no such local address`);
  if (code === "EACCES") return new CliUsageError(`not allowed to listen on port ${settings.port} of ${settings.host}`);
  return error instanceof Error ? error : new Error(String(error));
}

/** Resolves with the first SIGINT or SIGTERM (and stops listening for them). */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(signal);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}
