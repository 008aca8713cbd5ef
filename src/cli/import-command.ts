/**
 * `kong-gateway-cdktf import`: reads live session plugins and prints the TypeScript that adopts them.
 */
import type { KongAdminClient, KongPlugin } from "../runtime/client.js";
import { formatWorkspace } from "../runtime/log.js";
import { generateSession } from "./codegen.js";
import { CONNECTION_HELP, CONNECTION_OPTIONS, ClientFactory, readConnectionFlags } from "./connection.js";
import { parseImportId, IMPORT_ID_EXAMPLE } from "./import-id.js";
import { CliUsageError, EXIT, Output, type CliEnv, type CliIo } from "./io.js";
import { parseFlags } from "./parse.js";

export const IMPORT_HELP = `usage: kong-gateway-cdktf import '<import id>' [options]
       kong-gateway-cdktf import --all [--workspace W]... [--tag T]... [options]

Reads live session plugins from the Kong Admin API and prints, on stdout, TypeScript that declares
them as PluginSession constructs with their id: paste it into a stack to manage them with cdktf.
Only attributes that differ from Kong's defaults are printed; created_at and updated_at never are.
The secret is never printed: the line for it is a comment (a vault reference {vault://...} is
printed as it is). Construct ids are the instance name, else session_<first 8 characters of the id>.

The import id is the one of the official resource kong-gateway_plugin_session, a JSON object:
  ${IMPORT_ID_EXAMPLE}
Keys match in any letter case ({"ID": ..., "Workspace": ...}), as the official provider reads them;
unknown keys are refused. "id" may also be the plugin's instance_name; leave out "workspace" for
open-source Kong (or for the default workspace of Kong Enterprise).

options:
  --all                   every session plugin (all pages)
  --workspace W           with --all: the workspace to read (repeatable; default: unprefixed paths)
  --tag T                 with --all: only plugins with this tag (repeatable: all of them)
  -h, --help              this help

${CONNECTION_HELP}

exit codes: 0 printed, 1 error (no such plugin, not a session plugin, Kong unreachable, bad input)`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  all: { type: "boolean" },
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
    const importId = parseImportId(positionals[0]!);
    const plugin = await client.getPlugin(importId.workspace, importId.id);
    const what = importId.isUuid ? `plugin ${importId.id}` : `plugin with id or instance name ${JSON.stringify(importId.id)}`;
    if (!plugin) {
      // a missing workspace answers 404 too: listing it tells (and says so for open-source Kong)
      if (importId.workspace) await client.listPlugins(importId.workspace, { size: 1 }).next();
      out.error(new CliUsageError(`${what} does not exist ${formatWorkspace(importId.workspace)} at ${client.serverUrl}`));
      return EXIT.error;
    }
    if (plugin.name !== "session") {
      out.error(
        new CliUsageError(
          `${what} ${formatWorkspace(importId.workspace)} is a ${JSON.stringify(plugin.name)} plugin, not a session plugin: only session plugins can be imported`,
        ),
      );
      return EXIT.error;
    }
    const generated = generateSession(plugin, { ...(importId.workspace ? { workspace: importId.workspace } : {}), source: client.serverUrl });
    for (const warning of generated.warnings) out.warn(warning);
    out.result(`${PREAMBLE}${generated.code}`);
    return EXIT.ok;
  } catch (error) {
    out.error(error);
    return EXIT.error;
  } finally {
    await clients.close();
  }
}

const PREAMBLE = `// import { PluginSession } from "cdktf-kong-gateway";\n`;

async function importAll(client: KongAdminClient, workspaces: readonly string[], tags: readonly string[], out: Output): Promise<number> {
  const targets: Array<string | undefined> = workspaces.length > 0 ? [...new Set(workspaces)] : [undefined];
  const found: Array<{ plugin: KongPlugin; workspace: string | undefined }> = [];
  let total = 0;
  for (const workspace of targets) {
    for await (const plugin of client.listPlugins(workspace, tags.length > 0 ? { tags } : {})) {
      total++;
      if (plugin.name === "session") found.push({ plugin, workspace });
    }
  }
  const taken = new Set<string>();
  const blocks: string[] = [];
  for (const { plugin, workspace } of found) {
    const generated = generateSession(plugin, {
      ...(workspace ? { workspace } : {}),
      constructId: uniqueId(plugin, taken),
      source: client.serverUrl,
    });
    for (const warning of generated.warnings) out.warn(warning);
    blocks.push(generated.code);
  }
  const where = targets.map((w) => (w ? `workspace ${w}` : "the default workspace")).join(", ");
  const filter = tags.length > 0 ? ` tagged ${tags.join(", ")}` : "";
  out.progress(`found ${found.length} session ${found.length === 1 ? "plugin" : "plugins"} among ${total} plugins${filter} in ${where} at ${client.serverUrl}`);
  if (blocks.length > 0) out.result(`${PREAMBLE}${blocks.join("\n")}`);
  return EXIT.ok;
}

/** The construct id of a plugin, made unique among the ones printed so far (`_2`, `_3`, …). */
function uniqueId(plugin: KongPlugin, taken: Set<string>): string {
  const base = plugin.instance_name && typeof plugin.instance_name === "string" ? plugin.instance_name : `session_${plugin.id.slice(0, 8)}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  taken.add(id);
  return id;
}
