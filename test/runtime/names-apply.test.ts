/**
 * References by name through the sync program against the emulator, at their edges: a name of an
 * entity the same apply renames or deletes (refused before anything is written), names Kong holds in
 * another workspace, names that need URL encoding, and names of entities declared later.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TerraformStack } from "cdktf";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Consumer, KongGatewayProvider, PluginRateLimiting, Route, Service, Target, Upstream } from "../../src/index.js";
import { ENV } from "../../src/runtime/contract.js";
import { run } from "../../src/runtime/main.js";
import { KongEmulator } from "../../src/testing/index.js";
import { desiredSet } from "../support/synth.js";

const OWNER = "0b7e4a52-9d1c-4f3e-8a6b-2c5d7e9f1a3b";
const TOKEN = "kpat_NamesApply7bQx2Mn5WcR8yLm1VbZ3uJk6Dq";

let kong: KongEmulator;
let ee: KongEmulator;
let dir: string;
let files = 0;

beforeAll(async () => {
  kong = await KongEmulator.start({ version: "3.9.1", edition: "community", adminToken: TOKEN });
  ee = await KongEmulator.start({ version: "3.9.1", edition: "enterprise", adminToken: TOKEN, workspaces: ["team-a", "team-b"] });
  dir = mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-names-apply-"));
});
afterAll(async () => {
  await kong.stop();
  await ee.stop();
});
beforeEach(() => {
  kong.reset();
  kong.clearRequests();
});

async function sync(request: unknown): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = path.join(dir, `desired-${files++}.json`);
  writeFileSync(file, JSON.stringify(request));
  let stdout = "";
  let stderr = "";
  const code = await run(["sync"], { [ENV.adminToken]: TOKEN, [ENV.sync]: file, [ENV.owner]: OWNER }, { stdout: { write: (c: string) => (stdout += c) }, stderr: { write: (c: string) => (stderr += c) }, random: () => 0.5 });
  return { code, stdout, stderr };
}

const gw = (url: string, body: (stack: TerraformStack) => void, edition: "oss" | "enterprise" = "oss") =>
  desiredSet((app) => {
    const stack = new TerraformStack(app, "gw");
    new KongGatewayProvider(stack, "kong", { serverUrl: url, edition, kongVersion: "3.9" });
    body(stack);
    return stack;
  }).request;

describe("names at apply", () => {
  it("refuses a name of an entity the same apply renames, on every apply, before anything is written", async () => {
    // apply 0: the stack's service is called "legacy"
    expect((await sync(gw(kong.url, (s) => new Service(s, "svc", { name: "legacy", url: "http://legacy.internal" })))).code).toBe(0);
    // apply 1 and 2: the service construct is renamed "legacy2" while a route still names "legacy"
    const renamed = gw(kong.url, (s) => {
      new Service(s, "svc", { name: "legacy2", url: "http://legacy.internal" });
      new Route(s, "r", { name: "r", service: { name: "legacy" }, paths: ["/r"] });
    });
    const first = await sync(renamed);
    const second = await sync(renamed);
    expect({ first: first.code, second: second.code }).toEqual({ first: 1, second: 1 });
    expect(first.stderr.trim()).toMatchInlineSnapshot(`"kong: error KONG_CDKTF_INVALID_CONFIG: nothing was written: service "legacy", which the route at "gw/r" names (service.name), is the service at "gw/svc", which this apply renames to "legacy2": name the new name, or refer to its construct"`);
    expect(kong.entities("services").map((s) => s.name)).toEqual(["legacy"]);
  });

  it("refuses a name of an entity the same apply deletes, before anything is written", async () => {
    // apply 0: the stack declares service "legacy" and a route on it by construct
    const before = gw(kong.url, (s) => {
      const service = new Service(s, "svc", { name: "legacy", url: "http://legacy.internal" });
      new Route(s, "r", { name: "r", service, paths: ["/r"] });
    });
    expect((await sync(before)).code).toBe(0);
    // apply 1: the service construct is gone, the route names it
    const after = gw(kong.url, (s) => new Route(s, "r", { name: "r", service: { name: "legacy" }, paths: ["/r"] }));
    const result = await sync(after);
    expect({ code: result.code, services: kong.entities("services").map((s) => s.name), routes: kong.entities("routes").length }).toEqual({
      code: 1,
      services: ["legacy"],
      routes: 1,
    });
    expect(result.stderr.trim()).toMatchInlineSnapshot(`"kong: error KONG_CDKTF_INVALID_CONFIG: nothing was written: service "legacy", which the route at "gw/r" names (service.name), is a service this stack created and no longer declares, which this apply deletes: declare it again, or name another"`);
  });

  it("a new route naming an entity the same apply deletes: nothing is deleted when the route cannot be written", async () => {
    // apply 0: the stack declares service "legacy" only
    expect((await sync(gw(kong.url, (s) => new Service(s, "svc", { name: "legacy", url: "http://legacy.internal" })))).code).toBe(0);
    // apply 1: the service construct is gone, a new route names it
    const result = await sync(gw(kong.url, (s) => new Route(s, "r", { name: "r", service: { name: "legacy" }, paths: ["/r"] })));
    expect(result.code).toBe(1);
    expect(kong.entities("services").map((s) => s.name)).toEqual(["legacy"]);
    expect(result.stderr).toContain('which the route at "gw/r" names (service.name)');
  });

  it("a target's upstream by the name of an upstream Kong holds (not declared)", async () => {
    const res = await fetch(`${kong.url}/upstreams`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ name: "pool" }) });
    expect(res.status).toBe(201);
    const request = gw(kong.url, (s) => new Target(s, "t", { upstream: { name: "pool" }, target: "10.0.0.1:8080" }));
    const first = await sync(request);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const upstreamId = kong.entities("upstreams")[0]!.id;
    expect(kong.entities("targets")).toMatchObject([{ target: "10.0.0.1:8080", upstream: { id: upstreamId } }]);
    const again = await sync(request);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("0 created, 0 updated, 1 unchanged");
  });

  it("a username that needs URL encoding", async () => {
    const username = "team a/partner?x=1#frag%20é";
    const created = await fetch(`${kong.url}/consumers`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ username }) });
    expect(created.status).toBe(201);
    const partner = kong.entities("consumers")[0]!;
    const result = await sync(gw(kong.url, (s) => new PluginRateLimiting(s, "lim", { consumer: { username }, config: { minute: 5, policy: "local" } })));
    expect(result.stderr).toBe("");
    expect(kong.plugins()[0]).toMatchObject({ consumer: { id: partner.id } });
  });

  it("a name Kong holds only in another workspace is not taken from there", async () => {
    ee.reset();
    await fetch(`${ee.url}/team-a/services`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ name: "legacy", host: "legacy.internal" }) });
    const result = await sync(gw(ee.url, (s) => new Route(s, "r", { workspace: "team-b", name: "r", service: { name: "legacy" }, paths: ["/r"] }), "enterprise"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('service "legacy", which the route at "gw/r" names (service.name), is not in Kong in workspace team-b');
  });

  it("a name declared in the stack for another workspace is not taken for this one", async () => {
    ee.reset();
    const result = await sync(
      gw(
        ee.url,
        (s) => {
          new Service(s, "svc", { workspace: "team-a", name: "legacy", url: "http://legacy.internal" });
          new Route(s, "r", { workspace: "team-b", name: "r", service: { name: "legacy" }, paths: ["/r"] });
        },
        "enterprise",
      ),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('service "legacy", which the route at "gw/r" names (service.name), is not in Kong in workspace team-b');
  });

  it("a consumer by username declared later in the stack", async () => {
    const request = gw(kong.url, (s) => {
      new PluginRateLimiting(s, "lim", { consumer: { username: "partner" }, config: { minute: 5, policy: "local" } });
      new Consumer(s, "partner", { username: "partner" });
    });
    expect(request.plugins[0].payload.consumer).toEqual({ id: request.entities[0].id });
    const result = await sync(request);
    expect(result.code).toBe(0);
  });

  it("an upstream by name declared later in the stack: the target is written under it", async () => {
    const request = gw(kong.url, (s) => {
      new Target(s, "t", { upstream: { name: "pool" }, target: "10.0.0.2:80" });
      new Upstream(s, "pool", { name: "pool" });
    });
    const result = await sync(request);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(kong.entities("targets")).toHaveLength(1);
  });
});
