import { mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App, LocalBackend, Testing, TerraformStack, TerraformVariable, Token } from "cdktf";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { describe, expect, it } from "vitest";
import { KongGatewayProvider, PluginSession } from "../../src/index.js";
import { derivedId } from "../../src/plugin-session.js";
import { applyRequest, resource, resources, stackWithProvider, synthJson, synthSnapshot } from "../support/synth.js";

const ROUTE = "3473c251-5b6c-4f45-b1ff-7ede735a366d";
const SERVICE = "9c3b56e1-4d6a-4f8e-a1f2-6b3c2d1e0f9a";

describe("PluginSession synthesis", () => {
  it("synthesizes an identity and a config resource of terraform_data", () => {
    // GIVEN
    const { stack } = stackWithProvider({ backend: "terraform_data" });
    // WHEN
    new PluginSession(stack, "session", {
      config: { cookieName: "sid", cookieSameSite: "Lax", logoutMethods: ["POST"], rollingTimeout: 3600 },
      route: { id: ROUTE },
      workspace: "team-payments",
    });
    // THEN
    expect(synthSnapshot(stack)).toMatchSnapshot();
    const json = synthJson(stack);
    expect(Object.keys(resources(json)).sort()).toEqual([
      "kong_reaper_566A05E7",
      "session_config_9F4B457A",
      "session_identity_6FADBBF7",
    ]);
    const config = resource(json, "session_config");
    expect(applyRequest(config)).toEqual({
      version: 2,
      pluginId: derivedId("payments/session", "team-payments"),
      workspace: "team-payments",
      serverUrl: "http://localhost:8001",
      path: "payments/session",
      owner: { $ref: "0", as: "string" },
      // validated for the newest Kong Enterprise (no kongVersion on the provider); the program validates again for it
      target: { edition: "enterprise", version: "3.15" },
      payload: {
        name: "session",
        config: { cookie_name: "sid", cookie_same_site: "Lax", logout_methods: ["POST"], rolling_timeout: 3600 },
        route: { id: ROUTE },
      },
    });
    // the owner token is the identity resource's id, given by Terraform when it creates it
    expect(config.triggers_replace.ref_0).toBe("${terraform_data.session_identity_6FADBBF7.id}");
    expect(config.depends_on).toEqual(["terraform_data.session_identity_6FADBBF7", "terraform_data.kong_reaper_566A05E7"]);
    // a new server URL neither re-creates the identity nor deletes the plugin
    const identity = resource(json, "session_identity");
    expect(identity.lifecycle).toEqual({ ignore_changes: ["triggers_replace"] });
    expect(identity.provisioner[0]["local-exec"].environment).toMatchObject({
      KONG_CDKTF_SERVER_URL: "http://localhost:8001",
      KONG_CDKTF_OWNER: "${self.id}",
    });
    const [apply] = config.provisioner;
    expect(apply["local-exec"].command).toMatch(/^node assets\/kong-session-runtime\/[0-9A-F]{32}\/kong-session\.cjs apply$/);
    expect(apply["local-exec"].environment.KONG_CDKTF_REQUEST).toBe("${self.triggers_replace.request}");
    expect(apply["local-exec"].when).toBeUndefined();
  });

  it("synthesizes null_resource with the hashicorp/null provider block", () => {
    const { stack } = stackWithProvider({ backend: "null_resource" });
    new PluginSession(stack, "a", { route: { id: ROUTE } });
    new PluginSession(stack, "b", { service: { id: SERVICE } });
    expect(synthSnapshot(stack)).toMatchSnapshot();
    const json = synthJson(stack);
    expect(json.provider).toEqual({ null: [{}] });
    expect(Object.keys(resources(json, "null_resource"))).toHaveLength(5);
    const identity = resource(json, "a_identity", "null_resource");
    // the plugin the configuration declares: a literal, not the value the identity was created with
    expect(identity.provisioner[0]["local-exec"].environment.KONG_CDKTF_PLUGIN_ID).toBe(derivedId("payments/a", undefined));
    expect(identity.lifecycle).toEqual({ ignore_changes: ["triggers"] });
    expect(applyRequest(resource(json, "b_config", "null_resource"), "triggers").payload).toEqual({
      name: "session",
      service: { id: SERVICE },
    });
  });

  it("reuses a NullProvider the stack already has", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    new NullProvider(stack, "existing");
    new KongGatewayProvider(stack, "kong");
    expect(synthJson(stack).provider).toEqual({ null: [{}] });
  });

  it("deletes only from destroy-time provisioners that read nothing but self", () => {
    const { stack } = stackWithProvider({ backend: "terraform_data", serverUrl: "https://kong:8444" });
    const server = new TerraformVariable(stack, "route", { type: "string" });
    new PluginSession(stack, "session", { route: { id: server.stringValue }, workspace: "ws" });
    const json = synthJson(stack);
    const destroyTime = Object.values(resources(json)).flatMap((r: any) =>
      r.provisioner.filter((p: any) => p["local-exec"].when === "destroy"),
    );
    expect(destroyTime).toHaveLength(2); // the plugin's delete and the stack's reaper
    for (const p of destroyTime) {
      const references = JSON.stringify(p).match(/\$\{[^}]*\}/g) ?? [];
      expect(references.length).toBeGreaterThan(0);
      for (const reference of references) {
        expect(reference).toMatch(/^\$\{(self\.(triggers_replace\.[a-z_0-9]+|id|input\.server_url)|lookup\(self\.triggers_replace, \\"plugins(_\d+)?\\", \\"\\"\))\}$/);
      }
    }
  });

  it("passes every value in environment variables, never in the command", () => {
    const { stack } = stackWithProvider({ backend: "terraform_data", headers: { "X-Team": "payments" } });
    new PluginSession(stack, "session", { config: { cookieName: "$(touch pwned)`id`;'\"" } });
    const json = synthJson(stack);
    for (const r of Object.values(resources(json)) as any[]) {
      for (const p of r.provisioner) expect(p["local-exec"].command).toMatch(/^node assets\/kong-session-runtime\/[0-9A-F]{32}\/kong-session\.cjs (apply|delete|reap)$/);
    }
    const config = resource(json, "session_config");
    expect(applyRequest(config).payload.config.cookie_name).toBe("$(touch pwned)`id`;'\"");
    expect(JSON.parse(config.provisioner[0]["local-exec"].environment.KONG_CDKTF_CONNECTION)).toEqual({ headers: { "X-Team": "payments" } });
  });

  it("escapes ${ and %{ in user strings so Terraform interpolates nothing", () => {
    const { stack } = stackWithProvider();
    new PluginSession(stack, "session", { config: { cookieName: "a${var.x}b%{ if true }c$${d}" }, tags: ["${x}"] });
    const config = resource(synthJson(stack), "session_config");
    expect(config.triggers_replace.request).toContain('"cookie_name":"a$${var.x}b%%{ if true }c$$${d}"');
    expect(applyRequest(config).payload.config.cookie_name).toBe("a${var.x}b%{ if true }c$${d}");
    expect(applyRequest(config).payload.tags).toEqual(["${x}"]);
  });

  it("sends references as placeholders resolved at apply", () => {
    const { stack } = stackWithProvider();
    const secret = new TerraformVariable(stack, "secret", { type: "string", sensitive: true });
    const timeout = new TerraformVariable(stack, "timeout", { type: "number" });
    const methods = new TerraformVariable(stack, "methods", { type: "list(string)" });
    new PluginSession(stack, "session", {
      config: {
        secret: secret.stringValue,
        rollingTimeout: timeout.numberValue,
        logoutMethods: methods.listValue,
        cookieDomain: `${Token.asString(secret.stringValue)}.example.com`,
      },
    });
    const config = resource(synthJson(stack), "session_config");
    expect(applyRequest(config).payload.config).toEqual({
      secret: { $ref: "secret", as: "base64" },
      rolling_timeout: { $ref: "1", as: "json" },
      logout_methods: { $ref: "2", as: "json" },
      cookie_domain: { $ref: "3", as: "string" },
    });
    expect(config.triggers_replace).toEqual({
      request: expect.any(String),
      ref_0: "${terraform_data.session_identity_6FADBBF7.id}",
      ref_1: "${jsonencode(var.timeout)}",
      ref_2: "${jsonencode(var.methods)}",
      ref_3: "${var.secret}.example.com",
      // the secret itself is not in the triggers (Terraform logs the state's triggers): a digest is
      secret_sha256: `\${sha256("${derivedId("payments/session", undefined)}:\${var.secret}")}`,
    });
    expect(config.provisioner[0]["local-exec"].environment).toMatchObject({
      KONG_CDKTF_REF_secret: "${base64encode(var.secret)}",
      KONG_CDKTF_REF_1: "${self.triggers_replace.ref_1}",
      KONG_CDKTF_REF_3: "${self.triggers_replace.ref_3}",
    });
  });

  it("omits unset attributes and keeps empty lists, which are values in Kong", () => {
    const { stack } = stackWithProvider();
    new PluginSession(stack, "session", { config: { logoutMethods: [], requestHeaders: undefined }, protocols: [], tags: [] });
    expect(applyRequest(resource(synthJson(stack), "session_config")).payload).toEqual({
      name: "session",
      config: { logout_methods: [] },
      protocols: [],
      tags: [],
    });
  });

  it("keeps a literal secret out of the triggers: a digest there, the value only in the provisioner's environment, sensitive", () => {
    const { stack } = stackWithProvider();
    const session = new PluginSession(stack, "session", { config: { secret: "a literal session secret 0123456789" } });
    const config = resource(synthJson(stack), "session_config");
    expect(JSON.stringify(config.triggers_replace)).not.toContain("a literal session secret");
    expect(applyRequest(config).payload.config.secret).toEqual({ $ref: "secret", as: "base64" });
    // a digest, itself sensitive: plans show (sensitive value)
    expect(config.triggers_replace.secret_sha256).toMatch(/^\$\{sensitive\("[0-9a-f]{64}"\)\}$/);
    const encoded = Buffer.from("a literal session secret 0123456789").toString("base64");
    // through a local value: the plan as JSON prints constant expressions of the configuration, never locals
    expect(config.provisioner[0]["local-exec"].environment.KONG_CDKTF_REF_secret).toBe("${local.session_secret_secret_3C9A921F}");
    expect(synthJson(stack).locals).toEqual({ session_secret_secret_3C9A921F: `\${sensitive("${encoded}")}` });
    expect(session.pluginId).toBe(derivedId("payments/session", undefined));
  });

  it("keeps a vault reference in the request: it is not a secret", () => {
    const { stack } = stackWithProvider();
    new PluginSession(stack, "session", { config: { secret: "{vault://env/session-secret}" } });
    const config = resource(synthJson(stack), "session_config");
    expect(applyRequest(config).payload.config.secret).toBe("{vault://env/session-secret}");
    expect(config.triggers_replace.secret_sha256).toBeUndefined();
  });

  it("derives the plugin id from the construct path and workspace", () => {
    const { stack } = stackWithProvider();
    const a = new PluginSession(stack, "a", { route: { id: ROUTE } });
    const b = new PluginSession(stack, "b", { route: { id: ROUTE }, workspace: "other" });
    const c = new PluginSession(stack, "c", { id: "5F5B6B2E-0C1D-4F7A-9E3B-2A1C0D9E8F7B", service: { id: SERVICE } });
    expect(a.pluginId).toBe(derivedId("payments/a", undefined));
    expect(a.pluginId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.pluginId).not.toBe(derivedId("payments/b", undefined));
    expect(c.pluginId).toBe("5F5B6B2E-0C1D-4F7A-9E3B-2A1C0D9E8F7B");
    expect(derivedId("payments/a", undefined)).toBe("f7aa08bf-a3d5-51f7-aa1a-75c53e377e88") // Python: uuid.uuid5(UUID("4c1d3c54-…"), "payments/a");
  });

  it("records the stack's plugins for the reaper", () => {
    const { stack } = stackWithProvider();
    const a = new PluginSession(stack, "a", { route: { id: ROUTE }, workspace: "w" });
    const b = new PluginSession(stack, "b", { service: { id: SERVICE } });
    const reaper = resource(synthJson(stack), "kong_reaper");
    const environment = reaper.provisioner[0]["local-exec"].environment;
    expect(JSON.parse(reaper.triggers_replace.plugins_0)).toEqual([
      ["payments/a", a.pluginId, "w", "${terraform_data.a_identity_25356A40.id}", "session"],
      ["payments/b", b.pluginId, "", "${terraform_data.b_identity_E410B46D.id}", "session"],
    ]);
    expect(JSON.parse(environment.KONG_CDKTF_REAP_CURRENT_0)).toEqual([
      ["payments/a", a.pluginId, "w"],
      ["payments/b", b.pluginId, ""],
    ]);
    expect(environment.KONG_CDKTF_REAP_PREVIOUS_0).toBe('${lookup(self.triggers_replace, "plugins_0", "")}');
    // a reaper written by 0.1 kept one list under "plugins"
    expect(environment.KONG_CDKTF_REAP_PREVIOUS).toBe('${lookup(self.triggers_replace, "plugins", "")}');
    expect(environment.KONG_CDKTF_SERVER_URL).toBe("http://localhost:8001");
  });

  it("synthesizes the same bytes twice, with no absolute path, timestamp or admin token", () => {
    process.env.KONG_ADMIN_TOKEN = "kong-admin-token-canary-5a1f";
    const outputs = [0, 1].map(() => {
      const outdir = mkdtempSync(path.join(tmpdir(), "synth-"));
      const app = new App({ outdir });
      const stack = new TerraformStack(app, "payments");
      // cdktf's default local backend writes an absolute state path: the user's choice, not this library's
      new LocalBackend(stack, { path: "terraform.tfstate" });
      new KongGatewayProvider(stack, "kong", { backend: "terraform_data" });
      new PluginSession(stack, "session", { config: { cookieName: "sid" }, route: { id: ROUTE } });
      app.synth();
      return { outdir, files: listFiles(path.join(outdir, "stacks")) };
    });
    expect(outputs[0]!.files.map((f) => f.name)).toEqual(outputs[1]!.files.map((f) => f.name));
    outputs[0]!.files.forEach((file, i) => expect(file.content.equals(outputs[1]!.files[i]!.content)).toBe(true));
    const stackJson = readFileSync(path.join(outputs[0]!.outdir, "stacks/payments/cdk.tf.json"), "utf8");
    expect(stackJson).not.toContain(process.cwd());
    expect(stackJson).not.toContain(outputs[0]!.outdir);
    expect(stackJson).not.toContain("kong-admin-token-canary-5a1f");
    expect(stackJson).not.toMatch(/20\d\d-\d\d-\d\dT/);
    delete process.env.KONG_ADMIN_TOKEN;
  });
});

function listFiles(dir: string, prefix = ""): Array<{ name: string; content: Buffer }> {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return listFiles(full, `${prefix}${name}/`);
      return [{ name: `${prefix}${name}`, content: readFileSync(full) }];
    });
}
