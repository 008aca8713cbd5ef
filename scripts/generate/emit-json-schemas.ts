/**
 * The emulator's compact JSON Schemas of every plugin and version (facts only), validated by an
 * independent JSON Schema library: src/testing/generated/.
 */
import type { Files } from "./emit.js";
import type { KongData } from "./kong-data.js";

export function emitJsonSchemas(_files: Files, _kong: KongData): void {
  // written by the JSON Schema emitter
}
