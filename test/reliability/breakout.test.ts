/**
 * Hostile input through a real `terraform apply`: strings that try to break out of the shell, of
 * Terraform's templates, of JSON or of the terminal, very long and non-ASCII ones, in every string
 * field Kong accepts them in. Nothing executes (canary files), Terraform interpolates nothing, and
 * each value reaches Kong byte for byte.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, TerraformStack } from "cdktf";
import { KongGatewayProvider, PluginSession, PluginSessionValidationError, type PluginSessionProps } from "../../src/index.js";
import { KongEmulator, type KongPluginEntity } from "../../src/testing/index.js";
import { E2eStack, expectExit } from "../support/e2e.js";
import { TERRAFORM_VERSION } from "./support/mode.js";
import { n, record, seconds } from "./support/results.js";

const TOKEN = "kpat_breakout_Z8xC3vB6nM1qW5eR9tY2";
const canary = mkdtempSync(path.join(tmpdir(), "kong-cdktf-canary-"));
const touch = (name: string) => `touch ${canary}/${name}`;

/** Each tries another way out; `touch` would leave a file in the canary directory. */
const HOSTILE: Array<[string, string]> = [
  ["command substitution", `$(${touch("dollar-paren")})`],
  ["backticks", `\`${touch("backtick")}\``],
  ["semicolon", `x; ${touch("semicolon")}; echo`],
  ["single quotes", `' ; ${touch("single-quote")} ; '`],
  ["double quotes", `" && ${touch("double-quote")} && "`],
  ["pipe and redirect", `| ${touch("pipe")} > ${canary}/redirect`],
  ["newlines", `a\n${touch("newline")}\r\nb`],
  ["Terraform interpolation", "${var.x}"],
  ["escaped interpolation", "$${var.x} and %%{ if }"],
  ["Terraform directive", "%{ if true }yes%{ else }no%{ endif }"],
  ["Terraform function call", "${file(\"/etc/passwd\")}"],
  ["NUL byte", "before\u0000after"],
  ["control and escape characters", "\u001b[31mred\u001b[0m\u0007\b\t\f\v"],
  ["JSON breakers", '"}],"name":"cors","x":[{"'],
  ["backslashes", "C:\\temp\\n\\u0000\\\\"],
  ["non-ASCII", "ünïcødé 日本語 עברית 🍪👩‍💻 \u200b\u2028\u2029"],
  ["emoji only", "🍪🍪🍪"],
];

/**
 * Long values: every string field of one plugin holds one, about 100 KiB of request in all, close to
 * the 128 KiB a Linux environment variable can hold (the request travels in one).
 */
const LONG: Array<[string, string]> = [
  ["8,000 characters of ASCII", "x$(y)`z`;".repeat(889).slice(0, 8000)],
  ["2,400 characters of non-ASCII (7 KiB of UTF-8)", "日本語é🍪".repeat(400)],
];

const CASES = [...HOSTILE, ...LONG];
const CONFIG_STRINGS = ["secret", "audience", "cookieName", "cookiePath", "cookieDomain", "rememberCookieName", "logoutQueryArg", "logoutPostArg"] as const;
const KONG_NAMES: Record<(typeof CONFIG_STRINGS)[number], string> = {
  secret: "secret",
  audience: "audience",
  cookieName: "cookie_name",
  cookiePath: "cookie_path",
  cookieDomain: "cookie_domain",
  rememberCookieName: "remember_cookie_name",
  logoutQueryArg: "logout_query_arg",
  logoutPostArg: "logout_post_arg",
};
/** Kong's tag rule: printable ASCII except `,` and `/`, or non-ASCII. */
const isTag = (value: string) => [...value].every((ch) => ch.charCodeAt(0) >= 0x80 || (ch >= " " && ch <= "~" && ch !== "," && ch !== "/"));

function propsFor(value: string, i: number, route: string): PluginSessionProps {
  const config = Object.fromEntries(CONFIG_STRINGS.map((prop) => [prop, value]));
  return {
    route: { id: route },
    instanceName: `hostile-${i}-日本`,
    config,
    ordering: { before: { access: [value] }, after: { access: [value] } },
    partials: [{ id: "5f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190", path: value }],
    ...(Buffer.byteLength(value) <= 1024 ? { condition: value } : {}),
    ...(isTag(value) ? { tags: [value] } : {}),
  };
}

/** Every string the plugin should hold, with where it is. */
function expectedStrings(value: string): Array<[string, (p: KongPluginEntity) => unknown]> {
  return [
    ...CONFIG_STRINGS.map((prop): [string, (p: KongPluginEntity) => unknown] => [`config.${KONG_NAMES[prop]}`, (p) => p.config[KONG_NAMES[prop]]]),
    ["ordering.before.access[0]", (p) => (p.ordering as any)?.before?.access?.[0]],
    ["ordering.after.access[0]", (p) => (p.ordering as any)?.after?.access?.[0]],
    ["partials[0].path", (p) => p.partials?.[0]?.path],
    ...(Buffer.byteLength(value) <= 1024 ? [["condition", (p: KongPluginEntity) => p.condition] as [string, (p: KongPluginEntity) => unknown]] : []),
    ...(isTag(value) ? [["tags[0]", (p: KongPluginEntity) => p.tags?.[0]] as [string, (p: KongPluginEntity) => unknown]] : []),
  ];
}

