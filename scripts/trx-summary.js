// Adds up the counters of every TRX file in a folder and prints one closing line: "N passed, N failed, N skipped".
// Exits non-zero when no test ran at all, so an empty run cannot look green.
const fs = require('fs');
const path = require('path');

const folder = process.argv[2];
let passed = 0, failed = 0, skipped = 0, files = 0;
for (const name of fs.readdirSync(folder)) {
  if (!name.endsWith('.trx')) continue;
  files++;
  const xml = fs.readFileSync(path.join(folder, name), 'utf8');
  const counters = /<Counters\b([^>]*)>/.exec(xml);
  if (!counters) continue;
  const value = (attr) => Number((new RegExp(`\\b${attr}="(\\d+)"`).exec(counters[1]) || [0, 0])[1]);
  passed += value('passed');
  failed += value('failed') + value('error') + value('timeout') + value('aborted');
  skipped += value('notExecuted');
}
console.log(`Test results: ${files} test assemblies`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed + failed === 0) process.exit(1);
