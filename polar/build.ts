/**
 * Regenerates the Polar export from src/regtest/settings.ts:
 *   polar/ark-ln-gateway/export.json, polar/ark-ln-gateway/docker-compose.yml,
 *   polar/ark-ln-gateway.polar.zip
 * Run: npx tsx polar/build.ts   (the unit test fails if the committed files are stale)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildPolarExport,
  buildPolarZip,
  POLAR_NETWORK_NAME,
  renderExportJson,
  renderPolarComposeYaml,
} from "./network-export.js";

export interface PolarExportFiles {
  readonly exportJson: string;
  readonly composeYaml: string;
  readonly zip: Uint8Array;
}

export function renderPolarExportFiles(): PolarExportFiles {
  const exp = buildPolarExport();
  const exportJson = renderExportJson(exp);
  const composeYaml = renderPolarComposeYaml(exp.network);
  return { exportJson, composeYaml, zip: buildPolarZip(exp.network, exportJson, composeYaml) };
}

export const POLAR_DIR = dirname(fileURLToPath(import.meta.url));
export const EXPORT_DIR = join(POLAR_DIR, POLAR_NETWORK_NAME);
export const ZIP_PATH = join(POLAR_DIR, `${POLAR_NETWORK_NAME}.polar.zip`);

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = renderPolarExportFiles();
  mkdirSync(EXPORT_DIR, { recursive: true });
  writeFileSync(join(EXPORT_DIR, "export.json"), files.exportJson);
  writeFileSync(join(EXPORT_DIR, "docker-compose.yml"), files.composeYaml);
  writeFileSync(ZIP_PATH, files.zip);
  console.log(`wrote ${EXPORT_DIR}/{export.json,docker-compose.yml} and ${ZIP_PATH}`);
}