if (!TERRAFORM_VERSION) process.stderr.write("\n*** SKIPPED: reliability break-out run needs the terraform binary ***\n\n");

describe.skipIf(!TERRAFORM_VERSION)("hostile strings through terraform apply", () => {
  let kong: KongEmulator;
  let stack: E2eStack;
  let routes: string[];

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", version: "3.15.0", adminToken: TOKEN });
    routes = CASES.map(() => kong.addRoute().id);
    stack = new E2eStack({ backend: "terraform_data", serverUrl: kong.url }, { KONG_ADMIN_TOKEN: TOKEN, TF_VAR_x: "INTERPOLATED" });
  });
  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
    rmSync(canary, { recursive: true, force: true });
  });

  /** Files anywhere under a directory whose name says a payload ran. */
  function pwnedFiles(dir: string): string[] {
    const found: string[] = [];
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/pwned|dollar-paren|backtick|semicolon|single-quote|double-quote|pipe|redirect|newline/.test(entry.name)) found.push(full);
      }
    };
    walk(dir);
    return found;
  }

  it(`${CASES.length} plugins, every string field hostile: nothing runs, nothing is interpolated, Kong stores each value byte for byte`, async () => {
    stack.load((s) => CASES.forEach(([, value], i) => new PluginSession(s, `hostile${i}`, propsFor(value, i, routes[i]!))));
    const applied = expectExit(await stack.apply(), 0, "apply of hostile strings");
    expectExit(await stack.plan(), 0, "plan after the apply of hostile strings");

    expect(readdirSync(canary)).toEqual([]);
    expect(pwnedFiles(path.dirname(stack.workdir.dir))).toEqual([]);
    expect(existsSync(path.join(process.cwd(), "pwned"))).toBe(false);

    const plugins = kong.plugins();
    expect(plugins).toHaveLength(CASES.length);
    let compared = 0;
    CASES.forEach(([what, value], i) => {
      const plugin = plugins.find((p) => p.instance_name === `hostile-${i}-日本`);
      expect(plugin, what).toBeDefined();
      for (const [where, read] of expectedStrings(value)) {
        const stored = read(plugin!);
        // byte for byte: same UTF-8 bytes, not just equal after some normalization
        expect(typeof stored, `${what} at ${where}`).toBe("string");
        expect(Buffer.from(stored as string, "utf8").equals(Buffer.from(value, "utf8")), `${what} at ${where}`).toBe(true);
        expect(String(stored)).not.toContain("INTERPOLATED");
        compared++;
      }
    });
    // the literal secret was written; it is never printed
    expect(applied.stdout + applied.stderr).not.toContain(TOKEN);

    expectExit(await stack.destroy(), 0, "destroy");
    expect(kong.plugins()).toEqual([]);
    expect(readdirSync(canary)).toEqual([]);

    // beyond one environment variable: a clear error at synth, not "argument list too long" at apply
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "kong-cdktf-synth-")) });
    const big = new TerraformStack(app, "big");
    new KongGatewayProvider(big, "kong", { backend: "terraform_data", layout: "per-resource", serverUrl: kong.url });
    let tooLong: unknown;
    try {
      new PluginSession(big, "huge", { config: { cookieName: "x".repeat(70_000), audience: "y".repeat(70_000) } });
    } catch (error) {
      tooLong = error;
    } finally {
      rmSync(app.outdir, { recursive: true, force: true });
    }
    expect(tooLong).toBeInstanceOf(PluginSessionValidationError);
    expect((tooLong as Error).message).toMatch(
      /^invalid session plugin at "big\/huge", 1 problem:\n {2}- \(plugin\): the configuration as JSON must fit in one environment variable of the apply-time program, at most 131052 bytes \(Linux's limit of 128 KiB per variable\): shorten the longest values, got "13\d\.\d KiB"$/,
    );

    record({
      id: "hostile-breakout",
      rows: [
        {
          tried: `terraform apply of ${CASES.length} PluginSessions whose every string field (8 config strings, ordering, partials path, condition, tags where Kong allows them) holds one of: ${CASES.map(([w]) => w).join(", ")}`,
          times: `${n(compared)} values compared, apply + plan + destroy`,
          held: `exit 0 (apply ${seconds(applied.durationMs)}); no canary file created (canary dir, terraform dir); no value interpolated (TF_VAR_x set, never substituted); every value stored by Kong byte for byte; next plan empty`,
        },
        {
          tried: "a configuration larger than one environment variable can carry (140 KB of JSON)",
          times: "1 synth",
          held: "PluginSessionValidationError at synth naming the 128 KiB limit (before the fix: `fork/exec /bin/sh: argument list too long` at apply)",
        },
      ],
    });
  });
});
