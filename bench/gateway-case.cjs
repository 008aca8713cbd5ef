// One synth of a whole gateway, in a process of its own (section 6):
//
//   node bench/gateway-case.cjs lib   <services> <dist> [<spec-out>] [<outdir>] [change]
//   node bench/gateway-case.cjs floor <services> <spec>
//   node bench/gateway-case.cjs per-entity <services> <spec>
//
// `lib` builds, with the library in <dist>, <services> services, two routes each, a key-auth plugin
// on every route and a rate-limiting plugin on every service (200 services: 400 routes and 600
// plugins) with the default sync layout; with <spec-out> it also writes what it synthesized (the
// resources' triggers and provisioners, and the desired set) for the floor; with <outdir> it keeps
// the synthesized app there (and `change` changes the paths of the first route). `floor` builds the
// same resources directly with cdktf's DataResource from that spec, with the same runtime asset and
// a desired set of the same bytes as an asset: what cdktf itself takes for this stack. `per-entity`
// builds one DataResource per entity and plugin, its Kong body as `input` (nested attributes): what
// cdktf takes for the same gateway as a resource per entity, the official provider's design.
// Prints one JSON line: import, construct and synth times (ms) and the peak RSS (MiB).
"use strict";
const { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const [mode, servicesText, source, specOut, keepDir, change] = process.argv.slice(2);
const services = Number(servicesText);

const t0 = performance.now();
const cdktf = require("cdktf");
const t1 = performance.now();
const lib = mode === "lib" ? require(path.join(source, "index.js")) : undefined;
const spec = mode === "lib" ? undefined : JSON.parse(readFileSync(source, "utf8"));
const t2 = performance.now();

const outdir = keepDir || mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-bench-gateway-"));
const app = new cdktf.App({ outdir, skipValidation: true });
const stack = new cdktf.TerraformStack(app, "gateway");
new cdktf.LocalBackend(stack, { path: "terraform.tfstate" });

if (lib) {
  new lib.KongGatewayProvider(stack, "kong", { serverUrl: process.env.BENCH_KONG_URL || "http://127.0.0.1:8001", kongVersion: "3.9", edition: "oss" });
  for (let s = 0; s < services; s++) {
    const service = new lib.Service(stack, `service-${s}`, { name: `service-${s}`, host: `service-${s}.internal`, port: 8080, tags: ["bench"] });
    new lib.PluginRateLimiting(stack, `limits-${s}`, { service, config: { minute: 60, policy: "local" } });
    for (let r = 0; r < 2; r++) {
      const paths = change === "one" && s === 0 && r === 0 ? ["/changed"] : [`/service-${s}/api-${r}`];
      const route = new lib.Route(stack, `route-${s}-${r}`, { service, name: `route-${s}-${r}`, paths, methods: ["GET", "POST"] });
      new lib.PluginKeyAuth(stack, `auth-${s}-${r}`, { route, config: { keyNames: ["apikey"], hideCredentials: true } });
    }
  }
} else if (mode === "per-entity") {
  const desired = JSON.parse(readFileSync(spec.desired, "utf8"));
  for (const entity of [...desired.entities, ...desired.plugins]) {
    new cdktf.DataResource(stack, entity.path.replace(/\//g, "_"), { input: { id: entity.id, ...entity.payload } });
  }
} else {
  const asset = new cdktf.TerraformAsset(stack, "kong-session-runtime", { path: spec.bundle, type: cdktf.AssetType.FILE });
  const desired = new cdktf.TerraformAsset(stack, "kong-sync-desired", { path: spec.desired, type: cdktf.AssetType.FILE });
  const created = new Map();
  for (const r of spec.resources) {
    created.set(
      r.id,
      new cdktf.DataResource(stack, r.id, {
        triggersReplace: r.triggers,
        ...(r.input ? { input: r.input } : {}),
        provisioners: r.provisioners.map((p) => ({
          type: "local-exec",
          command: `node ${asset.path} ${p.action}`,
          environment: { ...p.environment, KONG_CDKTF_SYNC: desired.path },
          ...(p.when ? { when: p.when } : {}),
        })),
        ...(r.dependsOn.length > 0 ? { dependsOn: r.dependsOn.map((id) => created.get(id)) } : {}),
      }),
    );
  }
}
const t3 = performance.now();
app.synth();
const t4 = performance.now();

const result = {
  mode,
  services,
  cdktfImportMs: t1 - t0,
  libImportMs: t2 - t1,
  constructMs: t3 - t2,
  synthMs: t4 - t3,
  totalMs: t4 - t2,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
};

if (specOut) {
  const stackDir = path.join(outdir, "stacks", "gateway");
  const json = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  const resources = Object.entries(json.resource.terraform_data).map(([id, r]) => ({
    id,
    triggers: r.triggers_replace,
    input: r.input,
    provisioners: (r.provisioner ?? []).map((p) => {
      const exec = p["local-exec"];
      return { action: exec.command.split(" ").pop(), environment: exec.environment, ...(exec.when ? { when: exec.when } : {}) };
    }),
    dependsOn: (r.depends_on ?? []).map((ref) => ref.replace(/^terraform_data\./, "")),
  }));
  const syncDir = readdirSync(path.join(stackDir, "assets")).find((name) => name.startsWith("kong-sync-"));
  const desired = path.join(path.dirname(specOut), "desired.json");
  writeFileSync(desired, readFileSync(path.join(stackDir, "assets", syncDir, "desired.json")));
  writeFileSync(specOut, JSON.stringify({ bundle: path.join(source, "kong-session.cjs"), desired, resources }));
}
if (!keepDir) rmSync(outdir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result)}\n`);
