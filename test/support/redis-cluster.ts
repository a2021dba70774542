// A throwaway Redis Cluster of the machine's redis-server: 3 masters and 3 replicas on free ports,
// in a temporary directory, stopped by pid. For tests and `BENCH_REDIS_CLUSTER=1`.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes.ts';

const run = promisify(execFile);

export interface ClusterNode {
  port: number;
  process: ChildProcess;
}

export interface LocalRedisCluster {
  nodes: ClusterNode[];
  /** `host:port,…` as REDIS_CLUSTER_NODES takes it. */
  nodesSetting: string;
  /** The ports of the nodes that are masters now. */
  masters(): Promise<number[]>;
  /** Kills a node with SIGKILL and waits until a replica has taken over its slots. */
  killMaster(port: number): Promise<void>;
  stop(): Promise<void>;
}

const cli = (port: number, ...args: string[]) =>
  run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]).then((r) => r.stdout);

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Redis Cluster: ${what} not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * One cluster node on a free port, its cluster bus on another free port (by default the bus is the
 * port + 10,000, which may be taken, or past 65,535). A node that exits at once (a port taken
 * between choosing and binding it) is started again on other ports.
 */
async function startNode(dir: string): Promise<ClusterNode> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    let bus = await freePort();
    while (bus === port) bus = await freePort();
    const process = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--cluster-port',
        String(bus),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        '2000',
        // A replica fails over however long ago it last heard from its master.
        '--cluster-replica-validity-factor',
        '0',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    );
    const exited = () => process.exitCode !== null || process.signalCode !== null;
    try {
      await waitFor(
        `node ${port} up`,
        async () => {
          if (exited()) throw new Error('exited');
          return (await cli(port, 'PING')).includes('PONG');
        },
        10_000,
      );
      return { port, process };
    } catch (error) {
      if (!exited()) process.kill('SIGKILL');
      if (attempt === 5) throw error;
    }
  }
}

export async function startRedisCluster(size = { masters: 3, replicasPerMaster: 1 }): Promise<LocalRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  const count = size.masters * (1 + size.replicasPerMaster);
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    await Promise.all(
      nodes.map(async (node) => {
        if (node.process.exitCode !== null || node.process.signalCode !== null) return;
        const exited = new Promise((r) => node.process.once('exit', r));
        node.process.kill('SIGKILL');
        await exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i++) nodes.push(await startNode(dir));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas',
      String(size.replicasPerMaster),
      '--cluster-yes',
    ]);
    for (const node of nodes)
      await waitFor(`cluster state ok on ${node.port}`, async () =>
        (await cli(node.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
      );
    // Replicas in sync with their masters, so that a failover can happen from the start.
    for (const node of nodes)
      await waitFor(`replication on ${node.port}`, async () => {
        const info = await cli(node.port, 'INFO', 'replication');
        return info.includes('role:master') || info.includes('master_link_status:up');
      });
  } catch (error) {
    await stop();
    throw error;
  }

  const alive = () => nodes.filter((n) => n.process.exitCode === null && n.process.signalCode === null);
  const masters = async () => {
    const out = await cli(alive()[0]!.port, 'CLUSTER', 'NODES');
    return out
      .split('\n')
      .filter((line) => /\bmaster\b/.test(line) && !/\bfail\b/.test(line) && / \d+-\d+/.test(line))
      .map((line) => Number(line.split(' ')[1]!.split('@')[0]!.split(':')[1]));
  };
  return {
    nodes,
    nodesSetting: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    masters,
    killMaster: async (port: number) => {
      const node = nodes.find((n) => n.port === port);
      if (!node) throw new Error(`no node on ${port}`);
      const exited = new Promise((r) => node.process.once('exit', r));
      node.process.kill('SIGKILL');
      await exited;
      await waitFor(
        'failover',
        async () =>
          !(await masters()).includes(port) &&
          (await masters()).length === size.masters &&
          (await cli(alive()[0]!.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
      );
    },
    stop,
  };
}
