import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { MockAgent } from "undici";
import {
  KongApiError,
  KongForbiddenError,
  KongForeignKeyError,
  KongResponseError,
  KongSchemaViolationError,
  KongUnauthorizedError,
  KongUniqueViolationError,
  KongWorkspaceNotFoundError,
} from "../../src/runtime/errors.js";
import { KongAdminClient } from "../../src/runtime/client.js";
import { kongPathToPropPath } from "../../src/schema/index.js";
import { ID, JSON_HEADERS, LIVE_SECRET, ROUTE_ID, SERVER, TOKEN, clientOn, mockKong } from "./helpers.js";

let agent: MockAgent;
let kong: ReturnType<MockAgent["get"]>;

beforeEach(() => {
  ({ agent, kong } = mockKong());
});

afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

async function putFails(workspace: string | undefined): Promise<Error> {
  const { client, retries } = clientOn(agent);
  const error = await client.putPlugin(workspace, ID, { name: "session" }, { name: "session", propPathOf: kongPathToPropPath }).then(
    () => new Error("expected a failure"),
    (e: Error) => e,
  );
  expect(retries).toEqual([]);
  return error;
}

describe("Kong's errors", () => {
  test("fails when Kong finds schema violations, naming each TypeScript prop and Kong field", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply(
      400,
      {
        code: 2,
        name: "schema violation",
        message: "3 schema violations (...)",
        fields: {
          config: {
            cookie_same_site: "expected one of: Strict, Lax, None, Default",
            logout_methods: [null, "expected one of: GET, POST, DELETE"],
          },
          enabled: "expected a boolean",
          "@entity": ["at least one of these fields must be non-empty: 'route', 'service'"],
        },
      },
      JSON_HEADERS,
    );

    const error = await putFails(undefined);

    expect(error).toBeInstanceOf(KongSchemaViolationError);
    expect(error).toBeInstanceOf(KongApiError);
    expect(error).toMatchObject({ code: "KONG_SCHEMA_VIOLATION", status: 400, method: "PUT", url: `${SERVER}/plugins/${ID}` });
    expect((error as KongSchemaViolationError).violations).toContainEqual({
      kongPath: ["config", "cookie_same_site"],
      propPath: "config.cookieSameSite",
      message: "expected one of: Strict, Lax, None, Default",
    });
    expect(error.message).toMatchInlineSnapshot(`
      "kong rejected the session plugin (PUT /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c) with 4 schema violations:
        - config.cookieSameSite (Kong: config.cookie_same_site): expected one of: Strict, Lax, None, Default
        - config.logoutMethods[1] (Kong: config.logout_methods[1]): expected one of: GET, POST, DELETE
        - enabled: expected a boolean
        - at least one of these fields must be non-empty: 'route', 'service'"
    `);
  });

  test("fails when the route does not exist, naming it", async () => {
    const message = `the foreign key '{id="${ROUTE_ID}"}' does not reference an existing 'routes' entity.`;
    kong
      .intercept({ path: `/team-payments/plugins/${ID}`, method: "PUT" })
      .reply(400, { code: 4, name: "foreign key violation", message, fields: { route: message } }, JSON_HEADERS);

    const error = await putFails("team-payments");

    expect(error).toBeInstanceOf(KongForeignKeyError);
    expect(error).toMatchObject({ code: "KONG_FOREIGN_KEY_VIOLATION", entity: "route", entityId: ROUTE_ID });
    expect(error.message).toMatchInlineSnapshot(`"route 3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c does not exist in workspace team-payments (PUT /team-payments/plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c): create the route first, or fix the route id of the plugin"`);
  });

  test("fails when another session plugin holds the route, explaining the rule", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply(
      409,
      {
        code: 5,
        name: "unique constraint violation",
        message: `UNIQUE violation detected on '{consumer=null,name="session",route={id="${ROUTE_ID}"},service=null}'`,
      },
      JSON_HEADERS,
    );

    const error = await putFails(undefined);

    expect(error).toBeInstanceOf(KongUniqueViolationError);
    expect(error.message).toMatchInlineSnapshot(`"another session plugin in the default workspace is already attached to route 3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c (PUT /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c): Kong allows one session plugin per route, service and consumer combination; remove the other plugin or adopt it"`);
  });

  test("fails when the instance_name is taken", async () => {
    kong
      .intercept({ path: `/ws/plugins/${ID}`, method: "PUT" })
      .reply(409, { code: 5, name: "unique constraint violation", message: `UNIQUE violation detected on '{instance_name="login"}'` }, JSON_HEADERS);

    const error = await putFails("ws");

    expect(error).toMatchObject({ code: "KONG_UNIQUE_VIOLATION" });
    expect(error.message).toMatchInlineSnapshot(`"another plugin in workspace ws already has instance_name "login" (PUT /ws/plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c): instance names are unique, choose another one"`);
  });

  test("fails when the token is rejected (401), without printing it", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "PUT" }).reply(401, { message: "Invalid RBAC credentials" }, JSON_HEADERS);

    const error = await putFails(undefined);

    expect(error).toBeInstanceOf(KongUnauthorizedError);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).toMatchInlineSnapshot(`"kong rejected the admin token (401 on PUT /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c: Invalid RBAC credentials): check KONG_ADMIN_TOKEN"`);
  });

  test("fails when no token is set (401)", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(401, { message: "Invalid RBAC credentials" }, JSON_HEADERS);
    const client = new KongAdminClient({ serverUrl: SERVER, dispatcher: agent });

    const error = (await client.getPlugin(undefined, ID).catch((e: unknown) => e)) as Error;

    expect(error).toMatchObject({ code: "KONG_UNAUTHORIZED" });
    expect(error.message).toMatchInlineSnapshot(`"kong requires an admin token (401 on GET /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c: Invalid RBAC credentials): set KONG_ADMIN_TOKEN in the environment Terraform runs in"`);
  });

  test("fails when the token may not write (403)", async () => {
    kong
      .intercept({ path: `/team-payments/plugins/${ID}`, method: "PUT" })
      .reply(403, { message: "alice, you do not have permissions to update this resource" }, JSON_HEADERS);

    const error = await putFails("team-payments");

    expect(error).toBeInstanceOf(KongForbiddenError);
    expect(error.message).toMatchInlineSnapshot(`"the admin token is not allowed to PUT /team-payments/plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (403: alice, you do not have permissions to update this resource): check KONG_ADMIN_TOKEN and the RBAC role of its admin in workspace team-payments"`);
  });

  test("fails when the workspace does not exist (404 on PUT)", async () => {
    kong.intercept({ path: `/team-payments/plugins/${ID}`, method: "PUT" }).reply(404, { message: "Not found" }, JSON_HEADERS);
    kong.intercept({ path: "/", method: "GET" }).reply(200, { version: "3.9.1.0", edition: "enterprise" }, JSON_HEADERS);

    const error = await putFails("team-payments");

    expect(error).toBeInstanceOf(KongWorkspaceNotFoundError);
    expect(error).toMatchObject({ code: "KONG_WORKSPACE_NOT_FOUND", workspace: "team-payments", status: 404 });
    expect(error.message).toMatchInlineSnapshot(`"workspace team-payments does not exist at http://kong.test:8001 (404 on PUT /team-payments/plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c): create it, or fix the workspace name"`);
  });

  test("fails when a workspace is set on open-source Kong", async () => {
    kong.intercept({ path: `/team-payments/plugins/${ID}`, method: "PUT" }).reply(404, { message: "Not found" }, JSON_HEADERS);
    kong.intercept({ path: "/", method: "GET" }).reply(200, { version: "3.9.1", edition: "community" }, JSON_HEADERS);

    const error = await putFails("team-payments");

    expect(error.message).toMatchInlineSnapshot(`"workspace team-payments does not exist at http://kong.test:8001 (404 on PUT /team-payments/plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c): it is open-source Kong 3.9.1, which has no workspaces: leave the workspace unset"`);
  });

  test("fails when the server URL is Kong's proxy, not the Admin API", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(404, { message: "no Route matched with those values" }, JSON_HEADERS);
    const { client } = clientOn(agent);

    const error = (await client.getPlugin(undefined, ID).catch((e: unknown) => e)) as Error;

    expect(error).toMatchObject({ code: "KONG_HTTP_ERROR", status: 404 });
    expect(error.message).toMatchInlineSnapshot(`"http://kong.test:8001 is not Kong's Admin API (404 on GET /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c: no Route matched with those values): point the server URL at the Admin API, usually port 8001"`);
  });

  test("fails on another status, with Kong's message, scrubbing an echoed secret from message and body", async () => {
    kong
      .intercept({ path: `/plugins/${ID}`, method: "PUT" })
      .reply(500, { message: `An unexpected error occurred: secret ${LIVE_SECRET}.`, config: { secret: "unseen-before" } }, JSON_HEADERS);
    const { client } = clientOn(agent);

    const error = (await client.putPlugin(undefined, ID, { name: "session", config: { secret: LIVE_SECRET } }).catch((e: unknown) => e)) as KongApiError;

    expect(error).toMatchObject({ code: "KONG_HTTP_ERROR", status: 500, attempts: 1 });
    expect(error.body).toEqual({ message: "An unexpected error occurred: secret <redacted>.", config: { secret: "<redacted>" } });
    expect(error.message).toMatchInlineSnapshot(`"kong answered 500 to PUT /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c: An unexpected error occurred: secret <redacted>"`);
  });
});

