/**
 * The zod schema of a session plugin as Kong receives it (snake_case), built from the field table.
 *
 * It uses `zod/mini`: the apply-time program re-validates with this very schema, and the mini API
 * keeps that program small and fast to start. The schema is built on first use, not at import.
 */
import * as z from "zod/mini";
import { OWNER_TAG_PREFIX } from "../runtime/ownership.js";
import { CONFIG_FIELDS, PLUGIN_FIELDS, type FieldSpec } from "./fields.js";

/** Kong's UUID rule: 8-4-4-4-12 hex digits, any version. */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Kong's `utf8_name`: any non-ASCII character; of ASCII only alphanumerics and `.`, `-`, `_`, `~`. */
export const NAME_PATTERN = /^(?:[A-Za-z0-9._~-]|[^\x00-\x7F])+$/;

/**
 * Kong's tag rule: printable ASCII (space included, Kong 3.0+) except `,` and `/`, or any non-ASCII
 * character (Kong's `validate_tag`: `^[ \033-\043\045\046\048-\126\128-\244]+$`).
 */
export const TAG_PATTERN = /^(?:[ -+\-.0-~]|[^\x00-\x7F])+$/;

export const CONDITION_MAX_LENGTH = 1024;

/**
 * Names a workspace may not have: the core entity names of Kong (`kong/constants.lua`,
 * `CORE_ENTITIES`, which Kong's workspace schema refuses with `not_one_of`), and `.` and `..`, which
 * would turn `/{workspace}/plugins` into another Admin API path.
 */
export const RESERVED_WORKSPACE_NAMES = [
  "workspaces",
  "consumers",
  "certificates",
  "services",
  "routes",
  "snis",
  "upstreams",
  "targets",
  "plugins",
  "tags",
  "ca_certificates",
  "clustering_data_planes",
  "parameters",
  "vaults",
  "key_sets",
  "keys",
  "filter_chains",
] as const;

export const MESSAGES = {
  string: "expected a string",
  required: "required field missing",
  number: "expected a number",
  integer: "expected an integer",
  boolean: "expected a boolean",
  record: "expected a record",
  set: "expected a set",
  array: "expected an array",
  nonEmpty: "length must be at least 1",
  uuid: "expected a valid UUID",
  nonNegative: "expected a finite number that is not negative",
  name: "the only accepted ascii characters are alphanumerics or ., -, _, and ~",
  tag: "expected printable ascii (except `,` and `/`) or valid utf-8 sequences",
  condition: `length must be at most ${CONDITION_MAX_LENGTH} characters`,
  reservedWorkspace: `must not be one of: ${RESERVED_WORKSPACE_NAMES.join(", ")} (Kong's core entity names)`,
  dotWorkspace: 'must not be "." or "..": the workspace is a segment of every Admin API path',
  ownerTag: `must not start with "${OWNER_TAG_PREFIX}": that tag marks the stack that owns the plugin, and the library writes it`,
  timestamp: "expected a valid timestamp",
  wellFormed: "expected well-formed unicode text, got a lone utf-16 surrogate (Kong cannot parse it, Terraform would replace it)",
  sessionName: 'expected "session"',
  oneOf: (values: readonly string[]) => `expected one of: ${values.join(", ")}`,
  idOrKey: (key: string) => `expected the id or the ${key}, not both`,
} as const;

/** Strings are optional except a foreign key's `id`: a missing one reads as Kong says it. */
const stringError = (issue: { readonly input?: unknown }) => (issue.input === undefined ? MESSAGES.required : MESSAGES.string);
/** A lone surrogate: JSON carries it as `\udXXX`, which Kong's JSON decoder (lua-cjson) refuses. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// `abort`: like Kong, an empty string reports only its length, not also the pattern that follows
export const nonEmptyString = () =>
  z
    .string({ error: stringError })
    .check(
      z.minLength(1, { error: MESSAGES.nonEmpty, abort: true }),
      z.refine((value: string) => !LONE_SURROGATE.test(value), { error: MESSAGES.wellFormed, abort: true }),
    );
const uuid = () => nonEmptyString().check(z.regex(UUID_PATTERN, { error: MESSAGES.uuid }));
const name = () => nonEmptyString().check(z.regex(NAME_PATTERN, { error: MESSAGES.name }));
export const oneOf = (values: readonly string[]) => z.enum(values as [string, ...string[]], { error: MESSAGES.oneOf(values) });

/**
 * Builds the schemas of the field table, one instance per distinct rule: zod schemas are immutable,
 * so fields with the same rule share one (a third of the objects to construct, which is most of the
 * apply-time program's validation time).
 */
class SchemaBuilder {
  private readonly shared = new Map<string, z.ZodMiniType>();
  readonly string = nonEmptyString();
  readonly uuid = uuid();
  readonly name = name();

  field(field: FieldSpec): z.ZodMiniType {
    const key = `${field.kind}|${field.nonNegative ? "+" : ""}|${field.oneOf?.join(",") ?? ""}`;
    let schema = this.shared.get(key);
    if (!schema) this.shared.set(key, (schema = this.create(field)));
    return schema;
  }

