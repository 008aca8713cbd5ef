/**
 * Secrets: the admin token and a configured session secret never appear in the synthesized JSON
 * (except a literal secret inside the payload, where the user put it, with a warning), in the
 * program's output on success and on every failure path (debug on and off), in the CLI's output, in
 * error messages, or in any snapshot of the test suite.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { App, LocalBackend, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongGatewayProvider, PluginSession, validatePluginSession, formatValidationIssues } from "../../src/index.js";
import { ENV } from "../../src/runtime/contract.js";
import { KongEmulator } from "../../src/testing/index.js";
import { E2eStack } from "../support/e2e.js";
import { CLI, ROOT, TERRAFORM_VERSION } from "./support/mode.js";
import { applyEnv, cleanEnv, deleteEnv, runProgram } from "./support/program.js";
import { n, record } from "./support/results.js";

const TOKEN = "kpat_secrets_A1b2C3d4E5f6G7h8I9j0";
const WRONG_TOKEN = "kpat_wrongtok_Q9w8E7r6T5y4U3i2O1p0";
/** regex and JSON specials, non-ASCII: its JSON-escaped and URL-encoded forms differ from it */
const SECRET = 'D3s1red"Secret\\with.*regex+chars{}|()[]äö🍪-0123456789';
const LIVE_SECRET = "L1veSecretStoredInKong0123456789abcdefABCDE";
const NODE_SECRET = "N0deSecretOfTheKongNode0123456789abcdefABCD";
const ALL = [TOKEN, WRONG_TOKEN, SECRET, LIVE_SECRET, NODE_SECRET];
const ID = "8c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
const ROUTE = "9d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";

/** The forms a secret could leak in: as is, JSON-escaped, URL-encoded, and its first 12 characters (truncation). */
function forms(secret: string): string[] {
  return [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), secret.slice(0, 12)];
}

/** Fails naming the secret and where it leaked. */
function expectNoLeak(where: string, text: string, secrets: readonly string[] = ALL): void {
  for (const secret of secrets) {
    for (const form of forms(secret)) expect(text.includes(form), `${where} contains ${JSON.stringify(form)}`).toBe(false);
  }
}

const counts: Record<string, number> = {};
const count = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);

describe("synthesized JSON", () => {
  function synth(build: (stack: TerraformStack) => PluginSession): { json: string; warnings: string[] } {
    const previous = process.env[ENV.adminToken];
    process.env[ENV.adminToken] = TOKEN; // a token in the synthesizing process must not travel either
    try {
      const app = Testing.app();
      const stack = new TerraformStack(app, "secrets");
      new KongGatewayProvider(stack, "kong", { backend: "terraform_data", layout: "per-resource", serverUrl: "https://kong.internal:8444", headers: { "x-team": "payments" } });
      const session = build(stack);
      const warnings = session.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => String(m.data));
      return { json: Testing.synth(stack), warnings };
    } finally {
      if (previous === undefined) delete process.env[ENV.adminToken];
      else process.env[ENV.adminToken] = previous;
    }
  }

  it("holds neither the token nor a secret from a sensitive variable, and warns about nothing", () => {
    const { json, warnings } = synth((stack) => {
      const secret = new TerraformVariable(stack, "session_secret", { type: "string", sensitive: true });
      return new PluginSession(stack, "session", { route: { id: ROUTE }, config: { secret: secret.stringValue } });
    });
    expectNoLeak("synthesized JSON", json);
    expect(json).toContain("var.session_secret");
    expect(warnings).toEqual([]);
    count("synth");
  });

  it("holds a literal secret only in the apply provisioner's environment, encoded and sensitive, and warns", () => {
    const { json, warnings } = synth((stack) => new PluginSession(stack, "session", { route: { id: ROUTE }, config: { secret: SECRET } }));
    // not in clear anywhere: neither in the triggers (Terraform prints and logs them) nor elsewhere
    expectNoLeak("synthesized JSON", json);
    const encoded = Buffer.from(SECRET, "utf8").toString("base64");
    const parsed = JSON.parse(json) as { resource: { terraform_data: Record<string, any> }; locals: Record<string, string> };
    // in a local value only (the plan as JSON prints no local), which the apply provisioner's environment names
    expect(Object.entries(parsed.resource.terraform_data).filter(([, r]) => JSON.stringify(r).includes(encoded))).toEqual([]);
    const [local, ...others] = Object.entries(parsed.locals).filter(([, value]) => value.includes(encoded));
    expect(others).toEqual([]);
    expect(local![1]).toBe(`\${sensitive("${encoded}")}`);
    const config = Object.entries(parsed.resource.terraform_data).find(([id]) => /^session_config_[0-9A-F]+$/.test(id))![1];
    expect(config.provisioner[0]["local-exec"].environment.KONG_CDKTF_REF_secret).toBe(`\${local.${local![0]}}`);
    expect(json.split(encoded).length - 1).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("sensitive TerraformVariable or a Kong vault reference");
    expectNoLeak("the warning", warnings[0]!);
    count("synth");
  });

  it("a vault reference is not a secret: no warning", () => {
    const { warnings } = synth((stack) => new PluginSession(stack, "session", { config: { secret: "{vault://env/session-secret}" } }));
    expect(warnings).toEqual([]);
    count("synth");
  });
});

