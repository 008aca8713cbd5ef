/**
 * `sync` and `teardown` against the emulator over HTTP: one process for every plugin of a stack. It
 * writes only what differs (a change of one plugin costs the listing and one PUT), deletes what the
 * code no longer declares and only what the stack owns, validates everything before it writes,
 * carries secrets without printing them, retries faults, and `teardown` deletes the stack's plugins
 * and nothing else.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ENV, SYNC_VERSION, type SyncPlugin } from "../../src/runtime/contract.js";
import { run } from "../../src/runtime/main.js";
import { loadPluginFacts } from "../../src/schema/generated/catalog.js";
import { KongEmulator } from "../../src/testing/index.js";

const OWNER = "4a6e2b1c-0f3d-4e5a-9b8c-7d6e5f4a3b2c";
const OTHER_OWNER = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
/** The owner tag in a path: what `GET /tags/{tag}` lists the stack's entities by. */
const TAG = encodeURIComponent(`cdktf-kong-gateway:owner=${OWNER}`);
const TOKEN = "kpat_Sync5fQe3Zt1Hn8WcR0yLm2VbX7uJk4DsA9g";
const REDIS_PASSWORD = "R3d1sPassw0rdOfSyncNeverPrinted-5d2a";

let kong: KongEmulator;
let dir: string;

beforeAll(async () => {
  kong = await KongEmulator.start({ version: "3.15.0", adminToken: TOKEN, workspaces: ["team-a"] });
  dir = mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-sync-"));
});
afterAll(() => kong.stop());
beforeEach(() => {
  kong.reset();
  // a route per plugin: Kong allows one rate-limiting plugin per route
  for (let i = 0; i < 600; i++) kong.addRoute({ id: routeOf(i) });
  for (let i = 0; i < 5; i++) kong.addRoute({ id: routeOf(i), workspace: "team-a" });
  kong.clearRequests();
});

/** The id of the i-th plugin (deterministic, as the constructs derive them). */
const idOf = (i: number) => `5e1a2b3c-4d5e-4f60-8a7b-${(i + 1).toString(16).padStart(12, "0")}`;

const routeOf = (i: number) => `7c2d3e4f-5a6b-4c7d-8e9f-${(i + 1).toString(16).padStart(12, "0")}`;

/** A rate-limiting plugin of the desired set, on a route of its own. */
function limits(i: number, minute = 10 + i, extra: Partial<SyncPlugin> = {}): SyncPlugin {
  return {
    path: `app/stack/limits-${i}`,
    id: idOf(i),
    workspace: "",
    payload: { name: "rate-limiting", instance_name: `limits-${i}`, route: { id: routeOf(i) }, config: { minute, policy: "local" } },
    ...extra,
  };
}

let files = 0;

/** Runs `sync` with a desired set written to a file, as the synthesized stack gives it. */
async function sync(plugins: readonly SyncPlugin[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = path.join(dir, `desired-${files++}.json`);
  const kinds = [...new Set(plugins.map((p) => String(p.payload.name)).filter((name) => name !== "session"))];
  writeFileSync(
    file,
    JSON.stringify({
      version: SYNC_VERSION,
      serverUrl: kong.url,
      target: { edition: "enterprise", version: "3.15" },
      plugins,
      facts: Object.fromEntries(kinds.filter((name) => loadPluginFacts(name)).map((name) => [name, loadPluginFacts(name)])),
    }),
  );
  return runProgram(["sync"], { [ENV.sync]: file, [ENV.owner]: OWNER, ...env });
}

async function runProgram(argv: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, { [ENV.adminToken]: TOKEN, ...env }, { stdout: { write: (c: string) => (stdout += c) }, stderr: { write: (c: string) => (stderr += c) }, random: () => 0.5 });
  return { code, stdout, stderr };
}

/** The requests since the last clear, as `METHOD path`. */
const requests = () => kong.requests.map((r) => `${r.method} ${r.path}`);
/** The lines printed, timings as N. */
const lines = (text: string) => text.split("\n").filter(Boolean).map((line) => line.replace(/in \d+ ms/, "in N ms").replace(/\(\d+ ms\)/, "(N ms)"));
const summary = (stdout: string) => stdout.split("\n").find((line) => line.includes("sync:"))?.replace(/\(\d+ ms\)/, "(N ms)");

