// A child process that holds many socket.io clients for a benchmark, driven over IPC (bench/socket-farm.js
// is started by startFarm() below; it is never run by hand). socket.io-client sockets are heavy (tens of
// KB each, and each decodes every frame it gets): 5,000 of them in the measuring process would make it
// measure itself, so they live in one or two of these, as dashboards would live on other machines.
//
// Commands (IPC, one at a time per farm):
//   connect {url, count, batch, timeoutMs, auths?: [{token}…], auth?: {token}}  → ready {connectMs, rssMb}
//   send {ratePerSocket, durationMs, maxOutstanding}  → sent {sent, acked, refused, skipped, latencies…}
//        (every socket emits squad.position {lat, lng, accuracy} with an ack at a steady rate)
//   report → report {sockets, disconnects, eventsByType, timesByType: {type: [first, last]}, notices: [[title, count, first, last]], rssMb}
//   waitNotice {title, count} → noticed {count, first, last} (once `count` of its sockets have had the notice `title`)
//   close → closed (the sockets are closed; the process stays for the next connect)
// Each socket counts the `event` messages it receives (by type); for notice.posted the farm keeps, per
// title, how many sockets had it and when the first and the last had it (wall clock shared by processes).
import { fileURLToPath } from 'node:url';
import { alive, childEnv, CHILD_ENV_STRIP, connectMany, performance, setTimeout, sleep, startChild, stopChild, wallNow, withTimeout } from './support.js';

const THIS_FILE = fileURLToPath(import.meta.url);

function farm() {
  let sockets = [];
  let disconnects = 0;
  const eventsByType = {};
  const timesByType = {}; // type → [first, last] arrival at any of its sockets (wall clock)
  const notices = new Map();

  const onEvent = (i, event) => {
    const type = String(event?.type);
    eventsByType[type] = (eventsByType[type] ?? 0) + 1;
    const at = wallNow();
    if (timesByType[type]) timesByType[type][1] = at;
    else timesByType[type] = [at, at];
    if (type !== 'notice.posted') return;
    const title = String(event.payload?.title);
    const now = wallNow();
    const n = notices.get(title);
    if (n) {
      n.count++;
      n.last = now;
    } else notices.set(title, { count: 1, first: now, last: now });
    const waiter = noticeWaiters.get(title);
    if (waiter && notices.get(title).count >= waiter.count) {
      noticeWaiters.delete(title);
      waiter.resolve();
    }
  };

  const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20);

  // Resolved when the notice `title` has reached `count` sockets (waitNotice).
  const noticeWaiters = new Map();
  const waitNotice = (title, count) => {
    if ((notices.get(title)?.count ?? 0) >= count) return Promise.resolve();
    return new Promise((resolve) => noticeWaiters.set(title, { count, resolve }));
  };

  async function connect(msg) {
    const started = performance.now();
    disconnects = 0;
    for (const k of Object.keys(eventsByType)) delete eventsByType[k];
    for (const k of Object.keys(timesByType)) delete timesByType[k];
    notices.clear();
    sockets = await connectMany(msg.url, msg.count, {
      batch: msg.batch,
      timeoutMs: msg.timeoutMs,
      auth: (i) => (msg.auths ? msg.auths[i] : msg.auth ?? {}),
      onEvent,
      onDisconnect: () => disconnects++,
      what: 'farm',
    });
    return { connectMs: Math.round(performance.now() - started), rssMb: rssMb() };
  }

  /** Every socket sends positions at `ratePerSocket`/s for `durationMs`; at most `maxOutstanding` unacked each. */
  async function send({ ratePerSocket, durationMs, maxOutstanding }) {
    const latencies = [];
    let sent = 0;
    let acked = 0;
    let refused = 0;
    let skipped = 0;
    let lastRefusal;
    const outstanding = new Int32Array(sockets.length);
    const intervalMs = 1000 / ratePerSocket;
    const started = performance.now();
    const endAt = started + durationMs;
    let ackedInWindow = 0;
    // One timer drives every socket: each has its own phase, so sends spread over the interval.
    const next = sockets.map((_, i) => started + (i / sockets.length) * intervalMs);
    await new Promise((resolve) => {
      const tick = () => {
        const now = performance.now();
        if (now >= endAt) return resolve();
        for (let i = 0; i < sockets.length; i++) {
          while (next[i] <= now && next[i] < endAt) {
            next[i] += intervalMs;
            if (outstanding[i] >= maxOutstanding) {
              skipped++;
              continue;
            }
            outstanding[i]++;
            sent++;
            const t0 = performance.now();
            const lat = 24.7 + Math.random() * 0.2;
            const lng = 118.6 + Math.random() * 0.2;
            sockets[i].emit('squad.position', { lat, lng, accuracy: 10 }, (ack) => {
              const t1 = performance.now();
              outstanding[i]--;
              if (ack?.ok) {
                acked++;
                if (t1 <= endAt) ackedInWindow++;
                if (latencies.length < 200_000) latencies.push(t1 - t0);
              } else {
                refused++;
                lastRefusal = ack;
              }
            });
          }
        }
        setTimeout(tick, 2);
      };
      tick();
    });
    // Let the last acks come in (bounded).
    const drainUntil = performance.now() + 10_000;
    while (outstanding.some((n) => n > 0) && performance.now() < drainUntil) await sleep(50);
    const unacked = outstanding.reduce((s, n) => s + n, 0);
    return { sent, acked, ackedInWindow, refused, skipped, unacked, lastRefusal, latencies, durationMs, rssMb: rssMb() };
  }

  process.on('disconnect', () => process.exit(0)); // the benchmark is gone
  process.on('message', (msg) => {
    const reply = (type, p) => p.then((body) => process.send({ type, ...body }), (e) => process.send({ type: 'error', message: e.message }));
    if (msg?.cmd === 'connect') reply('ready', connect(msg));
    else if (msg?.cmd === 'send') reply('sent', send(msg));
    else if (msg?.cmd === 'report') {
      process.send({
        type: 'report',
        sockets: sockets.length,
        disconnects,
        eventsByType,
        timesByType,
        notices: [...notices].map(([title, n]) => [title, n.count, n.first, n.last]),
        rssMb: rssMb(),
      });
    } else if (msg?.cmd === 'waitNotice') {
      void waitNotice(msg.title, msg.count).then(() => process.send({ type: 'noticed', ...notices.get(msg.title) }));
    } else if (msg?.cmd === 'close') {
      for (const socket of sockets) socket.close();
      sockets = [];
      process.send({ type: 'closed' });
    }
  });
}