describe("error messages of the library", () => {
  const messageOf = (build: () => unknown): string => {
    try {
      build();
    } catch (error) {
      return String((error as Error).message);
    }
    throw new Error("expected an error");
  };
  const stack = () => {
    const app = Testing.app();
    const s = new TerraformStack(app, "errors");
    return s;
  };

  it.each([
    ["another field invalid", { config: { secret: SECRET, cookieSameSite: "lax" } }],
    ["the secret of the wrong type", { config: { secret: [SECRET] as never } }],
    ["the secret in an unknown prop", { config: { secrett: SECRET } as never }],
    ["the secret in a tag", { config: { secret: SECRET }, tags: [`a,${SECRET}`] }],
  ])("PluginSessionValidationError with %s", (_what, props) => {
    const s = stack();
    new KongGatewayProvider(s, "kong", { backend: "terraform_data" });
    const message = messageOf(() => new PluginSession(s, "session", props as never));
    expect(message).toMatch(/^invalid session plugin at "errors\/session"/);
    expectNoLeak("error message", message, [SECRET]);
    const result = validatePluginSession(props as never);
    expectNoLeak("formatValidationIssues", formatValidationIssues("x", result.issues), [SECRET]);
    count("error messages");
  });

  it.each([
    ["the token as a header", { headers: { "Kong-Admin-Token": TOKEN } }],
    ["the token in the server URL", { serverUrl: `https://admin:${TOKEN}@kong.internal:8444` }],
  ])("KongGatewayProvider refuses %s without printing it", (_what, props) => {
    const message = messageOf(() => new KongGatewayProvider(stack(), "kong", props));
    expect(message).toContain("<redacted>");
    expectNoLeak("error message", message, [TOKEN]);
    count("error messages");
  });
});

