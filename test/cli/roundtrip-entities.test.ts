/**
 * An existing gateway becomes code: a gateway of more than fifty entities of every kind (services,
 * routes, consumers, a consumer group, the five credentials, upstreams and targets, a certificate with
 * SNIs, a CA certificate, a vault, a key set and a key) and plugins on them, made by hand through the
 * Admin API, is imported with `import --all`; the printed code type-checks, synthesizes, `diff` then
 * finds nothing to change, and a real apply adopts it without changing anything Kong holds but the
 * owner tag. No secret is printed.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongEmulator, TerraformWorkdir } from "../../src/testing/index.js";
import { terraform } from "../support/e2e.js";
import { asModule, ROOT, runCli, tempDir, TOKEN, typeCheck } from "./support.js";

const run = promisify(execFile);
const PASSWORD = "basic-auth-password-7d2c9e4b1a6f3e8d5c0b";
const KEY = "key-auth-key-3a9f1e7c5b2d8a4e6c0f9b1d3e5a7c9b";

const KINDS = ["services", "routes", "consumers", "consumer_groups", "keyauth_credentials", "basicauth_credentials", "jwt_secrets", "hmacauth_credentials", "acls", "upstreams", "targets", "certificates", "snis", "ca_certificates", "vaults", "key_sets", "keys"] as const;

describe.skipIf(!terraform)("import --all of a whole gateway, then tsc, synth, diff and apply", () => {
  let kong: KongEmulator;
  let work: ReturnType<typeof tempDir>;
  let env: Record<string, string>;
  let cert = "";
  let certKey = "";
  const secrets: Record<string, string> = {};

  async function put(collection: string, body: Record<string, unknown>): Promise<{ id: string }> {
    const answer = await fetch(`${kong.url}/${collection}`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify(body) });
    const json = (await answer.json()) as { id: string };
    expect(answer.status, `${collection}: ${JSON.stringify(json)}`).toBe(201);
    return json;
  }

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.15.0", adminToken: TOKEN });
    env = { KONG_ADMIN_URL: kong.url, KONG_ADMIN_TOKEN: TOKEN };
    work = tempDir("cli-roundtrip-entities");
    const dir = mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-cert-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "k.pem"), "-out", path.join(dir, "c.pem"), "-days", "2", "-subj", "/CN=shop.example"], { stdio: "ignore" });
    cert = readFileSync(path.join(dir, "c.pem"), "utf8");
    certKey = readFileSync(path.join(dir, "k.pem"), "utf8");

    // GIVEN a gateway made by hand
    const certificate = await put("certificates", { cert, key: certKey, tags: ["edge"] });
    secrets[certificate.id] = certKey;
    await put("snis", { name: "shop.example", certificate: { id: certificate.id } });
    await put("snis", { name: "api.shop.example", certificate: { id: certificate.id } });
    await put("ca_certificates", { cert, tags: ["edge"] });
    await put("vaults", { name: "env", prefix: "env-secrets", config: { prefix: "KONG_" } });
    const set = await put("key-sets", { name: "signing" });
    const jwk = JSON.stringify({ kty: "oct", kid: "k1", k: "c2lnbmluZy1rZXktbWF0ZXJpYWw" });
    const key = await put("keys", { name: "signing-key", kid: "k1", set: { id: set.id }, jwk });
    secrets[key.id] = jwk;
    await put("consumer_groups", { name: "gold" });
    for (let s = 0; s < 5; s++) {
      const service = await put("services", { name: `svc-${s}`, url: `http://svc-${s}.internal:80${s}0/v${s}`, retries: s, tags: ["edge"] });
      for (let r = 0; r < 2; r++) {
        const route = await put("routes", { name: `svc-${s}-r${r}`, service: { id: service.id }, paths: [`/svc-${s}/r${r}`], methods: r === 0 ? ["GET"] : ["POST", "PUT"], strip_path: r === 0 });
        if (r === 0) await put("plugins", { name: "key-auth", route: { id: route.id }, config: { hide_credentials: true } });
      }
      await put("plugins", { name: "rate-limiting", service: { id: service.id }, config: { minute: 10 + s, policy: "local" } });
    }
    for (let c = 0; c < 5; c++) {
      const consumer = await put("consumers", { username: `user-${c}`, custom_id: `cid-${c}` });
      await put(`consumers/${consumer.id}/key-auth`, { key: `${KEY}-${c}` });
      await put(`consumers/${consumer.id}/acls`, { group: c % 2 === 0 ? "even" : "odd" });
      if (c < 3) {
        const basic = await put(`consumers/${consumer.id}/basic-auth`, { username: `basic-${c}`, password: `${PASSWORD}-${c}` });
        secrets[basic.id] = `${PASSWORD}-${c}`;
        await put(`consumers/${consumer.id}/jwt`, { key: `issuer-${c}` });
        await put(`consumers/${consumer.id}/hmac-auth`, { username: `hmac-${c}` });
      }
    }
    for (let u = 0; u < 2; u++) {
      const upstream = await put("upstreams", { name: `pool-${u}`, algorithm: u === 0 ? "round-robin" : "least-connections" });
      for (let t = 0; t < 2; t++) await put(`upstreams/${upstream.id}/targets`, { target: `10.0.${u}.${t + 1}:8080`, weight: 50 + t });
    }
  });

  afterAll(async () => {
    work?.dispose();
    await kong?.stop();
  });

  it("prints code that type-checks, synthesizes, matches Kong and adopts it unchanged", async () => {
    const before = Object.fromEntries(KINDS.map((kind) => [kind, kong.entities(kind)]));
    const count = Object.values(before).reduce((n, list) => n + list.length, 0);
    expect(count).toBeGreaterThanOrEqual(50);
    for (const kind of KINDS) expect(before[kind]!.length, kind).toBeGreaterThan(0);

    // WHEN the whole gateway is imported
    const imported = await runCli(["import", "--all"], { env });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(`and ${count} entities of ${KINDS.length} kinds in the default workspace`);
    for (const secret of [certKey.split("\n")[1]!, `${PASSWORD}-0`, `${KEY}-0`]) {
      expect(imported.stdout).not.toContain(secret);
      expect(imported.stderr).not.toContain(secret);
    }
    // a secret Kong keeps is read from a sensitive variable, and stderr says which
    const certificate = kong.entities("certificates")[0]!.id as string;
    const variable = `certificate_${certificate.slice(0, 8)}_key`;
    expect(imported.stderr).toContain(
      `warning: certificate ${certificate} (default workspace): key was set in Kong and is not printed: the code reads it from the sensitive variable ${variable} (set TF_VAR_${variable}, or give a vault reference)`,
    );
    expect(imported.stdout).toContain(`  // key: was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable`);
    // references are constructs: no foreign key is printed as an id
    expect(imported.stdout).not.toMatch(/(route|service|consumer|upstream|certificate|set): \{ id:/);

    // THEN it type-checks against the library
    const file = path.join(work.dir, "app.ts");
    writeFileSync(file, asModule([imported.stdout], work.dir, kong.url).replace('backend: "terraform_data", kongVersion: "3.10"', 'kongVersion: "3.15"'));
    expect(await typeCheck(work.dir, "app.ts")).toBe("");

    // AND synthesizes
    const outdir = path.join(work.dir, "cdktf.out");
    const synth = await run(process.execPath, ["--import", "tsx", file, outdir], { cwd: ROOT }).catch((e: unknown) => e as { stdout?: string; stderr?: string });
    expect(`${synth.stderr ?? ""}`).not.toMatch(/Error/);

    // AND describes Kong exactly: diff finds nothing to change
    const diff = await runCli(["diff", "--out", outdir], { env });
    expect(diff.stdout).toContain(`Entities: 0 to create, 0 to update, ${count} unchanged`);
    expect(diff.stdout).toContain("Summary: 0 to create, 0 to update, 10 unchanged");
    expect(diff.code, diff.stdout + diff.stderr).toBe(0);

    // AND a real apply adopts it: Kong holds what it held, with the stack's owner tag added
    const variables: Record<string, string> = {};
    for (const match of imported.stdout.matchAll(/new TerraformVariable\(this, "([^"]+)", \{[^}]*description: "\w+ of the [^"]* ([0-9a-f-]{36}): was set in Kong/g)) {
      variables[`TF_VAR_${match[1]}`] = secrets[match[2]!]!;
    }
    const workdir = TerraformWorkdir.create({ env: { KONG_ADMIN_TOKEN: TOKEN, ...variables } });
    try {
      workdir.load(path.join(outdir, "stacks", "adopted"));
      expect((await workdir.init()).exitCode).toBe(0);
      const applied = await workdir.apply();
      expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
      const strip = (entity: Record<string, unknown>) => {
        const { tags, updated_at: _updated, ...rest } = entity;
        const own = Array.isArray(tags) ? tags.filter((t) => !String(t).startsWith("cdktf-kong-gateway:owner=")) : [];
        return { ...rest, tags: own.length > 0 ? own : null };
      };
      for (const kind of KINDS) {
        const after = kong.entities(kind);
        expect(after.map(strip), kind).toEqual(before[kind]!.map(strip));
        for (const entity of after) expect(entity.tags, `${kind} ${entity.id}`).toEqual(expect.arrayContaining([expect.stringMatching(/^cdktf-kong-gateway:owner=/)]));
      }
      expect((await workdir.plan()).exitCode).toBe(0);
    } finally {
      workdir.dispose();
    }
  });
});
