/**
 * Fault injection and the request log: failures, delays (a shorter client timeout fires), resets
 * (a socket error), hangs, malformed answers, seeded random faults, stats, and a prompt stop().
 */
import { afterEach, describe, expect, it } from "vitest";
import { Agent, request } from "undici";
import { KongEmulator, type KongEmulatorOptions } from "../../src/testing/index.js";
import { call } from "./support.js";

let kong: KongEmulator | undefined;
async function start(options: KongEmulatorOptions = {}): Promise<KongEmulator> {
  kong = await KongEmulator.start(options);
  return kong;
}
afterEach(async () => {
  await kong?.stop();
  kong = undefined;
});

describe("failNext", () => {
  it("answers the next requests with the status, Kong's message and Retry-After, without processing them", async () => {
    const k = await start();
    k.faults.failNext(2, { status: 503, retryAfterSeconds: 7 });
    const first = await call(k, "POST", "/plugins", { name: "session" });
    expect(first).toMatchObject({ status: 503, body: { message: "The upstream server is currently unavailable" } });
    expect(first.headers["retry-after"]).toBe("7");
    expect((await call(k, "GET", "/plugins")).status).toBe(503);
    expect(k.plugins()).toEqual([]);
    expect((await call(k, "POST", "/plugins", { name: "session" })).status).toBe(201);
    expect(k.requests.map((r) => [r.status, r.fault])).toEqual([[503, "503"], [503, "503"], [201, undefined]]);
    expect(k.requests[0]!.body).toEqual({ name: "session" });
  });

  it("knows every failure status", async () => {
    const k = await start();
    const statuses = [429, 500, 502, 503, 504] as const;
    for (const status of statuses) k.faults.failNext(1, { status });
    const answers = [];
    for (const _ of statuses) answers.push((await call(k, "GET", "/")).status);
    expect(answers).toEqual([...statuses]);
    expect(k.stats()).toMatchObject({ requests: 5, faultsInjected: 5, byStatus: { "429": 1, "500": 1, "502": 1, "503": 1, "504": 1 } });
  });

  it("applies queued faults in arrival order, and clear() forgets them", async () => {
    const k = await start();
    k.faults.failNext(1, { status: 429 });
    k.faults.resetNext(1);
    k.faults.failNext(1, { status: 500 });
    expect((await call(k, "GET", "/")).status).toBe(429);
    await expect(call(k, "GET", "/")).rejects.toThrow();
    k.faults.clear();
    expect((await call(k, "GET", "/")).status).toBe(200);
  });

  it("fails when given a status or count it does not know", async () => {
    const k = await start();
    expect(() => k.faults.failNext(1, { status: 418 as 429 })).toThrow(RangeError);
    expect(() => k.faults.delayNext(-1, 10)).toThrow(RangeError);
    expect(() => k.faults.random({ rate: 2 })).toThrow(RangeError);
  });
});

describe("delayNext", () => {
  it("processes at once but answers late: a shorter client timeout fires", async () => {
    const k = await start();
    k.faults.delayNext(1, 2_000);
    await expect(request(`${k.url}/plugins`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"session"}', headersTimeout: 100 })).rejects.toMatchObject({
      code: "UND_ERR_HEADERS_TIMEOUT",
    });
    expect(k.plugins()).toHaveLength(1);
    await k.waitForRequests(1);
    expect(k.requests[0]).toMatchObject({ status: 0, fault: "delay" });
  });

  it("answers normally after the delay when the client waits", async () => {
    const k = await start();
    k.faults.delayNext(1, 50);
    expect((await call(k, "GET", "/")).status).toBe(200);
    expect(k.requests[0]!.durationMs).toBeGreaterThanOrEqual(49);
  });
});