describe("answers the client cannot use", () => {
  test("fails when the answer is an HTML page", async () => {
    kong
      .intercept({ path: `/plugins/${ID}`, method: "GET" })
      .reply(200, "<!doctype html><html><title>Kong Manager</title></html>", { headers: { "content-type": "text/html" } });
    const { client } = clientOn(agent);

    const error = (await client.getPlugin(undefined, ID).catch((e: unknown) => e)) as Error;

    expect(error).toBeInstanceOf(KongResponseError);
    expect(error).toMatchObject({ code: "KONG_INVALID_RESPONSE" });
    expect(error.message).toMatchInlineSnapshot(`"invalid answer to GET /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (200): expected JSON but got an HTML page: point the server URL at Kong's Admin API (usually port 8001), not Kong Manager or a proxy"`);
  });

  test("fails when the answer is not valid JSON", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, '{"id": "6f1c', JSON_HEADERS);
    const { client } = clientOn(agent);

    const error = (await client.getPlugin(undefined, ID).catch((e: unknown) => e)) as Error;

    expect(error).toMatchObject({ code: "KONG_INVALID_RESPONSE" });
    expect(error.message).toMatchInlineSnapshot(`"invalid JSON from GET /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (200): the answer does not parse"`);
  });

  test("fails when the answer is larger than 1 MiB", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, `{"x":"${"a".repeat(1024 * 1024)}"}`, JSON_HEADERS);
    const { client } = clientOn(agent);

    const error = (await client.getPlugin(undefined, ID).catch((e: unknown) => e)) as Error;

    expect(error).toMatchObject({ code: "KONG_INVALID_RESPONSE" });
    expect(error.message).toMatchInlineSnapshot(`"invalid answer to GET /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (200): larger than 1 MiB"`);
  });

  test("fails when the answer is not a plugin", async () => {
    kong.intercept({ path: `/plugins/${ID}`, method: "GET" }).reply(200, { message: "hello" }, JSON_HEADERS);
    const { client } = clientOn(agent);

    const error = (await client.getPlugin(undefined, ID).catch((e: unknown) => e)) as Error;

    expect(error).toMatchObject({ code: "KONG_INVALID_RESPONSE" });
    expect(error.message).toMatchInlineSnapshot(`"invalid answer to GET /plugins/6f1c2a1e-4b7d-4e2a-9c3b-2d1e0f9a8b7c (200): expected a plugin with an id and a name"`);
  });
});
