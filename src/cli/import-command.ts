/**
 * `kong-gateway-cdktf import`: reads live plugins (any kind) and prints the TypeScript that adopts them.
 */
import type { KongAdminClient, KongPlugin } from "../runtime/client.js";
import { formatWorkspace } from "../runtime/log.js";
import { DATA_VERSIONS, OSS_VERSIONS } from "../schema/generated/versions.js";
import type { KongEntity } from "../runtime/client.js";
import { collectionOf, ENTITY_KIND_BY_NAME, ENTITY_KINDS, type EntityKind } from "../schema/entity-kinds.js";
import { UUID_PATTERN } from "../schema/plugin-schema.js";
import type { EntityFacts } from "../schema/facts.js";
import { entityAvailability, entitySecretPaths } from "../schema/engine/validate-entity.js";
import { CATALOG } from "../schema/generated/catalog.js";
import { valueAt } from "../schema/validate.js";
import { loadEntityFacts } from "../schema/generated/entity-catalog.js";
import { entityConstructId, generateEntity } from "./codegen-entity.js";
import { foreignId, referencedIds } from "../runtime/sync-entities.js";
import { DEFAULT_TARGET, majorMinor, resolveTarget, type KongEdition, type ResolvedTarget } from "../schema/engine/target.js";
import { constructIdFor } from "./codegen.js";
import { generatePlugin, pluginConstructId, type GeneratedPlugin } from "./codegen-plugin.js";
import { CONNECTION_HELP, CONNECTION_OPTIONS, ClientFactory, readConnectionFlags } from "./connection.js";
import { parseImportId, IMPORT_ID_EXAMPLE } from "./import-id.js";
import { CliUsageError, EXIT, Output, type CliEnv, type CliIo } from "./io.js";
import { parseFlags } from "./parse.js";
import { closest } from "../schema/suggest.js";

export const IMPORT_HELP = `usage: kong-gateway-cdktf import '<import id>' [options]
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
  ${IMPORT_ID_EXAMPLE}
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

${CONNECTION_HELP}

exit codes: 0 printed, 1 error (no such plugin or entity, Kong unreachable, bad input)`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  all: { type: "boolean" },
  kind: { type: "string" },
  workspace: { type: "string", multiple: true },
  tag: { type: "string", multiple: true },
  help: { type: "boolean", short: "h" },
} as const;

/** The import command. */
export async function importCommand(argv: readonly string[], env: CliEnv, io: CliIo): Promise<number> {
  const out = new Output(io);
  const clients = new ClientFactory(env, io, out);
  try {
    const { values, positionals } = parseFlags("import", argv, OPTIONS, true);
    if (values.help) {
      out.result(`${IMPORT_HELP}\n`);
      return EXIT.ok;
    }
    const connection = readConnectionFlags(values, env, io.cwd ?? process.cwd());
    const client = clients.client(connection.serverUrl, connection.options);
    if (values.all) {
      if (positionals.length > 0) throw new CliUsageError("give either an import id or --all, not both");
      if (values.kind !== undefined) throw new CliUsageError("--kind names the kind of one entity's import id; --all reads every kind");
      return await importAll(client, values.workspace ?? [], values.tag ?? [], out);
    }
    if (values.workspace || values.tag) {
      throw new CliUsageError("--workspace and --tag go with --all; for one plugin, put the workspace in the import id");
    }
    if (positionals.length !== 1) {
      throw new CliUsageError(
        positionals.length === 0
          ? `missing the import id, e.g. kong-gateway-cdktf import ${IMPORT_ID_EXAMPLE} (or --all)`
          : `expected one import id, got ${positionals.length} arguments (quote the JSON: ${IMPORT_ID_EXAMPLE})`,
      );
    }
    if (values.kind !== undefined) return await importEntity(client, values.kind, positionals[0]!, out);
    const importId = parseImportId(positionals[0]!);
    const plugin = await client.getPlugin(importId.workspace, importId.id);
    const what = importId.isUuid ? `plugin ${importId.id}` : `plugin with id or instance name ${JSON.stringify(importId.id)}`;
    if (!plugin) {
      // a missing workspace answers 404 too: listing it tells (and says so for open-source Kong)
      if (importId.workspace) await client.listPlugins(importId.workspace, { size: 1 }).next();
      out.error(new CliUsageError(`${what} does not exist ${formatWorkspace(importId.workspace)} at ${client.serverUrl}`));
      return EXIT.error;
    }
    out.redactor.addPluginSecret(plugin);
    const target = await liveTarget(client, [plugin], out);
    const generated = generatePlugin(plugin, {
      ...(importId.workspace ? { workspace: importId.workspace } : {}),
      source: client.serverUrl,
      target,
    });
    for (const warning of [...generated.warnings, ...generated.notes]) out.warn(warning);
    out.result(`${preamble([generated])}${generated.code}`);
    return EXIT.ok;
  } catch (error) {
    out.error(error);
    return EXIT.error;
  } finally {
    await clients.close();
  }
}

