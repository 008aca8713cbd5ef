/**
 * The plugins one Kong has, from the emulator's generated JSON (src/testing/generated/, shipped in the
 * package): which exist for an edition and version, and per plugin the compact JSON Schema of its
 * `config`, its protocols and the foreign keys it takes. The index is read on first use, a plugin's
 * file only when a request names that plugin.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

/** A compact JSON Schema node (see scripts/generate/emit-json-schemas.ts for what it keeps). */
export interface JsonSchemaNode {
  readonly type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>;
  readonly items?: JsonSchemaNode;
  readonly additionalProperties?: JsonSchemaNode | false;
  readonly oneOf?: readonly JsonSchemaNode[];
  readonly "x-encrypted"?: true;
  readonly "x-referenceable"?: true;
  readonly "x-uuid"?: true;
  readonly "x-not-one-of"?: readonly string[];
  readonly "x-shorthands"?: Readonly<Record<string, string>>;
  readonly "x-auto"?: true;
}

/** One plugin at one Kong. */
export interface PluginVariant {
  readonly name: string;
  /** the data version whose schema applies, e.g. `3.4` for Kong 3.6 */
  readonly dataVersion: string;
  /** `<name>@<index of the distinct schema>`: the same key for versions that share the schema */
  readonly key: string;
  readonly config: JsonSchemaNode;
  /** the protocols the plugin allows (Enterprise-only ones removed for open-source Kong), and its default */
  readonly protocols: { readonly enum: readonly string[]; readonly default: readonly string[] };
  /** the foreign keys the plugin may be scoped to */
  readonly scopes: ReadonlySet<string>;
}

interface IndexFile {
  readonly versions: readonly string[];
  readonly oss: Readonly<Record<string, readonly string[]>>;
  readonly plugins: Readonly<Record<string, readonly string[]>>;
}

interface PluginFile {
  readonly name: string;
  readonly configs: readonly JsonSchemaNode[];
  readonly versions: Readonly<Record<string, { config: number; protocols: { default?: string[]; enum?: string[] }; scopes: string[] }>>;
}

const GENERATED = path.join(__dirname, "generated");
const ENTERPRISE_PROTOCOLS = new Set(["ws", "wss"]);
const DEFAULT_PROTOCOLS = ["grpc", "grpcs", "http", "https"];

let index: IndexFile | undefined;
const files = new Map<string, PluginFile>();

function readIndex(): IndexFile {
  index ??= JSON.parse(readFileSync(path.join(GENERATED, "index.json"), "utf8")) as IndexFile;
  return index;
}

function readPlugin(name: string): PluginFile {
  let file = files.get(name);
  if (!file) {
    // only names of the index reach here: never a path of the request's making
    file = JSON.parse(readFileSync(path.join(GENERATED, "plugins", `${name}.json`), "utf8")) as PluginFile;
    files.set(name, file);
  }
  return file;
}

/** `3.10` after `3.9`. */
function compare(a: string, b: string): number {
  const [am = 0, an = 0] = a.split(".").map(Number);
  const [bm = 0, bn = 0] = b.split(".").map(Number);
  return am - bm || an - bn;
}

/** `3.9.1` → `3.9`, `3.4.3.17` → `3.4`. */
export function majorMinor(version: string): string {
  const [major = "0", minor = "0"] = version.split(".");
  return `${parseInt(major, 10) || 0}.${parseInt(minor, 10) || 0}`;
}

/** The newest of `versions` at or before `version`, else the oldest. */
function atOrBefore(versions: readonly string[], version: string): string {
  let found: string | undefined;
  for (const v of versions) if (compare(v, version) <= 0) found = v;
  return found ?? versions[0]!;
}

/** The plugins of one Kong (edition and version), from the generated data. */
export class PluginCatalog {
  /** the data version whose schemas apply (3.5 and 3.6 have none published: 3.4's apply) */
  readonly dataVersion: string;
  /** for open-source Kong, the version whose bundled plugins exist (its last release is 3.9) */
  readonly ossVersion: string | undefined;
  /** the plugin names this Kong has */
  readonly names: ReadonlySet<string>;
  private readonly variants = new Map<string, PluginVariant | undefined>();

  constructor(readonly edition: "community" | "enterprise", version: string) {
    const data = readIndex();
    const wanted = majorMinor(version);
    this.dataVersion = atOrBefore(data.versions, wanted);
    if (edition === "community") {
      this.ossVersion = atOrBefore(Object.keys(data.oss).sort(compare), wanted);
      this.names = new Set(data.oss[this.ossVersion]!.filter((name) => data.plugins[name] !== undefined));
    } else {
      this.ossVersion = undefined;
      this.names = new Set(Object.keys(data.plugins).filter((name) => data.plugins[name]!.includes(this.dataVersion)));
    }
  }

  /** A plugin as this Kong has it, or undefined when it has no such plugin. */
  variant(name: string): PluginVariant | undefined {
    if (!this.names.has(name)) return undefined;
    if (this.variants.has(name)) return this.variants.get(name);
    const file = readPlugin(name);
    const published = Object.keys(file.versions);
    // open-source Kong 3.5/3.6 bundles plugins that 3.4's data lacks: the oldest schema after it applies
    const dataVersion = published.includes(this.dataVersion) ? this.dataVersion : (published.find((v) => compare(v, this.dataVersion) > 0) ?? published[published.length - 1]!);
    const entry = file.versions[dataVersion]!;
    const community = this.edition === "community";
    const allowed = (entry.protocols.enum ?? DEFAULT_PROTOCOLS).filter((p) => !(community && ENTERPRISE_PROTOCOLS.has(p)));
    const defaults = (entry.protocols.default ?? DEFAULT_PROTOCOLS).filter((p) => allowed.includes(p));
    const variant: PluginVariant = {
      name,
      dataVersion,
      key: `${name}@${entry.config}`,
      config: file.configs[entry.config]!,
      protocols: { enum: allowed, default: defaults },
      scopes: new Set(entry.scopes.filter((scope) => !(community && scope === "consumer_group"))),
    };
    this.variants.set(name, variant);
    return variant;
  }
}
