// What a child process uses, read from /proc (Linux): CPU time and resident memory. Shared by
// bench/positions.js, bench/memory.js and bench/dispatch-under-broadcast.js; plus the bare baseline
// server (bench/bare-broadcast-server.js) started the same way by each of them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CHILD_ENV_STRIP, childEnv, freePort, log, nodeArgsEnv, startChild, waitHealthy } from './support.js';

const CLK_TCK = 100; // USER_HZ: 100 on Linux x86-64 and arm64

/** CPU seconds (user + system) the process `pid` has used so far (its own threads; not its children). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: the fields after it start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime: fields 14 and 15
}

/** {rssMb, hwmMb} of the process `pid` (VmRSS and VmHWM from /proc/<pid>/status). */
export function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round((kb('VmRSS') / 1024) * 10) / 10, hwmMb: Math.round((kb('VmHWM') / 1024) * 10) / 10 };
}

/** Machine-wide CPU: {busy, total} jiffies from the first line of /proc/stat. */
export function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] || 0);
  const total = v.reduce((s, x) => s + x, 0);
  return { busy: total - idle, total };
}

/** Cores used between two machineCpu() readings (0…cores). */
export function machineCores(before, after, cores) {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * cores : NaN;
}

const BARE_ENTRY = fileURLToPath(new URL('./bare-broadcast-server.js', import.meta.url));

/** Starts bench/bare-broadcast-server.js in a child process; resolves with {server, url, socketIo}. */
export async function startBareBroadcast(name = 'bare') {
  const port = await freePort();
  const server = startChild(name, BARE_ENTRY, childEnv({ PORT: String(port) }, CHILD_ENV_STRIP), nodeArgsEnv('BENCH_BARE_NODE_ARGS'));
  const url = `http://127.0.0.1:${port}`;
  const health = await waitHealthy(server, `${url}/health`, 30_000);
  log(`${name}: bare socket.io ${health?.socketIo} server healthy on ${url}`);
  return { server, url, socketIo: health?.socketIo };
}