/**
 * Starts a farm child; returns {connect, send, report, waitNotice, close, stop}. Each command resolves
 * with the child's answer or rejects on its error, its exit, or after `timeoutMs`. `nice` (1…19) runs
 * the farm at that lower CPU priority: its sockets stand for other computers, and on a small machine
 * they should not take the CPU from the server and the measuring client.
 */
export function startFarm(name, { maxOldSpaceMb = 2048, nice = 0 } = {}) {
  const handle = startChild(name, THIS_FILE, childEnv({}, CHILD_ENV_STRIP), [`--max-old-space-size=${maxOldSpaceMb}`], { args: ['--farm'], ipc: true, nice });
  const ask = (msg, type, timeoutMs) =>
    withTimeout(
      new Promise((resolve, reject) => {
        const onMessage = (answer) => {
          if (answer?.type !== 'error' && answer?.type !== type) return;
          handle.child.off('message', onMessage);
          if (answer.type === 'error') reject(new Error(`${name}: ${answer.message}`));
          else resolve(answer);
        };
        handle.child.on('message', onMessage);
        void handle.exited.then((how) => reject(new Error(`${name} exited (${JSON.stringify(how)}). Its output:\n${handle.tail()}`)));
        handle.child.send(msg);
      }),
      timeoutMs,
      `${name}: ${msg.cmd}`,
    );
  return {
    handle,
    pid: () => handle.child.pid,
    connect: (opts, timeoutMs = 600_000) => ask({ cmd: 'connect', ...opts }, 'ready', timeoutMs),
    send: (opts) => ask({ cmd: 'send', ...opts }, 'sent', opts.durationMs + 60_000),
    report: () => ask({ cmd: 'report' }, 'report', 60_000),
    waitNotice: (title, count, timeoutMs = 30_000) => ask({ cmd: 'waitNotice', title, count }, 'noticed', timeoutMs),
    close: () => (alive(handle) ? ask({ cmd: 'close' }, 'closed', 60_000) : Promise.resolve()),
    stop: () => stopChild(handle),
  };
}

if (process.argv[2] === '--farm') farm();
