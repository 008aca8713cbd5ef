/**
 * The import id of `kong-gateway_plugin_session`: the JSON string `{"id": "<uuid>", "workspace": "<name>"}`.
 *
 * The official provider (terraform-provider-kong-gateway 1.1.0, `ImportState` of
 * pluginsession_resource.go) decodes it with Go's encoding/json into a struct tagged `json:"id"` and
 * `json:"workspace"`, with `DisallowUnknownFields()`, then requires both keys to be non-empty. Read
 * here the same way: keys match in any letter case (`{"ID": …, "Workspace": …}`), unknown keys are
 * refused. Two differences, each with a message that says what to write: `workspace` may be left out
 * (open-source Kong has no workspaces), and a key given twice in different letter cases
 * (`{"id": …, "ID": …}`) is refused where Go takes the last one (JSON.parse cannot tell which came
 * last when a spelling repeats, and such an id is a mistake anyway). The same spelling twice takes
 * the last value, as in Go. `id` may also be the plugin's `instance_name`.
 */
import { closest } from "../schema/suggest.js";
import { UUID_PATTERN } from "../schema/plugin-schema.js";
import { CliUsageError, describeJsonError } from "./io.js";

/** A parsed import id. */
export interface ImportId {
  /** the keys beside `id` and `workspace` that the caller allows (an entity's parent: `upstream_id`), as given */
  readonly extra?: Readonly<Record<string, string>>;
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
export function parseImportId(text: string, extraKeys: readonly string[] = []): ImportId {
  const keys = [...KEYS, ...extraKeys];
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
  const given = value as Record<string, unknown>;
  const unknown = Object.keys(given).filter((key) => keyOf(key, keys) === undefined);
  if (unknown.length > 0) {
    const described = unknown.map((key) => {
      const guess = closest(key, keys);
      return `${JSON.stringify(key)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ""}`;
    });
    throw fail(`unknown ${unknown.length === 1 ? "key" : "keys"} ${described.join(", ")}: only ${keys.map((k) => JSON.stringify(k)).join(keys.length === 2 ? " and " : ", ")} are allowed`);
  }
  /** each key as it was spelled, and its value */
  const record: Partial<Record<string, { spelled: string; value: unknown }>> = {};
  for (const [spelled, item] of Object.entries(given)) {
    const key = keyOf(spelled, keys)!;
    const seen = record[key];
    if (seen) throw fail(`the key ${JSON.stringify(key)} is given twice, as ${JSON.stringify(seen.spelled)} and ${JSON.stringify(spelled)}: give it once`);
    record[key] = { spelled, value: item };
  }
  if (!record.id) throw fail(`the key "id" is missing`);
  const id = record.id.value;
  const idName = JSON.stringify(record.id.spelled);
  if (typeof id !== "string") throw fail(`${idName} must be a string, got ${describeType(id)}`);
  if (id.trim() === "") throw fail(`${idName} is empty`);
  const workspace = record.workspace?.value;
  const workspaceName = JSON.stringify(record.workspace?.spelled);
  if (workspace !== undefined) {
    if (typeof workspace !== "string") throw fail(`${workspaceName} must be a string, got ${describeType(workspace)}`);
    if (workspace.trim() === "") throw fail(`${workspaceName} is empty (leave the key out for open-source Kong)`);
  }
  const extra: Record<string, string> = {};
  for (const key of extraKeys) {
    const item = record[key];
    if (item === undefined) continue;
    if (typeof item.value !== "string" || item.value.trim() === "") throw fail(`${JSON.stringify(item.spelled)} must be a non-empty string, got ${typeof item.value === "string" ? "an empty one" : describeType(item.value)}`);
    extra[key] = item.value.trim();
  }
  return {
    id: id.trim(),
    ...(typeof workspace === "string" ? { workspace: workspace.trim() } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
    isUuid: UUID_PATTERN.test(id.trim()),
  };
}

/**
 * The key a spelling names, matched as Go's encoding/json matches a struct tag: with Unicode simple
 * case folding (bytes.EqualFold), which for these keys is ASCII letter case, the Kelvin sign `K`
 * (folds to `k`) and the long s `ſ` (folds to `s`).
 */
function keyOf(spelled: string, keys: readonly string[]): string | undefined {
  const folded = spelled.replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(/\u212A/g, "k").replace(/\u017F/g, "s");
  return keys.find((key) => key === folded);
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
