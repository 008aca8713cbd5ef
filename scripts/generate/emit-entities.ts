/**
 * The typed construct of every core entity: src/entities/generated/<name>.ts (class and props, JSDoc
 * of facts) and src/entities/generated/index.ts, from the entities' facts and src/schema/entity-kinds.ts.
 * A foreign key is typed as the construct of the entity it points at, `{ id }`, or its endpoint key (`{ name }`).
 */
import { describeMask, describeOssMask } from "../../src/schema/engine/target.js";
import { ENTITY_KIND_BY_NAME, ENTITY_KINDS, type EntityKind } from "../../src/schema/entity-kinds.js";
import type { EntityFacts, FieldFacts } from "../../src/schema/facts.js";
import { propName } from "../../src/schema/naming.js";
import { HEADER, type Files } from "./emit.js";
import { key } from "./plugin-model.js";

const DIR = "src/entities/generated";
/** Fields no construct sets: the id is a prop of every entity, the timestamps are Kong's. */
const SKIPPED = new Set(["id", "created_at", "updated_at"]);

function jsdoc(lines: readonly string[], indent = ""): string {
  const safe = lines.filter((line, i, all) => !(line === "" && (i === 0 || all[i - 1] === ""))).map((line) => line.replace(/\*\//g, "*\\/"));
  while (safe[safe.length - 1] === "") safe.pop();
  return [`${indent}/**`, ...safe.map((line) => (line === "" ? `${indent} *` : `${indent} * ${line}`)), `${indent} */`].join("\n");
}

interface Uses {
  oneOf: boolean;
  resolvable: boolean;
  kinds: Set<string>;
}

/** The TypeScript type of a field (its newest attributes; enums of every version). */
function typeOf(field: FieldFacts, uses: Uses, indent: string): string {
  switch (field.t) {
    case "string": {
      const values = new Set<string>([...(field.e ?? []).map(String), ...(field.x ?? []).flatMap(([, a]) => (a.e ?? []).map(String))]);
      if (values.size > 0 && field.e) {
        uses.oneOf = true;
        return `OneOf<${[...values].map((v) => JSON.stringify(v)).join(" | ")}>`;
      }
      return "string";
    }
    case "integer":
    case "number":
      return "number";
    case "boolean":
      uses.resolvable = true;
      return "boolean | Resolvable";
    case "array": {
      const item = field.i ? typeOf(field.i, uses, indent) : "unknown";
      return /[|{]/.test(item) ? `Array<${item}>` : `${item}[]`;
    }
    case "map":
      return `Record<string, ${field.m ? typeOf(field.m, uses, indent) : "unknown"}>`;
    case "record": {
      const inner = `${indent}  `;
      const props = Object.entries(field.f ?? {}).map(([name, child]) => `${inner}readonly ${key(propName(name))}?: ${typeOf(child, uses, inner)};`);
      return props.length === 0 ? "Record<string, never>" : `{\n${props.join("\n")}\n${indent}}`;
    }
    default:
      return "unknown";
  }
}

/** What a field holds, in a sentence. */
function phrase(field: FieldFacts): string {
  const noun = (f: FieldFacts | undefined): string => {
    switch (f?.t) {
      case "string":
        return f.e ? "value" : "string";
      case "integer":
        return "integer";
      case "number":
        return "number";
      case "boolean":
        return "boolean";
      case "array":
        return `list of ${plural(noun(f.i))}`;
      case "map":
        return `map of ${plural(noun(f.m))} by name`;
      case "record":
        return "record";
      default:
        return "value";
    }
  };
  const plural = (text: string) => (text.startsWith("list of") || text.startsWith("map of") ? text.replace(/^(list|map)/, "$1s") : `${text}s`);
  const text = noun(field);
  return `${/^[aeiou]/.test(text) ? "An" : "A"} ${text}.`;
}

/** Sentences of facts about one field. */
function details(kind: EntityKind, facts: EntityFacts, name: string, field: FieldFacts): string[] {
  const out: string[] = [];
  if (field.e) out.push(`One of ${field.e.map((v) => `\`${JSON.stringify(v)}\``).join(", ")}.`);
  if (field.i?.e) out.push(`Each one of ${field.i.e.map((v) => `\`${JSON.stringify(v)}\``).join(", ")}.`);
  if (field.min !== undefined && field.max !== undefined) out.push(`From ${field.min} to ${field.max}.`);
  else if (field.min !== undefined) out.push(`At least ${field.min}.`);
  else if (field.max !== undefined) out.push(`At most ${field.max}.`);
  if (field.minLen !== undefined && field.t === "array") out.push(`At least ${field.minLen} item${field.minLen === 1 ? "" : "s"}.`);
  if (field.v !== undefined && field.v !== facts.ee) out.push(`Kong Enterprise ${describeMask(field.v)}.`);
  if (field.o !== undefined && facts.oss !== 0) out.push(field.o === 0 ? "Not in open-source Kong." : `Open-source Kong ${describeOssMask(field.o)}.`);
  if (field.enc || (kind.secrets ?? []).includes(name)) out.push("A secret: never printed; pass a sensitive variable or a vault reference.");
  if (kind.unique.includes(name)) out.push(`Unique among the ${kind.collection} of a workspace.`);
  return out;
}

function defaultText(field: FieldFacts): string {
  if (field.d !== undefined) return JSON.stringify(field.d);
  return "- none";
}

function entityFile(kind: EntityKind, facts: EntityFacts): string {
  const uses: Uses = { oneOf: false, resolvable: false, kinds: new Set() };
  const lines: string[] = [];
  for (const [name, field] of Object.entries(facts.fields.f ?? {})) {
    if (SKIPPED.has(name) || (kind.excluded ?? []).includes(name)) continue;
    const prop = propName(name);
    const target = kind.foreign[name];
    let type: string;
    let summary: string;
    if (target) {
      const targetKind = ENTITY_KIND_BY_NAME.get(target)!;
      if (targetKind.name !== kind.name) uses.kinds.add(target);
      const key = targetKind.endpointKey;
      type = `${targetKind.construct} | { readonly id: string }${key ? ` | { readonly ${key}: string }` : ""}`;
      summary = `The ${targetKind.what} it belongs to: a \`${targetKind.construct}\` construct of the same provider and workspace, \`{ id }\`${key ? `, or \`{ ${key} }\` (one the app declares stands for its construct; any other is looked up at apply)` : ""}.`;
    } else {
      type = typeOf(field, uses, "  ");
      summary = phrase(field);
    }
    const required = name === kind.parent || (field.req === true && field.d === undefined && !(kind.name === "services" && name === "host"));
    const doc = jsdoc([summary, "", ...details(kind, facts, name, field), "", `Kong: \`${name}\`.`, ...(required ? [] : [`@default ${defaultText(field)}`])], "  ");
    lines.push(`${doc}\n  readonly ${key(prop)}${required ? "" : "?"}: ${type};`);
  }
  const required = lines.some((line) => /readonly [A-Za-z0-9]+: /.test(line));
  const where = [facts.oss !== 0 ? `open-source Kong ${describeOssMask(facts.oss)}` : "", `Kong Enterprise ${describeMask(facts.ee)}`].filter(Boolean).join(", ");
  const imports = [
    HEADER,
    'import type { Construct } from "constructs";',
    'import { KongEntityConstruct, type KongEntityProps } from "../../kong-entity.js";',
    ...(uses.oneOf || uses.resolvable ? [`import type { ${[...(uses.oneOf ? ["OneOf"] : []), ...(uses.resolvable ? ["Resolvable"] : [])].join(", ")} } from "../../schema/types.js";`] : []),
    ...[...uses.kinds].sort().map((name) => `import type { ${ENTITY_KIND_BY_NAME.get(name)!.construct} } from "./${name}.js";`),
  ];
  return `${[
    ...imports,
    "",
    jsdoc([
      `Kong Gateway's ${kind.what} (the official provider's \`${kind.resource}\`; Admin API \`/${kind.collection}\`), validated at synth for the provider's Kong version and edition and written at apply by the stack's sync resource${kind.parent ? `, after the ${ENTITY_KIND_BY_NAME.get(kind.foreign[kind.parent]!)!.what} it belongs to` : ""}.`,
      "",
      `In ${where}.`,
    ]),
    `export class ${kind.construct} extends KongEntityConstruct {`,
    `  constructor(scope: Construct, id: string, props: ${kind.construct}Props${required ? "" : " = {}"}) {`,
    `    super(scope, id, ${JSON.stringify(kind.name)}, props);`,
    "  }",
    "}",
    "",
    jsdoc([`Props of {@link ${kind.construct}}: the ${kind.what}'s Kong fields, camelCased.`]),
    `export interface ${kind.construct}Props extends KongEntityProps {`,
    lines.join("\n"),
    "}",
  ].join("\n")}\n`;
}

export function emitEntityConstructs(files: Files, entities: readonly EntityFacts[]): void {
  const index: string[] = [HEADER, ""];
  for (const kind of ENTITY_KINDS) {
    const facts = entities.find((e) => e.name === kind.name)!;
    files.set(`${DIR}/${kind.name}.ts`, entityFile(kind, facts));
    index.push(`export { ${kind.construct}, type ${kind.construct}Props } from "./${kind.name}.js";`);
  }
  files.set(`${DIR}/index.ts`, `${index.join("\n")}\n`);
}
