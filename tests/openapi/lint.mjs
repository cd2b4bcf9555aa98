// Lints an OpenAPI file with Redocly's OpenAPI engine and the rules in redocly.yaml next to this
// script; prints every problem and exits 1 when any is an error or a warning.
//   node tests/openapi/lint.mjs docs/openapi.yaml
import { lint, loadConfig, formatProblems, getTotals } from '@redocly/openapi-core';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const file = process.argv[2];
if (!file) {
  console.error('usage: node lint.mjs OPENAPI_FILE');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const config = await loadConfig({ configPath: path.join(here, 'redocly.yaml') });
const problems = await lint({ ref: path.resolve(file), config });
const totals = getTotals(problems);
formatProblems(problems, { format: 'codeframe', totals, version: 'openapi-core' });
if (totals.errors > 0 || totals.warnings > 0) {
  console.error(`${file}: ${totals.errors} errors, ${totals.warnings} warnings`);
  process.exit(1);
}
console.log(`${file}: valid (Redocly recommended rules)`);
