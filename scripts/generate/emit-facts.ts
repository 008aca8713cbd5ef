/**
 * The tables of facts: src/schema/generated/plugins/<name>.json (one per plugin, loaded when a stack
 * or the apply-time program first needs that plugin), the catalog that lists them, and the versions.
 */
import type { PluginFacts } from "../../src/schema/facts.js";
import { constructName, resourceName } from "../../src/schema/naming.js";
import { HEADER, literal, loaderLines, type Files } from "./emit.js";
import type { KongData } from "./kong-data.js";

const DIR = "src/schema/generated";

export function emitFacts(files: Files, plugins: readonly PluginFacts[], kong: KongData): void {
  files.set(
    `${DIR}/versions.ts`,
    [
      HEADER,
      "",
      "/** Kong Gateway Enterprise versions whose plugin schemas are published, oldest first: bit i of a version mask. */",
      `export const DATA_VERSIONS = ${literal(kong.versions)} as const;`,
      "",
      "/** Open-source Kong versions (the last is the last release), oldest first: bit i of an `oss` mask. */",
      `export const OSS_VERSIONS = ${literal(kong.ossVersions)} as const;`,
      "",
    ].join("\n"),
  );

  for (const plugin of plugins) files.set(`${DIR}/plugins/${plugin.name}.json`, `${JSON.stringify(plugin)}\n`);

  const entries = plugins.map((p) => ({ name: p.name, construct: constructName(p.name), resource: resourceName(p.name), ee: p.ee, oss: p.oss }));
  files.set(
    `${DIR}/catalog.ts`,
    [
      HEADER,
      'import type { PluginFacts } from "../facts.js";',
      "",
      "/** One plugin of the catalog: its names, and the versions (masks) that have it. */",
      "export interface CatalogEntry {",
      "  /** Kong's name */",
      "  readonly name: string;",
      "  /** the construct's class name */",
      "  readonly construct: string;",
      "  /** the official provider's resource type */",
      "  readonly resource: string;",
      "  /** Enterprise versions (a mask over DATA_VERSIONS) */",
      "  readonly ee: number;",
      "  /** open-source versions (a mask over OSS_VERSIONS) */",
      "  readonly oss: number;",
      "}",
      "",
      "/** Every plugin with published schemas, by Kong's name. */",
      `export const CATALOG: readonly CatalogEntry[] = ${literal(entries)};`,
      "",
      ...loaderLines("The facts of a plugin, read on first use (one file per plugin), or undefined for an unknown name.", "loadPluginFacts", "PluginFacts", "plugins", plugins.map((p) => p.name)),
      "",
    ].join("\n"),
  );
}
