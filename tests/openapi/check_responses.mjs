// Checks recorded responses against docs/openapi.yaml: each exchange's body must match the schema
// the document gives for its operation and status (OpenAPI 3.0 schemas, `nullable` included).
//   node check_responses.mjs OPENAPI.yaml EXCHANGES.json
// EXCHANGES.json: [{"method": "GET", "route": "/api/v1/users/{id}", "status": 200, "body": ...}]
// Exits 1 naming every exchange whose operation, status or body the document does not describe.
import fs from 'node:fs';
import yaml from 'js-yaml';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const [docFile, exchangesFile] = process.argv.slice(2);
if (!docFile || !exchangesFile) {
  console.error('usage: node check_responses.mjs OPENAPI.yaml EXCHANGES.json');
  process.exit(2);
}
const doc = yaml.load(fs.readFileSync(docFile, 'utf8'));
const exchanges = JSON.parse(fs.readFileSync(exchangesFile, 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// The whole document is one schema resource, so "#/components/schemas/X" resolves inside it.
ajv.addSchema({ $id: 'openapi', components: doc.components });

function deref(node) {
  while (node && node.$ref) {
    const parts = node.$ref.replace(/^#\//, '').split('/');
    node = parts.reduce((n, p) => n?.[p.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return node;
}

const validators = new Map();
let failures = 0;
for (const ex of exchanges) {
  const where = `${ex.method} ${ex.route} -> ${ex.status}`;
  const op = doc.paths?.[ex.route]?.[ex.method.toLowerCase()];
  if (!op) {
    console.error(`${where}: the document has no such operation`);
    failures++;
    continue;
  }
  const response = deref(op.responses?.[String(ex.status)] ?? op.responses?.default);
  if (!response) {
    console.error(`${where}: the document does not list this status`);
    failures++;
    continue;
  }
  const schema = response.content?.['application/json']?.schema;
  if (!schema) continue;  // a body the document does not describe as JSON (CSV, text)
  const key = `${ex.method} ${ex.route} ${ex.status}`;
  if (!validators.has(key)) {
    // Refs inside the operation's schema point into the document: resolve them against it.
    const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'));
    validators.set(key, ajv.compile(rebased));
  }
  const validate = validators.get(key);
  if (!validate(ex.body)) {
    console.error(`${where}: the body does not match the documented schema`);
    for (const e of validate.errors) console.error(`  ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
    console.error(`  body: ${JSON.stringify(ex.body).slice(0, 400)}`);
    failures++;
  }
}
if (failures) {
  console.error(`${failures} of ${exchanges.length} responses differ from ${docFile}`);
  process.exit(1);
}
console.log(`${exchanges.length} responses match ${docFile}`);