/** The import lines of the classes the code uses, as comments: `// import { PluginSession } from "cdktf-kong-gateway";`. */
function preamble(generated: ReadonlyArray<Pick<GeneratedPlugin, "constructs" | "cdktf">>): string {
  const library = [...new Set(generated.flatMap((g) => g.constructs))].sort();
  const cdktf = [...new Set(generated.flatMap((g) => g.cdktf))].sort();
  let text = `// import { ${library.join(", ")} } from "cdktf-kong-gateway";\n`;
  if (cdktf.length > 0) text += `// import { ${cdktf.join(", ")} } from "cdktf";\n`;
  return text;
}

/**
 * The Kong the plugins were read from (`GET /`), whose defaults are left out of the code; only asked
 * when a plugin other than the session plugin (whose defaults are the same everywhere) is printed, or
 * (`always`) when entities are read.
 * When it cannot tell, the newest Kong Enterprise with published schemas, with a warning.
 */
async function liveTarget(client: KongAdminClient, plugins: readonly KongPlugin[], out: Output, always = false): Promise<ResolvedTarget> {
  if (!always && plugins.every((plugin) => plugin.name === "session")) return resolveTarget(DEFAULT_TARGET);
  let version: string | undefined;
  let edition: KongEdition = DEFAULT_TARGET.edition;
  try {
    const info = await client.info();
    edition = info.edition === "community" ? "oss" : "enterprise";
    version = typeof info.version === "string" ? majorMinor(info.version) : undefined;
  } catch (error) {
    out.warn(`cannot read Kong's version at ${client.serverUrl} (${error instanceof Error ? error.message : String(error)}): leaving out the defaults of ${resolveTarget(DEFAULT_TARGET).label}`);
    return resolveTarget(DEFAULT_TARGET);
  }
  const versions: readonly string[] = edition === "oss" ? OSS_VERSIONS : DATA_VERSIONS;
  const chosen = version === undefined ? versions[versions.length - 1]! : clampVersion(version, versions);
  if (version !== chosen) {
    out.warn(`Kong at ${client.serverUrl} reports version ${version ?? "(none)"}: leaving out the defaults of ${edition === "oss" ? "open-source Kong" : "Kong Enterprise"} ${chosen}, the nearest with published schemas`);
  }
  return resolveTarget({ edition, version: chosen });
}

/** The nearest of the versions (sorted, oldest first). */
function clampVersion(version: string, versions: readonly string[]): string {
  const value = (v: string) => v.split(".").map(Number).reduce((major, minor) => major * 1000 + minor);
  if (versions.includes(version)) return version;
  if (value(version) < value(versions[0]!)) return versions[0]!;
  let chosen = versions[0]!;
  for (const v of versions) if (value(v) <= value(version)) chosen = v;
  return chosen;
}

