import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { MockAgent } from "undici";
import { KongTransportError } from "../../src/runtime/errors.js";
import { formatRetry } from "../../src/runtime/log.js";
import { ID, JSON_HEADERS, clientOn, livePlugin, mockKong } from "./helpers.js";

let agent: MockAgent;
let kong: ReturnType<MockAgent["get"]>;

beforeEach(() => {
  // Only timers and the clock are faked; undici's streams run on real ticks.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  ({ agent, kong } = mockKong());
});

afterEach(async () => {
  vi.useRealTimers();
  agent.assertNoPendingInterceptors();
  await agent.close();
});

/** Settles a promise while running the fake timers it waits on. */
async function settle<T>(promise: Promise<T>): Promise<T | Error> {
  const outcome = promise.catch((e: Error) => e);
  await vi.runAllTimersAsync();
  return outcome;
}

function connectionError(code: string): Error {
  return Object.assign(new Error(`read ${code}`), { code });
}

const path = `/plugins/${ID}`;

describe("retries", () => {
  test.each([502, 503, 504])("retries on %i with exponential backoff and full jitter", async (status) => {
    kong.intercept({ path, method: "GET" }).reply(status, { message: "upstream trouble" }, JSON_HEADERS).times(3);
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    const { client, retries } = clientOn(agent);

    await expect(settle(client.getPlugin(undefined, ID))).resolves.toMatchObject({ id: ID });

    // random() is 0.5: half of 200, 400, 800 ms
    expect(retries.map((r) => [r.attempt, r.delayMs, r.reason])).toEqual([
      [2, 100, String(status)],
      [3, 200, String(status)],
      [4, 400, String(status)],
    ]);
    // only the deadline bounds the retries: the line says how long is left
    const left = Math.ceil(retries[1]!.remainingMs! / 1000);
    expect(left).toBeGreaterThan(55);
    expect(formatRetry(retries[1]!)).toBe(`retrying GET ${path} after ${status} (attempt 3, waiting 200 ms, ${left} s left before the deadline)`);
    expect(formatRetry({ ...retries[1]!, maxAttempts: 6 })).toBe(`retrying GET ${path} after ${status} (attempt 3 of 6, waiting 200 ms)`);
  });

  test("retries on 429, waiting the seconds of Retry-After", async () => {
    kong.intercept({ path, method: "PUT" }).reply(429, { message: "API rate limit exceeded" }, { headers: { "retry-after": "3" } });
    kong.intercept({ path, method: "PUT" }).reply(200, livePlugin(), JSON_HEADERS);
    const { client, retries } = clientOn(agent);
    const started = Date.now();

    await expect(settle(client.putPlugin(undefined, ID, { name: "session" }))).resolves.toMatchObject({ id: ID });

    expect(retries).toEqual([{ method: "PUT", path, attempt: 2, delayMs: 3000, reason: "429", remainingMs: expect.any(Number) }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
  });

  test("retries on 429, waiting until the HTTP date of Retry-After", async () => {
    const until = new Date(Date.now() + 5000).toUTCString();
    kong.intercept({ path, method: "DELETE" }).reply(429, "", { headers: { "retry-after": until } });
    kong.intercept({ path, method: "DELETE" }).reply(204, "");
    const { client, retries } = clientOn(agent);

    await expect(settle(client.deletePlugin(undefined, ID))).resolves.toBe(true);

    expect(retries[0]!.delayMs).toBeGreaterThan(4000);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(5000);
  });

  test("fails when Retry-After asks for more than the deadline allows, at once", async () => {
    kong.intercept({ path, method: "GET" }).reply(429, "", { headers: { "retry-after": "120" } });
    const { client, retries } = clientOn(agent, { deadlineMs: 30_000 });

    const error = await settle(client.getPlugin(undefined, ID));

    expect(error).toBeInstanceOf(KongTransportError);
    expect(error).toMatchObject({ code: "KONG_DEADLINE_EXCEEDED", attempts: 1 });
    expect((error as Error).message).toMatchInlineSnapshot(`"gave up on GET /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c: Kong answered 429 and asked to wait 120 s, past the deadline of 30000 ms (raise the deadlineMs option to wait longer)"`);
    expect(retries).toEqual([]);
  });

  test.each(["ECONNRESET", "ECONNREFUSED", "UND_ERR_SOCKET", "UND_ERR_HEADERS_TIMEOUT"])("retries after %s", async (code) => {
    kong.intercept({ path, method: "GET" }).replyWithError(connectionError(code));
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    const { client, retries } = clientOn(agent);

    await expect(settle(client.getPlugin(undefined, ID))).resolves.toMatchObject({ id: ID });
    expect(retries.map((r) => r.reason)).toEqual([code]);
  });

  test.each([
    [400, { code: 2, name: "schema violation", message: "schema violation (enabled: expected a boolean)", fields: { enabled: "expected a boolean" } }],
    [401, { message: "Invalid RBAC credentials" }],
    [403, { message: "you do not have permissions to update this resource" }],
    [409, { code: 5, message: "UNIQUE violation detected on '{instance_name=\"x\"}'" }],
    [500, { message: "An unexpected error occurred" }],
  ])("fails at once on %i, without retrying", async (status, body) => {
    kong.intercept({ path, method: "PUT" }).reply(status, body, JSON_HEADERS);
    const { client, retries } = clientOn(agent);

    const error = await settle(client.putPlugin(undefined, ID, { name: "session" }));

    expect(error).toMatchObject({ status, attempts: 1 });
    expect(retries).toEqual([]);
  });

  test("fails when every attempt answers 503, after maxRetries + 1 attempts", async () => {
    kong.intercept({ path, method: "GET" }).reply(503, { message: "name resolution failed" }, JSON_HEADERS).times(3);
    const { client, retries } = clientOn(agent, { maxRetries: 2 });

    const error = await settle(client.getPlugin(undefined, ID));

    expect(error).toMatchObject({ code: "KONG_HTTP_ERROR", status: 503, attempts: 3 });
    expect((error as Error).message).toMatchInlineSnapshot(`"kong answered 503 to GET /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c after 3 attempts: name resolution failed"`);
    expect(retries).toHaveLength(2);
  });

  test("fails when the connection is refused on every attempt", async () => {
    kong.intercept({ path, method: "GET" }).replyWithError(connectionError("ECONNREFUSED")).times(3);
    const { client } = clientOn(agent, { maxRetries: 2 });

    const error = await settle(client.getPlugin(undefined, ID));

    expect(error).toMatchObject({ code: "KONG_CONNECTION_FAILED", attempts: 3 });
    expect((error as Error).message).toMatchInlineSnapshot(`"cannot connect to Kong at http://kong.test:8001 for GET /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (ECONNREFUSED, 3 attempts): check the server URL and that Kong's Admin API listens there"`);
  });

  test("fails when the TLS handshake fails, without retrying, saying to set the CA", async () => {
    const tls = Object.assign(new Error("self-signed certificate in certificate chain"), { code: "SELF_SIGNED_CERT_IN_CHAIN" });
    kong.intercept({ path, method: "GET" }).replyWithError(tls);
    const { client, retries } = clientOn(agent);

    const error = await settle(client.getPlugin(undefined, ID));

    expect(error).toMatchObject({ code: "KONG_TLS_ERROR", attempts: 1 });
    expect((error as Error).message).toMatchInlineSnapshot(`"the TLS connection to http://kong.test:8001 failed for GET /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (SELF_SIGNED_CERT_IN_CHAIN: self-signed certificate in certificate chain): set the caCertFile option to the PEM file of the CA that signed Kong's certificate"`);
    expect(retries).toEqual([]);
  });
});

describe("timeouts and the deadline", () => {
  test("fails when a request takes longer than requestTimeoutMs", async () => {
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS).delay(60_000);
    const { client } = clientOn(agent, { requestTimeoutMs: 2000, maxRetries: 0 });

    const error = await settle(client.getPlugin(undefined, ID));

    expect(error).toMatchObject({ code: "KONG_TIMEOUT", attempts: 1 });
    expect((error as Error).message).toMatchInlineSnapshot(`"request GET /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c to http://kong.test:8001 timed out after 2000 ms: raise the requestTimeoutMs option if Kong is slow"`);
  });

  test("retries after a timeout", async () => {
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS).delay(60_000);
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS);
    const { client, retries } = clientOn(agent, { requestTimeoutMs: 2000, maxRetries: 5 });

    await expect(settle(client.getPlugin(undefined, ID))).resolves.toMatchObject({ id: ID });
    expect(retries.map((r) => r.reason)).toEqual(["timeout"]);
    expect(formatRetry(retries[0]!)).toBe(`retrying GET ${path} after a timeout (attempt 2 of 6, waiting 100 ms)`);
  });

  test("fails when the deadline passes between retries", async () => {
    kong.intercept({ path, method: "PUT" }).reply(503, "", JSON_HEADERS).times(3);
    // waits 100, 200, 400 ms with random() = 0.5; the third wait would end at 700 ms, past 600 ms
    const { client, retries } = clientOn(agent, { deadlineMs: 600 });

    const error = await settle(client.putPlugin(undefined, ID, { name: "session" }));

    expect(error).toMatchObject({ code: "KONG_DEADLINE_EXCEEDED", attempts: 3 });
    expect((error as Error).message).toMatchInlineSnapshot(`"gave up on PUT /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c at http://kong.test:8001 after the deadline of 600 ms (3 attempts, last: status 503): raise the deadlineMs option to wait longer"`);
    expect(retries).toHaveLength(2);
  });

  test("fails when the deadline passes during a request", async () => {
    kong.intercept({ path, method: "GET" }).reply(200, livePlugin(), JSON_HEADERS).delay(60_000).times(2);
    const { client } = clientOn(agent, { requestTimeoutMs: 1000, deadlineMs: 1500, random: () => 0 });

    const error = await settle(client.getPlugin(undefined, ID));

    expect(error).toMatchObject({ code: "KONG_DEADLINE_EXCEEDED", attempts: 2 });
    expect((error as Error).message).toMatchInlineSnapshot(`"gave up on GET /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c at http://kong.test:8001 after the deadline of 1500 ms (2 attempts, last: timeout): raise the deadlineMs option to wait longer"`);
  });
});
