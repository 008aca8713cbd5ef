/**
 * The import id of `kong-gateway_plugin_session`: the JSON string `{"id": "<uuid>", "workspace": "<name>"}`,
 * read as strictly as the official provider reads it, with messages that say what to write instead.
 */
import { closest } from "../schema/suggest.js";
import { UUID_PATTERN } from "../schema/plugin-schema.js";
import { CliUsageError, describeJsonError } from "./io.js";

/** A parsed import id. */
export interface ImportId {
  /** the plugin's id (a UUID) or its `instance_name` */
  readonly id: string;
  /** the workspace; undefined for unprefixed paths (open-source Kong, or the `default` workspace) */
  readonly workspace?: string;
  /** true when `id` is a UUID, false when it is read as an instance name */
  readonly isUuid: boolean;
}

const KEYS = ["id", "workspace"] as const;
export const IMPORT_ID_EXAMPLE = `'{"id": "3473c251-5b6c-4f45-b1ff-7ede735a366d", "workspace": "default"}'`;

/**
 * Parses an import id.
 *
 * @throws CliUsageError naming what is wrong: not JSON, not an object, a missing, empty or
 * unknown key, a value that is not a string
 */
export function parseImportId(text: string): ImportId {
  const fail = (problem: string) => new CliUsageError(`invalid import id: ${problem}; expected a JSON object such as ${IMPORT_ID_EXAMPLE}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const trimmed = text.trim();
    if (trimmed !== "" && !/^[{["]/.test(trimmed) && !/\s/.test(trimmed)) {
      throw new CliUsageError(
        `invalid import id: ${JSON.stringify(trimmed)} is not JSON; the import id is a JSON object: '{"id": ${JSON.stringify(trimmed)}, "workspace": "<name>"}' (leave out "workspace" for open-source Kong)`,
      );
    }
    throw fail(`not valid JSON (${describeJsonError(error, text)})`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw fail(`got ${value === null ? "null" : Array.isArray(value) ? "a list" : `a ${typeof value}`}`);
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !(KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    const described = unknown.map((key) => {
      const guess = closest(key, KEYS);
      return `${JSON.stringify(key)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ""}`;
    });
    throw fail(`unknown ${unknown.length === 1 ? "key" : "keys"} ${described.join(", ")}: only "id" and "workspace" are allowed`);
  }
  if (!("id" in record)) throw fail(`the key "id" is missing`);
  const id = record.id;
  if (typeof id !== "string") throw fail(`"id" must be a string, got ${describeType(id)}`);
  if (id.trim() === "") throw fail(`"id" is empty`);
  const workspace = record.workspace;
  if (workspace !== undefined) {
    if (typeof workspace !== "string") throw fail(`"workspace" must be a string, got ${describeType(workspace)}`);
    if (workspace.trim() === "") throw fail(`"workspace" is empty (leave the key out for open-source Kong)`);
  }
  return {
    id: id.trim(),
    ...(typeof workspace === "string" ? { workspace: workspace.trim() } : {}),
    isUuid: UUID_PATTERN.test(id.trim()),
  };
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
