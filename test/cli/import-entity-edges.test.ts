/**
 * `import --kind KIND '<import id>'` at its edges: a parent named by its name in the import id, and the
 * secrets of every credential kind and of certificates never printed, not even a key given as the id.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongEmulator } from "../../src/testing/index.js";
import { expectNoSecrets, runCli, TOKEN } from "./support.js";

const KEY = "import-edges-import-key-8d2f6a1c9e3b7d5f0a4b";
const JWT_SECRET = "import-edges-jwt-secret-1c9e3b7d5f0a4b8d2f6a";
const HMAC_SECRET = "import-edges-hmac-secret-5f0a4b8d2f6a1c9e3b7d";
const PASSWORD = "import-edges-basic-password-0a4b8d2f6a1c9e3b";

describe("import --kind, parents by name and secrets", () => {
  let kong: KongEmulator;
  let env: Record<string, string>;
  const ids: Record<string, string> = {};
  let certKey = "";
  let cert = "";
  let storedPassword = "";

  async function post(collection: string, body: Record<string, unknown>): Promise<Record<string, string>> {
    const answer = await fetch(`${kong.url}/${collection}`, { method: "POST", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify(body) });
    const json = (await answer.json()) as Record<string, string>;
    expect(answer.status, JSON.stringify(json)).toBe(201);
    return json;
  }

  beforeAll(async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "import-edges-cert-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(tmp, "k.pem"), "-out", path.join(tmp, "c.pem"), "-days", "3650", "-subj", "/CN=shop.example.com"], { stdio: "ignore" });
    certKey = readFileSync(path.join(tmp, "k.pem"), "utf8");
    cert = readFileSync(path.join(tmp, "c.pem"), "utf8");
    kong = await KongEmulator.start({ edition: "community", version: "3.9.1", adminToken: TOKEN });
    env = { KONG_ADMIN_URL: kong.url, KONG_ADMIN_TOKEN: TOKEN };
    ids.consumer = (await post("consumers", { username: "mobile-app" })).id!;
    ids.key = (await post(`consumers/${ids.consumer}/key-auth`, { key: KEY })).id!;
    ids.jwt = (await post(`consumers/${ids.consumer}/jwt`, { key: "issuer-1", secret: JWT_SECRET })).id!;
    ids.hmac = (await post(`consumers/${ids.consumer}/hmac-auth`, { username: "hmac-user", secret: HMAC_SECRET })).id!;
    const basic = await post(`consumers/${ids.consumer}/basic-auth`, { username: "basic-user", password: PASSWORD });
    ids.basic = basic.id!;
    storedPassword = basic.password!;
    ids.upstream = (await post("upstreams", { name: "orders-pool" })).id!;
    ids.target = (await post(`upstreams/${ids.upstream}/targets`, { target: "10.0.0.7:8080" })).id!;
    ids.certificate = (await post("certificates", { cert, key: certKey })).id!;
  });

  afterAll(() => kong?.stop());

  it("a target whose import id names its upstream by name", async () => {
    const result = await runCli(["import", "--kind", "Target", JSON.stringify({ id: ids.target, upstream_id: "orders-pool" })], { env });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`upstream: { id: "${ids.upstream}" }`);
  });

  it("a credential whose import id names its consumer by username", async () => {
    const result = await runCli(["import", "--kind", "HmacAuth", JSON.stringify({ id: ids.hmac, consumer_id: "mobile-app" })], { env });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`consumer: { id: "${ids.consumer}" }`);
  });

  it("a key-auth credential imported by an unknown key: the key, a secret, is not echoed in the error", async () => {
    const guessed = "import-edges-import-key-guessed-0000000000000";
    const result = await runCli(["import", "--kind", "KeyAuth", JSON.stringify({ id: guessed, consumer_id: ids.consumer })], { env });
    expect(result.code).not.toBe(0);
    expectNoSecrets(result, guessed);
    expect(result.stderr.trim().replace(kong.url, "<kong>")).toMatchInlineSnapshot(`"error: key-auth credential of the key given (not printed: a secret) does not exist (default workspace) at <kong>"`);
  });

  it("a key-auth credential imported by its key: the key is not printed", async () => {
    const result = await runCli(["import", "--kind", "KeyAuth", JSON.stringify({ id: KEY, consumer_id: ids.consumer })], { env });
    expectNoSecrets(result, KEY);
  });

  it("no credential kind prints its secret", async () => {
    for (const [kind, id, secret] of [
      ["KeyAuth", ids.key, KEY],
      ["Jwt", ids.jwt, JWT_SECRET],
      ["HmacAuth", ids.hmac, HMAC_SECRET],
      ["BasicAuth", ids.basic, PASSWORD],
      ["BasicAuth", ids.basic, storedPassword],
    ] as const) {
      const result = await runCli(["import", "--kind", kind, JSON.stringify({ id, consumer_id: ids.consumer })], { env });
      expect(result.code, `${kind}: ${result.stderr}`).toBe(0);
      expectNoSecrets(result, secret);
    }
  });

  it("a certificate's key is never printed", async () => {
    const result = await runCli(["import", "--kind", "Certificate", JSON.stringify({ id: ids.certificate })], { env });
    expect(result.code, result.stderr).toBe(0);
    const body = certKey.split("\n")[1]!;
    expect(result.stdout).not.toContain(body);
    expect(result.stderr).not.toContain(body);
    expect(result.stdout).toContain("TerraformVariable");
  });
});
