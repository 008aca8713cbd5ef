/**
 * The session secret through the real terraform binary with `TF_LOG=trace`: one plugin whose
 * `config.secret` is a literal, one whose secret is a sensitive `TerraformVariable`. Neither secret
 * may appear, in any form, in what terraform prints (stdout, stderr) or writes to its trace log, for
 * plan, apply, a no-op plan, show, a config change, a failing apply and destroy; Kong must still
 * get both secrets, and keep them across a config change.
 *
 * What the state holds (checked by the last test, measured with Terraform 1.11.4): neither secret in
 * any form. The secret reaches the program only through the apply provisioner's environment, which
 * Terraform does not store; the triggers hold `secret_sha256` = sha256("<plugin id>:<secret>") in hex,
 * marked sensitive for both (`sensitive_attributes` names `triggers_replace.secret_sha256`), so plans
 * and `show` print `(sensitive value)` and not even the digest of a weak literal is shown. The literal's base64 is in the synthesized cdk.tf.json, by design
 * (`sensitive("…")` in that provisioner's environment), and so in any saved plan file, which carries
 * the configuration. With the sync layout (the same tests, run again): the literal is in the desired set
 * among the assets instead, in no form in cdk.tf.json; each plugin's key of the sync resource's
 * triggers ends with the same salted digest, both keys marked sensitive.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { TerraformVariable } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginSession } from "../../src/index.js";
import { KongEmulator } from "../../src/testing/index.js";
import type { TerraformResult } from "../../src/testing/index.js";
import { E2eStack, expectExit, secretForms, terraform } from "../support/e2e.js";

const TOKEN = "e2e-secrets-output-token-5d9e2b";
/** 40 characters each; quotes, a backslash, non-ASCII and template starts make every escaped form differ */
const LITERAL = 'L1t"Secret\\ä0f3b-9c2e+7a1d/5e8b%c4f6${x}';
const VARIABLE = 'V4r"Secret\\ö9e2a-8b1d+6c0e/4d7a%b3e5%{y}';
const NODE_SECRET = "N0deSecretOfTheEmulatedKongNode0123456789ab";
const SECRETS = { literal: LITERAL, variable: VARIABLE };


/** The logical id of the sync resource in a synthesized configuration. */
const syncId = (configuration: string) => Object.keys(JSON.parse(configuration).resource.terraform_data).find((id) => id.startsWith("kong_sync_"))!;

function expectNoSecret(where: string, text: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    for (const form of secretForms(secret)) expect(text.includes(form), `${where} contains the ${name} secret as ${JSON.stringify(form)}`).toBe(false);
  }
}

if (!terraform) process.stderr.write("\n*** SKIPPED: end-to-end secrets in terraform's output: terraform is not installed ***\n\n");