async function importAll(client: KongAdminClient, workspaces: readonly string[], tags: readonly string[], out: Output): Promise<number> {
  const targets: Array<string | undefined> = workspaces.length > 0 ? [...new Set(workspaces)] : [undefined];
  const found: Array<{ plugin: KongPlugin; workspace: string | undefined }> = [];
  for (const workspace of targets) {
    for await (const plugin of client.listPlugins(workspace, tags.length > 0 ? { tags } : {})) {
      out.redactor.addPluginSecret(plugin);
      found.push({ plugin, workspace });
    }
  }
  // the core entities: every kind this Kong has, parents first
  const target = await liveTarget(client, found.map((f) => f.plugin), out, true);
  const entities = await readEntities(client, targets, tags, target, out);
  const taken = new Set<string>();
  // the names the printed code uses besides its variables: the classes it may import
  const names = new Set<string>(["TerraformVariable", "KongGatewayProvider", "App", "TerraformStack", "Construct", ...ENTITY_KINDS.map((k) => k.construct), ...CATALOG.map((p) => p.construct), "PluginSession", "KongPlugin"]);
  const references = new Map<string, string>();
  // the entities another construct refers to: each is held in a const
  const referenced = new Set<string>();
  for (const { kind, entity } of entities) for (const id of referencedIds(kind, entity)) referenced.add(id);
  for (const { plugin } of found) for (const scope of ["route", "service", "consumer", "consumer_group"]) referenced.add(foreignId(plugin[scope]) ?? "");
  const generated: Array<{ code: string; constructs: readonly string[]; cdktf: readonly string[] }> = [];
  for (const { kind, facts, entity, workspace } of entities) {
    let constructId = entityConstructId(kind, entity);
    for (let n = 2; taken.has(constructId); n++) constructId = `${entityConstructId(kind, entity)}_${n}`;
    taken.add(constructId);
    const code = generateEntity(kind, facts, entity, { ...(workspace ? { workspace } : {}), constructId, target, references, names, referenced: referenced.has(entity.id.toLowerCase()) });
    if (code.variable) references.set(entity.id.toLowerCase(), code.variable);
    for (const warning of [...code.warnings, ...code.notes]) out.warn(warning);
    generated.push(code);
  }
  for (const { plugin, workspace } of found) {
    const code = generatePlugin(plugin, {
      ...(workspace ? { workspace } : {}),
      constructId: uniqueId(plugin, taken),
      source: client.serverUrl,
      target,
      names,
      references,
    });
    for (const warning of [...code.warnings, ...code.notes]) out.warn(warning);
    generated.push(code);
  }
  const where = targets.map((w) => (w ? `workspace ${w}` : "the default workspace")).join(", ");
  const filter = tags.length > 0 ? ` tagged ${tags.join(", ")}` : "";
  const kinds = new Set(found.map((f) => f.plugin.name)).size;
  const ofKinds = found.length > 0 ? ` of ${kinds} ${kinds === 1 ? "kind" : "kinds"}` : "";
  const entityKinds = new Set(entities.map((e) => e.kind.name)).size;
  const andEntities = entities.length > 0 ? ` and ${entities.length} ${entities.length === 1 ? "entity" : "entities"} of ${entityKinds} ${entityKinds === 1 ? "kind" : "kinds"}` : "";
  out.progress(`found ${found.length} ${found.length === 1 ? "plugin" : "plugins"}${ofKinds}${andEntities}${filter} in ${where} at ${client.serverUrl}`);
  if (generated.length > 0) out.result(`${preamble(generated)}${generated.map((g) => g.code).join("\n")}`);
  return EXIT.ok;
}

