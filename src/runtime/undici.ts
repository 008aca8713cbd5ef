/**
 * The two parts of undici the client uses, loaded on first use from their own modules.
 *
 * `require("undici")` evaluates all of undici (fetch, WebSocket, caches, mocks): about twice the
 * bundle and start-up time of the apply-time program. undici has no `exports` map, so its modules
 * can be required directly; the test `undici.test.ts` checks these are the very objects undici exports,
 * so an upgrade that moves them fails a test rather than a user's apply.
 */
import type { Agent as AgentClass, Dispatcher } from "undici";

/** undici's `Dispatcher#request`, called with the dispatcher as `this`. */
export type RequestFunction = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

let agent: typeof AgentClass | undefined;
let request: RequestFunction | undefined;

/** undici's `Agent` class. */
export function loadAgent(): typeof AgentClass {
  return (agent ??= require("undici/lib/dispatcher/agent.js") as typeof AgentClass);
}

/** undici's `request` API, the implementation behind `Dispatcher#request`. */
export function loadRequest(): RequestFunction {
  return (request ??= require("undici/lib/api/api-request.js") as RequestFunction);
}
