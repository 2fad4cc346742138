#!/usr/bin/env node
// Where the Server's CPU goes, from a profile of it under load: top frames by inclusive and exclusive on-CPU
// time, and a table of components. Markdown on stdout. Reads either of:
//
//   *.speedscope.json  dotnet-trace's thread-time samples (`dotnet-trace convert --format Speedscope`)
//   *.txt              `perf script` output of `perf record -g` on a Server started with DOTNET_PerfMapEnabled=3
//
//   node bench/profile/top-frames.mjs <file> [--top 15] [--ops N] [--all-frames]
//
// --ops N       requests served while profiling, to print CPU per request.
// --all-frames  keep thread-pool and async plumbing frames in the inclusive list (hidden by default: they sit on
//               nearly every stack and say nothing about where a request's time goes).
//
// Why both. dotnet-trace samples every managed thread ~1000 times a second whether it runs or not: a sample is
// either CPU_TIME (in managed code) or UNMANAGED_CODE_TIME (in native code: blocked in a wait, or busy in a
// syscall). `dotnet-trace report topN` counts all of them, so idle thread-pool threads, the epoll thread and the
// console logger's queue top its list. Here a native sample counts only when its nearest managed frame is not a
// known wait; even so "on CPU" means running *or runnable*, which exceeds real CPU on a busy machine, and the JIT,
// the GC and the kernel are invisible. perf samples only what runs, including the JIT, the GC and the kernel's
// loopback TCP; libcoreclr/libclrjit have no symbols here, so their frames show as the library.

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--') && args[i - 1] !== '--all-frames'));
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : fallback;
};
const top = option('--top', 15);
const ops = option('--ops', 0);
const allFrames = args.includes('--all-frames');
if (!file) {
  console.error('usage: node top-frames.mjs <trace.speedscope.json | perf-script.txt> [--top 15] [--ops N] [--all-frames]');
  process.exit(2);
}

// ---- classification shared by both inputs (frame names are normalised to "Module!Namespace.Type.Method()") ----