/** `import --kind KIND '<import id>'`: one entity, its references printed as `{ id }`. */
async function importEntity(client: KongAdminClient, kindName: string, text: string, out: Output): Promise<number> {
  const kind = kindNamed(kindName);
  const parentKey = kind.parent ? `${kind.parent}_id` : undefined;
  const importId = parseImportId(text, parentKey ? [parentKey] : []);
  const parentId = parentKey ? importId.extra?.[parentKey] : undefined;
  if (kind.nestedOnly && parentId === undefined) {
    throw new CliUsageError(`Kong serves a ${kind.what} only under its ${kind.parent}: name it in the import id, e.g. '{"id": "${importId.id}", "${parentKey}": "<${kind.parent} id>"}'`);
  }
  const target = await liveTarget(client, [], out, true);
  const facts = loadEntityFacts(kind.name)!;
  const lacking = entityAvailability(kind, facts, target);
  if (lacking) throw new CliUsageError(lacking);
  const entity = await client.getEntity(collectionOf(kind, parentId), importId.workspace, importId.id);
  const where = `${formatWorkspace(importId.workspace)} at ${client.serverUrl}`;
  // a credential may be named by its key, a secret: the message does not repeat it
  const named = importId.isUuid || !kind.unique.some((field) => (kind.secrets ?? []).includes(field)) ? `${kind.what} ${importId.id}` : `${kind.what} of the ${kind.unique.join(" or ")} given (not printed: a secret)`;
  if (!entity) {
    out.error(new CliUsageError(`${named} does not exist ${where}${parentId !== undefined && kind.nestedOnly ? ` under ${kind.parent} ${parentId}` : ""}`));
    return EXIT.error;
  }
  const liveParent = kind.parent ? foreignId(entity[kind.parent]) : undefined;
  if (parentId !== undefined && liveParent !== undefined && liveParent !== parentId.toLowerCase()) {
    // the parent may be named by its name (`upstream_id: "orders-pool"`), as Kong's paths take it
    const parentKind = ENTITY_KIND_BY_NAME.get(kind.foreign[kind.parent!]!)!;
    const parent = UUID_PATTERN.test(parentId) ? undefined : await client.getEntity(parentKind.collection, importId.workspace, parentId);
    if (parent?.id.toLowerCase() !== liveParent) {
      out.error(new CliUsageError(`${named} ${where} belongs to ${kind.parent} ${liveParent}, not ${parentId}`));
      return EXIT.error;
    }
  }
  for (const { kongPath } of entitySecretPaths(kind, facts, entity, target.dataIndex)) out.redactor.add(valueAt(entity, kongPath));
  const names = new Set<string>(["TerraformVariable", "KongGatewayProvider", "App", "TerraformStack", "Construct", ...ENTITY_KINDS.map((k) => k.construct)]);
  const code = generateEntity(kind, facts, entity, {
    ...(importId.workspace ? { workspace: importId.workspace } : {}),
    constructId: entityConstructId(kind, entity),
    target,
    references: new Map(),
    names,
    referenced: false,
  });
  for (const warning of [...code.warnings, ...code.notes]) out.warn(warning);
  out.result(`${preamble([code])}${code.code}`);
  return EXIT.ok;
}

/** The entity kind a `--kind` names: its construct (`Route`), the official resource type (`kong-gateway_route`) or Kong's DAO name (`routes`). */
function kindNamed(name: string): EntityKind {
  const found = ENTITY_KINDS.find((k) => k.construct === name || k.resource === name || k.name === name);
  if (found) return found;
  const guess = closest(name, ENTITY_KINDS.map((k) => k.construct));
  throw new CliUsageError(`--kind ${JSON.stringify(name)} is not a kind of entity${guess ? ` (did you mean ${guess}?)` : ""}: one of ${ENTITY_KINDS.map((k) => k.construct).join(", ")}`);
}

/** The live entities of every kind this Kong has, parents first (targets under each upstream). */
async function readEntities(
  client: KongAdminClient,
  workspaces: ReadonlyArray<string | undefined>,
  tags: readonly string[],
  target: ResolvedTarget,
  out: Output,
): Promise<Array<{ kind: EntityKind; facts: EntityFacts; entity: KongEntity; workspace: string | undefined }>> {
  const found: Array<{ kind: EntityKind; facts: EntityFacts; entity: KongEntity; workspace: string | undefined }> = [];
  const options = tags.length > 0 ? { tags } : {};
  for (const workspace of workspaces) {
    for (const kind of ENTITY_KINDS) {
      const facts = loadEntityFacts(kind.name);
      if (!facts || entityAvailability(kind, facts, target) !== undefined) continue;
      const collections = kind.nestedOnly
        ? found.filter((f) => f.workspace === workspace && f.kind.name === kind.foreign[kind.parent!]).map((f) => collectionOf(kind, f.entity.id))
        : [kind.collection];
      const ofKind: typeof found = [];
      for (const collection of collections) {
        for await (const entity of client.listEntities(collection, workspace, kind.nestedOnly ? {} : options)) {
          for (const { kongPath } of entitySecretPaths(kind, facts, entity, target.dataIndex)) out.redactor.add(valueAt(entity, kongPath));
          ofKind.push({ kind, facts, entity, workspace });
        }
      }
      // by construct id: Kong lists by id, which says nothing to a reader
      const key = (e: (typeof found)[number]) => `${entityConstructId(kind, e.entity)} ${e.entity.id}`;
      found.push(...ofKind.sort((a, b) => (key(a) < key(b) ? -1 : 1)));
    }
  }
  return found;
}

/** The construct id of a plugin, made unique among the ones printed so far (`_2`, `_3`, …). */
function uniqueId(plugin: KongPlugin, taken: Set<string>): string {
  const base = plugin.name === "session" ? constructIdFor(plugin) : pluginConstructId(plugin);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}