for (const layout of ["per-resource", "sync"] as const) describe.skipIf(!terraform)(`terraform ${terraform?.version ?? "(missing)"} with TF_LOG=trace: session secrets never printed, ${layout} layout`, () => {
  let kong: KongEmulator;
  let stack: E2eStack;
  let route: string;
  const ids = { literal: "", variable: "" };
  let traces = 0;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", adminToken: TOKEN, nodeSecret: NODE_SECRET });
    route = kong.addRoute({}).id;
    stack = new E2eStack({ backend: "terraform_data", layout, serverUrl: kong.url }, { KONG_ADMIN_TOKEN: TOKEN, TF_VAR_session_secret: VARIABLE });
  });

  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
  });

  function load(cookieSuffix: string, literalRoute?: string): void {
    stack.load((s) => {
      const secret = new TerraformVariable(s, "session_secret", { type: "string", sensitive: true });
      ids.literal = new PluginSession(s, "literal", {
        ...(literalRoute ? { route: { id: literalRoute } } : {}),
        config: { cookieName: `lit${cookieSuffix}`, secret: LITERAL },
      }).pluginId;
      ids.variable = new PluginSession(s, "variable", { route: { id: route }, config: { cookieName: `var${cookieSuffix}`, secret: secret.stringValue } }).pluginId;
    });
  }

  /**
   * Runs one terraform command with `TF_LOG=trace` and checks its output and the log: a log file of
   * its own (TF_LOG_PATH), or with `toStderr` the log on stderr, where terraform writes it by default.
   */
  async function traced(
    what: string,
    command: (env: Record<string, string>) => Promise<TerraformResult>,
    { toStderr = false } = {},
  ): Promise<TerraformResult> {
    const log = path.join(stack.workdir.dir, "..", `trace-${++traces}.log`);
    const result = await command(toStderr ? { TF_LOG: "trace" } : { TF_LOG: "trace", TF_LOG_PATH: log });
    const trace = toStderr ? result.stderr : readFileSync(log, "utf8");
    // the log is really terraform's trace, with the provisioners' runs in it
    expect(trace, `trace log of ${what}`).toContain("[TRACE]");
    expectNoSecret(`stdout of ${what}`, result.stdout);
    expectNoSecret(`stderr of ${what}`, result.stderr);
    expectNoSecret(`trace log of ${what}`, trace);
    return result;
  }

  const secretsInKong = () => ({ literal: kong.plugin(ids.literal)?.config.secret, variable: kong.plugin(ids.variable)?.config.secret });

  it("plan, apply, a no-op plan and show print neither secret, and Kong gets both", async () => {
    load("1");
    // the check finds a secret where one is: the literal's base64 is in the configuration, by design
    const configuration = readFileSync(path.join(stack.workdir.dir, "cdk.tf.json"), "utf8");
    if (layout === "sync") {
      // with the sync layout, in the desired set among the assets, and not in cdk.tf.json at all
      expect(secretForms(LITERAL).filter((form) => configuration.includes(form))).toEqual([]);
      const desired = readFileSync(path.join(stack.workdir.dir, JSON.parse(configuration).resource.terraform_data[syncId(configuration)].provisioner[0]["local-exec"].environment.KONG_CDKTF_SYNC), "utf8");
      expect(desired).toContain(JSON.stringify(LITERAL).slice(1, -1));
      expect(secretForms(VARIABLE).filter((form) => desired.includes(form))).toEqual([]);
    } else {
      expect(configuration).toContain(`\${sensitive(\\"${Buffer.from(LITERAL, "utf8").toString("base64")}\\")}`);
      expect(secretForms(LITERAL).filter((form) => configuration.includes(form)).length).toBeGreaterThan(0);
    }
    expect(secretForms(VARIABLE).filter((form) => configuration.includes(form))).toEqual([]);
    await stack.init();
    expectExit(await traced("plan", (env) => stack.plan(env)), 2, "first plan");
    const applied = expectExit(await traced("apply", (env) => stack.apply(env)), 0, "apply");
    // Terraform hides the program's lines of a provisioner whose environment holds a sensitive value
    // (with the sync layout one provisioner for both plugins, whose environment holds the variable's secret)
    expect(applied.stdout.match(/\(local-exec\): \(output suppressed due to sensitive value in config\)/g)?.length).toBeGreaterThanOrEqual(layout === "sync" ? 1 : 2);
    expect(secretsInKong()).toEqual(SECRETS);
    expectExit(await traced("no-op plan", (env) => stack.plan(env)), 0, "plan after apply");
    const shown = expectExit(await traced("show", (env) => stack.run(["show", "-no-color"], env)), 0, "show");
    // the digest in the triggers: in clear for the literal, hidden for the sensitive variable
    expect(shown.stdout).not.toContain(digest(ids.literal, LITERAL));
    if (layout === "sync") {
      expect(shown.stdout).toMatch(/"e2e\/literal" += \(sensitive value\)/);
      expect(shown.stdout).toMatch(/"e2e\/variable" += \(sensitive value\)/);
    } else {
      expect(shown.stdout.match(/secret_sha256 = \(sensitive value\)/g)).toHaveLength(2);
    }
    expect(shown.stdout).not.toContain(digest(ids.variable, VARIABLE));
  });

  it("a config change prints neither secret, and both secrets survive it", async () => {
    load("2");
    kong.clearRequests();
    expectExit(await traced("config change", (env) => stack.apply(env), { toStderr: true }), 0, "config change");
    expect(kong.requests.filter((r) => r.method === "DELETE")).toEqual([]);
    expect(kong.plugin(ids.literal)?.config.cookie_name).toBe("lit2");
    expect(kong.plugin(ids.variable)?.config.cookie_name).toBe("var2");
    expect(secretsInKong()).toEqual(SECRETS);
    expectExit(await traced("plan after the change", (env) => stack.plan(env)), 0, "plan after the config change");
  });

  it("fails when Kong rejects the plugin with the literal secret, printing the error and neither secret", async () => {
    const missing = "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
    load("3", missing);
    const failed = await traced("failing apply", (env) => stack.apply(env));
    expect(failed.exitCode).toBe(1);
    // the program's error line reaches the user even though Terraform suppresses the progress lines
    expect(failed.stderr).toContain("Output: kong: error KONG_FOREIGN_KEY_VIOLATION:");
    expect(failed.stderr).toContain(missing);
    expect(secretsInKong()).toEqual(SECRETS);
    load("3");
    expectExit(await traced("corrected apply", (env) => stack.apply(env)), 0, "corrected apply");
    expect(secretsInKong()).toEqual(SECRETS);
  });

  it("the state holds neither secret: only their salted digests, the variable's marked sensitive", async () => {
    const pulled = await stack.statePull();
    expectNoSecret("terraform state pull", pulled);
    const state = JSON.parse(pulled) as StateFile;
    if (layout === "sync") {
      // the sync resource's trigger of each plugin ends with the salted digest, and both are marked sensitive
      const sync = state.resources.find((r) => r.name.startsWith("kong_sync_"))!.instances[0]! as unknown as { attributes: { triggers_replace: { value: Record<string, string> } }; sensitive_attributes: unknown[] };
      expect(sync.attributes.triggers_replace.value["e2e/literal"]).toMatch(new RegExp(`^[0-9a-f]{16} ${digest(ids.literal, LITERAL)}$`));
      expect(sync.attributes.triggers_replace.value["e2e/variable"]).toMatch(new RegExp(`^[0-9a-f]{16} ${digest(ids.variable, VARIABLE)}$`));
      // exactly these two paths, in whichever order Terraform writes them
      expect([...sync.sensitive_attributes].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))).toEqual([
        [
          { type: "get_attr", value: "triggers_replace" },
          { type: "get_attr", value: "e2e/literal" },
        ],
        [
          { type: "get_attr", value: "triggers_replace" },
          { type: "get_attr", value: "e2e/variable" },
        ],
      ]);
      return;
    }
    const config = (name: string) => state.resources.find((r) => r.name.startsWith(`${name}_config_`))!.instances[0]!;
    expect(config("literal").attributes.triggers_replace.value.secret_sha256).toBe(digest(ids.literal, LITERAL));
    expect(config("literal").sensitive_attributes).toEqual(config("variable").sensitive_attributes);
    expect(config("variable").attributes.triggers_replace.value.secret_sha256).toBe(digest(ids.variable, VARIABLE));
    expect(config("variable").sensitive_attributes).toEqual([
      [
        { type: "get_attr", value: "triggers_replace" },
        { type: "get_attr", value: "secret_sha256" },
      ],
    ]);
  });

  it("destroy prints neither secret and deletes both plugins", async () => {
    expectExit(await traced("destroy", (env) => stack.destroy(env)), 0, "destroy");
    expect(kong.plugins()).toEqual([]);
  });
});

/** What the program's construct puts in the triggers: sha256 of "<plugin id>:<secret>", hex. */
function digest(pluginId: string, secret: string): string {
  return createHash("sha256").update(`${pluginId}:${secret}`, "utf8").digest("hex");
}

interface StateFile {
  resources: Array<{
    name: string;
    instances: Array<{ sensitive_attributes: unknown; attributes: { triggers_replace: { value: Record<string, string> } } }>;
  }>;
}
