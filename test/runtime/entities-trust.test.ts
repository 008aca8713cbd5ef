/**
 * The trust guarantees for Kong's core entities, each attacked the way it could break: (1) no secret
 * in any output, (2) nothing taken over, (3) removal from the code deletes and Kong's cascades never
 * fail an apply or are reported wrongly, (4) a second apply writes nothing, (5) a change of one entity
 * is one PUT, (6) a failed apply converges, (7) synth refuses what Kong refuses, (8) parents before
 * children, across workspaces. The numbers in the describe titles name the guarantee.
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
    const r = await fetch(`${kong.url}/key-auths`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ key: KEY, consumer: { username: "other" } }) });
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
    const target = kong.entities("targets")[0]!.id as string;
    expect(moved.stdout).toContain(`kong: target ${target} (default workspace) moves to another upstream: deleted under the old one\n`);
    expect(moved.stdout).toMatch(new RegExp(`kong: created target ${target} \\(default workspace\\) in \\d+ ms`));
  });

  it("adopts an entity whose id the construct names, with a warning that says whose it was", async () => {
    const theirs = desired((s) => void new Upstream(s, "u", { name: "shared-pool" }), "other").request;
    expect((await sync(theirs, OTHER_OWNER)).code).toBe(0);
    const upstream = kong.entities("upstreams")[0]!.id as string;
    const adopted = await sync(desired((s) => void new Upstream(s, "mine", { id: upstream, name: "shared-pool", slots: 1000 })).request);
    expect(adopted.code).toBe(0);
    expect(adopted.stderr).toContain(
      `kong: warning: adopting upstream ${upstream} (default workspace): it was managed by another stack (tag cdktf-kong-gateway:owner=${OTHER_OWNER}); this stack's id prop names it, so it takes it over\n`,
    );
    expect(kong.entity("upstreams", upstream)).toMatchObject({ slots: 1000, tags: [`cdktf-kong-gateway:owner=${OWNER}`] });
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
  const gw = () =>
    desired((s) => {
      const c = new Consumer(s, "c", { username: "c" });
      new KeyAuth(s, "k", { consumer: c, key: KEY });
      const svc = new Service(s, "svc", { name: "svc", url: "http://svc.internal" });
      new Route(s, "r", { service: svc, paths: ["/x"] });
    }).request;

  it("a 500 on the first write: the next apply converges", async () => {
    const request = gw();
    // the reads of one sync: GET /plugins?tags, GET /tags/{owner}, one listing per declared kind (4)
    kong.faults.delayNext(6, 0);
    kong.faults.failNext(1, { status: 500 });
    const failed = await sync(request);
    expect(failed.code).toBe(1);
    const next = await sync(request);
    expect(next.stderr).toBe("");
    expect(next.code).toBe(0);
    expect(kong.entities("routes")).toHaveLength(1);
    expect(kong.entities("keyauth_credentials")).toHaveLength(1);
  });

  it("Kong rejecting the consumer (name taken by hand): once freed, the next apply converges", async () => {
    const request = gw();
    await fetch(`${kong.url}/consumers`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ username: "c" }) });
    const failed = await sync(request);
    expect(failed.code).toBe(1);
    expect(kong.entities("routes")).toHaveLength(1);
    await fetch(`${kong.url}/consumers/c`, { method: "DELETE", headers: { "kong-admin-token": TOKEN } });
    const next = await sync(request);
    expect(next.stderr).toBe("");
    expect(next.code).toBe(0);
    expect(kong.entities("keyauth_credentials")).toHaveLength(1);
  });
});

describe("Kong-generated credential values survive a re-apply", () => {
  it("a key-auth key Kong generated is not rotated by the second apply", async () => {
    const request = desired((s) => void new KeyAuth(s, "k", { consumer: new Consumer(s, "c", { username: "c" }) })).request;
    await sync(request);
    const key = kong.entities("keyauth_credentials")[0]!.key;
    await sync(request);
    expect(kong.entities("keyauth_credentials")[0]!.key).toBe(key);
  });
});

describe("synth validation matches Kong's entity checks (7)", () => {
  const cases: Array<[string, Make]> = [
    ["a consumer with neither username nor customId", (s) => void new Consumer(s, "c", {})],
    ["an upstream hashing on a header without hashOnHeader", (s) => void new Upstream(s, "u", { name: "u", hashOn: "header" })],
    ["an upstream hashing on a cookie with a fallback", (s) => void new Upstream(s, "u", { name: "u", hashOn: "cookie", hashOnCookie: "c", hashFallback: "ip" })],
    ["a JWT credential with RS256 and no rsaPublicKey", (s) => void new Jwt(s, "j", { consumer: new Consumer(s, "c", { username: "c" }), algorithm: "RS256" })],
    ["a tcp service with a path", (s) => void new Service(s, "svc", { name: "svc", protocol: "tcp", host: "h", port: 9000, path: "/x" })],
    ["an http service with tlsVerify", (s) => void new Service(s, "svc", { name: "svc", url: "http://h", tlsVerify: true })],
    ["a route mixing http and tcp protocols", (s) => void new Route(s, "r", { protocols: ["http", "tcp"], paths: ["/x"] })],
    ["a route with a Host header", (s) => void new Route(s, "r", { headers: { Host: ["a.example"] } })],
    ["a certificate with certAlt and no keyAlt", (s) => void new Certificate(s, "cert", { cert, key: certKey, certAlt: cert })],
  ];
  for (const [name, make] of cases) {
    it(`refuses ${name} at synth`, async () => {
      let error: Error | undefined;
      try {
        desired(make);
      } catch (e) {
        error = e as Error;
      }
      if (error) return;
      // it synthesized: what does Kong say?
      const result = await sync(desired(make).request);
      expect.fail(`synthesized, and the apply answered: ${result.stderr.trim()}`);
    });
  }
});

describe("secrets from a sensitive variable (1)", () => {
  it("Kong's unique violation of a key-auth key given as a sensitive TerraformVariable does not print it", async () => {
    const { request } = desired((s) => {
      const v = new TerraformVariable(s, "key", { type: "string", sensitive: true });
      new KeyAuth(s, "k", { consumer: new Consumer(s, "c", { username: "c" }), key: v.stringValue });
    });
    const text = JSON.stringify(request);
    const refs = [...new Set(text.match(/s\d+/g) ?? [])].filter((r) => text.includes(`"${r}"`));
    expect(refs.length).toBeGreaterThan(0);
    const env = Object.fromEntries(refs.map((r) => [`${ENV.refPrefix}${r}`, Buffer.from(KEY).toString("base64")]));
    await fetch(`${kong.url}/consumers`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ username: "other" }) });
    await fetch(`${kong.url}/key-auths`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ key: KEY, consumer: { username: "other" } }) });
    const result = await sync(request, OWNER, env);
    expect(result.stderr).toContain("KONG_UNIQUE_VIOLATION");
    expect(result.stdout + result.stderr).not.toContain(KEY);
  });
});

describe("a certificate's snis and SNIs it does not own (2)", () => {
  it("a Certificate takes no snis: Kong would make them exactly that list on every write", () => {
    const error = thrown(() => desired((s) => void new Certificate(s, "cert", { cert, key: certKey, snis: ["b.example", "a.example"] } as never)));
    expect(error.message).toBe(
      'invalid certificate at "gw/cert", 1 problem:\n  - snis: not set on a Certificate: Kong makes a certificate\'s SNIs exactly this list on every write, deleting those declared elsewhere; declare an Sni construct per name (new Sni(stack, id, { certificate, name })), got ["b.example","a.example"]',
    );
  });

  it("re-applying a certificate and its SNI leaves another stack's SNI on it alone", async () => {
    const mine = desired((s) => void new Sni(s, "sni", { certificate: new Certificate(s, "cert", { cert, key: certKey }), name: "a.example" })).request;
    await sync(mine);
    const certId = kong.entities("certificates")[0]!.id as string;
    const theirs = desired((s) => void new Sni(s, "sni", { certificate: { id: certId }, name: "b.example" }), "other").request;
    expect((await sync(theirs, OTHER_OWNER)).code).toBe(0);
    expect(kong.entities("snis").map((x) => x.name).sort()).toEqual(["a.example", "b.example"]);
    kong.clearRequests();
    await sync(mine);
    expect(kong.entities("snis").map((x) => x.name).sort()).toEqual(["a.example", "b.example"]);
  });
});

describe("Enterprise workspaces (8)", () => {
  let ee: KongEmulator;
  beforeAll(async () => {
    ee = await KongEmulator.start({ version: "3.10.0", edition: "enterprise", adminToken: TOKEN, workspaces: ["alpha", "beta"] });
  });
  afterAll(() => ee.stop());
  const eeDesired = (make: Make) =>
    desiredSet((app) => {
      const stack = new TerraformStack(app, "gw");
      new KongGatewayProvider(stack, "kong", { serverUrl: ee.url, edition: "enterprise", kongVersion: "3.10" });
      make(stack);
      return stack;
    }).request;
  const eeSync = async (request: unknown) => {
    const file = path.join(dir, `desired-${files++}.json`);
    writeFileSync(file, JSON.stringify(request));
    return runProgram(["sync"], { [ENV.sync]: file, [ENV.owner]: OWNER });
  };
  const gw = (withAll: boolean, workspace?: string) => (s: TerraformStack) => {
    new Consumer(s, "keep", { username: "keep", workspace });
    if (!withAll) return;
    for (const ws of [workspace, "alpha", "beta"]) {
      const tag = ws ?? "none";
      const c = new Consumer(s, `c-${tag}`, { username: `c-${tag}`, workspace: ws });
      new KeyAuth(s, `k-${tag}`, { consumer: c, key: `${KEY}-${tag}`, workspace: ws });
      const u = new Upstream(s, `u-${tag}`, { name: `u-${tag}`, workspace: ws });
      new Target(s, `t-${tag}`, { upstream: u, target: "10.0.0.1:80", workspace: ws });
      const svc = new Service(s, `s-${tag}`, { name: `s-${tag}`, url: "http://h.internal", workspace: ws });
      new Route(s, `r-${tag}`, { service: svc, paths: ["/x"], workspace: ws });
    }
  };
  for (const workspace of [undefined, "default"]) {
    it(`writes, re-applies with no write and removes children first across workspaces (workspace prop ${workspace ?? "unset"})`, async () => {
      ee.reset();
      ee.clearRequests();
      const first = await eeSync(eeDesired(gw(true, workspace)));
      expect(first.stderr).toBe("");
      ee.clearRequests();
      const again = await eeSync(eeDesired(gw(true, workspace)));
      expect(again.stderr).toBe("");
      expect(ee.requests.filter((r) => r.method !== "GET").map((r) => r.path)).toEqual([]);
      ee.clearRequests();
      const removed = await eeSync(eeDesired(gw(false, workspace)));
      expect(removed.stderr).toBe("");
      expect(removed.code).toBe(0);
      const deletes = ee.requests.filter((r) => r.method === "DELETE").map((r) => r.path);
      for (const ws of ["alpha", "beta"]) {
        const i = (re: RegExp) => deletes.findIndex((d) => d.startsWith(`/${ws}/`) && re.test(d));
        expect(i(/\/targets\//)).toBeLessThan(i(/^\/\w+\/upstreams\/[^/]+$/));
        expect(i(/key-auths/)).toBeLessThan(i(/consumers/));
        expect(i(/routes/)).toBeLessThan(i(/services/));
      }
      for (const ws of ["alpha", "beta"]) expect(ee.entities("targets", ws as never)).toEqual([]);
      expect(ee.entities("consumers").map((c) => c.username)).toEqual(["keep"]);
    });
  }
});

describe("re-parenting with the old parent removed in the same change (3, 6)", () => {
  it("a route moved from a removed service to a new one: the apply succeeds", async () => {
    const make = (to: "a" | "b") =>
      desired((s) => {
        const svc = new Service(s, `svc-${to}`, { name: `svc-${to}`, url: "http://h.internal" });
        new Route(s, "r", { service: svc, paths: ["/x"] });
      }).request;
    expect((await sync(make("a"))).code).toBe(0);
    const result = await sync(make("b"));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(kong.entities("services").map((x) => x.name)).toEqual(["svc-b"]);
  });

  it("a service that drops its removed client certificate: the apply succeeds", async () => {
    const make = (withCert: boolean) =>
      desired((s) => {
        const c = withCert ? new Certificate(s, "cert", { cert, key: certKey }) : undefined;
        new Service(s, "svc", { name: "svc", url: "https://h.internal", ...(c ? { clientCertificate: c } : {}) });
      }).request;
    expect((await sync(make(true))).stderr).toBe("");
    const result = await sync(make(false));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(kong.entities("certificates")).toEqual([]);
  });
});

describe("what sync reports for a target it could not find (3)", () => {
  it("does not count an existing target as deleted", async () => {
    await sync(desired((s) => void new Upstream(s, "u", { name: "shared-pool" }), "other").request, OTHER_OWNER);
    const upstreamId = kong.entities("upstreams")[0]!.id as string;
    await sync(desired((s) => void new Target(s, "t", { upstream: { id: upstreamId }, target: "10.0.0.9:80" })).request);
    const removed = await sync(desired(() => undefined).request);
    const still = kong.entities("targets").length;
    expect(`${removed.stdout}`.includes("already absent") && still === 1 ? `says: ${removed.stdout.trim()}` : "ok").toBe("ok");
  });
});

describe("more idempotence and messages", () => {
  it("a route with every field given writes nothing the second time", async () => {
    const request = desired((s) => {
      const svc = new Service(s, "svc", { name: "svc", protocol: "https", host: "h.internal", port: 443, path: "/p" });
      new Route(s, "r", {
        service: svc, name: "r", protocols: ["https"], methods: ["GET", "POST"], hosts: ["a.example"], paths: ["/x", "~/y$"], headers: { "x-a": ["1"] },
        httpsRedirectStatusCode: 308, regexPriority: 2, stripPath: false, preserveHost: true, requestBuffering: false, responseBuffering: false, pathHandling: "v1", tags: ["t1", "t2"],
      });
      new Consumer(s, "c", { username: "c", customId: "cid", tags: ["t"] });
    }).request;
    const first = await sync(request);
    expect(first.stderr).toBe("");
    kong.clearRequests();
    const again = await sync(request);
    expect(writes(), `${again.stdout}\nlive: ${JSON.stringify(kong.entities("routes")[0])}\ndesired: ${JSON.stringify(request.entities.find((e: any) => e.kind === "routes").payload)}`).toEqual([]);
  });

  it("a synth error names the construct path, the prop and the Kong field", () => {
    const error = thrown(() => desired((s) => void new Service(s, "svc", { name: "svc", url: "http://h", connectTimeout: 0 })));
    expect(error.message).toContain('"gw/svc"');
    expect(error.message).toContain("connectTimeout (Kong: connect_timeout)");
  });
});

describe("the emulator (src/testing) keeps what Kong keeps", () => {
  it("stores a route's snis", async () => {
    const h = { "content-type": "application/json", "kong-admin-token": TOKEN };
    const r = await fetch(`${kong.url}/routes`, { method: "POST", headers: h, body: JSON.stringify({ protocols: ["https"], snis: ["a.example"], paths: ["/x"] }) });
    expect(((await r.json()) as { snis: unknown }).snis).toEqual(["a.example"]);
  });
});
