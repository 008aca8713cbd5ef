/**
 * `diff` on a stack with Kong's core entities, after a real apply: every entity compared by the
 * apply-time program's rules (nothing to change right after the apply), a change made outside
 * Terraform named as such with its repair, a construct not applied yet as "+ create", and what Kong
 * holds with the stack's owner tag that the code no longer declares as "- delete".
 */
import * as path from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Consumer, KeyAuth, KongGatewayProvider, PluginKeyAuth, Route, Service } from "../../src/index.js";
import { KongEmulator, TerraformWorkdir } from "../../src/testing/index.js";
import { terraform } from "../support/e2e.js";
import { appliedWorkdir, runCli, tempDir, TOKEN } from "./support.js";

const KEY = "diff-entities-key-5c1e9a7b3d2f8e6a4c0b9d7e5f3a1c2b";

describe.skipIf(!terraform)("diff on a stack with entities", () => {
  let kong: KongEmulator;
  let work: ReturnType<typeof tempDir>;
  let workdir: TerraformWorkdir;
  let outdir: string;
  const env = { KONG_ADMIN_TOKEN: TOKEN };
  const ids: Record<string, string> = {};

  function synth(options: { withPayments?: boolean; withAudit?: boolean } = {}): void {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "gw");
    new LocalBackend(stack, { path: path.join(work.dir, "terraform.tfstate") });
    new KongGatewayProvider(stack, "kong", { serverUrl: kong.url, edition: "oss", kongVersion: "3.9" });
    const orders = new Service(stack, "orders", { name: "orders", host: "orders.internal" });
    const route = new Route(stack, "orders-api", { service: orders, name: "orders-api", paths: ["/orders"] });
    new PluginKeyAuth(stack, "auth", { route });
    const consumer = new Consumer(stack, "app", { username: "app" });
    new KeyAuth(stack, "app-key", { consumer, key: KEY });
    if (options.withPayments !== false) ids.payments = new Service(stack, "payments", { name: "payments", host: "payments.internal" }).id;
    if (options.withAudit) ids.audit = new Service(stack, "audit", { name: "audit", host: "audit.internal" }).id;
    ids.route = route.id;
    app.synth();
  }

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "community", version: "3.9.1", adminToken: TOKEN });
    work = tempDir("cli-diff-entities");
    outdir = path.join(work.dir, "cdktf.out");
    synth();
    workdir = await appliedWorkdir(outdir, "gw", env);
  });

  afterAll(async () => {
    workdir?.dispose();
    work?.dispose();
    await kong?.stop();
  });

  it("finds nothing to change right after the apply", async () => {
    const result = await runCli(["diff", "--out", outdir], { env });
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("Entities: 0 to create, 0 to update, 5 unchanged");
    expect(result.stdout).toContain(`= unchanged gw/orders-api: route ${ids.route} (default workspace)`);
    expect(result.stdout).not.toContain(KEY);
    expect(result.code).toBe(0);
  });

  it("names a change made outside Terraform, with the field and the repair", async () => {
    const patched = await fetch(`${kong.url}/routes/${ids.route}`, { method: "PATCH", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ paths: ["/hijacked"] }) });
    expect(patched.status).toBe(200);
    const result = await runCli(["diff", "--out", outdir], { env });
    expect(result.stdout).toMatch(
      new RegExp(`! changed outside Terraform gw/orders-api: route ${ids.route} \\(default workspace\\)\\n    paths: \\["/hijacked"\\] → \\["/orders"\\]\\n    repair: terraform apply -replace=terraform_data\\.kong_sync_[0-9A-F]{8} \\(in [^)]+\\)`),
    );
    expect(result.code).toBe(2);
    const json = JSON.parse((await runCli(["diff", "--out", outdir, "--json"], { env })).stdout);
    expect(json.entities.find((e: any) => e.id === ids.route)).toMatchObject({ status: "drifted", changes: [{ field: "paths", desired: ["/orders"], live: ["/hijacked"] }] });
    expect(json.entitySummary).toEqual({ create: 0, update: 0, unchanged: 4, missing: 0, drifted: 1, delete: 0 });
    await fetch(`${kong.url}/routes/${ids.route}`, { method: "PATCH", headers: { "content-type": "application/json", "kong-admin-token": TOKEN }, body: JSON.stringify({ paths: ["/orders"] }) });
  });

  it("lists a construct not applied yet as create, and what the code no longer declares as delete", async () => {
    const payments = ids.payments!;
    synth({ withPayments: false, withAudit: true });
    const result = await runCli(["diff", "--out", outdir], { env });
    expect(result.stdout).toContain(`+ create gw/audit: service ${ids.audit} (default workspace)`);
    expect(result.stdout).toContain(
      `- delete (not in the code): service ${payments} (default workspace)\n    note: in Kong with this stack's owner tag and no longer in the code: the next terraform apply deletes it`,
    );
    expect(result.stdout).toContain("Entities: 1 to create, 0 to update, 4 unchanged, 1 to delete");
    expect(result.code).toBe(2);
  });
});
