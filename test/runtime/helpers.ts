/**
 * Shared fixtures of the runtime tests: a mocked Kong (undici MockAgent, network off), a real-looking
 * admin token and session secrets, and captured output.
 */
import { MockAgent, type Dispatcher } from "undici";
import { KongAdminClient, type KongAdminClientOptions } from "../../src/runtime/client.js";
import { ENV, REQUEST_VERSION } from "../../src/runtime/contract.js";
import type { RetryEvent } from "../../src/runtime/log.js";
import { run } from "../../src/runtime/main.js";

export const SERVER = "http://kong.test:8001";
export const TOKEN = "kpat_5fQe3Zt1Hn8WcR0yLm2VbX7uJk4DsA9gPqTe";
export const SECRET = "S3ss10nS3cr3tDesired0123456789abcdefABCDEFgh";
export const LIVE_SECRET = "LiveK0ngGeneratedSecret0123456789abcdefABCD";
export const ID = "6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c";
export const OTHER_ID = "0d9e8f7a-1b2c-4d3e-8f4a-5b6c7d8e9f01";
export const ROUTE_ID = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c";
/** The owner token of the stack under test (its identity resource's id). */
export const OWNER = "1c6020e1-0421-636d-94aa-ce59c890c46a";
/** The tag a plugin this stack wrote carries. */
export const OWNER_TAG = `cdktf-kong-gateway:owner=${OWNER}`;

/** Reply options of a JSON answer. */
export const JSON_HEADERS = { headers: { "content-type": "application/json; charset=utf-8" } };

/** A mock Kong with the network turned off. */
export function mockKong(): { agent: MockAgent; kong: ReturnType<MockAgent["get"]> } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return { agent, kong: agent.get(SERVER) };
}

/** A client on the mock, with the token, deterministic jitter and recorded retries. */
export function clientOn(
  dispatcher: Dispatcher,
  options: Partial<KongAdminClientOptions> = {},
): { client: KongAdminClient; retries: RetryEvent[] } {
  const retries: RetryEvent[] = [];
  const client = new KongAdminClient({
    serverUrl: SERVER,
    token: TOKEN,
    dispatcher,
    random: () => 0.5,
    onRetry: (event) => retries.push(event),
    ...options,
  });
  return { client, retries };
}

/** A plugin as Kong returns it. */
export function livePlugin(overrides: Record<string, unknown> = {}, config: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: ID,
    name: "session",
    created_at: 1700000000,
    updated_at: 1700000500,
    enabled: true,
    protocols: ["grpc", "grpcs", "http", "https"],
    route: null,
    service: null,
    consumer: null,
    tags: null,
    instance_name: null,
    ...overrides,
    config: {
      secret: LIVE_SECRET,
      cookie_name: "session",
      cookie_same_site: "Strict",
      rolling_timeout: 3600,
      idling_timeout: 900,
      ...config,
    },
  };
}

/** The environment of an `apply`. */
export function applyEnv(
  payload: Record<string, unknown>,
  options: { workspace?: string; extra?: Record<string, string>; connection?: Record<string, unknown>; owner?: string; adopt?: boolean } = {},
): Record<string, string> {
  return {
    [ENV.adminToken]: TOKEN,
    [ENV.request]: JSON.stringify({
      version: REQUEST_VERSION,
      pluginId: ID,
      serverUrl: SERVER,
      ...(options.workspace === undefined ? {} : { workspace: options.workspace }),
      path: "app/stack/session",
      owner: options.owner ?? OWNER,
      ...(options.adopt ? { adopt: true } : {}),
      payload: { name: "session", ...payload },
    }),
    ...(options.connection ? { [ENV.connection]: JSON.stringify(options.connection) } : {}),
    ...options.extra,
  };
}

/** Runs the program on the mock and captures what it prints. */
export async function runOn(
  dispatcher: Dispatcher,
  argv: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, env, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    dispatcher,
    random: () => 0.5,
  });
  return { code, stdout, stderr };
}

/** Replaces the millisecond timings of log lines with `N`, for snapshots. */
export function stableTimes(text: string): string {
  return text.replace(/in \d+ ms/g, "in N ms");
}

/** The JSON body a mocked request carried. */
export function jsonBody(options: { readonly body?: unknown }): Record<string, unknown> {
  return JSON.parse(String(options.body)) as Record<string, unknown>;
}
