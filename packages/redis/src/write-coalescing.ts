import type { Socket } from 'node:net';

const coalescing = Symbol('coalescing writes');

/**
 * ioredis writes every command to the socket at once: one system call per command, hundreds per
 * tick when a batch of tasks finishes (a BullMQ script call each). ioredis has no option to batch
 * them short of auto-pipelining, which waits for one pipeline's replies before sending the next
 * (per-command writes: redis/ioredis#1866). Corking the socket on the first write of a tick and
 * uncorking it once the tick's work is done (the pattern Node's stream guide recommends) sends them
 * in one writev, with no change to how commands are ordered or answered. Applied to each new socket
 * (after a reconnect too).
 *
 * Relies on ioredis internals: commands reach the net.Socket exposed as `redis.stream` through its
 * `write`, and 'connect' fires for every new socket. packages/redis/test/write-coalescing.test.ts
 * counts the socket's writes on a real Redis and fails if an upgrade changes either.
 */
export function coalesceWrites(socket: Socket): void {
  const tagged = socket as Socket & { [coalescing]?: true };
  if (tagged[coalescing]) return;
  tagged[coalescing] = true;
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}
