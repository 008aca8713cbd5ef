/**
 * Kong's error answers turned into typed errors whose messages tell a person what to do.
 */
import {
  KongApiError,
  KongForbiddenError,
  KongForeignKeyError,
  KongSchemaViolationError,
  KongUnauthorizedError,
  KongUniqueViolationError,
  KongWorkspaceNotFoundError,
  type KongApiErrorDetails,
  type KongFieldViolation,
} from "./errors.js";
import { REDACTED, type Redactor } from "./log.js";

/** An error answer and where it came from. */
export interface ErrorAnswer {
  readonly status: number;
  readonly method: string;
  /** the request path as sent, e.g. `/team-payments/plugins/6f1c…` */
  readonly path: string;
  /** the full URL, without user info */
  readonly url: string;
  /** the server URL as configured, without user info */
  readonly serverUrl: string;
  /** parsed JSON, or the text when it was not JSON */
  readonly body: unknown;
  readonly attempts: number;
  /** the workspace of the request ("" or undefined for none) */
  readonly workspace: string | undefined;
  /** whether a token was sent */
  readonly hasToken: boolean;
  /** for a 404 on a workspace path: the edition Kong reported on `GET /`, if known */
  readonly edition?: string;
  readonly version?: string;
  /** Kong's name of the plugin written (a `PUT`), for messages */
  readonly plugin?: string;
  /** the core entity written (a `PUT`), in a sentence (`service`, `key-auth credential`), for messages */
  readonly entity?: string;
}

/**
 * The error for an answer with an error status.
 *
 * @param propPathOf maps a Kong path to the TypeScript prop path (the schema's `kongPathToPropPath`)
 */
export function apiErrorFor(
  answer: ErrorAnswer,
  redactor: Redactor,
  propPathOf: (kongPath: ReadonlyArray<string | number>) => string,
): KongApiError {
  const r = (text: string) => redactor.redact(text);
  // redact first, then shorten: a secret cut in two or with its spaces collapsed would not be found
  const body = redactor.scrub(answer.body);
  const details: KongApiErrorDetails = {
    status: answer.status,
    method: answer.method,
    url: answer.url,
    body,
    attempts: answer.attempts,
  };
  const request = `${answer.method} ${answer.path}`;
  const kongMessage = messageOf(body);
  const kongCode = codeOf(body);
  const where = answer.workspace ? `in workspace ${answer.workspace}` : "in the default workspace";

  if (answer.status === 401) {
    const advice = answer.hasToken
      ? "check KONG_ADMIN_TOKEN"
      : "set KONG_ADMIN_TOKEN in the environment Terraform runs in";
    const what = answer.hasToken ? "kong rejected the admin token" : "kong requires an admin token";
    return new KongUnauthorizedError(r(`${what} (401 on ${request}${suffix(kongMessage)}): ${advice}`), details);
  }

  if (answer.status === 403) {
    return new KongForbiddenError(
      r(
        `the admin token is not allowed to ${request} (403${suffix(kongMessage)}): check KONG_ADMIN_TOKEN and the RBAC role of its admin ${where}`,
      ),
      details,
    );
  }

  if (answer.status === 404 && kongMessage && /no route matched/i.test(kongMessage)) {
    return new KongApiError(
      r(
        `${answer.serverUrl} is not Kong's Admin API (404 on ${request}: ${kongMessage}): point the server URL at the Admin API, usually port 8001`,
      ),
      details,
    );
  }

  const isSchemaViolation = kongCode === 2 || kongCode === 1 || (kongCode === undefined && fieldsOf(body) !== undefined);
  if (answer.status === 400 && isSchemaViolation) {
    const violations = flattenFields(fieldsOf(body) ?? {}, []).map(
      ({ kongPath, message }): KongFieldViolation => ({
        kongPath,
        propPath: propPathOf(kongPath),
        message: r(stripPeriod(message)),
      }),
    );
    if (violations.length === 0 && kongMessage) {
      violations.push({ kongPath: [], propPath: "", message: r(kongMessage) });
    }
    const count = violations.length === 1 ? "1 schema violation" : `${violations.length} schema violations`;
    const lines = violations.map((v) => `  - ${formatViolation(v)}`);
    return new KongSchemaViolationError(
      r([`kong rejected the ${answer.entity ?? (answer.plugin ? `${answer.plugin} plugin` : "plugin")} (${request}) with ${count}:`, ...lines].join("\n")),
      details,
      violations,
    );
  }

  if (answer.status === 400 && kongCode === 4) {
    const text = kongMessage ?? "";
    const match = /'\{id="([^"]+)"\}' does not reference an existing '(\w+)' entity/.exec(text);
    if (match) {
      const entity = singular(match[2]!);
      const id = match[1]!;
      return new KongForeignKeyError(
        r(`${entity} ${id} does not exist ${where} (${request}): create the ${entity} first, or fix the ${entity} id of the ${answer.entity ?? "plugin"}`),
        details,
        entity,
        id,
      );
    }
    return new KongForeignKeyError(r(`kong rejected ${request}: ${text || "foreign key violation"}`), details);
  }

  if (answer.status === 409 || kongCode === 5) {
    if (answer.entity) {
      const taken = /'\{(\w+)="([^"]*)"\}'/.exec(kongMessage ?? "");
      const what = taken ? `${taken[1]} "${taken[2]}"` : "the same unique value";
      return new KongUniqueViolationError(
        r(`another ${answer.entity} ${where} already has ${what} (${request}): Kong keeps ${taken ? `${taken[1]}s` : "it"} unique; choose another one, or adopt that ${answer.entity} by its id`),
        details,
      );
    }
    return new KongUniqueViolationError(r(uniqueMessage(kongMessage ?? "", request, where, answer.plugin)), details);
  }

  if (answer.status === 404 && answer.workspace) {
    const community = answer.edition === "community";
    const advice = community
      ? `it is open-source Kong${answer.version ? ` ${answer.version}` : ""}, which has no workspaces: leave the workspace unset`
      : "create it, or fix the workspace name";
    return new KongWorkspaceNotFoundError(
      r(`workspace ${answer.workspace} does not exist at ${answer.serverUrl} (404 on ${request}): ${advice}`),
      details,
      answer.workspace,
    );
  }

  const after = answer.attempts > 1 ? ` after ${answer.attempts} attempts` : "";
  return new KongApiError(r(`kong answered ${answer.status} to ${request}${after}${kongMessage ? `: ${kongMessage}` : ""}`), details);
}