describe("the program's output, on success and on every failure path", () => {
  let kong: KongEmulator;
  let closedPort: number;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.4.0", adminToken: TOKEN, nodeSecret: NODE_SECRET });
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  afterAll(async () => {
    await kong?.stop();
  });

  const connection = { requestTimeoutMs: 500, deadlineMs: 4000, maxRetries: 1 };
  const withSecret = { config: { secret: SECRET, cookie_name: "sid" } };
  const live = () => kong.seedPlugin({ id: ID, name: "session", config: { secret: LIVE_SECRET, cookie_name: "old" }, instance_name: "web" });

  const CASES: Array<{ name: string; ok: boolean; setup?: () => void; env: () => Record<string, string>; action?: string; expect?: RegExp }> = [
    { name: "apply creates", ok: true, env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: withSecret, connection, token: TOKEN }) },
    { name: "apply updates", ok: true, setup: live, env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: withSecret, connection, token: TOKEN }) },
    { name: "apply carries the live secret over", ok: true, setup: live, env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: { config: { cookie_name: "sid" } }, connection, token: TOKEN }) },
    {
      name: "apply with the secret from a reference",
      ok: true,
      env: () => ({ ...applyEnv({ pluginId: ID, serverUrl: kong.url, payload: { config: { secret: { $ref: "0", as: "string" } } }, connection, token: TOKEN }), [`${ENV.refPrefix}0`]: SECRET }),
    },
    { name: "delete", ok: true, setup: live, action: "delete", env: () => deleteEnv({ pluginId: ID, serverUrl: kong.url, connection, token: TOKEN }) },
    {
      name: "reap",
      ok: true,
      setup: live,
      action: "reap",
      env: () => ({ [ENV.reapPrevious]: JSON.stringify([{ id: ID, workspace: "", serverUrl: kong.url }]), [`${ENV.reapCurrent}_0`]: "[]", [ENV.connection]: JSON.stringify(connection), [ENV.adminToken]: TOKEN }),
    },
    { name: "401, wrong token", ok: false, expect: /KONG_UNAUTHORIZED/, env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: withSecret, connection, token: WRONG_TOKEN }) },
    { name: "401, no token", ok: false, expect: /KONG_UNAUTHORIZED/, env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: withSecret, connection }) },
    {
      name: "400 schema violation from Kong (field unknown to Kong 3.4)",
      ok: false,
      expect: /KONG_SCHEMA_VIOLATION/,
      env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: { config: { secret: SECRET, hash_subject: true } }, connection, token: TOKEN }),
    },
    { name: "400 foreign key", ok: false, expect: /KONG_FOREIGN_KEY_VIOLATION/, env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: { ...withSecret, route: { id: ROUTE } }, connection, token: TOKEN }) },
    {
      name: "409 unique violation",
      ok: false,
      expect: /KONG_UNIQUE_VIOLATION/,
      setup: () => kong.seedPlugin({ name: "session", instance_name: "taken", config: { secret: LIVE_SECRET } }),
      env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: { ...withSecret, instance_name: "taken" }, connection, token: TOKEN }),
    },
    { name: "404 workspace", ok: false, expect: /KONG_WORKSPACE_NOT_FOUND/, env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, workspace: "nope", payload: withSecret, connection, token: TOKEN }) },
    { name: "500", ok: false, expect: /KONG_HTTP_ERROR/, setup: () => kong.faults.failNext(10, { status: 500 }), env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: withSecret, connection, token: TOKEN }) },
    { name: "503 until retries run out", ok: false, expect: /KONG_HTTP_ERROR/, setup: () => kong.faults.failNext(10, { status: 503 }), env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: withSecret, connection, token: TOKEN }) },
    { name: "timeout", ok: false, expect: /KONG_TIMEOUT|KONG_DEADLINE_EXCEEDED/, setup: () => kong.faults.hangNext(10), env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: withSecret, connection, token: TOKEN }) },
    { name: "connection refused", ok: false, expect: /KONG_CONNECTION_FAILED/, env: () => applyEnv({ pluginId: ID, serverUrl: `http://127.0.0.1:${closedPort}`, payload: withSecret, connection, token: TOKEN }) },
    { name: "invalid JSON answer with the live secret in it", ok: false, expect: /KONG_INVALID_RESPONSE/, setup: () => (live(), kong.faults.malformedNext(1, "invalid-json")), env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: { config: {} }, connection, token: TOKEN }) },
    {
      name: "config invalid at apply",
      ok: false,
      expect: /KONG_CDKTF_INVALID_CONFIG/,
      env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: { config: { secret: SECRET, cookie_same_site: "lax" } }, connection, token: TOKEN }),
    },
    {
      name: "secret of the wrong type at apply",
      ok: false,
      expect: /KONG_CDKTF_INVALID_CONFIG/,
      env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: { config: { secret: [SECRET] } }, connection, token: TOKEN }),
    },
    {
      name: "request that is not JSON",
      ok: false,
      expect: /KONG_INVALID_REQUEST/,
      env: () => ({ ...applyEnv({ pluginId: ID, serverUrl: kong.url, payload: withSecret, connection, token: TOKEN }), [ENV.request]: `{"payload":{"config":{"secret":"${SECRET}"` }),
    },
    {
      name: "reference value that is not JSON",
      ok: false,
      expect: /KONG_INVALID_REQUEST/,
      env: () => ({ ...applyEnv({ pluginId: ID, serverUrl: kong.url, payload: { config: { secret: { $ref: "0", as: "json" } } }, connection, token: TOKEN }), [`${ENV.refPrefix}0`]: SECRET }),
    },
    { name: "wrong command line", ok: false, action: "aply", expect: /usage/, env: () => applyEnv({ pluginId: ID, serverUrl: kong.url, payload: withSecret, connection, token: TOKEN }) },
  ];

  for (const c of CASES) {
    for (const debug of [false, true]) {
      it(`${c.name}${debug ? ", debug on" : ""}: neither the token nor a secret in stdout or stderr`, async () => {
        kong.reset();
        c.setup?.();
        const result = await runProgram(c.action ?? "apply", { ...c.env(), ...(debug ? { KONG_CDKTF_DEBUG: "1" } : {}) });
        if (c.ok) expect(result.code, result.stderr).toBe(0);
        else {
          expect(result.code).not.toBe(0);
          expect(result.stderr).toMatch(c.expect!);
        }
        if (debug && c.ok) expect(result.stderr).toContain("kong: debug:");
        expectNoLeak(`output of "${c.name}"`, result.stdout + result.stderr);
        count(c.ok ? "program success" : "program failure");
      });
    }
  }
});

