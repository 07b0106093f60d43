// Empties out/ before the tests compile into it: a test or module that was moved or deleted
// would otherwise still run from its stale compiled copy.
import * as fs from 'node:fs';
import * as path from 'node:path';

fs.rmSync(path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'out'), {
  recursive: true,
  force: true,
});
