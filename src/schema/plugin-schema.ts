/**
 * The zod schema of a session plugin as Kong receives it (snake_case), built from the field table.
 *
 * It uses `zod/mini`: the apply-time program re-validates with this very schema, and the mini API
 * keeps that program small and fast to start. The schema is built on first use, not at import.
 */
import * as z from "zod/mini";
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
  condition: `length must be at most ${CONDITION_MAX_LENGTH}`,
  sessionName: 'expected "session"',
  oneOf: (values: readonly string[]) => `expected one of: ${values.join(", ")}`,
} as const;

/** Strings are optional except a foreign key's `id`: a missing one reads as Kong says it. */
const stringError = (issue: { readonly input?: unknown }) => (issue.input === undefined ? MESSAGES.required : MESSAGES.string);
// `abort`: like Kong, an empty string reports only its length, not also the pattern that follows
const nonEmptyString = () => z.string({ error: stringError }).check(z.minLength(1, { error: MESSAGES.nonEmpty, abort: true }));
const uuid = () => nonEmptyString().check(z.regex(UUID_PATTERN, { error: MESSAGES.uuid }));
const name = () => nonEmptyString().check(z.regex(NAME_PATTERN, { error: MESSAGES.name }));
const oneOf = (values: readonly string[]) => z.enum(values as [string, ...string[]], { error: MESSAGES.oneOf(values) });

function fieldSchema(field: FieldSpec): z.ZodMiniType {
  switch (field.kind) {
    case "string":
      return field.oneOf ? oneOf(field.oneOf) : nonEmptyString();
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
      return z.array(field.oneOf ? oneOf(field.oneOf) : nonEmptyString(), {
        error: field.kind === "set" ? MESSAGES.set : MESSAGES.array,
      });
  }
}

function buildConfigSchema() {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const field of CONFIG_FIELDS) shape[field.kong] = z.optional(fieldSchema(field));
  return z.strictObject(shape, { error: MESSAGES.record });
}

function buildPluginSchema() {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const field of PLUGIN_FIELDS) shape[field.kong] = z.optional(fieldSchema(field));
  const access = z.strictObject(
    { access: z.optional(z.array(nonEmptyString(), { error: MESSAGES.array })) },
    { error: MESSAGES.record },
  );
  const foreign = z.strictObject({ id: uuid() }, { error: MESSAGES.record });
  Object.assign(shape, {
    name: z.literal("session", { error: MESSAGES.sessionName }),
    id: z.optional(uuid()),
    instance_name: z.optional(name()),
    tags: z.optional(
      z.array(nonEmptyString().check(z.regex(TAG_PATTERN, { error: MESSAGES.tag })), { error: MESSAGES.set }),
    ),
    condition: z.optional(nonEmptyString().check(z.maxLength(CONDITION_MAX_LENGTH, { error: MESSAGES.condition }))),
    config: z.optional(buildConfigSchema()),
    ordering: z.optional(
      z.strictObject({ after: z.optional(access), before: z.optional(access) }, { error: MESSAGES.record }),
    ),
    partials: z.optional(
      z.array(
        z.strictObject(
          { id: z.optional(uuid()), name: z.optional(name()), path: z.optional(nonEmptyString()) },
          { error: MESSAGES.record },
        ),
        { error: MESSAGES.array },
      ),
    ),
    route: z.optional(foreign),
    service: z.optional(foreign),
  });
  return z.strictObject(shape, { error: MESSAGES.record });
}

let pluginSchema: ReturnType<typeof buildPluginSchema> | undefined;

/** The schema of the whole plugin body, in Kong's names (built once, on first use). */
export function sessionPluginSchema(): ReturnType<typeof buildPluginSchema> {
  return (pluginSchema ??= buildPluginSchema());
}

/** The workspace name: Kong's name rule (it is also a path segment). */
export function workspaceSchema() {
  return name();
}