// A native sample whose nearest managed frame is one of these is a blocked thread, not CPU (dotnet-trace only).
const WAIT = new RegExp([
  'LowLevelLifoSemaphore\\.(WaitNative|WaitForSignal|Wait)\\(', 'LowLevelSpinWaiter\\.Wait\\(',
  'PortableThreadPool\\+WorkerThread\\.WorkerThreadStart\\(', 'PortableThreadPool\\+GateThread', 'Monitor\\.Wait\\(',
  'WaitHandle\\.WaitOne', 'ManualResetEventSlim\\.Wait\\(', 'SemaphoreSlim\\.Wait\\(', 'Thread\\.Sleep\\(', 'SpinThenBlockingWait',
  'SocketAsyncEngine\\.EventLoop\\(', 'FileSystem\\.Watcher!', 'TimerQueue\\.TimerThread\\(',
].join('|'));
// A thread parked here waits while a garbage collection runs (dotnet-trace only; the GC's own work is invisible to it).
const GC_WAIT = /Thread\.<PollGC>g__PollGCWorker/;
// The finalizer thread: a SafeHandle release can sit in a native call made without a GC transition, which the
// sampler reports as managed CPU for as long as it takes (seen for whole traces while perf showed the thread idle);
// counted apart (dotnet-trace only; perf shows the finalizer's real CPU).
const FINALIZER = /CoreLib!System\.GC\.RunFinalizers\(/;
// Unresolved lumps ("[libcoreclr.so]", "[System.Private.CoreLib.dll]": ReadyToRun code perf cannot name) sit on most
// stacks: hidden from the inclusive list, kept in the exclusive one.
const LUMP = /^\[[^\]]+\.(so(\.\d+)*|dll)\]$/;
// Frames on nearly every stack (thread start, thread pool, async machinery): hidden from the inclusive list.
const PLUMBING = new RegExp([
  'Thread\\.StartCallback\\(', 'WorkerThreadStart\\(', 'ThreadPoolWorkQueue\\.Dispatch\\(', 'ExecutionContext\\.Run',
  'AsyncStateMachineBox`1.*\\.(MoveNext|ExecuteFromThreadPool)', 'AwaitableSocketAsyncEventArgs', 'ThreadPoolTypedWorkItemQueue',
  'IThreadPoolWorkItem\\.Execute', 'SocketAsyncContext\\+AsyncOperation\\.Process', 'PortableThreadPool',
  'Task\\.ExecuteWithThreadLocal', 'Task\\.ExecuteEntryUnsafe', 'AsyncMethodBuilderCore\\.Start', 'SocketAsyncEngine\\.EventLoop',
  'SocketAsyncEventArgs\\.(OnCompleted|ExecutionCallback|TransferCompletionCallbackCore|InvokeCompleted)',
  'Task\\.RunContinuations', 'AwaitTaskContinuation\\.RunOrScheduleAction', '^\\[libc\\] start_thread', '^\\[libc\\] __clone',
  '^\\[kernel\\] (entry_SYSCALL|do_syscall_64)',
].join('|'));
// Where a request's CPU goes: share of on-CPU samples whose stack holds a frame of each. They overlap (a Table SDK
// call made by the audit batcher counts under both), so the column does not add up to 100%.
const COMPONENTS = [
  ['Kestrel + ASP.NET Core (connections, HTTP/1.1, middleware, routing, results)', /^Microsoft\.AspNetCore\./],
  ['  of which Kestrel (connections, HTTP/1.1 parsing and writing)', /^Microsoft\.AspNetCore\.Server\.Kestrel/],
  ['EndpointRunner.RunAsync and everything it calls', /EndpointRunner\+<RunAsync>|EndpointRunner\.RunAsync/],
  ['  authentication (CallerAuthenticator)', /CallerAuthenticator/],
  ['  audit write from the request (AuditLog.WriteAsync → batcher enqueue, JSON of the record)', /AuditLog\+<WriteAsync>|AuditLog\.WriteAsync|TableAuditStore\.AppendAsync|TableAuditStore\+<AppendAsync>|AuditAppendBatcher\.AppendAsync/],
  ['  secret read (VaultService.GetAsync → TableSecretStore → Table SDK)', /VaultService\+<GetAsync>|VaultService\.GetAsync|TableSecretStore/],
  ['  response (SecretEndpoints handler, Responses, JSON result)', /SecretEndpoints|Integrations\.Api\.Http\.Responses|JsonHttpResult/],
  ['AuditAppendBatcher write loop (segments, zlib, AddEntity to Azurite)', /AuditAppendBatcher(\.|\+<)(RunAsync|WriteAsync|WriteSegmentAsync)|AuditSegment\.ToEntity/],
  ['Azure SDK pipeline (Azure.Core + Azure.Data.Tables; includes SharedKey signing)', /^Azure\.Core!|^Azure\.Data\.Tables!/],
  ['System.Net.Http (HttpClient to Azurite)', /^System\.Net\.Http!/],
  ['System.Net.Sockets', /^System\.Net\.Sockets!/],
  ['System.Text.Json', /^System\.Text\.Json!/],
  ['Logging + diagnostics (Microsoft.Extensions.Logging, DiagnosticSource/Activity, metrics)', /^Microsoft\.Extensions\.Logging|^System\.Diagnostics\.DiagnosticSource!|^Microsoft\.Extensions\.Diagnostics/],
  ['Cryptography (SHA-256, HMAC)', /^System\.Security\.Cryptography!/],
  ['zlib (System.IO.Compression)', /^System\.IO\.Compression!/],
  ['Background jobs (Azure.Storage.Queues/Blobs polling, leases)', /^Azure\.Storage\.(Queues|Blobs)!|^Integrations\.Server!Integrations\.Server\.Jobs/],
  ['Thread-pool spinning and parking (LowLevelLifoSemaphore, sched_yield)', /LowLevelSpinWaiter\.Wait|LowLevelLifoSemaphore\.Wait|__sched_yield/],
  ['JIT (libclrjit.so: tiered recompilation)', /^\[libclrjit\.so\]/],
  ['Kernel (syscalls: loopback TCP, epoll, futex, scheduling)', /^\[kernel\]/],
];

const shortenPlain = text => (text.length > 140 ? text.slice(0, 137) + '...' : text);
// "System.Private.CoreLib!System.Foo.Bar(int32,...)" → "CoreLib!System.Foo.Bar()"
const shortenManaged = name => {
  const bang = name.indexOf('!');
  if (bang < 0 || name.startsWith('[')) {
    return shortenPlain(name);
  }

  const module = name.slice(0, bang).replace(/^System\.Private\.CoreLib$/, 'CoreLib');
  const method = name.slice(bang + 1).replace(/\(.*\)$/s, '()').replace(/value class |class /g, '');
  return shortenPlain(`${module}!${method}`);
};

// ---- input: dotnet-trace speedscope (evented, per thread; pseudo-frames CPU_TIME / UNMANAGED_CODE_TIME at the leaf) ----

