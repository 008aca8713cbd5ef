/**
 * Test support for the emulator: a tiny JSON client over real HTTP (undici), and ids for fixtures.
 */
import { request, type Dispatcher } from "undici";
import type { KongEmulator } from "../../src/testing/index.js";

/** One answer: status, headers, the raw text and the parsed JSON (undefined when empty or not JSON). */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly body: any;
}

/** Options of one call. */
export interface CallOptions {
  readonly headers?: Record<string, string>;
  readonly dispatcher?: Dispatcher;
  readonly headersTimeout?: number;
  /** send this exact text instead of JSON-encoding `body` */
  readonly raw?: string;
}

/** Calls the emulator: `call("POST", "/plugins", { name: "session" })`. */
export async function call(kong: KongEmulator, method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Answer> {
  const payload = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const res = await request(`${kong.url}${path}`, {
    method: method as Dispatcher.HttpMethod,
    headers: { ...(payload !== undefined ? { "content-type": "application/json" } : {}), ...options.headers },
    body: payload,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    ...(options.headersTimeout !== undefined ? { headersTimeout: options.headersTimeout } : {}),
  });
  const text = await res.body.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, body: parsed };
}

/** Fixed ids so inline snapshots stay stable. */
export const IDS = {
  route: "1c1ee2b2-5c6f-4e0e-9a51-6a3f1c1a0001",
  route2: "1c1ee2b2-5c6f-4e0e-9a51-6a3f1c1a0002",
  service: "2d2ff3c3-6d70-4f1f-8b62-7b402d2b0001",
  plugin: "3e3004d4-7e81-4a2a-9c73-8c513e3c0001",
  plugin2: "3e3004d4-7e81-4a2a-9c73-8c513e3c0002",
  missing: "0b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c",
} as const;
