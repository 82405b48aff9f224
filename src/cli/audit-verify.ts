// npm run audit:verify — checks the event log's hash chain on DATABASE_URL or the embedded database
// (stop the app first for the embedded one). Exit code 0 when intact, 1 when an event was altered or removed.
import dataSource from './data-source.js';
import { verifyEventChain } from '../events/event-chain.js';

await dataSource.initialize();
try {
  const result = await verifyEventChain(dataSource);
  console.log(JSON.stringify(result));
  if (result.ok) {
    console.log(`The event log is intact: ${result.checked} events checked${result.headId ? `, newest ${result.headId} with hash ${result.headHash}` : ''}.`);
  } else {
    const what = result.problem === 'altered' ? 'was altered' : 'follows events that were removed or altered';
    console.error(`The event log was tampered with: event ${result.firstBadId} ${what} (${result.checked} events checked).`);
    process.exitCode = 1;
  }
} finally {
  await dataSource.destroy();
}
