// What the benches read from /proc: CPU used by a process, and which processes are Postgres's.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds used so far by a process (user + system), from /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The pids of every Postgres process: the server's own and the backends (which live as long as the pools). */
function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
}

/** CPU seconds used so far by all of Postgres's processes together. */
export const postgresCpuSeconds = (): number => postgresPids().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
