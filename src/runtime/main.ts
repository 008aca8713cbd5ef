/**
 * The apply-time program: `node kong-session.cjs <apply|delete|reap|sync|teardown>`, input from environment
 * variables (see `contract.ts`). {@link run} does the work and returns the exit code; only the
 * bootstrap at the bottom touches `process`.
 */
import type { Dispatcher } from "undici";
import { applyAction, deleteAction, reapAction, type ActionContext } from "./actions.js";
import { KongAdminClient } from "./client.js";
import { ENV, type RuntimeAction } from "./contract.js";
import { KongRequestError } from "./errors.js";
import { readConnection, readSecretHeaders, type Env } from "./input.js";
import type { PluginFacts } from "../schema/facts.js";
import { secretStringsOf } from "../schema/plugin-secrets.js";
import { Logger, Redactor, type OutputStream } from "./log.js";

/** Where {@link run} writes, and what tests inject. */
export interface RunIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /**
   * The undici dispatcher for every request, e.g. a `MockAgent`.
   *
   * @default - one undici `Agent` per server, closed when the run ends
   */
  readonly dispatcher?: Dispatcher;
  /** @internal random numbers in [0, 1) for the backoff jitter */
  readonly random?: () => number;
}

const ACTIONS: readonly RuntimeAction[] = ["apply", "delete", "reap", "sync", "teardown"];

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 first compiles it quickly (Liftoff),
 * then optimizes the hot parser on a background thread, and Node waits for that job before the
 * process exits: about 200 ms after the work is done, for code this short-lived program never
 * needs. `--liftoff-only` skips that job. Only on the V8 versions of Node 20 to 24, which know the
 * flag (an unknown flag would print an error line); only in the program, never when imported. The
 * built program's loader (scripts/runtime-loader.cjs) sets it already, before compiling the program
 * (V8's code cache records the flags); this covers the program bundled without that loader.
 */
function fastExit(): void {
  const v8Major = Number(process.versions.v8.split(".")[0]);
  if (v8Major >= 11 && v8Major <= 13) {
    try {
      (require("node:v8") as typeof import("node:v8")).setFlagsFromString("--liftoff-only");
    } catch {
      // an optimization only
    }
  }
}

/**
 * Runs one action and returns the process exit code: 0 when it is done, 1 when anything failed
 * (Terraform then marks the resource failed), 2 for a wrong command line. Never throws.
 *
 * @param argv the arguments after the script, e.g. `["apply"]`
 * @param env the environment, e.g. `process.env`
 */
export async function run(argv: readonly string[], env: Env, io: RunIo): Promise<number> {
  // the table of facts of the plugin `apply` writes, once read: it says which values are secrets
  const facts = new Map<string, PluginFacts>();
  const redactor = new Redactor((plugin) => secretStringsOf(plugin, (name) => facts.get(name)));
  const token = env[ENV.adminToken]?.trim();
  redactor.add(env[ENV.adminToken]);
  redactor.add(token);
  const debug = env.KONG_CDKTF_DEBUG === "1" || env.KONG_CDKTF_DEBUG === "true";
  const logger = new Logger(io.stdout, io.stderr, redactor, debug);
  const clients = new Map<string, KongAdminClient>();
  try {
    const action = argv[0] as RuntimeAction;
    if (argv.length !== 1 || !ACTIONS.includes(action)) {
      logger.error(new KongRequestError(`usage: node kong-session.cjs <${ACTIONS.join("|")}>, got ${JSON.stringify(argv)}`));
      return 2;
    }
    const { headersFromEnv: _fromEnv, adminTokenHeader, ...connection } = readConnection(env);
    const secretHeaders = readSecretHeaders({ ...(_fromEnv ? { headersFromEnv: _fromEnv } : {}) }, env);
    for (const value of Object.values(secretHeaders)) redactor.add(value);
    const context: ActionContext = {
      logger,
      facts,
      client: (serverUrl) => {
        let client = clients.get(serverUrl);
        if (!client) {
          client = new KongAdminClient({
            ...connection,
            serverUrl,
            ...(token ? { token } : {}),
            ...(adminTokenHeader ? { tokenHeader: adminTokenHeader } : {}),
            ...(Object.keys(secretHeaders).length > 0 ? { secretHeaders } : {}),
            ...(io.dispatcher ? { dispatcher: io.dispatcher } : {}),
            ...(io.random ? { random: io.random } : {}),
            redactor,
            onRetry: (event) => logger.retry(event),
            onWarning: (message) => logger.warn(message),
            ...(debug ? { onDebug: (message: string) => logger.debug(message) } : {}),
          });
          clients.set(serverUrl, client);
        }
        return client;
      },
    };
    switch (action) {
      case "apply":
        await applyAction(env, context);
        return 0;
      case "delete":
        await deleteAction(env, context);
        return 0;
      case "reap":
        return (await reapAction(env, context)) ? 0 : 1;
      case "sync": {
        const { syncAction } = await import("./sync.js");
        return (await syncAction(env, context)).ok ? 0 : 1;
      }
      case "teardown": {
        const { teardownAction } = await import("./sync.js");
        return (await teardownAction(env, context)) ? 0 : 1;
      }
    }
  } catch (error) {
    logger.error(error);
    return 1;
  } finally {
    await Promise.allSettled([...clients.values()].map((client) => client.close()));
  }
}

if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
  fastExit();
  run(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 1;
    },
  );
}
