/**
 * Faults: Kong rejects one plugin of many. Terraform applies every other one, reports the one
 * failure with its mapped message, and a corrected re-apply converges.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginSession } from "../../src/index.js";
import { KongEmulator } from "../../src/testing/index.js";
import { E2eStack, expectExit } from "../support/e2e.js";
import { size, TERRAFORM_VERSION } from "./support/mode.js";
import { record, seconds } from "./support/results.js";

const PLUGINS = size(50, 50);
const REJECTED = 17;
const MISSING_ROUTE = "0b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c";
const TOKEN = "kpat_reject_H7gT2kP9sW4eR1yU6iO3";

if (!TERRAFORM_VERSION) process.stderr.write("\n*** SKIPPED: reliability rejection run needs the terraform binary ***\n\n");

describe.skipIf(!TERRAFORM_VERSION)(`Kong rejects one of ${PLUGINS} plugins`, () => {
  let kong: KongEmulator;
  let stack: E2eStack;
  let routes: string[];

  beforeAll(async () => {
    kong = await KongEmulator.start({ edition: "enterprise", adminToken: TOKEN });
    routes = Array.from({ length: PLUGINS }, () => kong.addRoute().id);
    stack = new E2eStack({ backend: "terraform_data", layout: "per-resource", serverUrl: kong.url }, { KONG_ADMIN_TOKEN: TOKEN });
  });
  afterAll(async () => {
    stack?.dispose();
    await kong?.stop();
  });

  const load = (routeOf: (i: number) => string) =>
    stack.load((s) => {
      for (let i = 0; i < PLUGINS; i++) new PluginSession(s, `session${i}`, { route: { id: routeOf(i) }, config: { cookieName: `sid-${i}` } });
    });

  it("applies the others, reports the one failure with its mapped message, and converges once corrected", async () => {
    // a route id that is well-formed (synth accepts it) but does not exist in Kong
    load((i) => (i === REJECTED ? MISSING_ROUTE : routes[i]!));
    const failed = await stack.apply();
    const output = failed.stdout + failed.stderr;
    expect(failed.exitCode).toBe(1);

    const plugins = kong.plugins();
    expect(plugins).toHaveLength(PLUGINS - 1);
    const names = new Set(plugins.map((p) => p.config.cookie_name));
    for (let i = 0; i < PLUGINS; i++) expect(names.has(`sid-${i}`), `plugin ${i}`).toBe(i !== REJECTED);
    expect(output.match(/kong: created session plugin/g)).toHaveLength(PLUGINS - 1);

    // the program's line as Terraform shows local-exec output (its Error block quotes it again, wrapped)
    const errors = (output.match(/\(local-exec\): kong: error KONG_[A-Z_]+: .*/g) ?? []).map((line) => line.replace(/^\(local-exec\): /, ""));
    expect(errors).toHaveLength(1);
    const message = errors[0]!;
    expect(message).toMatch(
      new RegExp(
        `^kong: error KONG_FOREIGN_KEY_VIOLATION: route ${MISSING_ROUTE} does not exist in the default workspace \\(PUT /plugins/[0-9a-f-]{36}\\): create the route first, or fix the route id of the plugin$`,
      ),
    );
    expect(output.match(/Error: local-exec provisioner error/g)).toHaveLength(1);
    expect(failed.stderr.match(/KONG_[A-Z_]+/g)).toEqual(["KONG_FOREIGN_KEY_VIOLATION"]);
    expect(output).toMatch(new RegExp(`with terraform_data\\.session${REJECTED}_config_`));

    // corrected: the plugin points at an existing route
    const corrected = routes[REJECTED]!;
    load((i) => routes[i]!);
    const fixed = expectExit(await stack.apply(), 0, "corrected apply");
    expectExit(await stack.plan(), 0, "plan after the corrected apply");
    expect(kong.plugins()).toHaveLength(PLUGINS);
    expect(kong.plugins().find((p) => p.config.cookie_name === `sid-${REJECTED}`)).toMatchObject({ route: { id: corrected } });
    // only the rejected plugin was written again
    expect(fixed.stdout.match(/kong: created session plugin/g)).toHaveLength(1);
    expect(output + fixed.stdout + fixed.stderr).not.toContain(TOKEN);

    expectExit(await stack.destroy(), 0, "destroy");
    expect(kong.plugins()).toEqual([]);

    record({
      id: "faults-one-rejected",
      rows: [
        {
          tried: `terraform apply of ${PLUGINS} PluginSessions, one on a route that does not exist in Kong (valid at synth, 400 foreign key violation at apply)`,
          times: "1 apply",
          held: `exit 1 after ${seconds(failed.durationMs)}; ${PLUGINS - 1} plugins created; exactly one error: \`${message.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<uuid>")}\``,
        },
        {
          tried: "re-apply with the route corrected",
          times: "1 apply + 1 plan",
          held: `exit 0 after ${seconds(fixed.durationMs)}; only the corrected plugin written; ${PLUGINS} plugins in Kong; next plan empty`,
        },
      ],
    });
  });
});
