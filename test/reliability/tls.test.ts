/**
 * Secrets in transit: an `https` emulator with a self-signed certificate, through a real
 * `terraform apply`. Without the CA the apply fails with a clear message; with `tls.caCertFile` it
 * succeeds; `tls.insecureSkipVerify` succeeds and warns.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginSession, type KongGatewayProviderProps } from "../../src/index.js";
import { KongEmulator } from "../../src/testing/index.js";
import { E2eStack, expectExit } from "../support/e2e.js";
import { TERRAFORM_VERSION } from "./support/mode.js";
import { record, seconds, type ResultRow } from "./support/results.js";

const TOKEN = "kpat_tls_R5tY8uI1oP4aS7dF0gH3";

const openssl = ((): boolean => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
const skip = !TERRAFORM_VERSION ? "terraform is not installed" : !openssl ? "the openssl CLI is not installed" : undefined;
if (skip) process.stderr.write(`\n*** SKIPPED: reliability TLS runs: ${skip} ***\n\n`);

describe.skipIf(skip !== undefined)("https with a self-signed certificate, through terraform apply", () => {
  let dir: string;
  let caFile: string;
  let kong: KongEmulator;
  const stacks: E2eStack[] = [];
  const rows: ResultRow[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "kong-cdktf-tls-"));
    const key = path.join(dir, "kong.key");
    caFile = path.join(dir, "kong-ca.crt");
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", caFile, "-days", "2", "-subj", "/CN=kong-admin", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
      { stdio: "ignore" },
    );
    kong = await KongEmulator.start({ adminToken: TOKEN, tls: { key: readFileSync(key), cert: readFileSync(caFile) } });
  });
  afterAll(async () => {
    for (const stack of stacks) stack.dispose();
    await kong?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function applyWith(name: string, tls: KongGatewayProviderProps["tls"]) {
    const stack = new E2eStack({ backend: "terraform_data", layout: "per-resource", serverUrl: kong.url, requestTimeoutMs: 2000, maxRetries: 1, ...(tls ? { tls } : {}) }, { KONG_ADMIN_TOKEN: TOKEN });
    stacks.push(stack);
    stack.load((s) => new PluginSession(s, name, { instanceName: name, config: { cookieName: name } }));
    const applied = await stack.apply();
    return { stack, applied, output: applied.stdout + applied.stderr };
  }

  it("fails without the CA, with a message that says which option to set", async () => {
    const { applied, output } = await applyWith("no-ca", undefined);
    expect(applied.exitCode).toBe(1);
    const line = output.match(/\(local-exec\): (kong: error KONG_TLS_ERROR: .*)/)?.[1];
    expect(line).toMatch(
      /^kong: error KONG_TLS_ERROR: the TLS connection to https:\/\/127\.0\.0\.1:\d+ failed for GET \/plugins\/\S+ \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE): [^)]*\): set the caCertFile option to the PEM file of the CA that signed Kong's certificate$/,
    );
    expect(kong.plugins().find((p) => p.instance_name === "no-ca")).toBeUndefined();
    expect(output).not.toContain(TOKEN);
    rows.push({ tried: "terraform apply against https with a self-signed certificate, no CA configured", times: "1 apply", held: `exit 1 (${seconds(applied.durationMs)}); \`${line!.replace(/127\.0\.0\.1:\d+/, "127.0.0.1:<port>").replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, "<id>")}\`; no plugin written` });
  });

  it("succeeds with tls.caCertFile, and the next plan is empty", async () => {
    const { stack, applied, output } = await applyWith("with-ca", { caCertFile: caFile });
    expectExit(applied, 0, "apply with the CA");
    expectExit(await stack.plan(), 0, "plan after the apply with the CA");
    expect(kong.plugins().find((p) => p.instance_name === "with-ca")?.config).toMatchObject({ cookie_name: "with-ca" });
    expect(output).not.toMatch(/warning/);
    expect(output).not.toContain(TOKEN);
    expectExit(await stack.destroy(), 0, "destroy over https");
    expect(kong.plugins().find((p) => p.instance_name === "with-ca")).toBeUndefined();
    rows.push({ tried: "the same with `tls: { caCertFile }` (the self-signed certificate as CA)", times: "1 apply + plan + destroy", held: `exit 0 (${seconds(applied.durationMs)}); plugin written over https; plan empty; destroy deleted it; no warning` });
  });

  it("succeeds with tls.insecureSkipVerify, with a warning on every run", async () => {
    const { stack, applied, output } = await applyWith("insecure", { insecureSkipVerify: true });
    expectExit(applied, 0, "apply with insecureSkipVerify");
    expect(kong.plugins().find((p) => p.instance_name === "insecure")).toBeDefined();
    const warnings = output.match(/\(local-exec\): kong: warning: certificate verification is off for https:\/\/127\.0\.0\.1:\d+ \(tls\.insecureSkipVerify\): use it only for tests/g) ?? [];
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    const destroyed = expectExit(await stack.destroy(), 0, "destroy with insecureSkipVerify");
    expect(destroyed.stdout + destroyed.stderr).toMatch(/kong: warning: certificate verification is off/);
    expect(output + destroyed.stdout + destroyed.stderr).not.toContain(TOKEN);
    rows.push({ tried: "the same with `tls: { insecureSkipVerify: true }`", times: "1 apply + destroy", held: `exit 0 (${seconds(applied.durationMs)}); plugin written; \`kong: warning: certificate verification is off for https://127.0.0.1:<port> (tls.insecureSkipVerify): use it only for tests\` printed by the apply and by the destroy` });
    record({ id: "secrets-tls", rows });
  });
});
