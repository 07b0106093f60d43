/** schemas/workflow.schema.json compiled as editors would meet it, for the tests that validate. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { repoRoot } from './paths';

export const WORKFLOW_SCHEMA_PATH = path.join(repoRoot, 'schemas', 'workflow.schema.json');

export function compileWorkflowSchema(): ValidateFunction {
  const schema = JSON.parse(fs.readFileSync(WORKFLOW_SCHEMA_PATH, 'utf8')) as Record<
    string,
    unknown
  >;
  // Strict, so a typo in a keyword or a type mismatch fails here; the editor-only keywords are
  // declared. `required` in an if/then names properties defined beside the if, which is fine.
  const ajv = new Ajv({
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    allErrors: true,
  });
  ajv.addVocabulary([
    'markdownDescription',
    'enumDescriptions',
    'markdownEnumDescriptions',
    'defaultSnippets',
  ]);
  return ajv.compile(schema);
}