function* speedscopeSamples(trace) {
  const frames = trace.shared.frames.map(f => f.name);
  const pseudo = /^(CPU_TIME|UNMANAGED_CODE_TIME|Threads|\(Non-Activities\)|Thread \(\d+\)|Process\d+ .*)$/;
  const unresolved = /^\?!\?$/;
  for (const profile of trace.profiles) {
    if (profile.type !== 'evented') {
      continue;
    }

    const stack = [];
    let last = null;
    for (const event of profile.events) {
      if (last !== null && stack.length > 0 && event.at > last) {
        const leaf = frames[stack[stack.length - 1]];
        const names = stack.map(i => frames[i]).filter(n => !pseudo.test(n));
        const managed = [...names].reverse().find(n => !unresolved.test(n));
        let kind = 'cpu';
        if (names.some(n => FINALIZER.test(n))) {
          kind = 'finalizer';
        } else if (managed !== undefined && GC_WAIT.test(managed)) {
          kind = 'gc-wait';
        } else if (leaf === 'UNMANAGED_CODE_TIME') {
          kind = managed === undefined || WAIT.test(managed) ? 'wait' : 'cpu-native';
        } else if (leaf !== 'CPU_TIME') {
          kind = 'other';
        }

        const deepest = names[names.length - 1];
        const own = deepest === undefined ? '(none)'
          : unresolved.test(deepest) ? `[native] under ${managed === undefined ? '?' : shortenManaged(managed)}` : shortenManaged(deepest);
        yield { kind, ms: event.at - last, frames: names.filter(n => !unresolved.test(n)), own, thread: profile.name };
      }

      if (event.type === 'O') {
        stack.push(event.frame);
      } else {
        stack.pop();
      }

      last = event.at;
    }
  }
}

// ---- input: perf script text (one block per sample: header line, then frames leaf first) ----