  private create(field: FieldSpec): z.ZodMiniType {
    switch (field.kind) {
      case "string":
        return field.oneOf ? this.oneOf(field.oneOf) : this.string;
      case "number": {
        const n = z.number({ error: MESSAGES.number });
        return field.nonNegative ? n.check(z.gte(0, { error: MESSAGES.nonNegative })) : n;
      }
      case "integer":
        return z.int({ error: MESSAGES.integer });
      case "boolean":
        return z.boolean({ error: MESSAGES.boolean });
      case "set":
      case "array":
        return z.array(field.oneOf ? this.oneOf(field.oneOf) : this.string, {
          error: field.kind === "set" ? MESSAGES.set : MESSAGES.array,
        });
    }
  }

  private oneOf(values: readonly string[]): z.ZodMiniType {
    const key = `oneOf|${values.join(",")}`;
    let schema = this.shared.get(key);
    if (!schema) this.shared.set(key, (schema = oneOf(values)));
    return schema;
  }
}

function buildConfigSchema(fields: SchemaBuilder) {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const field of CONFIG_FIELDS) shape[field.kong] = z.optional(fields.field(field));
  return z.strictObject(shape, { error: MESSAGES.record });
}

function buildPluginSchema() {
  const fields = new SchemaBuilder();
  const shape: Record<string, z.ZodMiniType> = {};
  for (const field of PLUGIN_FIELDS) shape[field.kong] = z.optional(fields.field(field));
  const parts = entitySchemaParts();
  Object.assign(shape, {
    name: z.literal("session", { error: MESSAGES.sessionName }),
    ...parts.fields,
    config: z.optional(buildConfigSchema(fields)),
    route: z.optional(parts.foreign("name")),
    service: z.optional(parts.foreign("name")),
  });
  return z.strictObject(shape, { error: MESSAGES.record });
}

function buildEntitySchemaParts() {
  const string = nonEmptyString();
  const uuidSchema = uuid();
  const nameSchema = name();
  const access = z.strictObject({ access: z.optional(z.array(string, { error: MESSAGES.array })) }, { error: MESSAGES.record });
  return {
    /**
     * A route, service, consumer or consumer group: `{ id }`, or its endpoint key (`{ name }`, a
     * consumer's `{ username }`), which Kong resolves to the id (kong/db/dao/init.lua `resolve_foreign`)
     */
    foreign: (key: string) =>
      z
        .strictObject({ id: z.optional(uuidSchema), [key]: z.optional(string) }, { error: MESSAGES.record })
        .check(
          z.refine((value: Record<string, unknown>) => value.id !== undefined || value[key] !== undefined, { error: MESSAGES.required, path: ["id"] }),
          z.refine((value: Record<string, unknown>) => value.id === undefined || value[key] === undefined, { error: MESSAGES.idOrKey(key), path: [key] }),
        ),
    /** the plugin entity's own fields, the same for every plugin (protocols, config and scopes apart) */
    fields: {
      id: z.optional(uuidSchema),
      instance_name: z.optional(nameSchema),
      enabled: z.optional(z.boolean({ error: MESSAGES.boolean })),
      updated_at: z.optional(z.int({ error: MESSAGES.integer })),
      tags: z.optional(
        z.array(
          nonEmptyString().check(
            z.regex(TAG_PATTERN, { error: MESSAGES.tag }),
            z.refine((value: string) => !value.startsWith(OWNER_TAG_PREFIX), { error: MESSAGES.ownerTag }),
          ),
          { error: MESSAGES.set },
        ),
      ),
      // characters (code points), as the official provider counts them (UTF8LengthAtMost(1024))
      condition: z.optional(
        nonEmptyString().check(z.refine((value: string) => codePoints(value) <= CONDITION_MAX_LENGTH, { error: MESSAGES.condition })),
      ),
      // Kong's `timestamp` rule: an integer greater than 0
      created_at: z.optional(z.int({ error: MESSAGES.integer }).check(z.gt(0, { error: MESSAGES.timestamp }))),
      ordering: z.optional(z.strictObject({ after: z.optional(access), before: z.optional(access) }, { error: MESSAGES.record })),
      partials: z.optional(
        z.array(
          z.strictObject({ id: z.optional(uuidSchema), name: z.optional(nameSchema), path: z.optional(string) }, { error: MESSAGES.record }),
          { error: MESSAGES.array },
        ),
      ),
    },
  };
}

let parts: ReturnType<typeof buildEntitySchemaParts> | undefined;

/** The schemas of the plugin entity's own fields, built once, shared by every plugin's schema. */
export function entitySchemaParts(): ReturnType<typeof buildEntitySchemaParts> {
  return (parts ??= buildEntitySchemaParts());
}

let pluginSchema: ReturnType<typeof buildPluginSchema> | undefined;

/** The schema of the whole plugin body, in Kong's names (built once, on first use). */
export function sessionPluginSchema(): ReturnType<typeof buildPluginSchema> {
  return (pluginSchema ??= buildPluginSchema());
}

function buildWorkspaceSchema() {
  return name().check(
    z.refine((value: string) => value !== "." && value !== "..", { error: MESSAGES.dotWorkspace, abort: true }),
    z.refine((value: string) => !(RESERVED_WORKSPACE_NAMES as readonly string[]).includes(value), { error: MESSAGES.reservedWorkspace }),
  );
}

let workspace: ReturnType<typeof buildWorkspaceSchema> | undefined;

/**
 * The workspace name: Kong's name rule, not one of Kong's reserved names, not `.` or `..` (it is a
 * path segment). Built once, on first use.
 */
export function workspaceSchema() {
  return (workspace ??= buildWorkspaceSchema());
}

/** The length of a string in characters (code points), as Go's `utf8.RuneCountInString` counts. */
function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}
