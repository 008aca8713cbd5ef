/**
 * The CLI's commands and the library functions behind them, for use from scripts and tests
 * (the `kong-gateway-cdktf` binary is `main.ts`).
 */
export { main, TOOL_HELP } from "./main.js";
export { importCommand } from "./import-command.js";
export { diffCommand, type DiffStatus, type PluginDiff } from "./diff-command.js";
export { validateCommand } from "./validate-command.js";
export { EXIT, type CliEnv, type CliIo, type Command } from "./io.js";
export { parseImportId, type ImportId } from "./import-id.js";
export { generateSession, propsFromPlugin, constructIdFor, type GeneratedSession } from "./codegen.js";
export { comparePlugin, type Comparison, type FieldChange } from "./compare.js";
export { readSynthOutput, desiredPlugins, type DesiredPlugin, type SynthStack } from "./stacks.js";
export { generatePlugin, pluginConstructId, type GeneratedPlugin, type GenerateOptions } from "./codegen-plugin.js";
export { comparePluginByFacts, resolveStackTarget } from "./compare-facts.js";