function normalisePerfFrame(symbol, dso) {
  const library = dso.split('/').pop();
  if (dso.includes('kernel.kallsyms')) {
    return `[kernel] ${symbol.replace(/\+0x[0-9a-f]+$/, '')}`;
  }

  // Managed code from /tmp/perf-PID.map: "instance void [Module] Namespace.Type::Method(args)[OptimizedTier1]"
  const managed = /\[([^\]]+)\] (.+?)::([^(]+)\(/.exec(symbol);
  if (managed) {
    return `${managed[1]}!${managed[2]}.${managed[3]}()`;
  }

  if (symbol === '[unknown]' || /^0x[0-9a-f]+$/.test(symbol)) {
    return library.startsWith('perf-') ? '[managed code, unnamed]' : `[${library}]`;
  }

  if (symbol.startsWith('stub ')) {
    return `[stub] ${symbol.slice(5)}`;
  }

  return `[${library.startsWith('libc') ? 'libc' : library}] ${symbol.replace(/\+0x[0-9a-f]+$/, '')}`;
}

function* perfSamples(text) {
  const header = /^(.+?)\s+(\d+)\s+(\d+\.\d+):\s+(\d+)\s+\S+:\s*$/;
  const frameLine = /^\s+([0-9a-f]+)\s+(.*)\s+\((.*)\)\s*$/;
  let current = null;
  const flush = function* () {
    if (current && current.frames.length > 0) {
      const rootFirst = current.frames.reverse();
      const leaf = rootFirst[rootFirst.length - 1];
      const managed = [...rootFirst].reverse().find(n => !n.startsWith('['));
      const own = /^\[(libcoreclr\.so|libclrjit\.so|managed code, unnamed)\]$/.test(leaf) && managed !== undefined
        ? `${leaf} under ${shortenManaged(managed)}`
        : shortenManaged(leaf);
      yield { kind: 'cpu', ms: current.ms, frames: rootFirst, own, thread: current.thread };
    }
  };
  for (const line of text.split('\n')) {
    const h = header.exec(line);
    if (h) {
      yield* flush();
      current = { thread: h[1].trim(), ms: Number(h[4]) / 1e6, frames: [] };
      continue;
    }

    const f = current && frameLine.exec(line);
    if (f) {
      current.frames.push(normalisePerfFrame(f[2].trim(), f[3]));
    }
  }

  yield* flush();
}

// ---- aggregation ----

const isPerf = !file.endsWith('.json');
const content = readFileSync(file, 'utf8');
const samples = isPerf ? perfSamples(content) : speedscopeSamples(JSON.parse(content));
const totals = { cpu: 0, 'cpu-native': 0, wait: 0, 'gc-wait': 0, finalizer: 0, other: 0 };
const inclusive = new Map();
const exclusive = new Map();
const threads = new Map();
const components = new Array(COMPONENTS.length).fill(0);
let first = Infinity;
let last = -Infinity;
for (const sample of samples) {
  totals[sample.kind] += sample.ms;
  if (sample.kind !== 'cpu' && sample.kind !== 'cpu-native') {
    continue;
  }

  const thread = sample.thread.replace(/\s*\(?\d+\)?$/, '').trim() || sample.thread;
  threads.set(thread, (threads.get(thread) ?? 0) + sample.ms);
  exclusive.set(sample.own, (exclusive.get(sample.own) ?? 0) + sample.ms);
  const unique = new Set(sample.frames);
  for (const name of unique) {
    if (allFrames || (!PLUMBING.test(name) && !LUMP.test(name))) {
      const short = shortenManaged(name);
      inclusive.set(short, (inclusive.get(short) ?? 0) + sample.ms);
    }
  }

  COMPONENTS.forEach(([, pattern], c) => {
    for (const name of unique) {
      if (pattern.test(name)) {
        components[c] += sample.ms;
        break;
      }
    }
  });
}

if (isPerf) {
  for (const match of content.matchAll(/^\S.*?\s(\d+\.\d+):\s+\d+\s/gm)) {
    const t = Number(match[1]) * 1000;
    first = Math.min(first, t);
    last = Math.max(last, t);
  }
} else {
  const trace = JSON.parse(content);
  first = Math.min(...trace.profiles.map(p => p.startValue));
  last = Math.max(...trace.profiles.map(p => p.endValue));
}

const cpu = totals.cpu + totals['cpu-native'];
const span = last - first;
const pct = v => `${(100 * v / cpu).toFixed(1)}%`;
const lines = [];
const source = isPerf ? 'perf (on-CPU samples)' : 'dotnet-trace (thread-time samples, waits removed)';
lines.push(`Profile ${file.split('/').pop()} from ${source}: ${(span / 1000).toFixed(1)} s.`);
lines.push(`On CPU: ${(cpu / 1000).toFixed(2)} s = ${(cpu / span).toFixed(2)} cores`
  + (isPerf ? '' : ` (managed code ${(totals.cpu / 1000).toFixed(2)} s, native code not in a wait ${(totals['cpu-native'] / 1000).toFixed(2)} s; blocked ${(totals.wait / 1000).toFixed(1)} s, parked for GC ${(totals['gc-wait'] / 1000).toFixed(2)} s and finalizer thread ${(totals.finalizer / 1000).toFixed(2)} s not counted)`)
  + (ops > 0 ? `; ${ops} requests meanwhile: ${(1000 * cpu / ops).toFixed(0)} µs per request` : '')
  + '.');
if (!isPerf) {
  lines.push('"On CPU" here is running or runnable: on a busy machine it exceeds the real CPU time (the bench\'s Server column); read the shares.');
}

if (isPerf) {
  lines.push('');
  lines.push('| thread | share of on-CPU samples |');
  lines.push('|---|--:|');
  [...threads].sort((a, b) => b[1] - a[1]).slice(0, 8).forEach(([name, v]) => lines.push(`| ${name} | ${pct(v)} |`));
}
lines.push('');
lines.push('| component (a frame of it on the stack) | share of on-CPU samples |');
lines.push('|---|--:|');
COMPONENTS.forEach(([label], c) => lines.push(`| ${label.startsWith('  ') ? '&nbsp;&nbsp;' + label.trim() : label} | ${pct(components[c])} |`));
const table = (title, map, otherMap) => {
  lines.push('');
  lines.push(`Top ${top} frames by ${title} on-CPU time${title === 'inclusive' && !allFrames ? ' (thread-pool and async plumbing hidden)' : ''}:`);
  lines.push('');
  lines.push(`| # | frame | ${title} | ${title === 'inclusive' ? 'exclusive' : 'inclusive'} |`);
  lines.push('|--:|---|--:|--:|');
  [...map].sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([name, v], i) => {
    const other = otherMap.get(name);
    lines.push(`| ${i + 1} | \`${name.replace(/\|/g, '\\|')}\` | ${pct(v)} | ${other === undefined ? '' : pct(other)} |`);
  });
};
table('inclusive', inclusive, exclusive);
table('exclusive', exclusive, inclusive);
// The same, managed code only: the code-level hot spots, without the kernel, libc and runtime lumps.
const managedOnly = new Map([...exclusive].filter(([name]) => !name.startsWith('[')));
lines.push('');
lines.push(`Top ${top} managed frames by exclusive on-CPU time:`);
lines.push('');
lines.push('| # | frame | exclusive | inclusive |');
lines.push('|--:|---|--:|--:|');
[...managedOnly].sort((a, b) => b[1] - a[1]).slice(0, top).forEach(([name, v], i) => {
  const other = inclusive.get(name);
  lines.push(`| ${i + 1} | \`${name.replace(/\|/g, '\\|')}\` | ${pct(v)} | ${other === undefined ? '' : pct(other)} |`);
});
console.log(lines.join('\n'));
