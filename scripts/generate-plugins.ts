/**
 * The generator: Kong's published data (../shared/kong) → this project's tables of facts, the typed
 * construct of every plugin, the emulator's compact JSON Schemas and the plugin reference pages; from
 * Kong's Admin API specifications, the facts and the emulator's JSON Schemas of the core entities.
 *
 *   npm run generate             write every generated file (and delete stale ones)
 *   tsx scripts/generate-plugins.ts --check   exit 1, listing them, when the committed files differ
 *
 * Only facts are written (names, kinds, defaults, enums, bounds, markers, versions), never a sentence
 * of Kong's documentation.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { buildPluginFacts } from "./generate/build-facts.js";
import { emitConstructs } from "./generate/emit-constructs.js";
import { emitDocs } from "./generate/emit-docs.js";
import { emitEntities, readAdminApi } from "./generate/entity-facts.js";
import { emitEntityConstructs } from "./generate/emit-entities.js";
import { emitFacts } from "./generate/emit-facts.js";
import { emitJsonSchemas } from "./generate/emit-json-schemas.js";
import type { Files } from "./generate/emit.js";
import { readKongData } from "./generate/kong-data.js";

export const ROOT = path.resolve(__dirname, "..");
/** Kong's published data: `KONG_DATA_DIR`, else `../shared/kong` beside the repository. */
export const DATA = process.env.KONG_DATA_DIR ? path.resolve(process.env.KONG_DATA_DIR) : path.resolve(ROOT, "..", "shared", "kong");

/** The directories the generator owns: every file in them is generated. */
export const GENERATED_DIRS = ["src/schema/generated", "src/plugins/generated", "src/entities/generated", "src/testing/generated", "docs/plugins"];

/** Every generated file, from the data directory. */
export function generate(dataDir = DATA): Files {
  const kong = readKongData(dataDir);
  const facts = [...kong.schemas.keys()].sort().map((name) => buildPluginFacts(name, kong));
  const files: Files = new Map();
  emitFacts(files, facts, kong);
  emitConstructs(files, facts, kong);
  emitJsonSchemas(files, kong);
  emitDocs(files, facts, kong);
  const entities = emitEntities(files, readAdminApi(dataDir, kong), kong, new Map(facts.map((f) => [f.name, f])));
  emitEntityConstructs(files, entities);
  return files;
}

/** The generated files that differ from the working tree: changed, missing, or stale (to delete). */
export function differences(files: Files): string[] {
  const found: string[] = [];
  for (const [file, content] of files) {
    const full = path.join(ROOT, file);
    if (!existsSync(full)) found.push(`missing: ${file}`);
    else if (readFileSync(full, "utf8") !== content) found.push(`differs: ${file}`);
  }
  for (const dir of GENERATED_DIRS) {
    for (const file of listFiles(path.join(ROOT, dir))) {
      const relative = path.relative(ROOT, file).split(path.sep).join("/");
      if (!files.has(relative)) found.push(`stale: ${relative}`);
    }
  }
  return found.sort();
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

function write(files: Files): void {
  for (const dir of GENERATED_DIRS) rmSync(path.join(ROOT, dir), { recursive: true, force: true });
  for (const [file, content] of files) {
    const full = path.join(ROOT, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

if (require.main === module) {
  const files = generate();
  if (process.argv.includes("--check")) {
    const found = differences(files);
    if (found.length > 0) {
      process.stderr.write(`the generated files are not what the generator produces (run npm run generate):\n${found.map((f) => `  ${f}`).join("\n")}\n`);
      process.exit(1);
    }
    process.stdout.write(`generated files up to date (${files.size} files)\n`);
  } else {
    write(files);
    process.stdout.write(`wrote ${files.size} generated files\n`);
  }
}