/** `config.cookieSameSite (Kong: config.cookie_same_site): expected one of: …`; the Kong name only when it differs. */
export function formatViolation(violation: KongFieldViolation): string {
  const kong = formatKongPath(violation.kongPath);
  if (kong === "") return violation.message;
  const where = kong === violation.propPath ? kong : `${violation.propPath} (Kong: ${kong})`;
  return `${where}: ${violation.message}`;
}

/**
 * Kong's nested `fields` as a list: objects nest by name, lists by index (`null` items are fine
 * items), `@entity` holds messages about the enclosing record.
 */
export function flattenFields(
  fields: unknown,
  path: ReadonlyArray<string | number>,
): Array<{ kongPath: ReadonlyArray<string | number>; message: string }> {
  if (typeof fields === "string") return [{ kongPath: path, message: fields }];
  if (Array.isArray(fields)) {
    return fields.flatMap((item, i) => (item === null ? [] : flattenFields(item, [...path, i])));
  }
  if (fields !== null && typeof fields === "object") {
    return Object.entries(fields).flatMap(([key, value]) => {
      if (key === "@entity") {
        const messages = Array.isArray(value) ? value : [value];
        return messages.flatMap((m) => flattenFields(m, path));
      }
      return flattenFields(value, [...path, key]);
    });
  }
  return [];
}

function formatKongPath(path: ReadonlyArray<string | number>): string {
  let out = "";
  for (const segment of path) out += typeof segment === "number" ? `[${segment}]` : out === "" ? segment : `.${segment}`;
  return out;
}

function uniqueMessage(kongMessage: string, request: string, where: string, plugin: string | undefined): string {
  const instanceName = /instance_name="([^"]*)"/.exec(kongMessage);
  if (instanceName) {
    return `another plugin ${where} already has instance_name "${instanceName[1]}" (${request}): instance names are unique, choose another one`;
  }
  const route = /route=\{id="([^"]+)"\}/.exec(kongMessage);
  const service = /service=\{id="([^"]+)"\}/.exec(kongMessage);
  const consumer = /consumer=\{id="([^"]+)"\}/.exec(kongMessage);
  const attached = [route ? `route ${route[1]}` : "", service ? `service ${service[1]}` : "", consumer ? `consumer ${consumer[1]}` : ""]
    .filter(Boolean)
    .join(" and ");
  const target = attached ? `attached to ${attached}` : "global (on no route and no service)";
  const kind = plugin ? `${plugin} plugin` : "plugin of this name";
  return (
    `another ${kind} ${where} is already ${target} (${request}): ` +
    `Kong allows one ${kind} per route, service and consumer combination; remove the other plugin or adopt it`
  );
}

function singular(entities: string): string {
  return entities.endsWith("s") ? entities.slice(0, -1) : entities;
}

function suffix(message: string | undefined): string {
  return message ? `: ${message}` : "";
}

function stripPeriod(text: string): string {
  return text.replace(/\.\s*$/, "");
}

/** Kong's `message`, or a short piece of a text answer, without a trailing period. */
export function messageOf(body: unknown): string | undefined {
  if (typeof body === "string") {
    const text = body.trim().replace(/\s+/g, " ");
    if (text === "") return undefined;
    return stripPeriod(text.length > 200 ? `${shorten(text, 197)}...` : text);
  }
  if (body !== null && typeof body === "object") {
    const message = (body as { message?: unknown }).message;
    if (typeof message === "string" && message !== "") return stripPeriod(message);
  }
  return undefined;
}

/** The first `length` characters, or more to keep a `<redacted>` whole. */
function shorten(text: string, length: number): string {
  const marker = text.lastIndexOf(REDACTED, length);
  return marker !== -1 && marker + REDACTED.length > length ? text.slice(0, marker + REDACTED.length) : text.slice(0, length);
}

function codeOf(body: unknown): number | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const code = (body as { code?: unknown }).code;
  return typeof code === "number" ? code : undefined;
}

function fieldsOf(body: unknown): unknown {
  if (body === null || typeof body !== "object") return undefined;
  const fields = (body as { fields?: unknown }).fields;
  return fields !== null && typeof fields === "object" ? fields : undefined;
}