describe.skipIf(!TERRAFORM_VERSION)("terraform's own output, with the secret in a sensitive variable", () => {
  it("apply, plan and destroy, one plugin failing: no token or secret anywhere, the error line still shown", async () => {
    const kong = await KongEmulator.start({ adminToken: TOKEN, nodeSecret: NODE_SECRET });
    const stack = new E2eStack({ backend: "terraform_data", layout: "per-resource", serverUrl: kong.url }, { KONG_ADMIN_TOKEN: TOKEN, TF_VAR_session_secret: SECRET });
    try {
      stack.load((s) => {
        const secret = new TerraformVariable(s, "session_secret", { type: "string", sensitive: true });
        new PluginSession(s, "good", { config: { secret: secret.stringValue, cookieName: "good" } });
        new PluginSession(s, "bad", { route: { id: ROUTE }, config: { secret: secret.stringValue, cookieName: "bad" } });
      });
      const applied = await stack.apply();
      expect(applied.exitCode).toBe(1);
      // Terraform hides the progress lines of a command with a sensitive environment, but quotes the
      // output of a failed one in its error: the program's own redaction is what keeps the secret out
      expect(applied.stdout).toContain("(output suppressed due to sensitive value in config)");
      expect(applied.stderr).toMatch(/Output: kong: error KONG_FOREIGN_KEY_VIOLATION: route/);
      expect(kong.plugins().map((p) => p.config.secret)).toEqual([SECRET]);
      const planned = await stack.plan();
      const destroyed = await stack.destroy();
      expect(destroyed.exitCode).toBe(0);
      for (const [what, result] of [["apply", applied], ["plan", planned], ["destroy", destroyed]] as const) {
        expectNoLeak(`terraform ${what}`, result.stdout + result.stderr);
      }
      count("terraform");
    } finally {
      stack.dispose();
      await kong.stop();
    }
  });
});

describe("the CLI's output", () => {
  let kong: KongEmulator;
  let outdir: string;

  beforeAll(async () => {
    kong = await KongEmulator.start({ adminToken: TOKEN, nodeSecret: NODE_SECRET });
    kong.seedPlugin({ id: ID, name: "session", config: { secret: LIVE_SECRET, cookie_name: "old" }, instance_name: "web" });
    outdir = mkdtempSync(path.join(tmpdir(), "kong-cdktf-cli-"));
    const app = new App({ outdir });
    const stack = new TerraformStack(app, "payments");
    new LocalBackend(stack, { path: path.join(outdir, "terraform.tfstate") });
    new KongGatewayProvider(stack, "kong", { serverUrl: kong.url, backend: "terraform_data", layout: "per-resource" });
    new PluginSession(stack, "web", { id: ID, instanceName: "web", config: { secret: SECRET, cookieName: "new" } });
    app.synth();
  });
  afterAll(async () => {
    await kong?.stop();
    rmSync(outdir, { recursive: true, force: true });
  });

  function cli(args: string[], env: Record<string, string>, stdin = ""): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...cleanEnv(), ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (error as NodeJS.ErrnoException & { code?: unknown }).code : 0;
        if (typeof code === "string") return reject(error);
        resolve({ code: typeof code === "number" ? code : 1, stdout, stderr });
      });
      child.stdin?.end(stdin);
    });
  }

  const CASES: Array<[string, () => string[], Record<string, string>, string?]> = [
    ["import by id", () => ["import", JSON.stringify({ id: ID })], {}],
    ["import --all", () => ["import", "--all"], {}],
    ["diff", () => ["diff", "--out", outdir], {}],
    ["diff --json", () => ["diff", "--out", outdir, "--json"], {}],
    ["diff with debug output", () => ["diff", "--out", outdir], { KONG_CDKTF_DEBUG: "1" }],
    ["import with a wrong token", () => ["import", "--all"], { [ENV.adminToken]: WRONG_TOKEN }],
    ["validate, valid", () => ["validate", "-"], {}, JSON.stringify({ config: { secret: SECRET, cookieName: "sid" } })],
    ["validate, invalid", () => ["validate", "-"], {}, JSON.stringify({ config: { secret: SECRET, cookieSameSite: "lax" } })],
    ["validate, secret of the wrong type", () => ["validate", "-"], {}, JSON.stringify({ config: { secret: [SECRET] } })],
    ["validate, unparsable input", () => ["validate", "-"], {}, `{"config": {"secret": "${SECRET}"`],
  ];

  it.each(CASES)("%s: neither the token nor a secret", async (_name, args, env, stdin) => {
    const result = await cli(args(), { [ENV.adminToken]: TOKEN, KONG_ADMIN_URL: kong.url, ...env }, stdin);
    expect(result.stdout + result.stderr).not.toBe("");
    expectNoLeak(`CLI ${args().join(" ")}`, result.stdout + result.stderr);
    count("CLI");
  });
});

