/**
 * `kong-gateway-cdktf validate`: Kong's names or PluginSession props, a whole plugin or its config,
 * from a file or standard input; the same messages as synth.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { expandShorthands } from "../../src/schema/shorthands.js";
import { expectNoSecrets, runCli, SECRET, tempDir } from "./support.js";

/** Runs the CLI in-process with the JSON on standard input. */
async function validate(input: unknown, ...flags: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const text = typeof input === "string" ? input : JSON.stringify(input);
  const code = await main(["validate", ...flags], {}, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: async () => text,
  });
  return { code, stdout, stderr };
}

describe("validate as a child process", () => {
  let work: ReturnType<typeof tempDir>;

  beforeAll(() => {
    work = tempDir("cli-validate");
  });

  afterAll(() => work?.dispose());

  it("accepts a Kong body from a file", async () => {
    const file = path.join(work.dir, "kong.json");
    writeFileSync(file, JSON.stringify({ name: "session", config: { cookie_name: "sid", cookie_same_site: "Lax", secret: SECRET } }));
    const result = await runCli(["validate", file]);
    expect(result.stdout.replace(file, "<file>")).toMatchInlineSnapshot(`
      "ok: <file> is a valid session plugin in Kong's names
      "
    `);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("fails when props from standard input break the rules", async () => {
    const props = { config: { cookieName: "", cookieSameSite: "lax", secret: SECRET, logoutMethods: ["GET", "PUT"] }, routeId: "x" };
    const result = await runCli(["validate"], { stdin: JSON.stringify(props) });
    expect(result.stdout).toMatchInlineSnapshot(`
      "invalid session plugin in PluginSession props (standard input), 4 problems:
        - routeId: unknown field (did you mean route?)
        - config.cookieName (Kong: config.cookie_name): length must be at least 1, got ""
        - config.cookieSameSite (Kong: config.cookie_same_site): expected one of: Strict, Lax, None, Default, got "lax" (did you mean "Lax"?)
        - config.logoutMethods[1] (Kong: config.logout_methods[1]): expected one of: GET, POST, DELETE, got "PUT"
      "
    `);
    expect(result.code).toBe(1);
    expectNoSecrets(result, SECRET);
  });

  it("fails when the file does not exist", async () => {
    const result = await runCli(["validate", "missing.json"], { cwd: work.dir });
    expect(result.stderr).toMatchInlineSnapshot(`
      "error: cannot read missing.json (ENOENT)
      "
    `);
    expect(result.code).toBe(1);
  });
});

describe("validate", () => {
  it("detects Kong's names in a bare config", async () => {
    expect(await validate({ cookie_name: "sid", remember: true })).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "ok: standard input is a valid session plugin config in Kong's names
      ",
      }
    `);
  });

  it("detects props in a bare config", async () => {
    expect(await validate({ cookieName: "sid", rememberCookieName: "r" })).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "ok: standard input is a valid session plugin config in PluginSession props
      ",
      }
    `);
  });

  it("takes a plugin as the Admin API returns it, nulls included", async () => {
    const live = {
      id: "6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c",
      name: "session",
      created_at: 1700000000,
      updated_at: 1700000500,
      instance_name: null,
      route: null,
      service: null,
      consumer: null,
      enabled: true,
      protocols: ["http", "https"],
      tags: null,
      config: { secret: SECRET, cookie_name: "session", cookie_domain: null, request_headers: null, logout_methods: ["POST", "DELETE"] },
    };
    const result = await validate(live);
    expect(result).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "",
        "stdout": "ok: standard input is a valid session plugin in Kong's names
      ",
      }
    `);
    expectNoSecrets(result, SECRET);
  });

  it("fails when Kong's names break the rules, with synth's messages", async () => {
    const result = await validate({ name: "session", workspace: "team payments", config: { cookie_same_site: "lax", idling_timeout: -1, cookie_nmae: "x", secret: 42 } });
    expect(result.stdout).toMatchInlineSnapshot(`
      "invalid session plugin in Kong's names (standard input), 5 problems:
        - config.cookie_same_site: expected one of: Strict, Lax, None, Default, got "lax" (did you mean "Lax"?)
        - config.idling_timeout: expected a finite number that is not negative, got -1
        - config.secret: expected a string, got <redacted>
        - config.cookie_nmae: unknown field (did you mean config.cookie_name?)
        - workspace: the only accepted ascii characters are alphanumerics or ., -, _, and ~, got "team payments"
      "
    `);
    expect(result.code).toBe(1);
  });

  it("fails when a bare config in Kong's names breaks the rules", async () => {
    const result = await validate({ storage: "redis", logout_methods: ["GET", "GET", "PATCH"] });
    expect(result.stdout).toMatchInlineSnapshot(`
      "invalid session plugin config in Kong's names (standard input), 2 problems:
        - logout_methods[2]: expected one of: GET, POST, DELETE, got "PATCH"
        - storage: expected one of: cookie, kong, got "redis"
      "
    `);
    expect(result.code).toBe(1);
  });

  it("fails when a bare config of props breaks the rules", async () => {
    const result = await validate({ cookieSameSite: "Laxx", secret: SECRET, staleTTL: 5 });
    expect(result.stdout).toMatchInlineSnapshot(`
      "invalid session plugin config in PluginSession props (standard input), 2 problems:
        - staleTTL: unknown field (did you mean staleTtl?)
        - cookieSameSite (Kong: cookie_same_site): expected one of: Strict, Lax, None, Default, got "Laxx" (did you mean "Lax"?)
      "
    `);
    expect(result.code).toBe(1);
    expectNoSecrets(result, SECRET);
  });

  it("fails when --names props is forced on Kong's names", async () => {
    const result = await validate({ config: { cookie_name: "sid" } }, "--names", "props");
    expect(result.stdout).toMatchInlineSnapshot(`
      "invalid session plugin in PluginSession props (standard input), 1 problem:
        - config.cookie_name: unknown field (did you mean config.cookieName?)
      "
    `);
    expect(result.code).toBe(1);
  });

  it("fails when the input is not JSON, without quoting it", async () => {
    const result = await validate(`{"config": {"secret": "${SECRET}" "cookie_name": "x"}}`, "-");
    expect(result).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "error: standard input is not valid JSON (line 1, column 68: expected ',' or '}' after property value)
      ",
        "stdout": "",
      }
    `);
    expectNoSecrets(result, SECRET);
  });

  it("fails when the input is not an object", async () => {
    expect(await validate([1, 2])).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "error: standard input must hold a JSON object (a plugin or its config)
      ",
        "stdout": "",
      }
    `);
  });

  it("fails when --names is neither kong nor props", async () => {
    expect(await validate({}, "--names", "snake")).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "error: invalid --names "snake": expected kong or props
      ",
        "stdout": "",
      }
    `);
  });

  it("reads Kong's deprecated config names as Kong does, with a warning each", async () => {
    const result = await validate({
      name: "session",
      config: {
        rolling_timeout: 60,
        cookie_lifetime: 600,
        cookie_idletime: null,
        cookie_renew: 10,
        cookie_discard: 5,
        cookie_samesite: "off",
        cookie_httponly: false,
        cookie_persistent: true,
      },
    });
    expect(result).toMatchInlineSnapshot(`
      {
        "code": 0,
        "stderr": "warning: config.cookie_lifetime is deprecated in Kong (removed in 4.0): Kong reads it as config.rolling_timeout, over the config.rolling_timeout also given; write rolling_timeout instead
      warning: config.cookie_idletime is deprecated in Kong (removed in 4.0): Kong reads it as config.idling_timeout, and null as 0; write idling_timeout: 0 instead
      warning: config.cookie_renew is deprecated in Kong (removed in 4.0): Kong ignores it; leave it out
      warning: config.cookie_discard is deprecated in Kong (removed in 4.0): Kong reads it as config.stale_ttl; write stale_ttl instead
      warning: config.cookie_samesite is deprecated in Kong (removed in 4.0): Kong reads it as config.cookie_same_site, and "off" as "Lax"; write cookie_same_site: "Lax" instead
      warning: config.cookie_httponly is deprecated in Kong (removed in 4.0): Kong reads it as config.cookie_http_only; write cookie_http_only instead
      warning: config.cookie_persistent is deprecated in Kong (removed in 4.0): Kong reads it as config.remember; write remember instead
      ",
        "stdout": "ok: standard input is a valid session plugin in Kong's names
      ",
      }
    `);
  });

  it("fails when a deprecated name holds a value of the wrong type, or one its current field refuses", async () => {
    const result = await validate({ cookie_lifetime: "x", cookie_httponly: 1, cookie_samesite: "lax", cookie_discard: -1 });
    expect(result).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "warning: cookie_lifetime is deprecated in Kong (removed in 4.0): Kong reads it as rolling_timeout; write rolling_timeout instead
      warning: cookie_discard is deprecated in Kong (removed in 4.0): Kong reads it as stale_ttl; write stale_ttl instead
      warning: cookie_samesite is deprecated in Kong (removed in 4.0): Kong reads it as cookie_same_site; write cookie_same_site instead
      warning: cookie_httponly is deprecated in Kong (removed in 4.0): Kong reads it as cookie_http_only; write cookie_http_only instead
      ",
        "stdout": "invalid session plugin config in Kong's names (standard input), 4 problems:
        - cookie_samesite (Kong: cookie_same_site): expected one of: Strict, Lax, None, Default, got "lax" (did you mean "Lax"?)
        - cookie_discard (Kong: stale_ttl): expected a finite number that is not negative, got -1
        - cookie_lifetime: expected a number, got "x"
        - cookie_httponly: expected a boolean, got 1
      ",
      }
    `);
  });

  it("fails when props use Kong's deprecated names, naming the current prop", async () => {
    const result = await validate({ config: { cookieLifetime: 600, cookieRenew: 10, cookiePersistent: true, cookieName: "sid" } });
    expect(result).toMatchInlineSnapshot(`
      {
        "code": 1,
        "stderr": "",
        "stdout": "invalid session plugin in PluginSession props (standard input), 3 problems:
        - config.cookieLifetime: unknown field (did you mean config.rollingTimeout?)
        - config.cookieRenew: unknown field (Kong ignores its deprecated cookie_renew: leave it out)
        - config.cookiePersistent: unknown field (did you mean config.remember?)
      ",
      }
    `);
  });
});

describe("expandShorthands", () => {
  it("translates Kong's deprecated names into the current fields, as Kong does", () => {
    const { config, uses, issues } = expandShorthands(
      { cookie_lifetime: 600, rolling_timeout: 60, cookie_idletime: null, cookie_renew: 10, cookie_samesite: "off", cookie_persistent: false, cookie_name: "sid" },
      ["config"],
    );
    // the deprecated name's value wins over the current field's; cookie_renew goes nowhere
    expect(config).toEqual({ rolling_timeout: 600, idling_timeout: 0, cookie_same_site: "Lax", remember: false, cookie_name: "sid" });
    expect(uses.map((u) => [u.shorthand.alias, u.fieldPath?.join("."), u.replaced, u.overrides])).toEqual([
      ["cookie_lifetime", "config.rolling_timeout", false, true],
      ["cookie_idletime", "config.idling_timeout", true, false],
      ["cookie_renew", undefined, false, false],
      ["cookie_samesite", "config.cookie_same_site", true, false],
      ["cookie_persistent", "config.remember", false, false],
    ]);
    expect(issues).toEqual([]);
  });

  it("fails when a deprecated name has the wrong type, and leaves the current field as it is", () => {
    const { config, issues } = expandShorthands({ cookie_lifetime: "600", rolling_timeout: 60 }, ["config"]);
    expect(config).toEqual({ rolling_timeout: 60 });
    expect(issues).toEqual([
      { code: "invalid_value", kongPath: ["config", "cookie_lifetime"], propPath: "config.cookie_lifetime", value: "600", message: "expected a number" },
    ]);
  });
});
