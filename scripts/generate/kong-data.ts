/**
 * Kong's published data (../shared/kong, see its README), read for the generator: the plugin JSON
 * Schemas of every Enterprise version, the plugins open-source Kong bundles, the referenceable
 * fields. Nothing here is written into the project: the generator keeps facts only.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/** A JSON Schema node as Kong publishes it (only what the generator reads). */
export interface SchemaNode {
  readonly type?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly oneOf?: readonly SchemaNode[];
  readonly "x-encrypted"?: boolean;
  readonly "x-referenceable"?: boolean;
  readonly "x-foreign"?: boolean;
  readonly "x-supported-partials"?: ReadonlyArray<{ readonly name: string; readonly paths?: readonly string[] }>;
}

export interface KongData {
  /** Enterprise versions with published schemas, oldest first */
  readonly versions: readonly string[];
  /** open-source versions, oldest first, and the plugins each bundles */
  readonly ossVersions: readonly string[];
  readonly ossPlugins: ReadonlyMap<string, ReadonlySet<string>>;
  /** plugin name → version → its schema */
  readonly schemas: ReadonlyMap<string, ReadonlyMap<string, SchemaNode>>;
  /** plugin name → version → its referenceable config paths (`config.redis.password`) */
  readonly referenceable: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
}

/** `3.10` after `3.9`. */
export function compareVersions(a: string, b: string): number {
  const [am, an] = a.split(".").map(Number) as [number, number];
  const [bm, bn] = b.split(".").map(Number) as [number, number];
  return am - bm || an - bn;
}

/** The file's stem as the plugin's name is matched: `AiA2AProxy` and `ai-a2a-proxy` are `aia2aproxy`. */
const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Reads the data directory; throws, naming the file, when something does not fit. */
export function readKongData(dir: string): KongData {
  if (!existsSync(dir)) throw new Error(`no Kong data at ${dir}`);
  const schemaDir = path.join(dir, "plugin-schemas");
  const versions = readdirSync(schemaDir).sort(compareVersions);
  const json = (file: string) => JSON.parse(readFileSync(file, "utf8")) as unknown;

  // the names of the plugins, kebab-case, from the per-version lists keyed by name
  const names = new Map<string, string>();
  const referenceable = new Map<string, Map<string, Set<string>>>();
  for (const version of versions) {
    const priorities = json(path.join(dir, "priorities", `${version}.json`)) as Record<string, number>;
    const fields = json(path.join(dir, "referenceable-fields", `${version}.json`)) as Record<string, string[]>;
    for (const name of [...Object.keys(priorities), ...Object.keys(fields)]) names.set(normalise(name), name);
    for (const [name, paths] of Object.entries(fields)) {
      const byVersion = referenceable.get(name) ?? new Map<string, Set<string>>();
      byVersion.set(version, new Set(paths));
      referenceable.set(name, byVersion);
    }
  }

  const schemas = new Map<string, Map<string, SchemaNode>>();
  for (const version of versions) {
    for (const file of readdirSync(path.join(schemaDir, version)).sort()) {
      if (!file.endsWith(".json")) continue;
      const name = names.get(normalise(file.slice(0, -5)));
      if (!name) throw new Error(`plugin-schemas/${version}/${file}: no plugin of that name in priorities/ or referenceable-fields/`);
      const schema = json(path.join(schemaDir, version, file)) as SchemaNode;
      const byVersion = schemas.get(name) ?? new Map<string, SchemaNode>();
      const earlier = byVersion.get(version);
      // two files of one plugin (AiA2AProxy.json, AiA2aProxy.json): they must say the same
      if (earlier && JSON.stringify(earlier) !== JSON.stringify(schema)) {
        throw new Error(`plugin-schemas/${version}: two different files for plugin ${name}`);
      }
      byVersion.set(version, schema);
      schemas.set(name, byVersion);
    }
  }

  const oss = json(path.join(dir, "oss-bundled-plugins.json")) as { versions: Record<string, { plugins: string[] }> };
  const ossVersions = Object.keys(oss.versions).sort(compareVersions);
  const ossPlugins = new Map(ossVersions.map((v) => [v, new Set(oss.versions[v]!.plugins)] as const));
  return { versions, ossVersions, ossPlugins, schemas, referenceable };
}
