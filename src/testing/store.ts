/**
 * The emulator's database: workspaces, each with its services, routes and plugins. Plain in-memory
 * maps; the rules Kong's Postgres enforces (unique keys, foreign keys) live in plugin-dao.ts.
 */
import { randomUUID } from "node:crypto";
import type { JsonObject } from "./schema-engine.js";
import { isValidUuid } from "./schema-engine.js";

/** A service, as far as plugins need one. */
export interface StoredService {
  readonly id: string;
  readonly name: string | null;
  readonly created_at: number;
  readonly updated_at: number;
}

/** A route, as far as plugins need one. */
export interface StoredRoute {
  readonly id: string;
  readonly name: string | null;
  readonly protocols: readonly string[];
  readonly service: { readonly id: string } | null;
  readonly created_at: number;
  readonly updated_at: number;
}

/** One workspace and everything in it. */
export interface WorkspaceState {
  readonly id: string;
  readonly name: string;
  readonly created_at: number;
  readonly services: Map<string, StoredService>;
  readonly routes: Map<string, StoredRoute>;
  /** plugins by id, in insertion order; values are complete entities */
  readonly plugins: Map<string, JsonObject>;
}

const now = (): number => Math.floor(Date.now() / 1000);

function normaliseId(id: string | undefined, what: string): string {
  if (id === undefined) return randomUUID();
  if (!isValidUuid(id)) throw new TypeError(`${what} id '${id}' is not a valid UUID`);
  return id.toLowerCase();
}

/** In-memory state of the emulated Kong. */
export class EmulatorStore {
  private readonly byName = new Map<string, WorkspaceState>();

  constructor(private readonly extraWorkspaces: readonly string[]) {
    this.reset();
  }

  /** Forgets every entity; keeps `default` and the configured workspaces. */
  reset(): void {
    this.byName.clear();
    this.addWorkspace("default");
    for (const name of this.extraWorkspaces) this.addWorkspace(name);
  }

  /** Adds an empty workspace; throws when it exists. */
  addWorkspace(name: string): WorkspaceState {
    if (!name || /[/?#]/.test(name)) throw new TypeError(`invalid workspace name '${name}'`);
    if (this.byName.has(name)) throw new Error(`workspace '${name}' already exists`);
    const ws: WorkspaceState = { id: randomUUID(), name, created_at: now(), services: new Map(), routes: new Map(), plugins: new Map() };
    this.byName.set(name, ws);
    return ws;
  }

  /** A workspace by name or id. */
  workspace(nameOrId: string): WorkspaceState | undefined {
    const byName = this.byName.get(nameOrId);
    if (byName) return byName;
    const id = nameOrId.toLowerCase();
    return [...this.byName.values()].find((ws) => ws.id === id);
  }

  /** A workspace by name; throws when unknown. */
  requireWorkspace(name: string): WorkspaceState {
    const ws = this.byName.get(name);
    if (!ws) throw new Error(`unknown workspace '${name}'`);
    return ws;
  }

  /** All workspaces, in creation order. */
  workspaces(): WorkspaceState[] {
    return [...this.byName.values()];
  }

  /** Adds a service; throws on a duplicate id or name. */
  addService(ws: WorkspaceState, input: { id?: string; name?: string }): StoredService {
    const id = normaliseId(input.id, "service");
    if (ws.services.has(id)) throw new Error(`service ${id} already exists`);
    if (input.name !== undefined && this.serviceByName(ws, input.name)) throw new Error(`service '${input.name}' already exists`);
    const service: StoredService = { id, name: input.name ?? null, created_at: now(), updated_at: now() };
    ws.services.set(id, service);
    return service;
  }

  /** Adds a route; throws on a duplicate id or name or an unknown service. */
  addRoute(ws: WorkspaceState, input: { id?: string; name?: string; protocols?: readonly string[]; service?: { id: string } }): StoredRoute {
    const id = normaliseId(input.id, "route");
    if (ws.routes.has(id)) throw new Error(`route ${id} already exists`);
    if (input.name !== undefined && this.routeByName(ws, input.name)) throw new Error(`route '${input.name}' already exists`);
    const serviceId = input.service?.id.toLowerCase();
    if (serviceId !== undefined && !ws.services.has(serviceId)) throw new Error(`service ${serviceId} does not exist in workspace '${ws.name}'`);
    const route: StoredRoute = {
      id,
      name: input.name ?? null,
      protocols: [...new Set(input.protocols ?? ["http", "https"])],
      service: serviceId === undefined ? null : { id: serviceId },
      created_at: now(),
      updated_at: now(),
    };
    ws.routes.set(id, route);
    return route;
  }

  /** A service by name. */
  serviceByName(ws: WorkspaceState, name: string): StoredService | undefined {
    return [...ws.services.values()].find((s) => s.name === name);
  }

  /** A route by name. */
  routeByName(ws: WorkspaceState, name: string): StoredRoute | undefined {
    return [...ws.routes.values()].find((r) => r.name === name);
  }

  /** Routes pointing at a service. */
  routesOfService(ws: WorkspaceState, serviceId: string): StoredRoute[] {
    return [...ws.routes.values()].filter((r) => r.service?.id === serviceId);
  }

  /** A plugin by instance name. */
  pluginByInstanceName(ws: WorkspaceState, instanceName: string): JsonObject | undefined {
    return [...ws.plugins.values()].find((p) => p["instance_name"] === instanceName);
  }

  /** Plugins sorted by id, the order of Kong's listings. */
  pluginsById(ws: WorkspaceState): JsonObject[] {
    return [...ws.plugins.values()].sort((a, b) => compareIds(a["id"] as string, b["id"] as string));
  }
}

/** Postgres' order of UUIDs (lower-case hex order). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
