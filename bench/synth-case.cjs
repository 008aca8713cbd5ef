// One synth measurement, in a process of its own (so its peak memory is its own):
//
//   node bench/synth-case.cjs lib   <N> <dist> <validate 0|1> [<spec-out>]
//   node bench/synth-case.cjs mixed <N> <dist> <validate 0|1> [<spec-out>]
//   node bench/synth-case.cjs floor <N> <spec> <validate 0|1>
//
// `lib` builds a stack of N PluginSessions with the library in <dist>, `mixed` one of N typed
// plugins of 20 kinds (bench/kinds.cjs); with <spec-out> either also writes what it synthesized
// (every resource's triggers, provisioners and dependencies) for the floor. `floor` builds the same
// resources directly with cdktf's DataResource from that spec: same triggers strings, same
// provisioners, same dependencies, same runtime asset, same tables of facts copied as assets.
// Prints one JSON line: import, construct and synth times (ms) and the peak RSS (MiB).
"use strict";
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const [mode, nText, source, validateText, specOut] = process.argv.slice(2);
const n = Number(nText);
const validate = validateText === "1";

/** The props of the i-th plugin: a route of its own (Kong allows one session plugin per route). */
function props(i) {
  const hex = (i + 1).toString(16).padStart(12, "0");
  return {
    route: { id: `3473c251-5b6c-4f45-b1ff-${hex}` },
    instanceName: `session-${i}`,
    tags: ["bench", "team-payments"],
    config: { cookieName: "sid", cookieSameSite: "Lax", logoutMethods: ["POST"], rollingTimeout: 3600, storage: "cookie" },
  };
}

const t0 = performance.now();
const cdktf = require("cdktf");
const t1 = performance.now();
const lib = mode === "floor" ? undefined : require(path.join(source, "index.js"));
const spec = mode === "floor" ? JSON.parse(readFileSync(source, "utf8")) : undefined;
const t2 = performance.now();

const outdir = mkdtempSync(path.join(os.tmpdir(), "kong-cdktf-bench-synth-"));
const app = new cdktf.App({ outdir, skipValidation: !validate });
const stack = new cdktf.TerraformStack(app, "bench");
new cdktf.LocalBackend(stack, { path: "terraform.tfstate" });

if (mode === "mixed") {
  const { mixedStack, perResourceLayout } = require("./kinds.cjs");
  mixedStack(lib, stack, n, perResourceLayout(source));
} else if (lib) {
  const provider = new lib.KongGatewayProvider(stack, "kong", { serverUrl: "http://127.0.0.1:8001", backend: "terraform_data", ...require("./kinds.cjs").perResourceLayout(source) });
  for (let i = 0; i < n; i++) new lib.PluginSession(stack, `session-${i}`, { ...props(i), provider });
} else {
  const asset = new cdktf.TerraformAsset(stack, "kong-session-runtime", { path: spec.bundle, type: cdktf.AssetType.FILE });
  // one asset per table of facts, as the library copies them: only those the stack uses
  const facts = new Map();
  const factsAsset = (file) => {
    const name = path.basename(file, ".json");
    if (!facts.has(name)) {
      facts.set(name, new cdktf.TerraformAsset(stack, `kong-plugin-facts-${name}`, { path: path.join(spec.factsDir, `${name}.json`), type: cdktf.AssetType.FILE }));
    }
    return facts.get(name).path;
  };
  const created = new Map();
  // dependencies first: the reaper, then each identity, then each config resource
  const pending = [...spec.resources];
  while (pending.length > 0) {
    const index = pending.findIndex((r) => r.dependsOn.every((id) => created.has(id)));
    const r = pending.splice(index, 1)[0];
    const resource = new cdktf.DataResource(stack, r.id, {
      triggersReplace: r.triggers,
      provisioners: r.provisioners.map((p) => ({
        type: "local-exec",
        command: `node ${asset.path} ${p.action}`,
        environment: p.environment?.KONG_CDKTF_FACTS ? { ...p.environment, KONG_CDKTF_FACTS: factsAsset(p.environment.KONG_CDKTF_FACTS) } : p.environment,
        ...(p.when ? { when: p.when } : {}),
      })),
      ...(r.dependsOn.length > 0 ? { dependsOn: r.dependsOn.map((id) => created.get(id)) } : {}),
    });
    created.set(r.id, resource);
  }
}
const t3 = performance.now();
app.synth();
const t4 = performance.now();

const result = {
  mode,
  n,
  cdktfImportMs: t1 - t0,
  libImportMs: t2 - t1,
  constructMs: t3 - t2,
  synthMs: t4 - t3,
  totalMs: t4 - t2,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
};

if (specOut) {
  const json = JSON.parse(readFileSync(path.join(outdir, "stacks", "bench", "cdk.tf.json"), "utf8"));
  const resources = Object.entries(json.resource.terraform_data).map(([id, r]) => ({
    id,
    triggers: r.triggers_replace,
    provisioners: (r.provisioner ?? []).map((p) => {
      const exec = p["local-exec"];
      return { action: exec.command.split(" ").pop(), environment: exec.environment, ...(exec.when ? { when: exec.when } : {}) };
    }),
    dependsOn: (r.depends_on ?? []).map((ref) => ref.replace(/^terraform_data\./, "")),
  }));
  writeFileSync(specOut, JSON.stringify({ bundle: path.join(source, "kong-session.cjs"), factsDir: path.join(source, "schema", "generated", "plugins"), resources }));
}
rmSync(outdir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(result)}\n`);
