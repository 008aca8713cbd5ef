/**
 * `import --all` of entities of every shape, in two Enterprise workspaces: nested secrets (a key's
 * `pem.private_key`, a vault's config token) become sensitive variables, never clear text nor a
 * "<redacted>" value; names that are reserved words or the classes the code imports are never
 * variables as they are; the printed code type-checks, synthesizes and diffs as unchanged; a `--tag`
 * filter keeps references to what it leaves out as `{ id }`.
 */
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongEmulator } from "../../src/testing/index.js";
import { asModule, ROOT, runCli, tempDir, TOKEN, typeCheck } from "./support.js";

const run = promisify(execFile);
const HCV_TOKEN = "hcv-root-token-9f8e7d6c5b4a3f2e1d0c";
const PASSWORD = "rt2-basic-password-1a2b3c4d5e6f";

describe("import --all shapes", () => {
  let kong: KongEmulator;
  let work: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

  async function put(collection: string, body: Record<string, unknown>, ws?: string): Promise<Record<string, any>> {
    const url = ws ? `${kong.url}/${ws}/${collection}` : `${kong.url}/${collection}`;
    const answer = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify(body) });
    const json = (await answer.json()) as Record<string, any>;
    if (answer.status !== 201) console.log("PUT FAIL", collection, JSON.stringify(json));
    return json;
  }

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.15.0", adminToken: TOKEN, workspaces: ["team-a", "team-b"] });
    env = { KONG_ADMIN_URL: kong.url, KONG_ADMIN_TOKEN: TOKEN };
    work = tempDir("cli-redteam-shapes");
    for (const ws of ["team-a", "team-b"]) {
      const svc = await put("services", { name: "orders", host: "orders.internal" }, ws);
      await put("routes", { name: "orders-r", service: { id: svc.id }, paths: ["/o"] }, ws);
    }
    const ws = "team-a";
    const cls = await put("services", { name: process.env.RT2_CLASS ?? "class", host: "c.internal" }, ws);
    await put("routes", { name: "1st-route", service: { id: cls.id }, protocols: ["https"], paths: ["/h"], headers: { "x-env": ["prod", "stage"] }, snis: ["a.example"] }, ws);
    const tcp = await put("services", { name: process.env.RT2_SVC ?? "Service", protocol: "tcp", host: "tcp.internal", port: 9000 }, ws);
    await put("routes", { name: "tcp-r", service: { id: tcp.id }, protocols: ["tcp"], sources: [{ ip: "10.0.0.0/8" }], destinations: [{ ip: "10.1.0.1", port: 9000 }] }, ws);
    const up = await put("upstreams", { name: "pool.v2", healthchecks: { active: { healthy: { interval: 5, successes: 2 }, unhealthy: { interval: 5, http_failures: 3 } }, passive: { unhealthy: { http_failures: 4 } } } }, ws);
    await put(`upstreams/${up.id}/targets`, { target: "10.0.0.9:8080", weight: 10 }, ws);
    const set = await put("key-sets", { name: "pems" }, ws);
    await put("keys", { name: "pem-key", kid: "pk1", set: { id: set.id }, pem: { private_key: privateKey, public_key: publicKey } }, ws);
    await put("vaults", { name: "hcv", prefix: "hashi", config: { host: "vault.internal", token: HCV_TOKEN, mount: "secret", kv: "v2" } }, ws);
    const consumer = await put("consumers", { username: process.env.RT2_CONSUMER ?? "delete" }, ws);
    await put(`consumers/${consumer.id}/acls`, { group: "admins" }, ws);
    await put(`consumers/${consumer.id}/basic-auth`, { username: "b1", password: PASSWORD }, ws);
    // tag filtering: a tagged route whose service is not tagged
    const untagged = await put("services", { name: "untagged", host: "u.internal" }, ws);
    await put("routes", { name: "tagged-r", service: { id: untagged.id }, paths: ["/t"], tags: ["pick"] }, ws);
  });

  afterAll(async () => {
    await kong?.stop();
  });

  async function roundtrip(name: string, args: string[]) {
    const imported = await runCli(["import", "--all", ...args], { env });
    writeFileSync(`/tmp/rt2-${name}.out`, imported.stdout);
    writeFileSync(`/tmp/rt2-${name}.err`, imported.stderr);
    const file = path.join(work.dir, `${name}.ts`);
    writeFileSync(file, asModule([imported.stdout], work.dir, kong.url).replace('backend: "terraform_data", kongVersion: "3.10"', 'kongVersion: "3.15"'));
    const tsc = await typeCheck(work.dir, `${name}.ts`);
    writeFileSync(`/tmp/rt2-${name}.tsc`, tsc);
    const outdir = path.join(work.dir, `${name}.out`);
    const synth = await run(process.execPath, ["--import", "tsx", file, outdir], { cwd: ROOT }).catch((e: unknown) => e as { stdout?: string; stderr?: string });
    writeFileSync(`/tmp/rt2-${name}.synth`, `${synth.stdout ?? ""}${synth.stderr ?? ""}`);
    const diff = await runCli(["diff", "--out", outdir], { env });
    writeFileSync(`/tmp/rt2-${name}.diff`, diff.stdout + diff.stderr);
    const json = await runCli(["diff", "--out", outdir, "--json"], { env });
    writeFileSync(`/tmp/rt2-${name}.json`, json.stdout + json.stderr);
    return { imported, tsc, synth, diff, json };
  }

  it("workspaces team-a and team-b", async () => {
    const r = await roundtrip("ws", ["--workspace", "team-a", "--workspace", "team-b"]);
    const all = r.imported.stdout + r.imported.stderr + r.diff.stdout + r.diff.stderr + r.json.stdout;
    expect.soft(all, "hcv token").not.toContain(HCV_TOKEN);
    expect.soft(all, "pem private key").not.toContain(privateKey.split("\n")[1]!);
    expect.soft(all, "basic-auth password").not.toContain(PASSWORD);
    const hash = kong.entities("basicauth_credentials").map((e: any) => e.password);
    for (const h of hash) expect.soft(all, "basic-auth hash").not.toContain(h);
    expect.soft(r.tsc, "tsc").toBe("");
    expect.soft(`${r.synth.stderr ?? ""}`).not.toMatch(/Error/);
    expect.soft(r.diff.stdout).toMatch(/Entities: 0 to create, 0 to update, \d+ unchanged/);
  });

  it("--tag pick", async () => {
    const r = await roundtrip("tag", ["--workspace", "team-a", "--tag", "pick"]);
    expect.soft(r.tsc, "tsc").toBe("");
    expect.soft(`${r.synth.stderr ?? ""}`).not.toMatch(/Error/);
    expect.soft(r.diff.stdout).toMatch(/Entities: 0 to create, 0 to update, \d+ unchanged/);
  });
});
