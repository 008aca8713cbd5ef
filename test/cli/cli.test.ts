/**
 * The tool itself: help, version, unknown commands and flags, and the connection options shared by
 * the commands that talk to Kong (token from the environment only, headers, TLS, debug output).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KongEmulator } from "../../src/testing/index.js";
import { expectNoSecrets, normalize, ROOT, runCli, SECRET, tempDir, TOKEN } from "./support.js";

describe("kong-gateway-cdktf", () => {
  it("prints its help", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatchInlineSnapshot(`
      "usage: kong-gateway-cdktf <command> [options]

      Companion tool of cdktf-kong-gateway, Kong Gateway plugins for CDK for Terraform.

      commands:
        import    print TypeScript that adopts live plugins
        diff      compare a synthesized app with live Kong (drift)
        validate  validate a plugin configuration, or a synthesized app, offline
        emulator  serve an offline Kong Admin API until interrupted
        help CMD  the help of a command (also: kong-gateway-cdktf CMD --help)

      options:
        -h, --help     this help
        -v, --version  the version

      Results go to stdout, progress and errors to stderr. The admin token is read from KONG_ADMIN_TOKEN
      only and never printed, nor is any plugin's secret.
      "
    `);
  });

  it("prints the help of every command", async () => {
    for (const command of ["import", "diff", "validate"]) {
      const help = await runCli([command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: kong-gateway-cdktf ${command} `));
      expect((await runCli(["help", command])).stdout).toBe(help.stdout);
    }
    expect((await runCli(["import", "--help"])).stdout).toMatchInlineSnapshot(`
      "usage: kong-gateway-cdktf import '<import id>' [options]
             kong-gateway-cdktf import --kind KIND '<import id>' [options]
             kong-gateway-cdktf import --all [--workspace W]... [--tag T]... [options]

      Reads live plugins (with --all, and the core entities: services, routes, consumers, credentials,
      upstreams, targets, certificates, SNIs, vaults, keys, …) from the Kong Admin API and prints, on
      stdout, TypeScript that declares them with their id: paste it into a stack to manage them with
      cdktf. Entities come first, parents before children; one that a construct printed after it refers
      to (a route's service, a plugin's route) is held in a const, and a reference to an entity not
      printed stays { id }. Each plugin becomes its typed construct (PluginSession, PluginRateLimiting,
      ...: the official provider's resource name in PascalCase), with camelCase props; a plugin this
      library has no facts of (a custom plugin) becomes a KongPlugin with its config in Kong's names. Only attributes that differ from Kong's defaults (at
      the live Kong's version) are printed; created_at and updated_at never are. The first line lists
      the classes to import.

      Secrets (fields Kong encrypts or takes vault references in) are never printed: a vault reference
      {vault://...} is printed as it is; the session secret, and any field Kong generates, is a comment
      (every apply keeps it); any other secret is read from a sensitive TerraformVariable the code
      declares (set TF_VAR_<name>). Construct ids are the instance name, else
      <plugin name, _ for ->_<first 8 characters of the id> (session_<...> for the session plugin).

      The import id is the one of the official resource (kong-gateway_plugin_<name>), a JSON object:
        '{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "default"}'
      Keys match in any letter case ({"ID": ..., "Workspace": ...}), as the official provider reads them;
      unknown keys are refused. "id" may also be the plugin's instance_name; leave out "workspace" for
      open-source Kong (or for the default workspace of Kong Enterprise).

      With --kind, the import id names one core entity of that kind (the construct's name, Route, or the
      official resource type, kong-gateway_route), printed with its references as { id }. A target's
      import id names its upstream too: '{"id": "<target id>", "upstream_id": "<upstream id>"}'.

      options:
        --kind KIND             one entity of this kind instead of a plugin
        --all                   every plugin and entity (all pages)
        --workspace W           with --all: the workspace to read (repeatable; default: unprefixed paths)
        --tag T                 with --all: only plugins with this tag (repeatable: all of them)
        -h, --help              this help

      connection:
        --server-url URL        the Admin API (default: $KONG_ADMIN_URL, else http://localhost:8001)
        --ca-cert FILE          PEM bundle of the CAs to trust for https
        --client-cert FILE      PEM client certificate (mutual TLS), with --client-key
        --client-key FILE       PEM key of --client-cert
        --insecure-skip-verify  do not verify the server's certificate (prints a warning)
        --header 'Name: value'  extra header on every request (repeatable)
        --timeout MS            timeout of one request in milliseconds (default 10000)

      environment:
        KONG_ADMIN_TOKEN        the admin token, sent as Kong-Admin-Token (never a flag)
        KONG_ADMIN_URL          the Admin API URL when --server-url is not given
        KONG_CDKTF_DEBUG=1      print every request and answer (redacted) on stderr

      exit codes: 0 printed, 1 error (no such plugin or entity, Kong unreachable, bad input)
      "
    `);
    expect((await runCli(["validate", "--help"])).stdout).toMatchInlineSnapshot(`
      "usage: kong-gateway-cdktf validate [FILE | -] [--plugin NAME] [--names kong|props]
                                         [--kong-version V] [--edition E]
             kong-gateway-cdktf validate --out DIR [--stack NAME]... [--kong-version V] [--edition E]

      Validates a plugin configuration (JSON) with the same rules and messages as synth, without Kong.
      Reads FILE, or standard input when FILE is - or missing. Accepted shapes:
        - a Kong body in Kong's names:      {"name": "session", "config": {"cookie_name": "sid"}, ...}
        - just the config in Kong's names:  {"cookie_name": "sid", "cookie_same_site": "Lax"}
        - the construct's props (camelCase): {"config": {"cookieName": "sid"}, "route": {"id": "..."}}
        - just the config as props:         {"cookieName": "sid"}
      The plugin is the body's "name", else --plugin, else session. The naming and the shape are
      detected; --names forces the naming. Every plugin but session is checked by its facts for the Kong
      a stack's provider targets: --kong-version and --edition (default: Kong Enterprise 3.15).
      In Kong's names, Kong's deprecated session config names (cookie_lifetime, cookie_idletime,
      cookie_renew, cookie_discard, cookie_samesite, cookie_httponly, cookie_persistent) are read as Kong
      reads them, with a warning.

      With --out, validates every plugin of a synthesized cdktf app (run cdktf synth first) as the
      apply-time program will, for the Kong version and edition its stack's provider targets (or those
      given: would the app work on that Kong?); values known only at apply are not checked, and a custom
      plugin is Kong's to validate.

      options:
        --plugin NAME           Kong's name of the plugin (rate-limiting, ...) when the input has no "name"
        --names kong|props      Kong's snake_case names, or the camelCase props of the plugin's construct
        --kong-version V        the Kong version to validate for, e.g. 3.9 (as the provider's kongVersion)
        --edition E             oss or enterprise (as the provider's edition; default enterprise)
        --out DIR               the synth output directory to validate (a stack directory too)
        --stack NAME            with --out: only this stack (repeatable; default: every stack)
        -h, --help              this help

      exit codes: 0 valid (one line on stdout), 1 invalid (the problems on stdout) or unreadable input;
      warnings go to stderr
      "
    `);
    expect((await runCli(["diff", "--help"])).stdout).toMatchInlineSnapshot(`
      "usage: kong-gateway-cdktf diff [--out DIR] [--stack NAME]... [--state FILE] [--json] [options]

      Compares the plugins and core entities (services, routes, consumers, credentials, …) of a
      synthesized cdktf app (run cdktf synth first) with the live ones in Kong, field by field, with
      Kong's defaults (at the stack's Kong version and edition) filled in for unset fields:
        + create                     not in Kong
        ~ update                     the code differs from Kong (not applied yet)
        = unchanged                  Kong holds what the code says
        ! missing in Kong            the last apply wrote it, and it was deleted
        ! changed outside Terraform  Kong differs from what the last apply wrote
        - delete                     an entity in Kong with the stack's owner tag that the code no longer
                                     declares: the next apply deletes it (needs the state)
      Changes read live → desired (what applying does). Secrets are compared only when the code sets a
      literal value, and show as (changed); values known only at apply show as (known after apply). A
      custom plugin's config (no facts, so no known defaults) is compared only in the fields the code sets.

      Telling "missing" and "changed outside Terraform" apart from "create" and "update" needs the
      stack's local Terraform state: terraform.tfstate in the stack directory, the local backend's path,
      or --state FILE. Each plugin is read from the server URL its stack was synthesized with.

      options:
        --out DIR               the synth output directory (default: cdktf.out)
        --stack NAME            only this stack (repeatable; default: every stack)
        --state FILE            the Terraform state file of the stack (needs one stack)
        --json                  machine-readable output (format version 1, see the README)
        -h, --help              this help

      connection:
        --server-url URL        the Admin API (default: $KONG_ADMIN_URL, else http://localhost:8001)
        --ca-cert FILE          PEM bundle of the CAs to trust for https
        --client-cert FILE      PEM client certificate (mutual TLS), with --client-key
        --client-key FILE       PEM key of --client-cert
        --insecure-skip-verify  do not verify the server's certificate (prints a warning)
        --header 'Name: value'  extra header on every request (repeatable)
        --timeout MS            timeout of one request in milliseconds (default 10000)

      environment:
        KONG_ADMIN_TOKEN        the admin token, sent as Kong-Admin-Token (never a flag)
        KONG_ADMIN_URL          the Admin API URL when --server-url is not given
        KONG_CDKTF_DEBUG=1      print every request and answer (redacted) on stderr
        (--server-url overrides the server URL of every plugin; KONG_ADMIN_URL only serves plugins whose
        server URL is a reference known only at apply)

      exit codes: 0 nothing differs, 2 something differs, 1 error (as terraform plan -detailed-exitcode)
      "
    `);
  }, 120_000);

  it("prints its version", async () => {
    const version = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect((await runCli(["--version"])).stdout).toBe(`kong-gateway-cdktf ${version}\n`);
  });

  it("fails when no command is given", async () => {
    const result = await runCli([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^usage: kong-gateway-cdktf <command>/);
  });

  it("fails when the command is unknown", async () => {
    const result = await runCli(["improt"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "error: unknown command "improt" (did you mean import?): commands are import, diff, validate, emulator; see kong-gateway-cdktf --help
      "
    `);
  });

  it("fails when a flag is unknown or lacks its value", async () => {
    const lines = [
      (await runCli(["diff", "--jsn"])).stderr,
      (await runCli(["import", "--all", "--timeout"])).stderr,
      (await runCli(["diff", "extra"])).stderr,
      (await runCli(["diff", "--json=yes"])).stderr,
    ];
    expect(lines).toMatchInlineSnapshot(`
      [
        "error: unknown option --jsn for diff (did you mean --json?): see kong-gateway-cdktf diff --help
      ",
        "error: option --timeout needs a value: see kong-gateway-cdktf import --help
      ",
        "error: diff takes no argument (got "extra"): see kong-gateway-cdktf diff --help
      ",
        "error: option --json takes no value: see kong-gateway-cdktf diff --help
      ",
      ]
    `);
  });

  it("fails when the admin token is passed as a header flag", async () => {
    const result = await runCli(["import", "--all", "--header", `Kong-Admin-Token: ${TOKEN}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "error: the admin token is read from KONG_ADMIN_TOKEN only, never from a flag (flags land in shell history)
      "
    `);
    expectNoSecrets(result);
  });

  it("fails when connection flags are malformed", async () => {
    const lines = [
      (await runCli(["import", "--all", "--timeout", "soon"])).stderr,
      (await runCli(["import", "--all", "--header", "no colon"])).stderr,
      (await runCli(["import", "--all", "--client-cert", "cert.pem"])).stderr,
      (await runCli(["import", "--all", "--ca-cert", "missing-ca.pem"])).stderr,
      (await runCli(["import", "--all", "--server-url", "ftp://kong"])).stderr,
    ];
    expect(lines).toMatchInlineSnapshot(`
      [
        "error: invalid --timeout "soon": expected a positive number of milliseconds
      ",
        "error: invalid --header "no colon": expected 'Name: value'
      ",
        "error: --client-cert and --client-key go together: give both, or neither
      ",
        "error: cannot read the --ca-cert file missing-ca.pem (ENOENT)
      ",
        "error KONG_INVALID_REQUEST: invalid server URL "ftp://kong": expected http(s)://host[:port]
      ",
      ]
    `);
  });
});

describe("connection options", () => {
  let kong: KongEmulator;
  let id: string;

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "community", adminToken: TOKEN });
    id = kong.seedPlugin({ name: "session", config: { secret: SECRET, cookie_name: "sid" } }).id;
  });

  afterAll(async () => {
    await kong?.stop();
  });

  it("sends the token from KONG_ADMIN_TOKEN and the --header flags", async () => {
    kong.clearRequests();
    const result = await runCli(["import", JSON.stringify({ id }), "--server-url", kong.url, "--header", "X-Team: payments", "--timeout", "5000"], {
      env: { KONG_ADMIN_TOKEN: TOKEN },
    });
    expect(result.code).toBe(0);
    const [request] = kong.requests;
    expect(request!.headers["x-team"]).toBe("payments");
    expect(request!.headers["kong-admin-token"]).toBe("[redacted]");
  });

  it("never prints the token or the secret, debug output included", async () => {
    const result = await runCli(["import", JSON.stringify({ id }), "--server-url", kong.url], {
      env: { KONG_ADMIN_TOKEN: TOKEN, KONG_CDKTF_DEBUG: "1" },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("debug: GET");
    expect(result.stderr).toContain('"secret":"<redacted>"');
    expectNoSecrets(result, SECRET);
  });
});

const openssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!openssl)("https", () => {
  let kong: KongEmulator;
  let work: ReturnType<typeof tempDir>;
  let id: string;

  beforeAll(async () => {
    work = tempDir("cli-tls");
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        .concat(["-keyout", path.join(work.dir, "key.pem"), "-out", path.join(work.dir, "cert.pem")]),
      { stdio: "ignore" },
    );
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=cli-client"]
        .concat(["-keyout", path.join(work.dir, "client-key.pem"), "-out", path.join(work.dir, "client-cert.pem")]),
      { stdio: "ignore" },
    );
    kong = await KongEmulator.start({
      edition: "community",
      tls: { key: readFileSync(path.join(work.dir, "key.pem")), cert: readFileSync(path.join(work.dir, "cert.pem")) },
    });
    id = kong.seedPlugin({ name: "session" }).id;
  });

  afterAll(async () => {
    await kong?.stop();
    work?.dispose();
  });

  it("trusts the CA of --ca-cert", async () => {
    const result = await runCli(["import", JSON.stringify({ id }), "--server-url", kong.url, "--ca-cert", path.join(work.dir, "cert.pem")]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("fails when the certificate is not trusted", async () => {
    const result = await runCli(["import", JSON.stringify({ id }), "--server-url", kong.url]);
    expect(result.code).toBe(1);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "error KONG_TLS_ERROR: the TLS connection to https://<kong> failed for GET /plugins/<uuid> (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate): pass --ca-cert with the PEM file of the CA that signed Kong's certificate
      "
    `);
  });

  it("presents the client certificate of --client-cert and --client-key (mutual TLS)", async () => {
    const cert = (name: string) => path.join(work.dir, name);
    const mutual = await KongEmulator.start({
      edition: "community",
      tls: { key: readFileSync(cert("key.pem")), cert: readFileSync(cert("cert.pem")), ca: readFileSync(cert("client-cert.pem")), requestCert: true },
    });
    try {
      const { id: mutualId } = mutual.seedPlugin({ name: "session" });
      const args = ["import", JSON.stringify({ id: mutualId }), "--server-url", mutual.url, "--ca-cert", cert("cert.pem")];
      const withCert = await runCli([...args, "--client-cert", cert("client-cert.pem"), "--client-key", cert("client-key.pem")]);
      expect(withCert.stderr).toBe("");
      expect(withCert.code).toBe(0);
      const without = await runCli(args);
      expect(without.code).toBe(1);
      expect(without.stderr).toMatch(/^error KONG_(TLS_ERROR|CONNECTION_FAILED): /m);
    } finally {
      await mutual.stop();
    }
  });

  it("skips verification with --insecure-skip-verify, and warns", async () => {
    const result = await runCli(["import", JSON.stringify({ id }), "--server-url", kong.url, "--insecure-skip-verify"]);
    expect(result.code).toBe(0);
    expect(normalize(result.stderr)).toMatchInlineSnapshot(`
      "warning: certificate verification is off for https://<kong> (--insecure-skip-verify): use it only for tests
      "
    `);
  });
});