describe("sync", () => {
  it("creates every plugin of the desired set with the stack's owner tag, and lists before it writes", async () => {
    const result = await sync(Array.from({ length: 30 }, (_, i) => limits(i)));
    expect(result.code).toBe(0);
    expect(summary(result.stdout)).toBe("kong: sync: 30 plugins declared: 30 created, 0 updated, 0 unchanged, 0 deleted (N ms)");
    expect(kong.plugins()).toHaveLength(30);
    expect(kong.plugin(idOf(7))?.tags).toEqual([`cdktf-kong-gateway:owner=${OWNER}`]);
    const sent = requests();
    // the workspaces, this stack's plugins in each, then a GET and a PUT per new plugin
    expect(sent.slice(0, 3)).toEqual(["GET /workspaces", "GET /plugins", "GET /team-a/plugins"]);
    expect(sent.filter((r) => r.startsWith("PUT "))).toHaveLength(30);
    expect(sent.filter((r) => /^GET \/plugins\/./.test(r))).toHaveLength(30);
    expect(kong.requests[1]!.query.tags).toBe(`cdktf-kong-gateway:owner=${OWNER}`);
  });

  it("writes nothing when Kong holds the desired set, and one PUT when one plugin changed", async () => {
    const desired = Array.from({ length: 30 }, (_, i) => limits(i));
    await sync(desired);
    kong.clearRequests();
    const again = await sync(desired);
    expect(summary(again.stdout)).toBe("kong: sync: 30 plugins declared: 0 created, 0 updated, 30 unchanged, 0 deleted (N ms)");
    expect(requests()).toEqual(["GET /workspaces", "GET /plugins", "GET /team-a/plugins", `GET /tags/${TAG}`, `GET /team-a/tags/${TAG}`]);

    kong.clearRequests();
    const changed = await sync(desired.map((p, i) => (i === 12 ? limits(12, 99) : p)));
    expect(summary(changed.stdout)).toBe("kong: sync: 30 plugins declared: 0 created, 1 updated, 29 unchanged, 0 deleted (N ms)");
    expect(requests()).toEqual(["GET /workspaces", "GET /plugins", "GET /team-a/plugins", `GET /tags/${TAG}`, `GET /team-a/tags/${TAG}`, `PUT /plugins/${idOf(12)}`]);
    expect((kong.plugin(idOf(12))?.config as Record<string, unknown>).minute).toBe(99);
    // one line per plugin written, none per plugin left as it was
    expect(lines(changed.stdout)).toEqual([
      `kong: updated rate-limiting plugin ${idOf(12)} (default workspace; minute) in N ms`,
      "kong: sync: 30 plugins declared: 0 created, 1 updated, 29 unchanged, 0 deleted (N ms)",
    ]);
  });

  it("deletes the plugins the code no longer declares, in every workspace, and only this stack's", async () => {
    await sync([limits(0), limits(1), limits(2, 12, { workspace: "team-a" })]);
    const foreign = kong.seedPlugin({ id: idOf(40), name: "rate-limiting", route: { id: routeOf(40) }, config: { minute: 1 }, tags: [`cdktf-kong-gateway:owner=${OTHER_OWNER}`] });
    const untagged = kong.seedPlugin({ id: idOf(41), name: "cors", tags: ["team-payments"] });
    kong.clearRequests();
    const result = await sync([limits(0)]);
    expect(result.code).toBe(0);
    expect(summary(result.stdout)).toBe("kong: sync: 1 plugins declared: 0 created, 0 updated, 1 unchanged, 2 deleted (N ms)");
    expect(kong.plugins().map((p) => p.id).sort()).toEqual([idOf(0), foreign.id, untagged.id].sort());
    expect(kong.plugins("team-a")).toEqual([]);
    expect(requests().filter((r) => r.startsWith("DELETE ")).sort()).toEqual([`DELETE /plugins/${idOf(1)}`, `DELETE /team-a/plugins/${idOf(2)}`]);
  });

  it("takes over nothing: a plugin of another stack at a declared id fails, the others are written", async () => {
    kong.seedPlugin({ id: idOf(1), name: "rate-limiting", route: { id: routeOf(1) }, config: { minute: 1 }, tags: [`cdktf-kong-gateway:owner=${OTHER_OWNER}`] });
    const result = await sync([limits(0), limits(1), limits(2)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`kong: error KONG_OWNERSHIP_CONFLICT: plugin ${idOf(1)} (default workspace) is managed by another stack (tag cdktf-kong-gateway:owner=${OTHER_OWNER}; this stack's is cdktf-kong-gateway:owner=${OWNER}): refusing to overwrite it.`);
    expect(summary(result.stdout)).toBe("kong: sync: 3 plugins declared: 2 created, 0 updated, 0 unchanged, 0 deleted, 1 failed (N ms)");
    expect((kong.plugin(idOf(1))?.config as Record<string, unknown>).minute).toBe(1);
    expect(kong.plugin(idOf(2))).toBeDefined();
  });

  it("adopts a plugin of another stack only where the construct names its id", async () => {
    kong.seedPlugin({ id: idOf(1), name: "rate-limiting", route: { id: routeOf(1) }, config: { minute: 1 }, tags: [`cdktf-kong-gateway:owner=${OTHER_OWNER}`] });
    const result = await sync([limits(1, 20, { adopt: true })]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`adopting plugin ${idOf(1)}`);
    expect(kong.plugin(idOf(1))?.tags).toEqual([`cdktf-kong-gateway:owner=${OWNER}`]);
  });

  it("validates the whole desired set before writing anything", async () => {
    const result = await sync([limits(0), { ...limits(1), payload: { name: "rate-limiting", config: { minute: 5, policy: "everywhere" } } }, limits(2)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('rate-limiting plugin at "app/stack/limits-1"');
    expect(result.stderr).toContain("config.policy");
    expect(requests()).toEqual([]);
    expect(kong.plugins()).toEqual([]);
  });

  it("resolves secrets from the environment, writes them, and never prints them", async () => {
    const plugin = limits(0, 10, {
      payload: { name: "rate-limiting", route: { id: routeOf(0) }, config: { minute: 10, policy: "redis", redis: { host: "redis.internal", password: { $ref: "s0", as: "base64" } } } },
    });
    const result = await sync([plugin], { [`${ENV.refPrefix}s0`]: Buffer.from(REDIS_PASSWORD).toString("base64"), KONG_CDKTF_DEBUG: "1" });
    expect(result.code).toBe(0);
    expect(((kong.plugin(idOf(0))?.config as Record<string, Record<string, unknown>>).redis)!.password).toBe(REDIS_PASSWORD);
    expect(`${result.stdout}${result.stderr}`).not.toContain(REDIS_PASSWORD);
  });

  it("retries faults and converges", async () => {
    kong.faults.random({ rate: 0.3, seed: 7, kinds: ["502", "503", "reset"] });
    const result = await sync(Array.from({ length: 20 }, (_, i) => limits(i)), { [ENV.connection]: JSON.stringify({ deadlineMs: 20000 }) });
    kong.faults.clear();
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/retrying/);
    expect(kong.plugins()).toHaveLength(20);
  });

  it("reads a desired set larger than any environment variable could hold", async () => {
    const many = Array.from({ length: 600 }, (_, i) => limits(i, 10, { payload: { name: "rate-limiting", instance_name: `limits-${i}`, route: { id: routeOf(i) }, tags: ["x".repeat(200)], config: { minute: 10 } } }));
    const result = await sync(many);
    expect(result.code).toBe(0);
    expect(kong.plugins()).toHaveLength(600);
  });
});

describe("sync refuses a desired set it cannot read, naming the file and the problem", () => {
  const write = (content: unknown) => {
    const file = path.join(dir, `broken-${files++}.json`);
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  };
  const base = { version: SYNC_VERSION, serverUrl: "http://kong.test:8001", plugins: [], facts: {} };
  const cases: ReadonlyArray<[string, unknown, string]> = [
    ["not JSON", "{", "kong: error KONG_INVALID_REQUEST: invalid desired set <file>: not valid JSON"],
    [
      "another version",
      { ...base, version: 99 },
      "kong: error KONG_INVALID_REQUEST: invalid desired set <file>: version 99, but this program reads version 1: synthesize the stack again with the installed cdktf-kong-gateway",
    ],
    ["no list of plugins", { ...base, plugins: {} }, "kong: error KONG_INVALID_REQUEST: invalid desired set <file>: plugins must be a list"],
    [
      "a plugin twice",
      { ...base, plugins: [limits(0), limits(0)], facts: { "rate-limiting": loadPluginFacts("rate-limiting") } },
      `kong: error KONG_INVALID_REQUEST: invalid desired set <file>: plugins[1]: plugin ${idOf(0)} is declared twice`,
    ],
    ["no table of facts", { ...base, plugins: [limits(0)] }, "kong: error KONG_INVALID_REQUEST: invalid desired set <file>: plugins[0]: no table of facts of the rate-limiting plugin in the desired set"],
    ["a bad id", { ...base, plugins: [{ ...limits(0), id: "nope" }] }, 'kong: error KONG_INVALID_REQUEST: invalid desired set <file>: plugins[0]: the plugin id must be a UUID, got "nope"'],
    ["not an object", [], "kong: error KONG_INVALID_REQUEST: invalid desired set <file>: expected a JSON object"],
    ["a plugin that is not an object", { ...base, plugins: [7] }, "kong: error KONG_INVALID_REQUEST: invalid desired set <file>: plugins[0]: expected a JSON object"],
    ["a plugin without a path", { ...base, plugins: [{ ...limits(0), path: 3 }] }, "kong: error KONG_INVALID_REQUEST: invalid desired set <file>: plugins[0]: path must be a string"],
    [
      "a payload without a name",
      { ...base, plugins: [{ ...limits(0), payload: { config: {} } }] },
      "kong: error KONG_INVALID_REQUEST: invalid desired set <file>: plugins[0]: payload must be a plugin body with a name (lower-case letters, digits, - and _)",
    ],
  ];
  for (const [what, content, message] of cases) {
    it(what, async () => {
      const file = write(content);
      const result = await runProgram(["sync"], { [ENV.sync]: file, [ENV.owner]: OWNER });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split(file).join("<file>")).toBe(message);
      expect(requests()).toEqual([]);
    });
  }

  it("a missing file", async () => {
    const result = await runProgram(["sync"], { [ENV.sync]: "assets/kong-sync-0/desired.json", [ENV.owner]: OWNER });
    expect(result.stderr.trim()).toBe(
      "kong: error KONG_INVALID_REQUEST: cannot read the desired set assets/kong-sync-0/desired.json (ENOENT): run terraform in the directory cdktf synthesized the stack into",
    );
  });
});

describe("sync after the per-resource layout", () => {
  const LEGACY = "2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091";
  const previous = (entries: Array<[number, string]>) =>
    JSON.stringify(entries.map(([i, owner]) => [`app/stack/limits-${i}`, idOf(i), "", owner, "rate-limiting"]));

  it("takes over the plugins its reaper's list names with their owner tokens, and deletes those the code dropped", async () => {
    for (const i of [0, 1]) kong.seedPlugin({ id: idOf(i), name: "rate-limiting", route: { id: routeOf(i) }, config: { minute: 10 + i }, tags: [`cdktf-kong-gateway:owner=${LEGACY}-${i}`] });
    const result = await sync([limits(0)], { [`${ENV.reapPrevious}_0`]: previous([[0, `${LEGACY}-0`], [1, `${LEGACY}-1`]]) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`kong: plugin ${idOf(0)} (default workspace) was written by this stack's per-resource layout: it takes the stack's owner tag`);
    expect(kong.plugin(idOf(0))?.tags).toEqual([`cdktf-kong-gateway:owner=${OWNER}`]);
    expect(kong.plugin(idOf(1))).toBeUndefined();
    expect(summary(result.stdout)).toBe("kong: sync: 1 plugins declared: 0 created, 1 updated, 0 unchanged, 1 deleted (N ms)");
  });

  it("still refuses a plugin whose owner token the list does not give for it", async () => {
    kong.seedPlugin({ id: idOf(0), name: "rate-limiting", route: { id: routeOf(0) }, config: { minute: 10 }, tags: [`cdktf-kong-gateway:owner=${OTHER_OWNER}`] });
    const result = await sync([limits(0)], { [`${ENV.reapPrevious}_0`]: previous([[0, LEGACY]]) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("KONG_OWNERSHIP_CONFLICT");
    expect(kong.plugin(idOf(0))?.tags).toEqual([`cdktf-kong-gateway:owner=${OTHER_OWNER}`]);
  });
});

describe("teardown", () => {
  it("refuses a list of workspaces that is not one", async () => {
    const result = await runProgram(["teardown"], { [ENV.serverUrl]: kong.url, [ENV.owner]: OWNER, [ENV.workspaces]: '{"a":1}' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe("kong: error KONG_INVALID_REQUEST: invalid KONG_CDKTF_WORKSPACES: expected a JSON list");
  });

  it("says how many it could not delete", async () => {
    await sync([limits(0), limits(1)]);
    kong.clearRequests();
    const running = runProgram(["teardown"], { [ENV.serverUrl]: kong.url, [ENV.owner]: OWNER, [ENV.workspaces]: '[""]', [ENV.connection]: JSON.stringify({ deadlineMs: 500 }) });
    // the listing is answered; every delete after it fails
    await kong.waitForRequests(1);
    kong.faults.failNext(10_000, { status: 500 });
    const result = await running;
    kong.faults.clear();
    expect(kong.plugins()).toHaveLength(2);
    expect(result.code).toBe(1);
    expect(lines(result.stdout).at(-1)).toBe("kong: teardown: 0 of this stack's plugins deleted, 2 failed (N ms)");
  });

  it("deletes every plugin that carries the stack's owner tag, in the workspaces given, and nothing else", async () => {
    await sync([limits(0), limits(1), limits(2, 12, { workspace: "team-a" })]);
    kong.seedPlugin({ id: idOf(40), name: "rate-limiting", route: { id: routeOf(40) }, config: { minute: 1 }, tags: [`cdktf-kong-gateway:owner=${OTHER_OWNER}`] });
    const result = await runProgram(["teardown"], { [ENV.serverUrl]: kong.url, [ENV.owner]: OWNER, [ENV.workspaces]: JSON.stringify(["", "team-a"]) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/kong: teardown: 3 of this stack's plugins deleted \(\d+ ms\)/);
    expect(kong.plugins().map((p) => p.id)).toEqual([idOf(40)]);
    expect(kong.plugins("team-a")).toEqual([]);
  });
});
