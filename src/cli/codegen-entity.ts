/**
 * A live core entity (a service, a route, a consumer, a credential, …) as TypeScript: `const orders =
 * new Service(this, "orders", { id, … })`, with every field that differs from Kong's default at the
 * live Kong's version, its foreign keys as the constructs printed before it (else `{ id }`), and its
 * secrets never printed: a field Kong generates (a key-auth key, a JWT secret) is a comment line
 * (every apply keeps it while the code leaves it unset); any other secret (a certificate's key, a
 * basic-auth password, which Kong keeps only hashed) is read from a sensitive `TerraformVariable`.
 */
import type { KongEntity } from "../runtime/client.js";
import { userTags } from "../runtime/ownership.js";
import { existsAt } from "../schema/engine/facts-schema.js";
import { defaultOf } from "../schema/engine/stored-facts.js";
import type { ResolvedTarget } from "../schema/engine/target.js";
import { convertEntityProps, entitySecretPaths, validateEntityBody } from "../schema/engine/validate-entity.js";
import type { EntityKind } from "../schema/entity-kinds.js";
import type { EntityFacts, FieldFacts } from "../schema/facts.js";
import { propName } from "../schema/naming.js";
import { sameJson } from "../schema/stored.js";
import { formatIssue } from "../schema/validate.js";
import { identifierOf, sensitiveVariable } from "./codegen-plugin.js";
import { isRecord, isVaultReference } from "./plugin-values.js";
import { Code, CommentedOut, isIdentifier, referenceProp, renderObject } from "./render.js";

/** The code of one entity. */
export interface GeneratedEntity {
  /** the variable that holds the construct, when another refers to it */
  readonly variable?: string;
  readonly code: string;
  readonly warnings: readonly string[];
  readonly notes: readonly string[];
  readonly constructs: readonly string[];
  readonly cdktf: readonly string[];
}

/** What generating one entity needs. */
export interface EntityGenerateOptions {
  readonly workspace?: string;
  readonly constructId: string;
  readonly target: ResolvedTarget;
  /** the entities printed before, by id in lower case: their variables */
  readonly references: ReadonlyMap<string, string>;
  /** the variable and construct names taken in the output (filled in) */
  readonly names: Set<string>;
  /** whether a construct printed after it refers to it: then it is held in a const */
  readonly referenced: boolean;
}

/** Words no variable may be named (JavaScript's and TypeScript's reserved words), and the constructor's own names. */
const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "as implements interface let package private protected public static yield any boolean constructor declare get module require number set string symbol type from of async await undefined arguments eval scope id"
  ).split(" "),
);

/** Not printed: the id is a prop of its own, the timestamps are Kong's. */
const SKIPPED = new Set(["id", "created_at", "updated_at"]);

/**
 * The construct id of a live entity: its name (a service's or route's `name`, a consumer's
 * `username`, a vault's `prefix`, …; `/` made `_`), else `<kind>_<first 8 characters of the id>`
 * (`key_auth_5d6b1c2e`).
 */
