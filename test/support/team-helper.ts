// A team helper for test/team.test.ts: serves the team over the shared memory it is given,
// with stand-in kernels whose behaviour the test sets per task (a mode word in shared memory).
import { parentPort, workerData } from 'node:worker_threads';
import { Team, type TeamLayout } from '../../src/threads/team.js';
import { standIn } from './team-kernels.js';

const { memory, layout, k, modeAt } = workerData as { memory: WebAssembly.Memory; layout: TeamLayout; k: number; modeAt: number };
const team = new Team(memory, layout);
const seen = team.seq(k); // before 'ready': a task posted after it is still seen
parentPort!.postMessage('ready');
team.serve(k, standIn(memory, modeAt, { k, helpers: layout.helpers }), seen);
