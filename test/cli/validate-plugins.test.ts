/**
 * `kong-gateway-cdktf validate` of plugins other than the session plugin: by their facts, for the
 * Kong version and edition given, in Kong's names or in the props of their construct; and of every
 * plugin of a synthesized app (`--out`), for the Kong its provider targets or the one given.
 */
import * as path from "node:path";
import { App, TerraformStack, TerraformVariable } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { KongGatewayProvider, KongPlugin, PluginAcl, PluginOpenidConnect, PluginSession } from "../../src/index.js";
import { normalize, tempDir } from "./support.js";

/** Runs the CLI in-process with the JSON on standard input. */
async function validate(input: unknown, ...flags: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(["validate", ...flags], {}, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: async () => (typeof input === "string" ? input : JSON.stringify(input)),
  });
  return { code, stdout, stderr };
}

describe("validate by the facts", () => {
  it("accepts a Kong body of any plugin, for the newest Kong Enterprise unless told", async () => {
    const result = await validate({ name: "rate-limiting", config: { minute: 5, policy: "redis", redis: { host: "redis.internal" } } });
    expect(result).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "ok: standard input is a valid rate-limiting plugin in Kong's names for Kong Enterprise 3.15
      ",
      }
    `);
  });

  it("fails when a Kong body breaks the rules, in Kong's names", async () => {
    const result = await validate({ name: "rate-limiting", config: { minute: "5", polcy: "local", limit_by: "consumers" } });
    expect(result.stdout).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin in Kong's names for Kong Enterprise 3.15 (standard input), 3 problems:
        - config.limit_by: expected one of: consumer, consumer-group, credential, header, ip, path, service, got "consumers" (did you mean "consumer"?)
        - config.minute: expected a number, got "5"
        - config.polcy: unknown field (did you mean config.policy?)
      "
    `);
    expect(result.code).toBe(1);
  });

  it("fails when a bare config of --plugin breaks the rules, its paths read from the config", async () => {
    const result = await validate({ origins: ["https://a.example.com"], methods: ["GET", "FETCH"], max_age: "long" }, "--plugin", "cors");
    expect(result.stdout).toMatchInlineSnapshot(`
      "invalid cors plugin config in Kong's names for Kong Enterprise 3.15 (standard input), 2 problems:
        - max_age: expected a number, got "long"
        - methods[1]: expected one of: CONNECT, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, TRACE, got "FETCH"
      "
    `);
    expect(result.code).toBe(1);
  });

  it("fails when the construct's props break the rules, naming the props", async () => {
    const result = await validate({ config: { keyNames: ["apikey"], hideCredential: true }, route: { id: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c" } }, "--plugin", "key-auth");
    expect(result.stdout).toMatchInlineSnapshot(`
      "invalid key-auth plugin in PluginKeyAuth props for Kong Enterprise 3.15 (standard input), 1 problem:
        - config.hideCredential: unknown field (did you mean config.hideCredentials?)
      "
    `);
    expect(result.code).toBe(1);
  });

  it("fails when the Kong version or edition given lacks the plugin or a field", async () => {
    const oss = await validate({ name: "openid-connect", config: { issuer: "https://idp.example.com/" } }, "--edition", "oss", "--kong-version", "3.9");
    expect(oss.stdout).toMatchInlineSnapshot(`
      "invalid openid-connect plugin in Kong's names for open-source Kong 3.9 (standard input), 1 problem:
        - (plugin): the openid-connect plugin is not in open-source Kong: Kong Enterprise 3.4+ has it, got "openid-connect"
      "
    `);
    const old = await validate({ name: "acl", consumer_group: { id: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c" }, config: { allow: ["a"], always_use_authenticated_groups: true } }, "--kong-version", "3.4");
    expect(old.stdout).toMatchInlineSnapshot(`
      "invalid acl plugin in Kong's names for Kong Enterprise 3.4 (standard input), 2 problems:
        - consumer_group: the acl plugin cannot be scoped to a consumer group, got {"id":"3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c"}
        - config.always_use_authenticated_groups: not in Kong Enterprise 3.4: Kong Enterprise 3.8+ has it, got true
      "
    `);
    expect([oss.code, old.code]).toEqual([1, 1]);
  });

  it("checks the session plugin against the version given, beside its own rules", async () => {
    const ok = await validate({ cookie_name: "sid" }, "--kong-version", "3.4");
    expect(ok.stdout).toMatchInlineSnapshot(`
      "ok: standard input is a valid session plugin config in Kong's names for Kong Enterprise 3.4
      "
    `);
    const partials = await validate({ name: "session", partials: [{ id: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c" }] }, "--kong-version", "3.9");
    expect(partials.stdout).toMatchInlineSnapshot(`
      "invalid session plugin in Kong's names for Kong Enterprise 3.9 (standard input), 1 problem:
        - partials: not in Kong Enterprise 3.9: Kong Enterprise 3.10+ has it, got [{"id":"3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c"}]
      "
    `);
    expect([ok.code, partials.code]).toEqual([0, 1]);
  });

  it("never prints a secret, even where a message quotes the value", async () => {
    const secret = "R3disPassw0rdThatMustNotLeak";
    const result = await validate({ name: "rate-limiting", config: { minute: 5, policy: secret, redis: { host: "redis.internal", password: secret } } });
    expect(result.stdout).toMatchInlineSnapshot(`
      "invalid rate-limiting plugin in Kong's names for Kong Enterprise 3.15 (standard input), 1 problem:
        - config.policy: expected one of: cluster, local, redis, got "<redacted>"
      "
    `);
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it("fails when the plugin is unknown, or named twice differently", async () => {
    const unknown = await validate({ name: "rate-limitng", config: {} });
    const twice = await validate({ name: "acl", config: {} }, "--plugin", "cors");
    expect([unknown.stderr, twice.stderr]).toMatchInlineSnapshot(`
      [
        "error: this library has no facts of a "rate-limitng" plugin (did you mean rate-limiting?): a custom plugin is validated by Kong only
      ",
        "error: the input names the "acl" plugin, but --plugin says "cors": leave one out
      ",
      ]
    `);
    expect([unknown.code, twice.code]).toEqual([1, 1]);
  });

  it("fails when --edition or --kong-version is not one of the published data", async () => {
    const edition = await validate({}, "--edition", "free");
    const version = await validate({}, "--edition", "oss", "--kong-version", "3.12");
    const garbage = await validate({}, "--kong-version", "latest");
    expect([edition.stderr, version.stderr, garbage.stderr]).toMatchInlineSnapshot(`
      [
        "error: invalid --edition "free": expected oss or enterprise
      ",
        "error: invalid --kong-version "3.12": expected a version of open-source Kong: 3.4 to 3.9 (its last release)
      ",
        "error: invalid --kong-version "latest": expected a Kong version such as "3.15"
      ",
      ]
    `);
  });
});

describe("validate --out: the plugins of a synthesized app", () => {
  let work: ReturnType<typeof tempDir>;
  let outdir: string;

  beforeAll(() => {
    work = tempDir("cli-validate-out");
    outdir = path.join(work.dir, "cdktf.out");
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "edge");
    new KongGatewayProvider(stack, "kong", { serverUrl: "http://localhost:8001", backend: "terraform_data", kongVersion: "3.10" });
    new PluginAcl(stack, "acl", { config: { allow: ["admins"], alwaysUseAuthenticatedGroups: true } });
    new PluginOpenidConnect(stack, "oidc", {
      config: { issuer: "https://idp.example.com/", clientSecret: [new TerraformVariable(stack, "client_secret", { type: "string", sensitive: true }).stringValue] },
    });
    new PluginSession(stack, "session", { partials: [{ id: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c" }], config: { secret: "S3ss10nS3cretOfTheValidateOutTest01" } });
    new KongPlugin(stack, "custom", { name: "x-trace-header", config: { header_name: "X-Trace" } });
    app.synth();
  });

  afterAll(() => work?.dispose());

  it("finds every plugin valid for the Kong its stack's provider targets", async () => {
    const result = await validate("", "--out", outdir);
    expect(normalize(result.stdout)).toMatchInlineSnapshot(`
      "ok: 3 plugins of 1 stack in <work>/cdktf.out are valid for Kong Enterprise 3.10
      "
    `);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "warning: edge/custom: not validated: this library has no facts of its plugin (a custom plugin is validated by Kong only)
      "
    `);
    expect(result.code).toBe(0);
  });

  it("fails when the Kong version and edition given lack what the app uses", async () => {
    const result = await validate("", "--out", outdir, "--edition", "oss", "--kong-version", "3.9");
    expect(normalize(result.stdout)).toMatchInlineSnapshot(`
      "invalid openid-connect plugin at "edge/oidc" for open-source Kong 3.9, 1 problem:
        - (plugin): the openid-connect plugin is not in open-source Kong: Kong Enterprise 3.4+ has it, got "openid-connect"
      invalid session plugin at "edge/session" for open-source Kong 3.9, 1 problem:
        - partials: not in open-source Kong: Kong Enterprise 3.10+ has it, got [{"id":"<uuid>"}]
      "
    `);
    expect(result.stdout + result.stderr).not.toContain("S3ss10nS3cretOfTheValidateOutTest01");
    expect(result.code).toBe(1);
  });

  it("fails when --out is given with a file, or --stack without --out", async () => {
    const result = await validate("", "--out", outdir, "input.json");
    expect(result.stderr).toMatchInlineSnapshot(`
      "error: --out validates a synthesized app: give it without a file, --plugin or --names
      "
    `);
    const stack = await validate("{}", "--stack", "edge");
    expect(stack.stderr).toMatchInlineSnapshot(`
      "error: --stack goes with --out
      "
    `);
    expect([result.code, stack.code]).toEqual([1, 1]);
  });
});