describe("snapshots of the whole test suite", () => {
  /** Every token- or secret-looking string literal assigned in a test source, and this file's values. */
  function suiteSecrets(): string[] {
    const values = new Set(ALL);
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((entry) => {
        const full = path.join(dir, entry);
        return statSync(full).isDirectory() ? walk(full) : [full];
      });
    for (const file of walk(path.join(ROOT, "test")).filter((f) => f.endsWith(".ts"))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\b[A-Z_]*(?:TOKEN|SECRET)[A-Z_]*\s*=\s*"([^"\\]{12,})"/g)) values.add(m[1]!);
    }
    return [...values];
  }

  it("no snapshot file and no inline snapshot holds a token or secret the suite uses", () => {
    const secrets = suiteSecrets();
    expect(secrets.length).toBeGreaterThan(ALL.length);
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((entry) => {
        const full = path.join(dir, entry);
        return statSync(full).isDirectory() ? walk(full) : [full];
      });
    const files = walk(path.join(ROOT, "test"));
    const snapFiles = files.filter((f) => f.endsWith(".snap"));
    let inline = 0;
    for (const file of snapFiles) expectNoLeak(path.relative(ROOT, file), readFileSync(file, "utf8"), secrets);
    for (const file of files.filter((f) => /\.test(-d)?\.ts$/.test(f))) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/toMatchInlineSnapshot\(\s*`((?:[^`\\]|\\.)*)`/g)) {
        inline++;
        expectNoLeak(`an inline snapshot in ${path.relative(ROOT, file)}`, m[1]!, secrets);
      }
    }
    expect(snapFiles.length).toBeGreaterThan(0);
    expect(inline).toBeGreaterThan(10);
    counts["snapshot files"] = snapFiles.length;
    counts["inline snapshots"] = inline;
    counts["secret values scanned for"] = secrets.length;
  });

  it("records the counts", () => {
    record({
      id: "secrets",
      rows: [
        { tried: "synthesized JSON: secret from a sensitive variable, literal secret, vault reference; KONG_ADMIN_TOKEN set while synthesizing", times: `${n(counts["synth"] ?? 0)} stacks`, held: "token never present; the secret only in the one payload where it was written literally, with a synth warning recommending a sensitive variable or a vault reference; no warning otherwise" },
        { tried: "error messages of PluginSession, validatePluginSession and KongGatewayProvider built around the secret or the token", times: `${n(counts["error messages"] ?? 0)} errors`, held: "neither value, nor its JSON-escaped or URL-encoded form, nor its first 12 characters, in any message" },
        { tried: "the bundled program's stdout and stderr on success (create, update, carry-over, reference, delete, reap)", times: `${n(counts["program success"] ?? 0)} runs (debug on and off)`, held: "no token or secret in any form" },
        { tried: "the bundled program's stdout and stderr on failure (401 wrong/no token, 400 schema and foreign key, 409, 404 workspace, 500, 503 exhausted, timeout, refused, invalid JSON answer, invalid config, invalid request, invalid reference, bad command line)", times: `${n(counts["program failure"] ?? 0)} runs (debug on and off)`, held: "each fails with its error code; no token or secret in any form" },
        { tried: "terraform's own output (apply with one plugin failing, plan, destroy), the secret in a sensitive variable", times: `${n(counts["terraform"] ?? 0)} stack`, held: "no token or secret in any form; Terraform suppresses the progress lines, the program's error line is still quoted in Terraform's error" },
        { tried: "CLI output: import, import --all, diff, diff --json, diff with debug, wrong token, validate (valid, invalid, secret of the wrong type, unparsable)", times: `${n(counts["CLI"] ?? 0)} runs`, held: "no token or secret in any form" },
        { tried: `snapshots: every test/**/__snapshots__ file and every inline snapshot, for the ${counts["secret values scanned for"] ?? 0} token and secret values the suite uses`, times: `${n(counts["snapshot files"] ?? 0)} snapshot files, ${n(counts["inline snapshots"] ?? 0)} inline snapshots`, held: "none found" },
      ],
    });
  });
});
