// Runs Azurite in this process and exits as soon as the test process that started it is gone. A test host is often
// killed rather than stopped (a test run's end, a cancelled run, a crash), and then its own clean-up never runs: this
// is what keeps an Azurite from outliving it. Usage: node azurite-guard.js <parent pid> <azurite.js> [azurite args...]
"use strict";
const [parentPid, entry, ...azuriteArgs] = process.argv.slice(2);
const parent = Number(parentPid);
if (!Number.isInteger(parent) || parent <= 0 || !entry) {
  console.error("usage: node azurite-guard.js <parent pid> <azurite.js> [args...]");
  process.exit(2);
}

setInterval(() => {
  try {
    process.kill(parent, 0); // Signal 0 only asks whether the process exists.
  } catch {
    process.exit(0);
  }
}, 1000);

// Azurite reads its options from process.argv when it loads.
process.argv = [process.argv[0], entry, ...azuriteArgs];
require(entry);
