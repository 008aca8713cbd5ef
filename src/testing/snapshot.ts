/**
 * Snapshot helpers: the synthesized JSON names the apply-time program by its content hash
 * (`assets/kong-session-runtime/<hash>/kong-session.cjs`), which changes with every release of this
 * library. Masking it keeps your snapshot tests about your stack.
 */

const RUNTIME_ASSET = /assets\/kong-session-runtime\/[0-9A-F]{32}\//g;

/**
 * Replaces the runtime's content hash in synthesized JSON (a string, e.g. from `Testing.synth`)
 * with `<hash>`.
 *
 * @example
 * expect(maskRuntimeAssetHash(Testing.synth(stack))).toMatchSnapshot();
 */
export function maskRuntimeAssetHash(synthesized: string): string {
  return synthesized.replace(RUNTIME_ASSET, "assets/kong-session-runtime/<hash>/");
}
