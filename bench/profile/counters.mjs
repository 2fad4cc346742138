#!/usr/bin/env node
// Summarizes a `dotnet-counters collect --format csv` file of the Server as a small Markdown table: per-second
// means over the collection, and per request where --ops-per-second is given (from the bench's ops/s).
//
//   node bench/profile/counters.mjs <counters.csv> [--ops-per-second N]

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args[0];
const i = args.indexOf('--ops-per-second');
const opsPerSecond = i >= 0 ? Number(args[i + 1]) : 0;
if (!file) {
  console.error('usage: node counters.mjs <counters.csv> [--ops-per-second N]');
  process.exit(2);
}

// "Timestamp,Provider,Counter Name,Counter Type,Mean/Increment"; the name may hold commas inside [...].
const rows = readFileSync(file, 'utf8').split('\n').slice(1).filter(Boolean).map(line => {
  const first = line.indexOf(',');
  const second = line.indexOf(',', first + 1);
  const lastComma = line.lastIndexOf(',');
  const typeComma = line.lastIndexOf(',', lastComma - 1);
  return { name: line.slice(second + 1, typeComma), value: Number(line.slice(lastComma + 1)) };
});

// Rates are reported per refresh interval, e.g. "({method} / 2 sec)": normalise to per second.
const perSecond = name => {
  const m = /\/ (\d+) sec\)/.exec(name);
  return m ? Number(m[1]) : 0;
};
const series = new Map();
for (const row of rows) {
  if (!series.has(row.name)) {
    series.set(row.name, []);
  }

  series.get(row.name).push(row.value);
}

const wanted = [
  ['dotnet.process.cpu.time', 'CPU seconds per second (user + system)', 'sum'],
  ['dotnet.jit.compiled_methods', 'methods JIT-compiled per second', 'sum'],
  ['dotnet.jit.compilation.time', 'seconds spent JIT-compiling per second', 'sum'],
  ['dotnet.gc.heap.total_allocated', 'bytes allocated per second', 'sum'],
  ['dotnet.gc.collections', 'GCs per second (all generations)', 'sum'],
  ['dotnet.gc.pause.time', 'GC pause seconds per second', 'sum'],
  ['dotnet.monitor.lock_contentions', 'lock contentions per second', 'sum'],
  ['dotnet.exceptions', 'exceptions per second', 'sum'],
  ['dotnet.thread_pool.work_item.count', 'thread-pool work items per second', 'sum'],
];
const lines = ['| counter (Server, while profiling) | per second | per request |', '|---|--:|--:|'];
for (const [prefix, label, kind] of wanted) {
  const names = [...series.keys()].filter(n => n.startsWith(prefix + ' '));
  if (names.length === 0) {
    continue;
  }

  let value = 0;
  for (const name of names) {
    const values = series.get(name);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const interval = perSecond(name);
    value += kind === 'gauge' || interval === 0 ? mean : mean / interval;
  }

  if (kind === 'gauge') {
    value /= names.length;
  }

  const perRequest = kind === 'sum' && opsPerSecond > 0 ? value / opsPerSecond : null;
  const format = v => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));
  const perRequestText = perRequest === null ? ''
    : prefix.endsWith('time') ? `${(perRequest * 1e6).toFixed(0)} µs`
      : prefix.endsWith('total_allocated') ? `${(perRequest / 1024).toFixed(1)} KiB` : format(perRequest);
  lines.push(`| ${label} | ${format(value)} | ${perRequestText} |`);
}

console.log(lines.join('\n'));
