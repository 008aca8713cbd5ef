/**
 * `node:util` `parseArgs` with the CLI's messages: lowercase, naming the command and a likely flag.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { closest } from "../schema/suggest.js";
import { CliUsageError } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** What {@link parseFlags} returns for the options `T`. */
export type ParsedFlags<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: boolean }>>;

/**
 * Parses the arguments of a command strictly.
 *
 * @throws CliUsageError for an unknown flag, a missing value, or an argument the command does not take
 */
export function parseFlags<const T extends Options>(
  command: string,
  argv: readonly string[],
  options: T,
  allowPositionals: boolean,
): ParsedFlags<T> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    const help = `see kong-gateway-cdktf ${command} --help`;
    const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && flag) {
      const guess = closest(flag.replace(/^-+/, ""), Object.keys(options));
      throw new CliUsageError(`unknown option ${flag} for ${command}${guess ? ` (did you mean --${guess}?)` : ""}: ${help}`);
    }
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && flag) {
      const takesValue = options[flag.replace(/^-+/, "")]?.type === "string";
      throw new CliUsageError(`option ${flag} ${takesValue ? "needs a value" : "takes no value"}: ${help}`);
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      const argument = /argument '([^']*)'/.exec(message)?.[1];
      throw new CliUsageError(`${command} takes no argument${argument !== undefined ? ` (got ${JSON.stringify(argument)})` : ""}: ${help}`);
    }
    throw new CliUsageError(`${message.split("\n")[0]!.replace(/\.$/, "").toLowerCase()}: ${help}`);
  }
}