export function entityConstructId(kind: EntityKind, entity: KongEntity): string {
  for (const field of ["name", "username", "prefix", "custom_id"]) {
    const value = entity[field];
    if (typeof value === "string" && value !== "" && !kind.parent) return value.replace(/\//g, "_");
  }
  return `${kind.construct.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()}_${entity.id.slice(0, 8)}`;
}

export function generateEntity(kind: EntityKind, facts: EntityFacts, entity: KongEntity, options: EntityGenerateOptions): GeneratedEntity {
  const where = options.workspace ? `in workspace ${options.workspace}` : "(default workspace)";
  const index = options.target.dataIndex;
  const warnings: string[] = [];
  const notes: string[] = [];
  const variables: string[] = [];
  const props: Record<string, unknown> = { id: entity.id };
  if (options.workspace) props.workspace = options.workspace;
  const secretVariable = (name: string): Code => {
    const variable = sensitiveVariable(options.names, `${options.constructId}_${name}`, `${name} of the ${kind.what} ${entity.id}`);
    variables.push(variable.statement);
    notes.push(`${kind.what} ${entity.id} ${where}: ${name} ${variable.note}`);
    return variable.code;
  };
  const leftOut: string[] = [];
  // every secret string of the live entity, at any depth (a key's pem.private_key, a vault's config token)
  const secretAt = new Set(entitySecretPaths(kind, facts, entity, index).map((s) => JSON.stringify(s.kongPath)));
  const hide = (field: FieldFacts | undefined, value: unknown, kongPath: Array<string | number>): unknown => {
    if (typeof value === "string") {
      if (!secretAt.has(JSON.stringify(kongPath)) || isVaultReference(value)) return value;
      const top = kongPath.length === 1 && typeof kongPath[0] === "string" ? kongPath[0] : undefined;
      if (top !== undefined && (kind.generated ?? []).includes(top)) return new CommentedOut("was set in Kong (not printed); while unset here every apply keeps it: to manage it, pass a sensitive TerraformVariable");
      return secretVariable(kongPath.join("_"));
    }
    if (value === null || typeof value !== "object" || field === undefined) return value;
    if (Array.isArray(value)) return value.map((item, i) => hide(field.t === "array" ? field.i : undefined, item, [...kongPath, i]));
    if (field.t === "record") {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .filter(([, item]) => item !== null)
          .map(([key, item]) => [field.f?.[key] ? propName(key) : key, hide(field.f?.[key], item, [...kongPath, key])]),
      );
    }
    // a map keeps its keys; its values (untyped for a vault's config) are walked for secrets too
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, hide(field.t === "map" ? (field.m?.t === "any" ? field : field.m) : field, item, [...kongPath, key])]));
  };
  for (const [name, field] of Object.entries(facts.fields.f ?? {})) {
    if (SKIPPED.has(name) || (kind.excluded ?? []).includes(name) || !existsAt(field, index)) continue;
    const value = name === "tags" ? userTags(entity.tags) : entity[name];
    if (value === undefined || value === null) continue;
    if (name === "tags") {
      if (Array.isArray(value) && value.length > 0) props.tags = value;
      continue;
    }
    if (name in kind.foreign) {
      if (isRecord(value) && typeof value.id === "string") props[propName(name)] = referenceProp(value.id, options.references);
      continue;
    }
    if (isDefault(field, value, index)) continue;
    props[propName(name)] = hide(field, value, [name]);
  }
  for (const [name, value] of Object.entries(entity)) {
    if (!(name in (facts.fields.f ?? {})) && !SKIPPED.has(name) && value !== null && !(kind.excluded ?? []).includes(name)) leftOut.push(name);
  }
  if (leftOut.length > 0) warnings.push(`${kind.what} ${entity.id} ${where}: left out ${leftOut.join(", ")}: not fields of ${kind.construct}`);

  // the live entity against this library's rules, as the construct will check it
  const isCode = (value: unknown) => value instanceof Code || value instanceof CommentedOut;
  const withoutComments = Object.fromEntries(Object.entries(props).filter(([key, value]) => !(value instanceof CommentedOut) && key !== "id" && key !== "workspace"));
  const { body, issues } = convertEntityProps(facts, withoutComments, isCode);
  for (const issue of [...issues, ...validateEntityBody(kind, facts, body, options.target, isCode)]) {
    warnings.push(`${kind.what} ${entity.id} ${where}: the live value breaks a rule of this library: ${formatIssue(issue)}`);
  }

  // the construct id itself when it is an identifier (`service_orders`), else its camelCase
  let variable: string | undefined;
  if (options.referenced) {
    const plain = isIdentifier(options.constructId) ? options.constructId : identifierOf(options.constructId.replace(/[^A-Za-z0-9]+/g, "_"));
    // never a reserved word, nor a name the code uses already (the classes it imports, the constructor's parameters)
    const base = RESERVED.has(plain) ? `${plain}_` : plain;
    variable = base;
    for (let n = 2; options.names.has(variable); n++) variable = `${base}_${n}`;
    options.names.add(variable);
  }
  const statement = `new ${kind.construct}(this, ${JSON.stringify(options.constructId)}, ${renderObject(props, "")});`;
  const lines = [`// ${kind.what} ${entity.id} ${where}`, ...warnings.map((w) => `// warning: ${w}`), ...variables, variable ? `const ${variable} = ${statement}` : statement];
  return { ...(variable ? { variable } : {}), code: `${lines.join("\n")}\n`, warnings, notes, constructs: [kind.construct], cdktf: variables.length > 0 ? ["TerraformVariable"] : [] };
}

/** Whether a live value is what Kong stores when a write leaves the field out. */
function isDefault(field: FieldFacts, value: unknown, index: number): boolean {
  const fallback = defaultOf(field, index);
  return fallback !== null && sameJson(value, fallback);
}
