/**
 * vitest globalSetup of the integration project: provides `databaseUrl` to every suite. Uses
 * GATEWAY_TEST_DATABASE_URL when set (an existing server), otherwise starts a throwaway
 * Postgres and stops it after the run. Suites isolate themselves in their own schema.
 */
import type { TestProject } from "vitest/node";
import { startThrowawayPostgres, type EmbeddedPostgres } from "../../src/db/embedded-postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let server: EmbeddedPostgres | undefined;

export async function setup(project: TestProject): Promise<void> {
  const external = process.env.GATEWAY_TEST_DATABASE_URL;
  if (external !== undefined && external !== "") {
    project.provide("databaseUrl", external);
    return;
  }
  server = await startThrowawayPostgres();
  project.provide("databaseUrl", server.url);
}

export function teardown(): void {
  server?.stop();
  server = undefined;
}
