/**
 * The synth side of the trust round: derived ids that two apps can keep apart, server URLs written
 * one way and never part of a plugin's identity, references wherever they can work (and a clear
 * refusal where they cannot), credential headers kept out of the synthesized JSON, Kong's rules on
 * ids, workspaces and conditions, and a reaper whose lists never outgrow the environment.
 */
import { Testing, TerraformStack, TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import { KongGatewayProvider, PluginSession } from "../../src/index.js";
import { derivedId } from "../../src/plugin-session.js";
import { applyRequest, resource, stackWithProvider, synthJson, thrown } from "../support/synth.js";

const ROUTE = "3473c251-5b6c-4f45-b1ff-7ede735a366d";
/** A distinct route id per number: Kong allows one session plugin per route. */
const route = (i: number) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}` });

const warnings = (construct: PluginSession) => construct.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data as string);

describe("plugin ids", () => {
  it("keeps the ids of 0.1 without an idNamespace, and mixes the namespace in when one is set", () => {
    const plain = stackWithProvider({}, "kong");
    const teamA = stackWithProvider({ idNamespace: "team-a" }, "kong");
    const teamB = stackWithProvider({ idNamespace: "team-b" }, "kong");
    const ids = [plain, teamA, teamB].map(({ stack }) => new PluginSession(stack, "session", {}).pluginId);

    // the README's names in two apps: the same id without a namespace (as 0.1 derived it) ...
    expect(ids[0]).toBe(derivedId("kong/session", undefined));
    // ... and a different one for each namespace
    expect(new Set(ids).size).toBe(3);
    expect(ids[1]).toBe(derivedId("kong/session", undefined, "team-a"));
  });

  it("fails when idNamespace is empty or a reference", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const variable = new TerraformVariable(stack, "ns", { type: "string" });
    expect(thrown(() => new KongGatewayProvider(stack, "a", { idNamespace: "" })).message).toMatchInlineSnapshot(`
      "invalid KongGatewayProvider at "s/a", 1 problem:
        - idNamespace: expected a non-empty string, got """
    `);
    expect(thrown(() => new KongGatewayProvider(stack, "b", { idNamespace: variable.stringValue })).message).toContain(
      "idNamespace: must be a literal value (plugin ids are derived at synth)",
    );
  });

  it("marks an explicit id as an adoption, and a derived one not", () => {
    const { stack } = stackWithProvider();
    new PluginSession(stack, "adopted", { id: "5f5b6b2e-0c1d-4f7a-9e3b-2a1c0d9e8f7b", route: route(1) });
    new PluginSession(stack, "derived", { route: route(2) });
    const json = synthJson(stack);
    expect(applyRequest(resource(json, "adopted_config")).adopt).toBe(true);
    expect(applyRequest(resource(json, "derived_config")).adopt).toBeUndefined();
  });

  it("fails when two plugins differ only in the letter case of their id, route or service", () => {
    const { stack } = stackWithProvider();
    new PluginSession(stack, "a", { id: "5f5b6b2e-0c1d-4f7a-9e3b-2a1c0d9e8f7b", route: { id: ROUTE } });
    const error = thrown(() => new PluginSession(stack, "b", { id: "5F5B6B2E-0C1D-4F7A-9E3B-2A1C0D9E8F7B", route: { id: ROUTE.toUpperCase() } }));
    expect(error.message).toMatchInlineSnapshot(`
      "invalid session plugin at "payments/b", 2 problems:
        - route.id: another session plugin, "payments/a", has the same route in workspace "default"; Kong allows one session plugin per route/service combination, got "3473C251-5B6C-4F45-B1FF-7EDE735A366D"
        - id: the plugin id is also used by "payments/a", got "5F5B6B2E-0C1D-4F7A-9E3B-2A1C0D9E8F7B""
    `);
  });
});

describe("server URL", () => {
  it("writes every spelling of one URL the same way", () => {
    const spelled = ["http://localhost:8001", "http://localhost:8001/", "HTTP://LocalHost:8001//", " http://localhost:8001 "];
    const jsons = spelled.map((serverUrl) => {
      const { stack, provider } = stackWithProvider({ serverUrl });
      new PluginSession(stack, "session", {});
      expect(provider.serverUrl).toBe("http://localhost:8001");
      return JSON.stringify(synthJson(stack));
    });
    expect(new Set(jsons).size).toBe(1);
    expect(stackWithProvider({ serverUrl: "https://kong:443/admin/" }).provider.serverUrl).toBe("https://kong/admin");
  });

  it("keeps the URL out of what re-creates a plugin: its changes are ignored by the identity resource", () => {
    const { stack } = stackWithProvider({ serverUrl: "http://kong-a:8001" });
    new PluginSession(stack, "session", {});
    const identity = resource(synthJson(stack), "session_identity");
    expect(identity.lifecycle.ignore_changes).toEqual(["triggers_replace"]);
    // the delete goes to the URL of the configuration the destroy runs with
    expect(identity.provisioner[0]["local-exec"].environment.KONG_CDKTF_SERVER_URL).toBe("http://kong-a:8001");
  });

  it("takes a reference with terraform_data: the identity and the reaper keep it in input, updated in place", () => {
    const { stack } = stackWithProvider({}, "s");
    const url = new TerraformVariable(stack, "url", { type: "string" });
    const provider = new KongGatewayProvider(stack, "referenced", { serverUrl: url.stringValue, layout: "per-resource" });
    new PluginSession(stack, "session", { provider });
    const json = synthJson(stack);
    const identity = resource(json, "session_identity");
    expect(identity.input).toEqual({ server_url: "${var.url}" });
    expect(identity.provisioner[0]["local-exec"].environment.KONG_CDKTF_SERVER_URL).toBe("${self.input.server_url}");
    const reaper = resource(json, "referenced_reaper");
    expect(reaper.input).toEqual({ server_url: "${var.url}" });
    expect(applyRequest(resource(json, "session_config")).serverUrl).toEqual({ $ref: "0", as: "string" });
  });

  it("fails when a reference is given with null_resource, which has nowhere to keep it", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const url = new TerraformVariable(stack, "url", { type: "string" });
    expect(thrown(() => new KongGatewayProvider(stack, "kong", { serverUrl: url.stringValue, backend: "null_resource" })).message).toMatch(
      /^invalid KongGatewayProvider at "s\/kong", 1 problem:\n {2}- serverUrl: a reference needs the terraform_data backend: a null_resource keeps nothing a destroy-time provisioner could read it from without re-creating the plugin; set backend: "terraform_data" \(the default\), or give the URL literally, got "\$\{TfToken\[TOKEN\.\d+\]\}"$/,
    );
  });

  it.each([
    ["https://kong:8444/?token=abc123", "must not have a query string (?…): credentials and options do not belong in the URL", "https://kong:8444/?<redacted>"],
    ["https://kong:8444/#frag", "must not have a fragment (#…)", "https://kong:8444/?<redacted>"],
    ["admin:hunter2@kong:8001", "expected an http:// or https:// URL", "<redacted>@kong:8001"],
    ["http:admin:hunter2@kong:8001", "must not contain credentials; set KONG_ADMIN_TOKEN in Terraform's environment", "http:<redacted>@kong:8001"],
  ])("fails for %s, printing neither credentials nor the query", (serverUrl, message, shown) => {
    const stack = new TerraformStack(Testing.app(), "s");
    const error = thrown(() => new KongGatewayProvider(stack, "kong", { serverUrl }));
    expect(error.message).toBe(`invalid KongGatewayProvider at "s/kong", 1 problem:\n  - serverUrl: ${message}, got ${JSON.stringify(shown)}`);
    expect(error.message).not.toMatch(/hunter2|abc123/);
  });
});

describe("identity fields from references", () => {
  it("keeps a referenced id and workspace in the identity's input for its destroy, and literals as they are", () => {
    const { stack } = stackWithProvider();
    const id = new TerraformVariable(stack, "id", { type: "string" });
    new PluginSession(stack, "session", { id: id.stringValue, workspace: "team" });
    const identity = resource(synthJson(stack), "session_identity");
    expect(identity.input).toEqual({ plugin_id: "${var.id}" });
    expect(identity.provisioner[0]["local-exec"].environment).toMatchObject({
      KONG_CDKTF_PLUGIN_ID: "${self.input.plugin_id}",
      KONG_CDKTF_WORKSPACE: "team",
    });
  });

  it("adds, for a referenced id or workspace, a resource replaced when its value changes, whose destroy deletes the previous plugin", () => {
    const { stack } = stackWithProvider();
    const ws = new TerraformVariable(stack, "ws", { type: "string" });
    const session = new PluginSession(stack, "session", { workspace: ws.stringValue });
    const json = synthJson(stack);
    const tracker = resource(json, "session_referenced-identity");
    expect(tracker.triggers_replace).toEqual({
      plugin_id: session.pluginId,
      workspace: "${var.ws}",
      owner: "${terraform_data.session_identity_6FADBBF7.id}",
    });
    expect(tracker.lifecycle).toBeUndefined();
    expect(tracker.provisioner[0]["local-exec"]).toMatchObject({
      when: "destroy",
      environment: {
        KONG_CDKTF_PLUGIN_ID: "${self.triggers_replace.plugin_id}",
        KONG_CDKTF_WORKSPACE: "${self.triggers_replace.workspace}",
        KONG_CDKTF_OWNER: "${self.triggers_replace.owner}",
        KONG_CDKTF_SERVER_URL: "http://localhost:8001",
      },
    });
    expect(resource(json, "session_config").depends_on).toContain(`terraform_data.${Object.keys(json.resource.terraform_data).find((id) => id.startsWith("session_referenced-identity"))}`);
    // literal ids and workspaces need none: the reaper sees their changes
    const { stack: literal } = stackWithProvider();
    new PluginSession(literal, "session", { workspace: "team" });
    expect(Object.keys(synthJson(literal).resource.terraform_data).some((id) => id.includes("referenced"))).toBe(false);
  });

  it("fails when the id or workspace is a reference with null_resource, which has no input", () => {
    const { stack } = stackWithProvider({ backend: "null_resource" });
    const id = new TerraformVariable(stack, "id", { type: "string" });
    const error = thrown(() => new PluginSession(stack, "session", { id: id.stringValue }));
    expect(error.message).toMatch(
      /^invalid session plugin at "payments\/session", 1 problem:\n {2}- id: a reference needs the terraform_data backend, which keeps its value for the destroy-time provisioner in input \(a null_resource has nowhere to keep it\); set backend: "terraform_data" on the KongGatewayProvider, or give the id literally, got "\$\{TfToken\[TOKEN\.\d+\]\}"$/,
    );
  });
});

describe("headers", () => {
  it.each(["Authorization", "apikey", "X-API-Key", "X-Auth-Token", "Proxy-Authorization", "Cookie", "X-Kong-Secret", "X-Signature"])(
    "fails when the header %s, which carries a credential, would be synthesized",
    (name) => {
      const stack = new TerraformStack(Testing.app(), "s");
      const error = thrown(() => new KongGatewayProvider(stack, "kong", { headers: { [name]: "value-that-is-a-credential" } }));
      expect(error.message).toBe(
        `invalid KongGatewayProvider at "s/kong", 1 problem:\n  - headers.${name}: the header carries a credential, which must not be synthesized: read it from the environment at apply with headersFromEnv: { ${JSON.stringify(name)}: "<ENVIRONMENT_VARIABLE>" }, got "<redacted>"`,
      );
    },
  );

  it("synthesizes the names of headers read from the environment, and the token's header, never a value", () => {
    const { stack } = stackWithProvider({ headers: { "X-Team": "payments" }, headersFromEnv: { "X-API-Key": "GATEWAY_API_KEY" }, adminTokenHeader: "X-Rbac-Token" });
    new PluginSession(stack, "session", {});
    const config = resource(synthJson(stack), "session_config");
    expect(JSON.parse(config.provisioner[0]["local-exec"].environment.KONG_CDKTF_CONNECTION)).toEqual({
      headers: { "X-Team": "payments" },
      headersFromEnv: { "X-API-Key": "GATEWAY_API_KEY" },
      adminTokenHeader: "X-Rbac-Token",
    });
  });

  it("fails when headersFromEnv or adminTokenHeader are malformed", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const error = thrown(
      () =>
        new KongGatewayProvider(stack, "kong", {
          headersFromEnv: { "X-API-Key": "1-not-a-variable", "bad header": "OK", "X-Rbac-Token": "TOKEN" },
          headers: { "X-Rbac-Token": "x" },
          adminTokenHeader: "X-Rbac-Token",
        }),
    );
    expect(error.message).toMatchInlineSnapshot(`
      "invalid KongGatewayProvider at "s/kong", 4 problems:
        - headers.X-Rbac-Token: the admin token must not be synthesized: it is read from KONG_ADMIN_TOKEN in Terraform's environment, got "<redacted>"
        - headersFromEnv.X-API-Key: expected the name of an environment variable (letters, digits and _, not starting with a digit), got "1-not-a-variable"
        - headersFromEnv.bad header: expected a valid HTTP header name, got "bad header"
        - headersFromEnv.X-Rbac-Token: this header carries KONG_ADMIN_TOKEN already (adminTokenHeader), got "TOKEN""
    `);
  });
});

describe("secrets", () => {
  it("warns about a secret too short to redact safely", () => {
    const { stack } = stackWithProvider();
    const session = new PluginSession(stack, "short", { config: { secret: "e" } });
    expect(warnings(session)[1]).toBe(
      'config.secret of session plugin at "payments/short" has fewer than 8 characters: output is redacted of it only where it stands as a whole word, and a secret this short is easy to guess; use at least 32 random characters',
    );
  });

  it("fails when a literal secret would not fit its environment variable, without printing it", () => {
    const { stack } = stackWithProvider();
    new PluginSession(stack, "fits", { config: { secret: "s".repeat(98_000) }, route: route(1) });
    const error = thrown(() => new PluginSession(stack, "too-long", { config: { secret: "t".repeat(99_000) }, route: route(2) }));
    expect(error.message).toBe(
      'invalid session plugin at "payments/too-long", 1 problem:\n  - config.secret: must fit in one environment variable of the apply-time program once base64-encoded, at most 98286 bytes (Linux\'s limit of 128 KiB per variable), got <redacted>',
    );
  });

  it("takes a vault reference only with its closing brace: without it, it is a literal secret", () => {
    const { stack } = stackWithProvider();
    const broken = new PluginSession(stack, "broken", { config: { secret: "{vault://env/session-secret" }, route: route(1) });
    const reference = new PluginSession(stack, "reference", { config: { secret: "{vault://env/session-secret}" }, route: route(2) });
    expect(warnings(broken)[0]).toContain("is a literal string");
    expect(warnings(reference)).toEqual([]);
    const json = synthJson(stack);
    expect(JSON.stringify(resource(json, "broken_config").triggers_replace)).not.toContain("{vault://env/session-secret");
    expect(applyRequest(resource(json, "reference_config")).payload.config.secret).toBe("{vault://env/session-secret}");
  });
});

describe("backend", () => {
  it("defaults to terraform_data, which needs no provider download", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    const provider = new KongGatewayProvider(stack, "kong");
    new PluginSession(stack, "session", {});
    expect(provider.backend).toBe("terraform_data");
    const json = synthJson(stack);
    expect(json.provider).toBeUndefined();
    expect(Object.keys(json.resource)).toEqual(["terraform_data"]);
  });
});

describe("reaper", () => {
  it("registers plugins whose id or workspace is a reference, with the reference in the list", () => {
    const { stack } = stackWithProvider();
    const id = new TerraformVariable(stack, "id", { type: "string" });
    const ws = new TerraformVariable(stack, "ws", { type: "string" });
    new PluginSession(stack, "session", { id: id.stringValue, workspace: ws.stringValue });
    const reaper = resource(synthJson(stack), "kong_reaper");
    expect(reaper.triggers_replace.plugins_0).toBe(
      '[["payments/session",${jsonencode(var.id)},${jsonencode(var.ws)},"${terraform_data.session_identity_6FADBBF7.id}","session"]]',
    );
    expect(reaper.provisioner[0]["local-exec"].environment.KONG_CDKTF_REAP_CURRENT_0).toBe('[["payments/session",null,null]]');
  });

  it("cuts its lists into chunks that each fit one environment variable", () => {
    const { stack } = stackWithProvider();
    const long = "p".repeat(200);
    for (let i = 0; i < 1500; i++) new PluginSession(stack, `${long}-${i}`, { route: route(i) });
    const reaper = resource(synthJson(stack), "kong_reaper");
    const chunks = Object.entries(reaper.triggers_replace as Record<string, string>);
    expect(chunks.length).toBeGreaterThan(2);
    // as the provisioner gets them: each reference resolved (the identity's id is a UUID)
    const resolved = chunks.map(([key, chunk]) => [key, chunk.replace(/\$\{[^}]+\}/g, "6a2f1c3e-1d4b-4c8e-9f7a-0b1c2d3e4f5a")] as const);
    for (const [key, chunk] of resolved) {
      expect(key).toMatch(/^plugins_\d+$/);
      expect(Buffer.byteLength(chunk) + 100).toBeLessThan(128 * 1024);
    }
    expect(resolved.flatMap(([, chunk]) => JSON.parse(chunk) as unknown[])).toHaveLength(1500);
  }, 60_000);

  it("fails at synth, naming the limit, when a provider's plugins no longer fit the reaper's environment", () => {
    const { stack } = stackWithProvider();
    const long = "q".repeat(1000);
    const error = thrown(() => {
      for (let i = 0; i < 2000; i++) new PluginSession(stack, `${long}-${i}`, { route: route(i) });
    });
    expect(error.message).toMatch(/^invalid session plugin at "payments\/q+-\d+", 1 problem:\n {2}- \(plugin\): the provider's list of plugins must fit the environment of its reaper's provisioner \(1024 KiB for the previous list, 512 KiB for the current one; Linux limits a process's environment to 2 MiB\): split the plugins over several KongGatewayProviders or stacks, or shorten the construct paths, got "\d+ plugins"$/);
  }, 60_000);
});