describe("resetNext and hangNext", () => {
  it("destroys the socket without answering: the client sees a socket error", async () => {
    const k = await start();
    k.faults.resetNext(1);
    const error = await call(k, "POST", "/plugins", { name: "session" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as { code?: string }).code)).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect(k.plugins()).toEqual([]);
    expect(k.requests[0]).toMatchObject({ status: 0, fault: "reset" });
    expect((await call(k, "GET", "/")).status).toBe(200);
  });

  it("never answers a hung request: the client's timeout fires and the request is recorded without status", async () => {
    const k = await start();
    k.faults.hangNext(1);
    await expect(call(k, "GET", "/plugins", undefined, { headersTimeout: 100 })).rejects.toMatchObject({ code: "UND_ERR_HEADERS_TIMEOUT" });
    await k.waitForRequests(1);
    expect(k.requests[0]).toMatchObject({ status: 0, fault: "hang", path: "/plugins" });
  });

  it("stop() ends hung requests at once", async () => {
    const k = await start();
    k.faults.hangNext(1);
    const hung = call(k, "GET", "/").catch((e: unknown) => e);
    await k.waitForArrivals(1);
    const started = performance.now();
    await k.stop();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await hung).toBeInstanceOf(Error);
  });
});

describe("malformedNext", () => {
  it("processes the request but breaks the answer", async () => {
    const k = await start();
    k.faults.malformedNext(1, "invalid-json");
    const broken = await call(k, "POST", "/plugins", { name: "session" });
    expect(broken.status).toBe(201);
    expect(() => JSON.parse(broken.text)).toThrow();
    expect(k.plugins()).toHaveLength(1);

    k.faults.malformedNext(1, "html");
    const html = await call(k, "GET", "/plugins");
    expect(html.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(html.text).toContain("<html>");

    k.faults.malformedNext(1, "wrong-plugin-name");
    const renamed = await call(k, "GET", `/plugins/${k.plugins()[0]!.id}`);
    expect(renamed.body.name).toBe("cors");

    k.faults.malformedNext(1, "huge");
    const huge = await call(k, "GET", "/plugins");
    expect(huge.text.length).toBeGreaterThan(16 * 1024 * 1024);
    expect(huge.body.data).toHaveLength(1);
    expect(k.stats().faultsInjected).toBe(4);
  });
});

describe("random", () => {
  async function pattern(k: KongEmulator, seed: number): Promise<string[]> {
    k.reset();
    k.faults.random({ rate: 0.5, seed, kinds: ["429", "503", "reset", "delay"], delayMs: 1 });
    for (let i = 0; i < 40; i++) await call(k, "GET", "/").catch(() => undefined);
    await k.waitForRequests(40);
    return k.requests.map((r) => r.fault ?? "-");
  }

  it("gives the same faults for the same seed, and others for another seed", async () => {
    const k = await start();
    const a = await pattern(k, 42);
    const b = await pattern(k, 42);
    const c = await pattern(k, 7);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a)).toEqual(new Set(["-", "429", "503", "reset", "delay"]));
    expect(k.stats().faultsInjected).toBe(c.filter((f) => f !== "-").length);
  });
});

describe("stats and stop", () => {
  it("counts requests per status and latency percentiles", async () => {
    const k = await start();
    await call(k, "GET", "/");
    await call(k, "GET", "/nope");
    await call(k, "GET", "/");
    const stats = k.stats();
    expect(stats).toMatchObject({ requests: 3, faultsInjected: 0, byStatus: { "200": 2, "404": 1 } });
    expect(stats.latencyMs.max).toBeGreaterThanOrEqual(stats.latencyMs.p99);
    expect(stats.latencyMs.p99).toBeGreaterThanOrEqual(stats.latencyMs.p50);
    k.clearRequests();
    expect(k.stats()).toEqual({ requests: 0, faultsInjected: 0, byStatus: {}, latencyMs: { p50: 0, p99: 0, max: 0 } });
  });

  it("stop() closes idle keep-alive connections promptly", async () => {
    const k = await start();
    const agent = new Agent({ keepAliveTimeout: 60_000, keepAliveMaxTimeout: 60_000 });
    const disconnected = new Promise<void>((resolve) => agent.on("disconnect", () => resolve()));
    expect((await call(k, "GET", "/", undefined, { dispatcher: agent })).status).toBe(200);
    const started = performance.now();
    await k.stop();
    await disconnected;
    expect(performance.now() - started).toBeLessThan(1_000);
    await agent.close();
  });
});
