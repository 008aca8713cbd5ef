/** Helpers for the schema tests: run the public validation and read its issues compactly. */
import { App, TerraformStack, Testing } from "cdktf";
import { formatValidationIssues, validatePluginSession, type PluginSessionAttributes, type ValidationIssue } from "../../src/index.js";
import { formatPath } from "../../src/schema/index.js";

/** An issue as the tests compare it: where (prop and Kong path), what kind, the message and the hint. */
export interface Problem {
  readonly at: string;
  readonly kong: string;
  readonly code: ValidationIssue["code"];
  readonly message: string;
  readonly hint?: string;
}

const compact = (issue: ValidationIssue): Problem => ({
  at: issue.propPath,
  kong: formatPath(issue.kongPath),
  code: issue.code,
  message: issue.message,
  ...(issue.hint === undefined ? {} : { hint: issue.hint }),
});

/** Every problem `validatePluginSession` finds; attributes are untyped so tests can pass wrong types. */
export function problems(attributes: unknown): Problem[] {
  return validatePluginSession(attributes as PluginSessionAttributes).issues.map(compact);
}

/** The Kong body of valid attributes; fails the test when any problem is found. */
export function payloadOf(attributes: unknown): Record<string, any> {
  const result = validatePluginSession(attributes as PluginSessionAttributes);
  if (!result.success) throw new Error(formatValidationIssues("test attributes", result.issues));
  return result.payload;
}

/** The whole message a user reads for these attributes (empty when valid). */
export function messageOf(attributes: unknown, subject = 'session plugin at "payments/session"'): string {
  const result = validatePluginSession(attributes as PluginSessionAttributes);
  return result.success ? "" : formatValidationIssues(subject, result.issues);
}

/** A stack to create cdktf tokens (variables, references) in. */
export function tokenStack(): TerraformStack {
  return new TerraformStack(Testing.app() as App, "payments");
}

export const VALID_UUID = "3473c251-5b6c-4f45-b1ff-7ede735a366d";
