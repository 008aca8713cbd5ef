#!/usr/bin/env node
/**
 * `kong-gateway-cdktf`: adopt live plugins (`import`), find drift (`diff`) and check a plugin
 * configuration offline (`validate`), serve an offline Kong Admin API (`emulator`). {@link main}
 * returns the exit code; only the bootstrap at the bottom touches `process`.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { diffCommand, DIFF_HELP } from "./diff-command.js";
import { emulatorCommand, EMULATOR_HELP } from "./emulator-command.js";
import { importCommand, IMPORT_HELP } from "./import-command.js";
import { CliUsageError, EXIT, Output, type CliEnv, type CliIo, type Command } from "./io.js";
import { validateCommand, VALIDATE_HELP } from "./validate-command.js";
import { closest } from "../schema/suggest.js";

export const TOOL = "kong-gateway-cdktf";

const COMMANDS: Record<string, { readonly run: Command; readonly help: string; readonly summary: string }> = {
  import: { run: importCommand, help: IMPORT_HELP, summary: "print TypeScript that adopts live plugins" },
  diff: { run: diffCommand, help: DIFF_HELP, summary: "compare a synthesized app with live Kong (drift)" },
  validate: { run: validateCommand, help: VALIDATE_HELP, summary: "validate a plugin configuration, or a synthesized app, offline" },
  emulator: { run: emulatorCommand, help: EMULATOR_HELP, summary: "serve an offline Kong Admin API until interrupted" },
};

export const TOOL_HELP = `usage: ${TOOL} <command> [options]

Companion tool of cdktf-kong-gateway, Kong Gateway plugins for CDK for Terraform.

commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(10)}${command.summary}`)
  .join("\n")}
  help CMD  the help of a command (also: ${TOOL} CMD --help)

options:
  -h, --help     this help
  -v, --version  the version

Results go to stdout, progress and errors to stderr. The admin token is read from KONG_ADMIN_TOKEN
only and never printed, nor is any plugin's secret.`;

/**
 * Runs the tool and returns the exit code: 0 done, 1 error, 2 `diff` found differences. Never throws.
 *
 * @param argv the arguments after the program, e.g. `["diff", "--json"]`
 */
export async function main(argv: readonly string[], env: CliEnv, io: CliIo): Promise<number> {
  const out = new Output(io);
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === "-h" || first === "--help") {
      (first === undefined ? out.progress.bind(out) : (text: string) => out.result(`${text}\n`))(TOOL_HELP);
      return first === undefined ? EXIT.error : EXIT.ok;
    }
    if (first === "-v" || first === "--version") {
      out.result(`${version()}\n`);
      return EXIT.ok;
    }
    if (first === "help") {
      const topic = rest[0];
      if (topic === undefined) {
        out.result(`${TOOL_HELP}\n`);
        return EXIT.ok;
      }
      const command = COMMANDS[topic];
      if (!command) throw unknownCommand(topic);
      out.result(`${command.help}\n`);
      return EXIT.ok;
    }
    const command = COMMANDS[first];
    if (!command) throw unknownCommand(first);
    return await command.run(rest, env, io);
  } catch (error) {
    out.error(error);
    return EXIT.error;
  }
}

function unknownCommand(name: string): CliUsageError {
  const guess = closest(name, Object.keys(COMMANDS));
  return new CliUsageError(
    `unknown command ${JSON.stringify(name)}${guess ? ` (did you mean ${guess}?)` : ""}: commands are ${Object.keys(COMMANDS).join(", ")}; see ${TOOL} --help`,
  );
}

/** The package version, from the package.json beside `dist/` (or `src/`). */
function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version?: string };
    return `${TOOL} ${pkg.version ?? "unknown"}`;
  } catch {
    return `${TOOL} unknown`;
  }
}

if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
  main(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = EXIT.error;
    },
  );
}
