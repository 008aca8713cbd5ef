/**
 * The typed construct of every plugin: src/plugins/generated/<name>.ts (class, props and config
 * types, JSDoc of facts) and src/plugins/generated/index.ts. The session plugin keeps its hand-written
 * `PluginSession`.
 */
import type { PluginFacts } from "../../src/schema/facts.js";
import { describeMask } from "../../src/schema/engine/target.js";
import { HEADER, type Files } from "./emit.js";
import type { KongData } from "./kong-data.js";
import { key, pluginModel, type PluginModel, type PropModel } from "./plugin-model.js";

const DIR = "src/plugins/generated";

/** Plugins whose construct is hand-written. */
export const HAND_WRITTEN = new Set(["session"]);

export function emitConstructs(files: Files, plugins: readonly PluginFacts[], _kong: KongData): void {
  const exported = new Map<string, string>();
  const index: string[] = [HEADER, ""];
  for (const facts of plugins) {
    if (HAND_WRITTEN.has(facts.name)) continue;
    const model = pluginModel(facts);
    const names = [model.construct, `${model.construct}Props`, ...model.records.map((r) => r.name)];
    for (const name of names) {
      const other = exported.get(name);
      if (other !== undefined) throw new Error(`the plugins ${other} and ${facts.name} would both export ${name}`);
      exported.set(name, facts.name);
    }
    files.set(`${DIR}/${facts.name}.ts`, constructFile(model));
    index.push(`export {\n${names.map((name, i) => `  ${i === 0 ? "" : "type "}${name},`).join("\n")}\n} from "./${facts.name}.js";`);
  }
  files.set(`${DIR}/index.ts`, `${index.join("\n")}\n`);
}

/** A JSDoc comment: its lines, indented; `*\/` inside broken up. */
function jsdoc(lines: readonly string[], indent = ""): string {
  const safe = lines.map((line) => line.replace(/\*\//g, "*\\/"));
  return [`${indent}/**`, ...safe.map((line) => (line === "" ? `${indent} *` : `${indent} * ${line}`)), `${indent} */`].join("\n");
}

function propLines(prop: PropModel): string {
  const doc = jsdoc([prop.summary, "", prop.details.join(" "), `@default ${prop.defaultText}`], "  ");
  return `${doc}\n  readonly ${key(prop.prop)}${prop.required ? "" : "?"}: ${prop.type};`;
}

function constructFile(model: PluginModel): string {
  const { construct, name } = model;
  const baseTypes = ["type KongPluginEntityProps", ...(model.uses.entityReference ? ["type KongEntityReference"] : [])].sort((a, b) => a.localeCompare(b));
  const aliases = [...(model.uses.oneOf ? ["OneOf"] : []), ...(model.uses.resolvable ? ["Resolvable"] : [])];
  const base = model.omitted.length > 0 ? `Omit<KongPluginEntityProps, ${model.omitted.map((s) => JSON.stringify(s)).join(" | ")}>` : "KongPluginEntityProps";
  const example = [
    `new ${construct}(stack, ${JSON.stringify(name)}${model.example.length > 0 ? ", {" : ");"}`,
    ...(model.example.length > 0 ? [...model.example.flatMap((line) => line.split("\n")).map((line) => `  ${line}`), "});"] : []),
  ];

  const out: string[] = [
    HEADER,
    'import type { Construct } from "constructs";',
    `import { ${["KongPluginConstruct", ...baseTypes].join(", ")} } from "../../kong-plugin.js";`,
    ...(aliases.length > 0 ? [`import type { ${aliases.join(", ")} } from "../../schema/types.js";`] : []),
    "",
    jsdoc([
      `Kong Gateway's \`${name}\` plugin (the official provider's \`${model.resource}\`), validated at synth for the provider's Kong version and edition and provisioned through the Kong Admin API at apply.`,
      "",
      `In ${model.where}.`,
      "",
      "@example",
      ...example,
      "",
      `@see https://developer.konghq.com/plugins/${name}/reference/`,
    ]),
    `export class ${construct} extends KongPluginConstruct {`,
    `  constructor(scope: Construct, id: string, props: ${construct}Props${model.propsRequired ? "" : " = {}"}) {`,
    `    super(scope, id, props, () => KongPluginConstruct.typed(${JSON.stringify(name)}, props));`,
    "  }",
    "}",
    "",
    jsdoc([`Props of {@link ${construct}}: the entity attributes of every plugin, and the \`${name}\` plugin's own.`]),
    `export interface ${construct}Props extends ${base} {`,
    model.entityProps.map(propLines).join("\n"),
    "}",
  ];
  for (const record of model.records) {
    out.push(
      "",
      jsdoc([`\`${record.kongPath}\` of the \`${name}\` plugin${record.versions === describeMask(model.facts.ee) ? "" : ` (Kong Enterprise ${record.versions})`}.`]),
      `export interface ${record.name} {\n${record.props.map(propLines).join("\n")}\n}`,
    );
  }
  return `${out.join("\n")}\n`;
}
